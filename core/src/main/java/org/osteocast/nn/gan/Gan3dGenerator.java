package org.osteocast.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.blocks.Conv3dUpsample;
import org.osteocast.nn.blocks.FrameOutput;
import org.osteocast.nn.blocks.PaddedFilters;

/**
 * The 3-D GAN's generator: a U-Net (pix2pix's encoder-decoder with skips) on
 * volumes whose channels are the observed weeks.
 * <ul>
 * <li>Encoder: {@code levels} blocks of 4×4×4 convolution (stride 2,
 * padding 1) + batch norm (not on the first, as pix2pix) + LeakyReLU(0.2),
 * nf, 2nf, 4nf, 8nf channels, down to {@code Dp/2^L × 4 × 4}; from the
 * second level on (their input gradient is needed) the convolutions run with
 * their filters padded to a multiple of 16 ({@link PaddedFilters}).</li>
 * <li>Decoder: per level, the previous output concatenated with the encoder
 * features of that level (from the second-coarsest level on), a
 * {@link Conv3dUpsample} (an exact 4×4×4 stride-2 transposed convolution),
 * batch norm and ReLU; the finest block outputs one channel, mapped to [0, 1]
 * by the output mapping ({@link FrameOutput}, relative to the last observed week for the
 * residual outputs).</li>
 * </ul>
 * Input {@code (N, nPast, Dp, S, S)} (padded depth); output {@code (N, 1, Dp, S, S)}.
 */
public final class Gan3dGenerator extends AbstractBlock {

	private final int[] channels;
	private final FrameOutput output;
	private final List<Conv3d> downs = new ArrayList<>();
	private final List<BatchNorm> downNorms = new ArrayList<>();
	private final List<Conv3dUpsample> ups = new ArrayList<>();
	private final List<BatchNorm> upNorms = new ArrayList<>();

	/**
	 * @param channels channels of each level, finest first
	 * @param output how the last block's output becomes a volume
	 */
	public Gan3dGenerator(final int[] channels, final FrameOutput output) {
		this.channels = channels.clone();
		this.output = output;
		final int top = channels.length;
		for (int l = 1; l <= top; l++) {
			downs.add(addChildBlock("down" + l, Conv3d.builder().setKernelShape(new Shape(4, 4, 4)).optStride(new Shape(2,
				2, 2)).optPadding(new Shape(1, 1, 1)).setFilters(channels(l)).build()));
			if (l > 1) downNorms.add(addChildBlock("down" + l + "_bn", BatchNorm.builder().build()));
		}
		for (int l = top; l >= 1; l--) {
			ups.add(addChildBlock("up" + l, new Conv3dUpsample(l > 1 ? channels(l - 1) : 1)));
			if (l > 1) upNorms.add(addChildBlock("up" + l + "_bn", BatchNorm.builder().build()));
		}
	}

	private int channels(final int level) {
		return channels[level - 1];
	}

	/** Sizes every layer from the input {@code (N, weeks, Dp, S, S)}. */
	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape in = inputShapes[0];
		final int top = channels.length;
		for (int l = 1; l <= top; l++) {
			final long inC = l == 1 ? in.get(1) : channels(l - 1);
			downs.get(l - 1).initialize(manager, dataType, shape(in, l - 1, inC));
			if (l > 1) downNorms.get(l - 2).initialize(manager, dataType, shape(in, l, channels(l)));
		}
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			final int inC = channels(l) * (l < top ? 2 : 1);
			ups.get(i).initialize(manager, dataType, shape(in, l, inC));
			if (l > 1) upNorms.get(i).initialize(manager, dataType, shape(in, l - 1, channels(l - 1)));
		}
		if (output.residual()) ups.get(ups.size() - 1).zeroParameters();
	}

	/** Level {@code level}'s map of {@code channels} for the input {@code in}: its sides halved {@code level} times. */
	private static Shape shape(final Shape in, final int level, final long channels) {
		return new Shape(1, channels, in.get(2) >> level, in.get(3) >> level, in.get(4) >> level);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray obs = in.head();
		final int top = channels.length;
		final NDList feats = new NDList();
		NDArray x = obs;
		for (int l = 1; l <= top; l++) {
			// from the second level on the input gradient is needed: filters padded (PaddedFilters)
			x = l > 1 ? PaddedFilters.conv3d(downs.get(l - 1), ps, x, training) : downs.get(l - 1).forward(ps, new NDList(
				x), training).head();
			if (l > 1) x = downNorms.get(l - 2).forward(ps, new NDList(x), training).head();
			x = Activation.leakyRelu(x, 0.2f);
			feats.add(x);
		}
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			if (l < top) x = x.concat(feats.get(l - 1), 1);
			x = ups.get(i).forward(ps, new NDList(x), training).head();
			if (l > 1) x = Activation.relu(upNorms.get(i).forward(ps, new NDList(x), training).head());
		}
		final long n = obs.getShape().get(1);
		return new NDList(output.apply(x, obs.get(":, {}:{}", n - 1, n)));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape in = inputShapes[0];
		return new Shape[] { new Shape(in.get(0), 1, in.get(2), in.get(3), in.get(4)) };
	}
}
