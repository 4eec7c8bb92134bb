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

	/**
	 * Assembles the output of a transposed convolution from a 2×2 "valid"
	 * convolution {@code y (N, 4C, H+1, W+1)} of the input padded by one pixel:
	 * phase {@code (a, b)} (channels {@code 4c + 2a + b}) is read at offset
	 * {@code (a, b)}, giving {@code (N, C, 2H, 2W)}. With the kernel rows
	 * {@code (3, 1)} for phase 0 and {@code (2, 0)} for phase 1 (likewise
	 * columns) this equals a 4×4, stride-2, padding-1 transposed convolution.
	 */
	public static NDArray subpixel(final NDArray y) {
		final Shape s = y.getShape();
		final long n = s.get(0), c = s.get(1) / 4, h = s.get(2) - 1, w = s.get(3) - 1;
		final NDArray g = y.reshape(n, c, 4, h + 1, w + 1);
		final ai.djl.ndarray.NDList phases = new ai.djl.ndarray.NDList(4);
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 2; b++)
				phases.add(g.get(":, :, {}, {}:{}, {}:{}", a * 2 + b, a, a + h, b, b + w));
		return depthToSpace(ai.djl.ndarray.NDArrays.stack(phases, 2).reshape(n, 4 * c, h, w));
	}

	/** Nearest-neighbour ×2: {@code (N, C, H, W) → (N, C, 2H, 2W)}. */
	public static NDArray nearest2x(final NDArray x) {
		final Shape s = x.getShape();
		final long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
		return x.reshape(n, c, h, 1, w, 1).broadcast(new Shape(n, c, h, 2, w, 2)).reshape(n, c, 2 * h, 2 * w);
	}
}
