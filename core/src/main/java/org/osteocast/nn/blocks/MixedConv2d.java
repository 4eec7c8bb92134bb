package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.osteocast.nn.engine.Bf16Kernels;
import org.osteocast.nn.engine.Precision;

/**
 * DJL's {@link Conv2d} (same parameters, same saved form) that convolves in
 * bfloat16 when the thread's {@link Precision} is bf16 (groups and dilation
 * 1, channels the engine handles: {@link Bf16Kernels#convSupported}), in
 * fp32 otherwise. Input and output are fp32 either way.
 */
public final class MixedConv2d extends Conv2d {

	private MixedConv2d(final Conv2d.Builder b) {
		super(b);
	}

	/** The block a {@code Conv2d.builder()} describes. */
	public static MixedConv2d of(final Conv2d.Builder b) {
		return new MixedConv2d(b);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray x = in.singletonOrThrow();
		if (Precision.active() != Precision.BF16 || groups != 1 || dilation.get(0) != 1 || dilation.get(1) != 1
			|| !Bf16Kernels.convSupported(x.getShape().get(1), filters)) return super.forwardInternal(ps, in, training,
				params);
		final NDArray w = ps.getValue(weight, x.getDevice(), training);
		final NDArray b = includeBias ? ps.getValue(bias, x.getDevice(), training) : null;
		return new NDList(Bf16Kernels.conv2d(x, w, b, stride, padding));
	}

	/** {@link Conv2d#conv2d} (groups and dilation 1) in the thread's precision; {@code bias} may be null. */
	public static NDArray mixedConv2d(final NDArray x, final NDArray w, final NDArray bias, final Shape stride,
		final Shape padding)
	{
		if (Precision.active() == Precision.BF16 && Bf16Kernels.convSupported(w.getShape().get(1), w.getShape().get(
			0))) return Bf16Kernels.conv2d(x, w, bias, stride, padding);
		return Conv2d.conv2d(x, w, bias, stride, padding).head();
	}
}
