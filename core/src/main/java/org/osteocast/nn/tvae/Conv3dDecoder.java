package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.blocks.Conv3dUpsample;
import org.osteocast.nn.blocks.FrameOutput;

/**
 * The mirror of {@link Conv3dEncoder}: {@code g_dim} → 8nf × coarseDepth × 4 × 4
 * (linear layer, batch norm, LeakyReLU), then one {@link Conv3dUpsample}
 * (an exact 4×4×4 stride-2 transposed convolution) per level with batch norm
 * and LeakyReLU(0.2), the finest one producing one channel, mapped to a
 * volume by the output mapping ({@link FrameOutput}).
 * <p>
 * Style ({@link Tvae3dConfig.Style}): {@code dcgan} has no skip connections
 * (a pure bottleneck, SVG-LP's DCGAN decoder); {@code unet} concatenates the
 * last observed week's encoder features before every level's up-sampling,
 * doubling that block's input channels.
 * <p>
 * Input {@code NDList(g (N, g_dim), [f_1, …, f_L when unet,] x_last (N, 1, Dp, S, S))};
 * output {@code NDList(x̂ (N, 1, Dp, S, S))}, at the padded depth (the caller crops).
 */
public final class Conv3dDecoder extends AbstractBlock {

	private final int[] channels;
	private final int coarseDepth;
	private final boolean skips;
	private final FrameOutput output;
	private final Linear first;
	private final BatchNorm firstNorm;
	private final List<Conv3dUpsample> ups = new ArrayList<>();
	private final List<BatchNorm> norms = new ArrayList<>();

	/**
	 * @param channels channels of the encoder's levels, finest first (the decoder mirrors them)
	 * @param coarseDepth depth of the coarsest map, whose other sides are 4 × 4
	 * @param skips whether every level concatenates the encoder's features (U-Net)
	 * @param output how the last block's output becomes a volume
	 */
	public Conv3dDecoder(final int[] channels, final int coarseDepth, final boolean skips, final FrameOutput output) {
		this.channels = channels.clone();
		this.coarseDepth = coarseDepth;
		this.skips = skips;
		this.output = output;
		final int top = channels.length;
		first = addChildBlock("first", Linear.builder().setUnits((long) channels(top) * coarseDepth * 16).build());
		firstNorm = addChildBlock("first_bn", BatchNorm.builder().build());
		for (int l = top; l >= 1; l--) {
			ups.add(addChildBlock("up" + l, new Conv3dUpsample(l > 1 ? channels(l - 1) : 1)));
			if (l > 1) norms.add(addChildBlock("up" + l + "_bn", BatchNorm.builder().build()));
		}
	}

	private int channels(final int level) {
		return channels[level - 1];
	}

	/**
	 * Sizes every layer from the embedding's shape {@code (N, g_dim)}: the
	 * coarsest map is {@code coarseDepth × 4 × 4}, each level doubles it.
	 */
	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final int top = channels.length;
		first.initialize(manager, dataType, inputShapes[0]);
		firstNorm.initialize(manager, dataType, new Shape(1, channels(top), coarseDepth, 4, 4));
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			final int inC = channels(l) * (skips ? 2 : 1), up = top - l;
			ups.get(i).initialize(manager, dataType, new Shape(1, inC, coarseDepth << up, 4 << up, 4 << up));
			if (l > 1) norms.get(i).initialize(manager, dataType, new Shape(1, channels(l - 1), coarseDepth << (up + 1),
				4 << (up + 1), 4 << (up + 1)));
		}
		// a residual output starts as persistence (Δ = 0), as in ConvDecoder
		if (output.residual()) ups.get(ups.size() - 1).zeroParameters();
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final int top = channels.length;
		final NDArray g = in.get(0);
		final long b = g.getShape().get(0);
		NDArray x = first.forward(ps, new NDList(g), training).head().reshape(b, channels(top), coarseDepth, 4, 4);
		x = Activation.leakyRelu(firstNorm.forward(ps, new NDList(x), training).head(), 0.2f);
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			if (skips) x = x.concat(AbstractTvae.toRows(in.get(l), b), 1);
			x = ups.get(i).forward(ps, new NDList(x), training).head();
			if (l > 1) x = Activation.leakyRelu(norms.get(i).forward(ps, new NDList(x), training).head(), 0.2f);
		}
		return new NDList(output.apply(x, AbstractTvae.toRows(in.get(in.size() - 1), b)));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final int top = channels.length;
		return new Shape[] { new Shape(inputShapes[0].get(0), 1, coarseDepth << top, 4 << top, 4 << top) };
	}
}
