package org.osteocast.metrics;

import org.osteocast.core.Stats;

/**
 * Lesion-aware scores of a forecast volume (given as 2-D planes of
 * {@code width × height}, values normalised), for the osteolysis task where
 * most of the image does not change between weeks and global PSNR/SSIM are
 * dominated by unchanged bone.
 * <ul>
 * <li><b>Changed-pixel MSE</b>: the MSE over pixels whose true value changes
 * between the last observed and the target week, {@code |x_target − x_last| >
 * threshold}. Default threshold ({@link #defaultChangeThreshold}): 3 × a robust
 * standard deviation of the week-to-week difference ({@code 1.4826 · MAD}),
 * i.e. a change beyond what scan noise explains (about 0.3 % of pure-noise
 * pixels pass). Pixels whose difference is exactly 0 (clipped to the same
 * window bound in both weeks) are left out of that estimate, since clipping
 * would otherwise drive it to 0.</li>
 * <li><b>Lesion Dice</b>: bone = above Otsu's threshold of week 1 (one threshold
 * for all weeks, so brightness changes count as mineral changes); a lesion map
 * is bone in week 1 that is not bone in the image scored; Dice of the forecast's
 * lesion map against the true one. Both empty: 1 (nothing to find, nothing
 * found).</li>
 * <li><b>BV/TV</b> inside the bone envelope of week 1 (per slice, the week-1 bone
 * closed by 3 × 3 and hole-filled), and its error forecast − truth.</li>
 * <li><b>Cortical perforation</b> on 2-D slices: a slice is assessed when its
 * week-1 cortex encloses a marrow cavity (bone, closed by 3 × 3, separates the
 * cavity from the image border); it is perforated in an image when the cavity
 * is 4-connected to the border through non-bone pixels of that image after the
 * same 3 × 3 closing (so gaps of one pixel, which noise makes, do not count;
 * a perforation must be at least two pixels wide).</li>
 * </ul>
 */
public final class LesionMetrics {

	/** Multiple of the robust difference SD used as the default change threshold. */
	public static final double NOISE_MULTIPLE = 3;

	private LesionMetrics() {}

	/**
	 * The default change threshold for a pair of weeks: {@value #NOISE_MULTIPLE} × 1.4826 ×
	 * median absolute deviation of the non-zero differences. Returns 0 if
	 * nothing differs.
	 */
	public static double defaultChangeThreshold(final float[][] last, final float[][] target) {
		int n = 0;
		for (int z = 0; z < last.length; z++)
			for (int i = 0; i < last[z].length; i++)
				if (last[z][i] != target[z][i]) n++;
		if (n == 0) return 0;
		final double[] d = new double[n];
		int k = 0;
		for (int z = 0; z < last.length; z++)
			for (int i = 0; i < last[z].length; i++)
				if (last[z][i] != target[z][i]) d[k++] = (double) target[z][i] - last[z][i];
		final double med = Stats.median(d);
		for (int i = 0; i < n; i++)
			d[i] = Math.abs(d[i] - med);
		return NOISE_MULTIPLE * 1.4826 * Stats.medianInPlace(d);
	}

	/** Pixels with {@code |target − last| > threshold}. */
	public static boolean[][] changed(final float[][] last, final float[][] target, final double threshold) {
		final boolean[][] m = new boolean[last.length][];
		for (int z = 0; z < last.length; z++) {
			m[z] = new boolean[last[z].length];
			for (int i = 0; i < m[z].length; i++)
				m[z][i] = Math.abs((double) target[z][i] - last[z][i]) > threshold;
		}
		return m;
	}

	/** MSE over the masked pixels; NaN when the mask is empty. */
	public static double maskedMse(final float[][] pred, final float[][] truth, final boolean[][] mask) {
		double s = 0;
		long n = 0;
		for (int z = 0; z < mask.length; z++)
			for (int i = 0; i < mask[z].length; i++)
				if (mask[z][i]) {
					final double d = (double) pred[z][i] - truth[z][i];
					s += d * d;
					n++;
				}
		return n == 0 ? Double.NaN : s / n;
	}

	/** Number of set pixels. */
	public static long count(final boolean[][] mask) {
		long n = 0;
		for (final boolean[] m : mask)
			for (final boolean b : m)
				if (b) n++;
		return n;
	}

