package org.osteocast.nn;

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

/**
 * The mirror of {@link Conv3dEncoder}: {@code g_dim} → 8nf × coarseDepth × 4 × 4
 * (linear layer, batch norm, LeakyReLU), then one {@link Conv3dUpsample}
 * (an exact 4×4×4 stride-2 transposed convolution) per level with batch norm
 * and LeakyReLU(0.2), the finest one producing one channel, mapped to a
 * volume by {@link Tvae3dConfig#output}.
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

	private final Tvae3dConfig cfg;
	private final Linear first;
	private final BatchNorm firstNorm;
	private final List<Conv3dUpsample> ups = new ArrayList<>();
	private final List<BatchNorm> norms = new ArrayList<>();

	public Conv3dDecoder(final Tvae3dConfig cfg) {
		this.cfg = cfg;
		final int top = cfg.levels();
		first = addChildBlock("first", Linear.builder().setUnits((long) cfg.channels(top) * cfg.coarseDepth() * 16)
			.build());
		firstNorm = addChildBlock("first_bn", BatchNorm.builder().build());
		for (int l = top; l >= 1; l--) {
			ups.add(addChildBlock("up" + l, new Conv3dUpsample(l > 1 ? cfg.channels(l - 1) : 1)));
			if (l > 1) norms.add(addChildBlock("up" + l + "_bn", BatchNorm.builder().build()));
		}
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final int top = cfg.levels(), dp = cfg.paddedDepth(), s = cfg.imageSize;
		first.initialize(manager, dataType, new Shape(1, cfg.gDim));
		firstNorm.initialize(manager, dataType, new Shape(1, cfg.channels(top), cfg.coarseDepth(), 4, 4));
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			final int inC = cfg.channels(l) * (cfg.skips() ? 2 : 1);
			ups.get(i).initialize(manager, dataType, new Shape(1, inC, dp >> l, s >> l, s >> l));
			if (l > 1) norms.get(i).initialize(manager, dataType, new Shape(1, cfg.channels(l - 1), dp >> (l - 1),
				s >> (l - 1), s >> (l - 1)));
		}
		// a residual output starts as persistence (Δ = 0), as in ConvDecoder
		if (cfg.output != TvaeConfig.Output.SIGMOID) ups.get(ups.size() - 1).zeroParameters();
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final int top = cfg.levels();
		final NDArray g = in.get(0);
		final long b = g.getShape().get(0);
		NDArray x = first.forward(ps, new NDList(g), training).head().reshape(b, cfg.channels(top), cfg.coarseDepth(),
			4, 4);
		x = Activation.leakyRelu(firstNorm.forward(ps, new NDList(x), training).head(), 0.2f);
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			if (cfg.skips()) x = x.concat(in.get(l), 1);
			x = ups.get(i).forward(ps, new NDList(x), training).head();
			if (l > 1) x = Activation.leakyRelu(norms.get(i).forward(ps, new NDList(x), training).head(), 0.2f);
		}
		return new NDList(outputActivation(cfg.output, x, in.get(in.size() - 1)));
	}

	/**
	 * Maps the last layer's output {@code y} to [0, 1] as
	 * {@link ConvDecoder} does: {@code sigmoid(y)}; {@code clamp(x_last + y)};
	 * or {@code sigmoid(logit(x_last) + y)} with {@code x_last} clipped to
	 * [1e-4, 1 − 1e-4] (the residual in logit space).
	 */
	static NDArray outputActivation(final TvaeConfig.Output output, final NDArray y, final NDArray xLast) {
		switch (output) {
			case RESIDUAL_CLAMP:
				return xLast.add(y).clip(0f, 1f);
			case RESIDUAL_LOGIT: {
				final NDArray p = xLast.clip(1e-4f, 1f - 1e-4f);
				return Activation.sigmoid(p.div(p.neg().add(1f)).log().add(y));
			}
			case SIGMOID:
			default:
				return Activation.sigmoid(y);
		}
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		return new Shape[] { new Shape(inputShapes[0].get(0), 1, cfg.paddedDepth(), cfg.imageSize, cfg.imageSize) };
	}
}
