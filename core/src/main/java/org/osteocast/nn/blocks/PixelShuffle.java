package org.osteocast.nn.blocks;

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
	 * <p>
	 * One {@code gather} along the flattened (phase, row, column) axis puts
	 * every output pixel in place. Why not four slices, a stack and
	 * {@link #depthToSpace} (the same numbers): in the backward pass each
	 * slice allocates and zero-fills a gradient the size of {@code y}, then
	 * the stack and the transpose copy everything twice more; a gather's
	 * backward is one zero-filled array and one scatter. Fresh memory is
	 * expensive where page faults are (measured: about 3.5 ms per MB on the
	 * benchmark VM), and this was the largest single cost of the decoder's
	 * backward pass (bench/train/README.md).
	 */
	public static NDArray subpixel(final NDArray y) {
		final Shape s = y.getShape();
		final long n = s.get(0), c = s.get(1) / 4, h = s.get(2) - 1, w = s.get(3) - 1;
		if (c * 4 != s.get(1)) throw new IllegalArgumentException("channels must be a multiple of 4: " + s);
		final long[] idx = new long[(int) (4 * h * w)];
		// output (2i + a, 2j + b) ← phase 2a + b at (i + a, j + b) of the (H+1) × (W+1) grid
		for (int oy = 0; oy < 2 * h; oy++)
			for (int ox = 0; ox < 2 * w; ox++) {
				final int a = oy & 1, b = ox & 1, i = oy >> 1, j = ox >> 1;
				idx[(int) (oy * 2 * w + ox)] = ((2L * a + b) * (h + 1) + i + a) * (w + 1) + j + b;
			}
		final Shape out = new Shape(n, c, 4 * h * w);
		// not closed here: the gather's backward reads the index, and the engine holds it without a copy of the
		// Java-side buffer (closing it early let the backward read freed memory: "index … is out of bounds"); it
		// lives as long as y's manager, i.e. the training step
		final NDArray index = y.getManager().create(idx, new Shape(1, 1, idx.length));
		return y.reshape(n, c, 4 * (h + 1) * (w + 1)).gather(index.broadcast(out), 2).reshape(n, c, 2 * h, 2 * w);
	}

	/** Nearest-neighbour ×2: {@code (N, C, H, W) → (N, C, 2H, 2W)}. */
	public static NDArray nearest2x(final NDArray x) {
		final Shape s = x.getShape();
		final long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
		return x.reshape(n, c, h, 1, w, 1).broadcast(new Shape(n, c, h, 2, w, 2)).reshape(n, c, 2 * h, 2 * w);
	}
}
