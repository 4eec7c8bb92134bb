package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A "same" 2-D convolution (stride 1, zero padding {@code k/2} inside the
 * convolution) that steers clear of channel counts the CPU engine gets wrong.
 * <p>
 * Why: checked against a plain-Java convolution ({@code ConvRnnConvTest}),
 * libtorch 2.7.1's CPU convolution on this project's machines returns wrong
 * outputs (errors of order 0.5) for {@code k ≥ 3} when the input has more than
 * 16 channels that are not a multiple of 16 (e.g. 24 = 16 + 8, the ConvLSTM
 * gate input of a patch-4, 8-channel model), and wrong or NaN input gradients
 * when the output has 8 channels (the package notes' "4 or 8 output
 * channels"); weight gradients were always right. So the input is padded with
 * zero channels up to a safe count (≤ 16 or a multiple of 16) and the filters
 * are rounded up to a multiple of 16, the extra outputs dropped. The extra
 * weights meet only zero inputs or dropped outputs: they get zero gradients
 * and never change the result. Safe counts (all the defaults: 16, 64, 80, 128
 * inputs; 16, 64, 192, 256, 448 outputs) cost nothing extra.
 * <p>
 * Input {@code (B, in, H, W)}; output {@code (B, filters, H, W)}.
 */
public final class ConvRnnConv extends AbstractBlock {

	private final int inChannels, filters, inPadded, filtersPadded;
	private final Conv2d conv;

	/**
	 * @param inChannels input channels
	 * @param filters output channels
	 * @param kernel odd kernel side
	 * @param bias whether the convolution has a bias
	 */
	public ConvRnnConv(final int inChannels, final int filters, final int kernel, final boolean bias) {
		if (inChannels < 1 || filters < 1) throw new IllegalArgumentException("channels must be positive");
		if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd, not " + kernel);
		this.inChannels = inChannels;
		this.filters = filters;
		inPadded = safeInputs(inChannels);
		filtersPadded = safeFilters(filters);
		conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(
			kernel / 2, kernel / 2)).setFilters(filtersPadded).optBias(bias).build());
	}

	/** Input channels the convolution computes with: {@code c} if ≤ 16, else {@code c} rounded up to 16. */
	public static int safeInputs(final int c) {
		return c <= 16 ? c : (c + 15) / 16 * 16;
	}

	/** Filters the convolution computes: {@code c} rounded up to a multiple of 16. */
	public static int safeFilters(final int c) {
		return (c + 15) / 16 * 16;
	}

	/** The inner convolution: weight {@code (safeFilters, safeInputs, k, k)}; channels beyond the real ones are inert. */
	Conv2d inner() {
		return conv;
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape x = inputShapes[0];
		conv.initialize(manager, dataType, new Shape(x.get(0), inPadded, x.get(2), x.get(3)));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray x = in.head();
		final Shape s = x.getShape();
		if (s.get(1) != inChannels) throw new IllegalArgumentException("expected " + inChannels + " channels, got " + s);
		if (inPadded > inChannels) x = x.concat(x.getManager().zeros(new Shape(s.get(0), inPadded - inChannels, s.get(2),
			s.get(3)), x.getDataType()), 1);
		NDArray y = conv.forward(ps, new NDList(x), training).head();
		if (filtersPadded > filters) y = y.get(":, :{}", filters);
		return new NDList(y);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape x = inputShapes[0];
		return new Shape[] { new Shape(x.get(0), filters, x.get(2), x.get(3)) };
	}
}
