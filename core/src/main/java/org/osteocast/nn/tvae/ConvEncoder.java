package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.blocks.MixedConv2d;

/**
 * The per-slice encoder of SVG-LP's {@code dcgan_64}: {@code levels} blocks
 * of 4×4 convolution (stride 2, padding 1) + batch norm + LeakyReLU(0.2) with
 * nf, 2nf, 4nf, 8nf channels, then a 4×4 valid convolution to {@code g_dim} +
 * batch norm + tanh.
 * <p>
 * Input {@code (B, 1, S, S)}; output {@code NDList(h (B, g_dim), f_1, …, f_L)}
 * where {@code f_l} is level {@code l}'s feature map (the decoder's skips),
 * {@code (B, C_l, S/2^l, S/2^l)}. The block knows only its widths; the image
 * side comes from the input shape ({@code S = 4·2^L} for the last convolution
 * to give 1 × 1).
 */
public final class ConvEncoder extends AbstractBlock {

	private final int[] channels;
	private final int gDim;
	private final List<SequentialBlock> levels = new ArrayList<>();
	private final SequentialBlock last;

	/**
	 * @param channels output channels of each stride-2 level, finest first
	 * @param gDim size of the embedding
	 */
	public ConvEncoder(final int[] channels, final int gDim) {
		this.channels = channels.clone();
		this.gDim = gDim;
		for (int l = 1; l <= channels.length; l++)
			levels.add(addChildBlock("c" + l, new SequentialBlock()
				.add(MixedConv2d.of(Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2))
					.optPadding(new Shape(1, 1)).setFilters(channels[l - 1])))
				.add(BatchNorm.builder().build())
				.add(Activation.leakyReluBlock(0.2f))));
		last = addChildBlock("c" + (channels.length + 1), new SequentialBlock()
			.add(MixedConv2d.of(Conv2d.builder().setKernelShape(new Shape(4, 4)).setFilters(gDim)))
			.add(BatchNorm.builder().build())
			.add(Activation.tanhBlock()));
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		Shape s = inputShapes[0];
		for (final SequentialBlock b : levels) {
			b.initialize(manager, dataType, s);
			s = b.getOutputShapes(new Shape[] { s })[0];
		}
		last.initialize(manager, dataType, s);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray x = in.head();
		final NDList skips = new NDList();
		for (final SequentialBlock b : levels) {
			x = b.forward(ps, new NDList(x), training).head();
			skips.add(x);
		}
		final NDArray h = last.forward(ps, new NDList(x), training).head();
		final NDList out = new NDList(h.reshape(h.getShape().get(0), gDim));
		out.addAll(skips);
		return out;
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final long b = inputShapes[0].get(0), size = inputShapes[0].get(2);
		final Shape[] s = new Shape[channels.length + 1];
		s[0] = new Shape(b, gDim);
		for (int l = 1; l <= channels.length; l++)
			s[l] = new Shape(b, channels[l - 1], size >> l, size >> l);
		return s;
	}
}
