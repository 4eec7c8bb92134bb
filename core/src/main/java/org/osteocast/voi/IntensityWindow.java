package org.osteocast.voi;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

import org.osteocast.io.contracts.Hyperstack;

/**
 * The grey-value window that maps a cohort's scans to [0, 1]: one window for
 * every mouse and week, so that a change in brightness between weeks means a
 * change in mineral, not a change of scaling. Values are clipped.
 * {@link #denormalise(double)} maps model outputs back to grey values.
 */
public final class IntensityWindow {

	private final double lo, hi;
	private final String source;

	/**
	 * @param lo grey value mapped to 0
	 * @param hi grey value mapped to 1 (&gt; lo)
	 * @param source how the window was chosen (recorded in {@code slices.json})
	 */
	public IntensityWindow(final double lo, final double hi, final String source) {
		if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) throw new IllegalArgumentException(
			"intensity window needs finite LO < HI, got " + lo + ", " + hi);
		this.lo = lo;
		this.hi = hi;
		this.source = source;
	}

	public double lo() {
		return lo;
	}

	public double hi() {
		return hi;
	}

	public String source() {
		return source;
	}

	/**
	 * The window between two percentiles of all values of the given
	 * (un-normalised) hyperstacks, interpolated linearly between order
	 * statistics like numpy's default. Percentiles are in % (0.5 and 99.5).
	 * Why percentiles: a few bright voxels (beam-hardening streaks, a metal
	 * marker) must not compress the bone's grey range.
	 */
	public static IntensityWindow fromPercentiles(final Collection<Hyperstack> raw, final double pLo, final double pHi) {
		long n = 0;
		for (final Hyperstack h : raw)
			n += (long) h.width() * h.height() * h.slices() * h.frames();
		if (n == 0) throw new IllegalArgumentException("no values to compute an intensity window from");
		if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many values for a percentile window: " + n);
		final float[] all = new float[(int) n];
		int i = 0;
		for (final Hyperstack h : raw)
			for (int t = 0; t < h.frames(); t++)
				for (int z = 0; z < h.slices(); z++) {
					final float[] p = h.plane(z, t);
					System.arraycopy(p, 0, all, i, p.length);
					i += p.length;
				}
		Arrays.parallelSort(all);
		double lo = percentile(all, pLo), hi = percentile(all, pHi);
		if (!(hi > lo)) { // constant data: fall back to the full range, then to a unit window
			lo = all[0];
			hi = all[all.length - 1];
			if (!(hi > lo)) hi = lo + 1;
		}
		return new IntensityWindow(lo, hi, String.format(Locale.ROOT, "percentiles %.3g-%.3g %% of %d values", pLo, pHi,
			n));
	}

	/** Percentile p (in %) of sorted values, linear interpolation between order statistics. */
	static double percentile(final float[] sorted, final double p) {
		final double pos = p / 100 * (sorted.length - 1);
		final int i = (int) Math.floor(pos);
		if (i >= sorted.length - 1) return sorted[sorted.length - 1];
		final double f = pos - i;
		return sorted[i] + f * (sorted[i + 1] - (double) sorted[i]);
	}

	/** Maps a grey value to [0, 1] (clipped). */
	public float normalise(final double v) {
		final double u = (v - lo) / (hi - lo);
		return (float) (u < 0 ? 0 : u > 1 ? 1 : u);
	}

	/** Maps a normalised value back to a grey value (no clipping). */
	public double denormalise(final double u) {
		return lo + u * (hi - lo);
	}

	/** Normalises every plane of a hyperstack in place. */
	public void normaliseInPlace(final Hyperstack h) {
		for (int t = 0; t < h.frames(); t++)
			for (int z = 0; z < h.slices(); z++) {
				final float[] p = h.plane(z, t);
				for (int i = 0; i < p.length; i++)
					p[i] = normalise(p[i]);
			}
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "[%.6g, %.6g] (%s)", lo, hi, source);
	}
}
