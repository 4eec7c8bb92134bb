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

	/** Applies a {@link #draw} to every frame. */
	public static void apply(final float[][] frames, final int size, final double[] draw, final float[][] out) {
		final double side = draw[0], x0 = draw[1], y0 = draw[2];
		final boolean flip = draw[3] != 0;
		final double scale = side / size;
		for (int t = 0; t < frames.length; t++) {
			final float[] src = frames[t], dst = out[t];
			for (int y = 0; y < size; y++) {
				final double sy = y0 + (y + 0.5) * scale - 0.5;
				for (int x = 0; x < size; x++) {
					final int xd = flip ? size - 1 - x : x;
					final double sx = x0 + (x + 0.5) * scale - 0.5;
					dst[y * size + xd] = bilinear(src, size, sx, sy);
				}
			}
		}
	}

	static float bilinear(final float[] img, final int n, final double x, final double y) {
		final double cx = Math.min(Math.max(x, 0), n - 1), cy = Math.min(Math.max(y, 0), n - 1);
		final int ix = Math.min((int) cx, n - 2), iy = Math.min((int) cy, n - 2);
		final double fx = cx - ix, fy = cy - iy;
		final int i = iy * n + ix;
		return (float) ((1 - fy) * ((1 - fx) * img[i] + fx * img[i + 1]) + fy * ((1 - fx) * img[i + n] + fx * img[i + n +
			1]));
	}
}