	/** Otsu's threshold of a volume (256 bins between its min and max). */
	public static double otsu(final float[][] volume) {
		return org.osteocast.core.Otsu.threshold(volume);
	}

	/** Bone mask: value above the threshold. */
	public static boolean[][] bone(final float[][] x, final double threshold) {
		final boolean[][] m = new boolean[x.length][];
		for (int z = 0; z < x.length; z++) {
			m[z] = new boolean[x[z].length];
			for (int i = 0; i < m[z].length; i++)
				m[z][i] = x[z][i] > threshold;
		}
		return m;
	}

	/** Lesion map: bone in week 1 and not bone in {@code x} (same threshold). */
	public static boolean[][] lesion(final float[][] week1, final float[][] x, final double threshold) {
		final boolean[][] m = new boolean[x.length][];
		for (int z = 0; z < x.length; z++) {
			m[z] = new boolean[x[z].length];
			for (int i = 0; i < m[z].length; i++)
				m[z][i] = week1[z][i] > threshold && !(x[z][i] > threshold);
		}
		return m;
	}

	/** Dice coefficient 2|A∩B| / (|A| + |B|); 1 when both are empty. */
	public static double dice(final boolean[][] a, final boolean[][] b) {
		long inter = 0, na = 0, nb = 0;
		for (int z = 0; z < a.length; z++)
			for (int i = 0; i < a[z].length; i++) {
				if (a[z][i]) na++;
				if (b[z][i]) nb++;
				if (a[z][i] && b[z][i]) inter++;
			}
		return na + nb == 0 ? 1 : 2.0 * inter / (na + nb);
	}

	/** Bone envelope per slice: week-1 bone, 3 × 3 closing, holes filled. */
	public static boolean[][] envelope(final float[][] week1, final double threshold, final int width,
		final int height)
	{
		final boolean[][] b = bone(week1, threshold);
		final boolean[][] e = new boolean[b.length][];
		for (int z = 0; z < b.length; z++)
			e[z] = Masks2D.fillHoles(Masks2D.close(b[z], width, height), width, height);
		return e;
	}

	/** Bone volume fraction of {@code x} inside the envelope; NaN for an empty envelope. */
	public static double bvtv(final float[][] x, final boolean[][] envelope, final double threshold) {
		long tv = 0, bv = 0;
		for (int z = 0; z < x.length; z++)
			for (int i = 0; i < x[z].length; i++)
				if (envelope[z][i]) {
					tv++;
					if (x[z][i] > threshold) bv++;
				}
		return tv == 0 ? Double.NaN : bv / (double) tv;
	}

	/**
	 * Per slice: -1 not assessed (no closed cortical ring in week 1), 0 intact,
	 * 1 perforated in {@code x}. See the class description.
	 */
	public static int[] perforation(final float[][] week1, final float[][] x, final double threshold, final int width,
		final int height)
	{
		final int[] out = new int[x.length];
		for (int z = 0; z < x.length; z++) {
			final boolean[] b1 = Masks2D.close(bone(week1[z], threshold), width, height);
			final boolean[] out1 = Masks2D.outside(b1, width, height);
			boolean anyMarrow = false;
			final boolean[] marrow = new boolean[b1.length];
			for (int i = 0; i < b1.length; i++) {
				marrow[i] = !b1[i] && !out1[i];
				anyMarrow |= marrow[i];
			}
			if (!anyMarrow) {
				out[z] = -1;
				continue;
			}
			final boolean[] outX = Masks2D.outside(Masks2D.close(bone(x[z], threshold), width, height), width, height);
			int perforated = 0;
			for (int i = 0; i < b1.length; i++)
				if (marrow[i] && outX[i]) {
					perforated = 1;
					break;
				}
			out[z] = perforated;
		}
		return out;
	}

	/** Number of perforated slices (value 1) in a {@link #perforation} result. */
	public static int perforatedSlices(final int[] perforation) {
		int n = 0;
		for (final int p : perforation)
			if (p == 1) n++;
		return n;
	}

	private static boolean[] bone(final float[] p, final double threshold) {
		final boolean[] m = new boolean[p.length];
		for (int i = 0; i < p.length; i++)
			m[i] = p[i] > threshold;
		return m;
	}
}
