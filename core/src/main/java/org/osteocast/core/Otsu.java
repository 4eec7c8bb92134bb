package org.osteocast.core;

/**
 * Otsu's threshold on a histogram: the cut that maximises the between-class
 * variance. Used to separate mineralised bone from everything else without a
 * fixed grey value, so the same code works on NRecon 16-bit grey values,
 * Hounsfield-like units and [0, 1] data.
 * <p>
 * {@link #boneThreshold} handles scans with three classes (air, soft tissue,
 * bone: an in vivo leg in air), where a single Otsu cut separates air from the
 * leg instead of bone from soft tissue.
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
		final double[] s = split(hist, 0, hist.length);
		return s == null ? min : edge(s[0], hist.length, min, max);
	}

	/**
	 * The mineral threshold of a scan. Two-class Otsu (cut t) and three-class
	 * Otsu (cuts a &lt; b) are compared: when t coincides with the lower cut a
	 * (closer to a than to b), the dominant split of the scan is a dark class
	 * (air around an in vivo leg) against the object, and bone is the class
	 * above b; otherwise t already separates bone from the rest. Before that, a
	 * spike at the minimum value holding more than 1 % of the voxels (the fill
	 * outside a reconstruction's circular field of view) is left out, since it
	 * is no tissue at all.
	 */
	public static double boneThreshold(final long[] histogram, final double min, final double max) {
		final long[] hist = histogram.clone();
		long total = 0;
		for (final long c : hist)
			total += c;
		if (hist[0] > 0.01 * total && hist[0] > 4 * Math.max(hist.length > 1 ? hist[1] : 0, 1)) hist[0] = 0;
		final double[] two = split(hist, 0, hist.length);
		if (two == null) return min;
		final int[] three = split3(hist);
		final int t = (int) two[0];
		if (three != null && Math.abs(t - three[0]) < Math.abs(t - three[1])) return edge(three[1], hist.length, min, max);
		return edge(t, hist.length, min, max);
	}

	/** Three-class Otsu: {a, b}, the last bins of the lower and middle classes; null if impossible. */
	static int[] split3(final long[] h) {
		final int n = h.length;
		final double[] p = new double[n + 1], m = new double[n + 1];
		for (int i = 0; i < n; i++) {
			p[i + 1] = p[i] + h[i];
			m[i + 1] = m[i] + (double) i * h[i];
		}
		double best = -1;
		int[] ab = null;
		for (int a = 0; a < n - 2; a++) {
			final double w0 = p[a + 1], s0 = m[a + 1];
			if (w0 <= 0) continue;
			for (int b = a + 1; b < n - 1; b++) {
				final double w1 = p[b + 1] - w0, w2 = p[n] - p[b + 1];
				if (w1 <= 0 || w2 <= 0) continue;
				final double s1 = m[b + 1] - s0, s2 = m[n] - m[b + 1];
				final double v = s0 * s0 / w0 + s1 * s1 / w1 + s2 * s2 / w2;
				if (v > best) {
					best = v;
					ab = new int[] { a, b };
				}
			}
		}
		return ab;
	}

	private static double edge(final double bin, final int n, final double min, final double max) {
		return min + (bin + 1) * (max - min) / n;
	}

	/**
	 * Otsu's split of bins [from, to): {last bin of the lower class,
	 * separability = between-class / total variance}, or null when fewer than
	 * two bins are occupied.
	 */
	static double[] split(final long[] hist, final int from, final int to) {
		long total = 0;
		double sum = 0, sumSq = 0;
		for (int i = from; i < to; i++) {
			total += hist[i];
			sum += (double) i * hist[i];
			sumSq += (double) i * i * hist[i];
		}
		if (total == 0) return null;
		final double mean = sum / total, totalVar = sumSq / total - mean * mean;
		if (!(totalVar > 0)) return null;
		double best = -1;
		int cut = -1;
		long w0 = 0;
		double sum0 = 0;
		for (int i = from; i < to - 1; i++) {
			w0 += hist[i];
			sum0 += (double) i * hist[i];
			final long w1 = total - w0;
			if (w0 == 0 || w1 == 0) continue;
			final double m0 = sum0 / w0, m1 = (sum - sum0) / w1;
			final double v = (double) w0 * w1 * (m0 - m1) * (m0 - m1);
			if (v > best) {
				best = v;
				cut = i;
			}
		}
		if (cut < 0) return null;
		return new double[] { cut, best / ((double) total * total) / totalVar };
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

	/** Otsu's threshold of a volume given as planes (256 bins between its min and max). */
	public static double threshold(final float[][] planes) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final float[] p : planes)
			for (final float v : p) {
				if (v < lo) lo = v;
				if (v > hi) hi = v;
			}
		if (!(hi > lo)) return lo;
		final long[] h = new long[BINS];
		for (final float[] p : planes)
			accumulate(p, lo, hi, h);
		return threshold(h, lo, hi);
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

	/**
	 * Otsu's threshold of the given values with the means of its two classes:
	 * {threshold, mean of the values at or below it, mean of those above}
	 * (a constant input gives its value three times).
	 */
	public static double[] classes(final float[] values) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final float v : values) {
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		if (!(hi > lo)) return new double[] { lo, lo, lo };
		final long[] h = new long[BINS];
		accumulate(values, lo, hi, h);
		final double t = threshold(h, lo, hi);
		double s0 = 0, s1 = 0;
		long n0 = 0, n1 = 0;
		for (final float v : values)
			if (v > t) {
				s1 += v;
				n1++;
			}
			else {
				s0 += v;
				n0++;
			}
		return new double[] { t, n0 > 0 ? s0 / n0 : lo, n1 > 0 ? s1 / n1 : hi };
	}
}
