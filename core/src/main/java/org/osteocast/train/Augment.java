package org.osteocast.train;

import java.util.SplittableRandom;

/**
 * The paper's augmentation, applied identically to every week of one
 * sequence (so the temporal change is preserved): a random square crop of
 * side {@code [minCrop, 1] × size} at a random position, resized back to
 * {@code size} (bilinear), and a horizontal flip with probability ½.
 */
public final class Augment {

	private Augment() {}

	/**
	 * Writes the augmented {@code frames} into {@code out} (same shape).
	 *
	 * @param minCrop smallest crop side as a fraction of the image (1 = no crop)
	 * @param flips whether to flip horizontally with probability ½
	 */
	public static void apply(final float[][] frames, final int size, final double minCrop, final boolean flips,
		final SplittableRandom rnd,
		final float[][] out)
	{
		apply(frames, size, draw(size, minCrop, flips, rnd), out);
	}

	/**
	 * Draws one augmentation: {crop side, x0, y0, flip (0/1)}. A volume's
	 * slices share one draw, so the whole volume is cropped and flipped alike.
	 */
	public static double[] draw(final int size, final double minCrop, final boolean flips, final SplittableRandom rnd) {
		final double side = size * (minCrop + (1 - minCrop) * rnd.nextDouble());
		final double x0 = (size - side) * rnd.nextDouble(), y0 = (size - side) * rnd.nextDouble();
		final boolean flip = rnd.nextBoolean() && flips;
		return new double[] { side, x0, y0, flip ? 1 : 0 };
	}

	/**
	 * Applies a {@link #draw} to every frame. The sampling positions and
	 * weights depend only on the column (or row), so they are computed once per
	 * draw rather than per pixel and frame; the arithmetic per pixel is
	 * bilinear interpolation at the clamped position (the test checks it
	 * against a per-pixel implementation).
	 */
	public static void apply(final float[][] frames, final int size, final double[] draw, final float[][] out) {
		final double side = draw[0], x0 = draw[1], y0 = draw[2];
		final boolean flip = draw[3] != 0;
		final double scale = side / size;
		final int[] ix = new int[size], iy = new int[size], xd = new int[size];
		final double[] fx = new double[size], fy = new double[size];
		for (int k = 0; k < size; k++) {
			final double cx = Math.min(Math.max(x0 + (k + 0.5) * scale - 0.5, 0), size - 1);
			final double cy = Math.min(Math.max(y0 + (k + 0.5) * scale - 0.5, 0), size - 1);
			ix[k] = Math.min((int) cx, size - 2);
			iy[k] = Math.min((int) cy, size - 2);
			fx[k] = cx - ix[k];
			fy[k] = cy - iy[k];
			xd[k] = flip ? size - 1 - k : k;
		}
		for (int t = 0; t < frames.length; t++) {
			final float[] src = frames[t], dst = out[t];
			for (int y = 0; y < size; y++) {
				final double wy = fy[y];
				final int row = iy[y] * size;
				for (int x = 0; x < size; x++) {
					final double wx = fx[x];
					final int i = row + ix[x];
					dst[y * size + xd[x]] = (float) ((1 - wy) * ((1 - wx) * src[i] + wx * src[i + 1]) + wy * ((1 - wx) *
						src[i + size] + wx * src[i + size + 1]));
				}
			}
		}
	}
}
