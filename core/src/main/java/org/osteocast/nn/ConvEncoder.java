package org.osteocast.nn;

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

/**
 * The per-slice encoder of SVG-LP's {@code dcgan_64}: {@code levels} blocks
 * of 4×4 convolution (stride 2, padding 1) + batch norm + LeakyReLU(0.2) with
 * nf, 2nf, 4nf, 8nf channels, then a 4×4 valid convolution to {@code g_dim} +
 * batch norm + tanh.
 * <p>
 * Input {@code (B, 1, S, S)}; output {@code NDList(h (B, g_dim), f_1, …, f_L)}
 * where {@code f_l} is level {@code l}'s feature map (the decoder's skips).
 */
public final class ConvEncoder extends AbstractBlock {

	private final TvaeConfig cfg;
	private final List<SequentialBlock> levels = new ArrayList<>();
	private final SequentialBlock last;

	public ConvEncoder(final TvaeConfig cfg) {
		this.cfg = cfg;
		for (int l = 1; l <= cfg.levels(); l++)
			levels.add(addChildBlock("c" + l, new SequentialBlock()
				.add(Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2)).optPadding(new Shape(1,
					1)).setFilters(cfg.channels(l)).build())
				.add(BatchNorm.builder().build())
				.add(Activation.leakyReluBlock(0.2f))));
		last = addChildBlock("c" + (cfg.levels() + 1), new SequentialBlock()
			.add(Conv2d.builder().setKernelShape(new Shape(4, 4)).setFilters(cfg.gDim).build())
			.add(BatchNorm.builder().build())
			.add(Activation.tanhBlock()));
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		Shape s = new Shape(1, 1, cfg.imageSize, cfg.imageSize);
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
		final NDList out = new NDList(h.reshape(h.getShape().get(0), cfg.gDim));
		out.addAll(skips);
		return out;
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final long b = inputShapes[0].get(0);
		final Shape[] s = new Shape[cfg.levels() + 1];
		s[0] = new Shape(b, cfg.gDim);
		for (int l = 1; l <= cfg.levels(); l++)
			s[l] = new Shape(b, cfg.channels(l), cfg.imageSize >> l, cfg.imageSize >> l);
		return s;
	}
}
