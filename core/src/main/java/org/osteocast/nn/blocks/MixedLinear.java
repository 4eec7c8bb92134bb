package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.osteocast.nn.engine.Bf16Kernels;
import org.osteocast.nn.engine.Precision;

/**
 * DJL's {@link Linear} (same parameters, same saved form) that multiplies in
 * bfloat16 when the thread's {@link Precision} is bf16, in fp32 otherwise.
 * Input and output are fp32 either way.
 */
public final class MixedLinear extends Linear {

	private MixedLinear(final Linear.Builder b) {
		super(b);
	}

	/** The block a {@code Linear.builder()} describes. */
	public static MixedLinear of(final Linear.Builder b) {
		return new MixedLinear(b);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		if (Precision.active() != Precision.BF16) return super.forwardInternal(ps, in, training, params);
		final NDArray x = in.singletonOrThrow();
		final NDArray w = ps.getValue(getParameters().get("weight"), x.getDevice(), training);
		final NDArray b = ps.getValue(getParameters().get("bias"), x.getDevice(), training);
		return new NDList(Bf16Kernels.linear(x, w, b));
	}
}
