package org.osteocast.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Depth-to-space and nearest-neighbour up-sampling by reshapes, for the
 * decoder. DJL's {@code Conv2dTranspose} throws "Not implemented" on the
 * PyTorch engine; a convolution to {@code 4C} channels followed by
 * {@link #depthToSpace} is the standard replacement (Shi et al. 2016): every
 * output phase {@code (a, b)} of a 4×4 stride-2 transposed convolution is a
 * 2×2 sub-kernel on the input, which a 3×3 "same" convolution contains
 * (see {@code PixelShuffleTest} for the exact weight mapping).
 */
public final class PixelShuffle {

	private PixelShuffle() {}

	/**
	 * {@code (N, 4C, H, W) → (N, C, 2H, 2W)} with PyTorch's
	 * {@code pixel_shuffle(2)} channel order: input channel {@code 4c + 2a + b}
	 * goes to output {@code (c, 2i + a, 2j + b)}.
	 */
	public static NDArray depthToSpace(final NDArray x) {
		final Shape s = x.getShape();
		final long n = s.get(0), c = s.get(1) / 4, h = s.get(2), w = s.get(3);
		if (c * 4 != s.get(1)) throw new IllegalArgumentException("channels must be a multiple of 4: " + s);
		return x.reshape(n, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c, 2 * h, 2 * w);
	}

	/** Nearest-neighbour ×2: {@code (N, C, H, W) → (N, C, 2H, 2W)}. */
	public static NDArray nearest2x(final NDArray x) {
		final Shape s = x.getShape();
		final long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
		return x.reshape(n, c, h, 1, w, 1).broadcast(new Shape(n, c, h, 2, w, 2)).reshape(n, c, 2 * h, 2 * w);
	}
}
