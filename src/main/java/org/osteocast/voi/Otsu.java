package org.osteocast.voi;

/**
 * Otsu's threshold on a histogram: the cut that maximises the between-class
 * variance. Used to separate mineralised bone from soft tissue without a
 * fixed grey value, so the same code works on Hounsfield-like units, raw
 * 16-bit reconstructions and [0, 1] data.
 */
public final class Otsu {

	/** Bins of the histograms this class builds. */
	public static final int BINS = 256;

	private Otsu() {}

	/**
	 * The threshold for a histogram over [min, max] with {@code hist.length}
	 * equal bins: the upper edge of the last bin of the lower class (voxels
	 * strictly above it are "bright"). Returns {@code min} for an empty or
	 * constant histogram.
	 */
	public static double threshold(final long[] hist, final double min, final double max) {
		final int n = hist.length;
		long total = 0;
		double sumAll = 0;
		for (int i = 0; i < n; i++) {
			total += hist[i];
			sumAll += (double) i * hist[i];
		}
		if (total == 0 || !(max > min)) return min;
		double bestVar = -1;
		int best = 0;
		long w0 = 0;
		double sum0 = 0;
		for (int i = 0; i < n - 1; i++) {
			w0 += hist[i];
			sum0 += (double) i * hist[i];
			final long w1 = total - w0;
			if (w0 == 0 || w1 == 0) continue;
			final double m0 = sum0 / w0, m1 = (sumAll - sum0) / w1;
			final double v = (double) w0 * w1 * (m0 - m1) * (m0 - m1);
			if (v > bestVar) {
				bestVar = v;
				best = i;
			}
		}
		return min + (best + 1) * (max - min) / n;
	}

	/** Adds values to a histogram over [min, max] (values outside are clamped into the end bins). */
	public static void accumulate(final float[] values, final double min, final double max, final long[] hist) {
		final int n = hist.length;
		final double scale = max > min ? n / (max - min) : 0;
		for (final float v : values) {
			int b = (int) ((v - min) * scale);
			if (b < 0) b = 0;
			else if (b >= n) b = n - 1;
			hist[b]++;
		}
	}

	/** Otsu's threshold of the given values (256 bins between their min and max). */
	public static double threshold(final float[] values) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final float v : values) {
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		if (!(hi > lo)) return lo;
		final long[] h = new long[BINS];
		accumulate(values, lo, hi, h);
		return threshold(h, lo, hi);
	}
}
