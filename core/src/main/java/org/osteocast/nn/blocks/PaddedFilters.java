package org.osteocast.nn.blocks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;

/**
 * Runs a 3-D convolution as if it had a multiple of 16 filters: its weight
 * and bias are padded with zero filters for the call and the extra outputs
 * dropped, so that the block's parameters (names and shapes, hence saved
 * models) stay as they are.
 * <p>
 * Why: the bundled libtorch's CPU convolution (oneDNN, on AVX-512) computes
 * the input gradient of a 3-D convolution in a layout whose channels are
 * padded to 16, and reads the padded channels of the output gradient from
 * memory that nobody initialised. The weights' padding is zero, so the
 * result is right as long as those leftover bytes are finite numbers; when
 * they happen to be a NaN or infinity pattern, {@code 0 · NaN} makes the
 * whole input gradient non-finite. Whether they are depends on what the C
 * heap held before (the order of earlier work in the process; a training
 * keeps freed memory for reuse, {@code NativeHeap}), which made tests fail
 * only in some orders. Measured on this machine with the freed heap filled
 * with NaN first: the tiny 3-D GAN's gradients were non-finite in most steps
 * (4- and 8-filter stride-2 convolutions and the one-filter logit), and in
 * none with the filters padded. With a multiple of 16 output channels there
 * is no padded channel to read.
 */
public final class PaddedFilters {

	private PaddedFilters() {}

	/** {@code n} rounded up to a multiple of 16 (at least 16). */
	public static int padded(final int n) {
		return Math.max(16, (n + 15) / 16 * 16);
	}

	/**
	 * {@code conv}'s output for {@code x}, computed with {@link #padded} filters
	 * (the same values as {@code conv.forward}); temporaries belong to
	 * {@code x}'s manager.
	 */
	public static NDArray conv3d(final Conv3d conv, final ParameterStore ps, final NDArray x, final boolean training) {
		final int f = conv.getFilters();
		final int p = padded(f);
		if (p == f) return conv.forward(ps, new ai.djl.ndarray.NDList(x), training).head();
		final NDManager m = x.getManager();
		final Device dev = x.getDevice();
		final NDArray w = ps.getValue(conv.getParameters().get("weight"), dev, training);
		final NDArray wp = w.concat(m.zeros(new Shape(p - f).addAll(w.getShape().slice(1)), w.getDataType(), dev), 0);
		wp.attach(m);
		NDArray bp = null;
		if (conv.isIncludeBias()) {
			final NDArray b = ps.getValue(conv.getParameters().get("bias"), dev, training);
			bp = b.concat(m.zeros(new Shape(p - f), b.getDataType(), dev), 0);
			bp.attach(m);
		}
		final NDArray y = Conv3d.conv3d(x, wp, bp, conv.getStride(), conv.getPadding(), conv.getDilation(), conv
			.getGroups()).head();
		return y.get(":, 0:{}", f);
	}
}
