package org.osteocast.core;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class OtsuTest {

	/** Values drawn from Gaussian classes {count, mean, sd}. */
	private static float[] classes(final long seed, final double[]... c) {
		int n = 0;
		for (final double[] k : c)
			n += (int) k[0];
		final float[] v = new float[n];
		final Random r = new Random(seed);
		int i = 0;
		for (final double[] k : c)
			for (int j = 0; j < (int) k[0]; j++)
				v[i++] = (float) (k[1] + k[2] * r.nextGaussian());
		return v;
	}

	private static long[] hist(final float[] v, final double lo, final double hi) {
		final long[] h = new long[Otsu.BINS];
		Otsu.accumulate(v, lo, hi, h);
		return h;
	}

	@Test
	void twoClassesSplitBetweenThem() {
		final float[] v = classes(1, new double[] { 90000, 14000, 500 }, new double[] { 10000, 30000, 1500 });
		final double t = Otsu.threshold(v);
		assertTrue(t > 16000 && t < 26000, "t " + t);
		// the bright class alone is one class: the bone threshold keeps the first cut
		assertEquals(t, Otsu.boneThreshold(hist(v, min(v), max(v)), min(v), max(v)), 1e-9);
	}

	@Test
	void airSoftTissueAndBoneGiveTheSoftTissueBoneCut() {
		// an in vivo leg: lots of air, soft tissue, a little bone (NRecon-like grey values)
		final float[] v = classes(2, new double[] { 60000, 2000, 400 }, new double[] { 35000, 14000, 500 },
			new double[] { 5000, 22000, 1500 });
		final double first = Otsu.threshold(v);
		assertTrue(first > 3000 && first < 13000, "the first cut separates air from the leg: " + first);
		final double bone = Otsu.boneThreshold(hist(v, min(v), max(v)), min(v), max(v));
		assertTrue(bone > 15500 && bone < 20000, "bone threshold " + bone);
	}

	@Test
	void separabilityOfASingleGaussianIsAboutTwoOverPi() {
		final float[] v = classes(3, new double[] { 200000, 0, 1 });
		final long[] h = hist(v, -5, 5);
		assertEquals(2 / Math.PI, Otsu.split(h, 0, h.length)[1], 0.02);
	}

	@Test
	void fillOutsideTheFieldOfViewIsIgnored() {
		// 40 % zeros (outside the reconstruction circle), then air, soft tissue and bone
		final float[] v = classes(4, new double[] { 40000, 0, 0 }, new double[] { 20000, 8000, 400 }, new double[] {
			35000, 15500, 500 }, new double[] { 3000, 24000, 3000 });
		final double bone = Otsu.boneThreshold(hist(v, min(v), max(v)), min(v), max(v));
		assertTrue(bone > 16500 && bone < 21000, "bone threshold " + bone);
	}

	private static double min(final float[] v) {
		double m = Double.POSITIVE_INFINITY;
		for (final float x : v)
			m = Math.min(m, x);
		return m;
	}

	private static double max(final float[] v) {
		double m = Double.NEGATIVE_INFINITY;
		for (final float x : v)
			m = Math.max(m, x);
		return m;
	}
}
