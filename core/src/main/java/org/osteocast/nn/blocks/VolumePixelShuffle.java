package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The 3-D counterparts of {@link PixelShuffle}: depth-to-space on volumes and
 * the sub-pixel form of a 4×4×4, stride-2, padding-1 transposed convolution,
 * for the 3-D decoders ({@link org.osteocast.nn.tvae.Conv3dDecoder},
 * {@link org.osteocast.nn.gan.Gan3dGenerator}). DJL's
 * transposed convolutions throw "Not implemented" on the PyTorch engine.
 * <p>
 * Why sub-pixel rather than nearest-neighbour ×2 + a 3×3×3 convolution: the
 * sub-pixel form is exactly the DCGAN decoder's transposed convolution (every
 * output phase {@code (a, b, c)} of a stride-2 transposed convolution with a
 * 4-tap kernel is a 2×2×2 sub-kernel on the input), and it runs at the input
 * resolution: a 2×2×2 convolution to {@code 8C} channels costs
 * {@code 64·Cin·C} multiply-adds per input voxel against {@code 216·Cin·C}
 * for resize + 3×3×3 at the output resolution (3.4× more), which matters on
 * whole 48×64×64 volumes on a CPU. {@link #nearest2x} is kept for callers
 * that want plain resizing.
 */
public final class VolumePixelShuffle {

	private VolumePixelShuffle() {}

	/**
	 * {@code (N, 8C, D, H, W) → (N, C, 2D, 2H, 2W)}: input channel
	 * {@code 8c + 4a + 2b + e} goes to output {@code (c, 2d + a, 2h + b, 2w + e)}
	 * (PyTorch's {@code pixel_shuffle} order, extended to three axes).
	 */
	public static NDArray depthToSpace(final NDArray x) {
		final Shape s = x.getShape();
		if (s.dimension() != 5) throw new IllegalArgumentException("need (N, 8C, D, H, W), got " + s);
		final long n = s.get(0), c = s.get(1) / 8, d = s.get(2), h = s.get(3), w = s.get(4);
		if (c * 8 != s.get(1)) throw new IllegalArgumentException("channels must be a multiple of 8: " + s);
		return x.reshape(n, c, 2, 2, 2, d, h, w).transpose(0, 1, 5, 2, 6, 3, 7, 4).reshape(n, c, 2 * d, 2 * h, 2 * w);
	}

	/**
	 * Assembles a transposed convolution's output from a 2×2×2 convolution
	 * {@code y (N, 8C, D+1, H+1, W+1)} of the input padded by one voxel on every
	 * side: phase {@code (a, b, e)} (channels {@code 8c + 4a + 2b + e}) is read
	 * at offset {@code (a, b, e)}, giving {@code (N, C, 2D, 2H, 2W)}. With the
	 * taps {@code (3, 1)} for phase 0 and {@code (2, 0)} for phase 1 on every
	 * axis this equals a 4×4×4, stride-2, padding-1 transposed convolution
	 * ({@code VolumePixelShuffleTest}).
	 */
	public static NDArray subpixel(final NDArray y) {
		final Shape s = y.getShape();
		if (s.dimension() != 5) throw new IllegalArgumentException("need (N, 8C, D+1, H+1, W+1), got " + s);
		final long n = s.get(0), c = s.get(1) / 8, d = s.get(2) - 1, h = s.get(3) - 1, w = s.get(4) - 1;
		if (c * 8 != s.get(1)) throw new IllegalArgumentException("channels must be a multiple of 8: " + s);
		final NDArray g = y.reshape(n, c, 8, d + 1, h + 1, w + 1);
		final NDList phases = new NDList(8);
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 2; b++)
				for (int e = 0; e < 2; e++)
					phases.add(g.get(":, :, {}, {}:{}, {}:{}, {}:{}", a * 4 + b * 2 + e, a, a + d, b, b + h, e, e + w));
		return depthToSpace(NDArrays.stack(phases, 2).reshape(n, 8 * c, d, h, w));
	}

	/** Nearest-neighbour ×2 on all three axes: {@code (N, C, D, H, W) → (N, C, 2D, 2H, 2W)}. */
	public static NDArray nearest2x(final NDArray x) {
		final Shape s = x.getShape();
		final long n = s.get(0), c = s.get(1), d = s.get(2), h = s.get(3), w = s.get(4);
		return x.reshape(n, c, d, 1, h, 1, w, 1).broadcast(new Shape(n, c, d, 2, h, 2, w, 2)).reshape(n, c, 2 * d, 2 * h,
			2 * w);
	}
}
