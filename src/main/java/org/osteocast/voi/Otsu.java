package org.osteocast.voi;

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

	/**
	 * Separability (between-class / total variance) above which the bright part
	 * of a scan is taken to hold two classes (soft tissue and bone) rather than
	 * one. Splitting a single Gaussian class at its mean gives 2/π ≈ 0.64 and a
	 * uniform one 0.75; two classes separated by several standard deviations
	 * give more than 0.9.
	 */
	public static final double TWO_CLASS_SEPARABILITY = 0.8;

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
	 * The mineral threshold of a scan: Otsu's cut; then Otsu's cut of the part
	 * above it, used instead when that part is itself clearly two classes
	 * (separability ≥ {@value #TWO_CLASS_SEPARABILITY}): air | soft tissue | bone.
	 */
	public static double boneThreshold(final long[] hist, final double min, final double max) {
		final double[] first = split(hist, 0, hist.length);
		if (first == null) return min;
		final double[] upper = split(hist, (int) first[0] + 1, hist.length);
		if (upper != null && upper[1] >= TWO_CLASS_SEPARABILITY) return edge(upper[0], hist.length, min, max);
		return edge(first[0], hist.length, min, max);
	}

	private static double edge(final double bin, final int n, final double min, final double max) {
		return min + (bin + 1) * (max - min) / n;
	}

	/**
	 * Otsu's split of bins [from, to): {last bin of the lower class,
	 * separability}, or null when fewer than two bins are occupied.
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
