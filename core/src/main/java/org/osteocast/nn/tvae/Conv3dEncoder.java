package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.blocks.Conv3dUpsample;
import org.osteocast.nn.blocks.PaddedFilters;

/**
 * The 3-D T-VAE's per-week encoder, {@link ConvEncoder} with 3-D
 * convolutions: {@code levels} blocks of 4×4×4 convolution (stride 2,
 * padding 1) + batch norm + LeakyReLU(0.2) with nf, 2nf, 4nf, 8nf channels,
 * then a valid convolution over the whole coarsest map
 * ({@code coarseDepth × 4 × 4}, e.g. 3 × 4 × 4 for 48 slices) to
 * {@code g_dim} + batch norm + tanh (that convolution computes
 * {@link Conv3dUpsample#safeFilters}{@code (g_dim)} filters and uses the first
 * {@code g_dim}). From the second level on, whose input gradient is needed,
 * the convolutions run with their filters padded to a multiple of 16
 * ({@link PaddedFilters}: the CPU convolution otherwise reads uninitialised
 * gradient channels).
 * <p>
 * Input {@code (N, 1, Dp, S, S)} with {@code Dp} = {@link Tvae3dConfig#paddedDepth()};
 * output {@code NDList(h (N, g_dim), f_1, …, f_L)} where {@code f_l} is level
 * {@code l}'s feature map {@code (N, C_l, Dp/2^l, S/2^l, S/2^l)}.
 */
public final class Conv3dEncoder extends AbstractBlock {

	private final int[] channels;
	private final int gDim;
	private final List<SequentialBlock> levels = new ArrayList<>();
	private final Conv3d last;
	private final BatchNorm lastNorm;

	/**
	 * @param channels output channels of each stride-2 level, finest first
	 * @param gDim size of the embedding
	 * @param coarseDepth depth of the coarsest feature map (the last convolution's kernel depth)
	 */
	public Conv3dEncoder(final int[] channels, final int gDim, final int coarseDepth) {
		this.channels = channels.clone();
		this.gDim = gDim;
		for (int l = 1; l <= channels.length; l++)
			levels.add(addChildBlock("c" + l, new SequentialBlock()
				.add(Conv3d.builder().setKernelShape(new Shape(4, 4, 4)).optStride(new Shape(2, 2, 2)).optPadding(new Shape(
					1, 1, 1)).setFilters(channels[l - 1]).build())
				.add(BatchNorm.builder().build())
				.add(Activation.leakyReluBlock(0.2f))));
		// a stride-1 convolution whose input gradient is needed: safe filter count, extras dropped
		last = addChildBlock("c" + (channels.length + 1), Conv3d.builder().setKernelShape(new Shape(coarseDepth, 4, 4))
			.setFilters(Conv3dUpsample.safeFilters(gDim)).build());
		lastNorm = addChildBlock("c" + (channels.length + 1) + "_bn", BatchNorm.builder().build());
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		Shape s = inputShapes[0];
		for (final SequentialBlock b : levels) {
			b.initialize(manager, dataType, s);
			s = b.getOutputShapes(new Shape[] { s })[0];
		}
		last.initialize(manager, dataType, s);
		lastNorm.initialize(manager, dataType, new Shape(1, gDim));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray x = in.head();
		final NDList skips = new NDList();
		for (int l = 1; l <= levels.size(); l++) {
			final SequentialBlock b = levels.get(l - 1);
			if (l == 1) x = b.forward(ps, new NDList(x), training).head();
			else {
				// the input gradient is needed from the second level on: filters padded (PaddedFilters); the
				// level's blocks are called one by one so that parameter names stay those of the sequential block
				final List<Block> parts = b.getChildren().values();
				x = PaddedFilters.conv3d((Conv3d) parts.get(0), ps, x, training);
				for (int i = 1; i < parts.size(); i++)
					x = parts.get(i).forward(ps, new NDList(x), training).head();
			}
			skips.add(x);
		}
		final NDArray y = last.forward(ps, new NDList(x), training).head();
		final NDArray h = y.reshape(y.getShape().get(0), y.getShape().get(1)).get(":, :{}", gDim);
		final NDList out = new NDList(lastNorm.forward(ps, new NDList(h), training).head().tanh());
		out.addAll(skips);
		return out;
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape in = inputShapes[0];
		final Shape[] s = new Shape[channels.length + 1];
		s[0] = new Shape(in.get(0), gDim);
		for (int l = 1; l <= channels.length; l++)
			s[l] = new Shape(in.get(0), channels[l - 1], in.get(2) >> l, in.get(3) >> l, in.get(4) >> l);
		return s;
	}
}
