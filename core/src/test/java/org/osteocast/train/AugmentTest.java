package org.osteocast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Augmentation: no crop and no flip is the identity; any draw equals
 * per-pixel bilinear sampling of the crop (the formula, evaluated pixel by
 * pixel here), mirrored when flipped, identically for every week.
 */
class AugmentTest {

	@Test
	void identityWithoutCropOrFlip() {
		final int n = 16;
		final float[][] f = frames(n, 2, 1);
		final float[][] out = new float[2][n * n];
		Augment.apply(f, n, new double[] { n, 0, 0, 0 }, out);
		for (int t = 0; t < 2; t++)
			assertArrayEquals(f[t], out[t], 0f);
	}

	@Test
	void equalsPerPixelBilinearSampling() {
		final int n = 20;
		final SplittableRandom r = new SplittableRandom(4);
		final float[][] f = frames(n, 3, 2);
		for (int k = 0; k < 20; k++) {
			final double[] d = Augment.draw(n, 0.6, true, r);
			final float[][] out = new float[3][n * n];
			Augment.apply(f, n, d, out);
			final double scale = d[0] / n;
			for (int t = 0; t < 3; t++)
				for (int y = 0; y < n; y++)
					for (int x = 0; x < n; x++) {
						final float want = bilinear(f[t], n, d[1] + (x + 0.5) * scale - 0.5, d[2] + (y + 0.5) * scale -
							0.5);
						final int xd = d[3] != 0 ? n - 1 - x : x;
						assertEquals(want, out[t][y * n + xd], 0f, "draw " + k + " week " + t + " at " + x + "," + y);
					}
		}
	}

	/** The per-pixel reference: bilinear interpolation at {@code (x, y)} clamped to the image, as {@code apply} was written before. */
	static float bilinear(final float[] img, final int n, final double x, final double y) {
		final double cx = Math.min(Math.max(x, 0), n - 1), cy = Math.min(Math.max(y, 0), n - 1);
		final int ix = Math.min((int) cx, n - 2), iy = Math.min((int) cy, n - 2);
		final double fx = cx - ix, fy = cy - iy;
		final int i = iy * n + ix;
		return (float) ((1 - fy) * ((1 - fx) * img[i] + fx * img[i + 1]) + fy * ((1 - fx) * img[i + n] + fx * img[i + n +
			1]));
	}

	private static float[][] frames(final int n, final int t, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[][] f = new float[t][n * n];
		for (final float[] a : f)
			for (int i = 0; i < a.length; i++)
				a[i] = (float) r.nextDouble();
		return f;
	}
}
