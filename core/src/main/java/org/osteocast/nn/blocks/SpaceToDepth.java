package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Space-to-depth and its inverse for a patch size {@code p}, by reshapes and
 * one transpose (no copies beyond the transpose). The recurrent baselines
 * (ConvLSTM, PredRNN) work on frames folded into {@code p × p} patches, as
 * PredRNN's reference implementation does ({@code reshape_patch}): a
 * {@code 64 × 64 × 1} slice becomes {@code 16 × 16 × 16}, so the recurrent
 * convolutions run on a 16× smaller grid while seeing every pixel.
 * <p>
 * Channel order is PyTorch's {@code pixel_unshuffle} / {@code pixel_shuffle}
 * (the same as {@link PixelShuffle#depthToSpace} for {@code p = 2}): pixel
 * {@code (c, p·i + a, p·j + b)} goes to channel {@code c·p² + a·p + b} at
 * {@code (i, j)}. For one input channel this is also PredRNN's order
 * {@code (a·p + b)·C + c}.
 */
public final class SpaceToDepth {

	private SpaceToDepth() {}

	/** {@code (N, C, H, W) → (N, C·p², H/p, W/p)}; {@code H} and {@code W} must be multiples of {@code p}. */
	public static NDArray spaceToDepth(final NDArray x, final int p) {
		final Shape s = x.getShape();
		if (s.dimension() != 4) throw new IllegalArgumentException("expected (N, C, H, W), got " + s);
		final long n = s.get(0), c = s.get(1), h = s.get(2) / p, w = s.get(3) / p;
		if (p < 1 || h * p != s.get(2) || w * p != s.get(3)) throw new IllegalArgumentException("patch size " + p +
			" does not divide the image " + s);
		if (p == 1) return x;
		return x.reshape(n, c, h, p, w, p).transpose(0, 1, 3, 5, 2, 4).reshape(n, c * p * p, h, w);
	}

	/** {@code (N, C·p², h, w) → (N, C, h·p, w·p)}: the inverse of {@link #spaceToDepth}. */
	public static NDArray depthToSpace(final NDArray x, final int p) {
		final Shape s = x.getShape();
		if (s.dimension() != 4) throw new IllegalArgumentException("expected (N, C, H, W), got " + s);
		final long n = s.get(0), c = s.get(1) / ((long) p * p), h = s.get(2), w = s.get(3);
		if (p < 1 || c * p * p != s.get(1)) throw new IllegalArgumentException("channels of " + s +
			" are not a multiple of " + p + "²");
		if (p == 1) return x;
		return x.reshape(n, c, p, p, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, h * p, w * p);
	}
}
