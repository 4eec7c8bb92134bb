package org.osteocast.metrics;

import java.util.Locale;

/**
 * Classifies the slices of one mouse by what happens to its bone, from the
 * images alone (no group labels), for the paper's balancing of "slices with
 * lesion emergence and lack of lesion emergence" and for per-class scores.
 * <p>
 * Bone is above Otsu's threshold of the mouse's week 1 (as
 * {@link LesionMetrics}); a slice has a lesion in week {@code k} when at least
 * {@link #minPixels} pixels are bone in week 1 and not in week {@code k}
 * <em>and</em> have at least two 4-neighbours that are too (isolated pixels,
 * which noise and partial volume make at the bone's edge, do not count).
 * With {@code n} observed weeks and the target week {@code n+1}:
 * <ul>
 * <li>{@link Kind#EMERGENCE}: no lesion in weeks 2..n, a lesion in week n+1
 * (Figure 2's hard case);</li>
 * <li>{@link Kind#PROGRESSION}: a lesion in an observed week that grows by at
 * least {@link #minPixels} pixels and 10 % into week n+1;</li>
 * <li>{@link Kind#STABLE}: a lesion in an observed week that does not grow so;</li>
 * <li>{@link Kind#CONTROL}: no lesion in any week.</li>
 * </ul>
 */
public final class SliceClasses {

	private SliceClasses() {}

	/** A slice's class. */
	public enum Kind {
		EMERGENCE, PROGRESSION, STABLE, CONTROL;

		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** Lesion pixels that make a lesion on a slice of {@code pixels} pixels: {@code max(4, pixels / 512)} (8 at 64 × 64). */
	public static int minPixels(final int pixels) {
		return Math.max(4, pixels / 512);
	}

	/**
	 * @param weeks {@code weeks[t][z]}: week {@code t+1}'s slice {@code z}, {@code width × height}, at least {@code n+1} weeks
	 * @param n observed weeks (the target is week {@code n+1})
	 * @return the class of every slice
	 */
	public static Kind[] classify(final float[][][] weeks, final int n, final int width, final int height) {
		if (n < 1 || weeks.length < n + 1) throw new IllegalArgumentException("need " + (n + 1) + " weeks, have " +
			weeks.length);
		final float[][] week1 = weeks[0];
		final double thr = LesionMetrics.otsu(week1);
		final int slices = week1.length, min = minPixels(width * height);
		final int[][] count = new int[n + 1][];
		for (int t = 1; t <= n; t++)
			count[t] = lesionPixels(LesionMetrics.lesion(week1, weeks[t], thr), width, height);
		final Kind[] out = new Kind[slices];
		for (int z = 0; z < slices; z++) {
			int observed = 0;
			for (int t = 1; t < n; t++)
				observed = Math.max(observed, count[t][z]);
			final int last = n >= 2 ? count[n - 1][z] : 0, target = count[n][z];
			if (observed < min) out[z] = target >= min ? Kind.EMERGENCE : Kind.CONTROL;
			else out[z] = target - last >= Math.max(min, 0.1 * last) ? Kind.PROGRESSION : Kind.STABLE;
		}
		return out;
	}

	/** Per slice: lesion pixels with at least two 4-neighbours in the lesion. */
	static int[] lesionPixels(final boolean[][] lesion, final int w, final int h) {
		final int[] c = new int[lesion.length];
		for (int z = 0; z < lesion.length; z++) {
			final boolean[] m = lesion[z];
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					if (!m[y * w + x]) continue;
					int nb = 0;
					if (x > 0 && m[y * w + x - 1]) nb++;
					if (x < w - 1 && m[y * w + x + 1]) nb++;
					if (y > 0 && m[(y - 1) * w + x]) nb++;
					if (y < h - 1 && m[(y + 1) * w + x]) nb++;
					if (nb >= 2) c[z]++;
				}
		}
		return c;
	}
}
