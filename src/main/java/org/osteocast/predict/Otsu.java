package org.osteocast.predict;

/**
 * Otsu's threshold (1979) on values in [0, 1], 256 bins: the level that
 * maximises the between-class variance. Used to call a pixel bone in the
 * uncertainty map from the observed weeks themselves, never from a fixed
 * constant.
 */
public final class Otsu {

	private Otsu() {}

	/** The threshold over all values of all arrays (values outside [0, 1] are clamped). */
	public static double threshold(final Iterable<float[]> images) {
		final int bins = 256;
		final long[] hist = new long[bins];
		long n = 0;
		for (final float[] a : images)
			for (final float v : a) {
				if (Float.isNaN(v)) continue;
				final int b = Math.min(bins - 1, Math.max(0, (int) (v * bins)));
				hist[b]++;
				n++;
			}
		if (n == 0) throw new IllegalArgumentException("no values to threshold");
		double sumAll = 0;
		for (int i = 0; i < bins; i++)
			sumAll += (i + 0.5) * hist[i];
		double sumB = 0, best = -1;
		long wB = 0;
		int bestI = bins / 2;
		for (int i = 0; i < bins - 1; i++) {
			wB += hist[i];
			if (wB == 0) continue;
			final long wF = n - wB;
			if (wF == 0) break;
			sumB += (i + 0.5) * hist[i];
			final double mB = sumB / wB, mF = (sumAll - sumB) / wF;
			final double between = (double) wB * wF * (mB - mF) * (mB - mF);
			if (between > best) {
				best = between;
				bestI = i;
			}
		}
		return (bestI + 1) / (double) bins;
	}
}
