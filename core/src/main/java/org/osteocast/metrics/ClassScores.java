package org.osteocast.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores per slice class ({@link SliceClasses}: emergence, progression,
 * stable, control), pooled over the mice of an evaluation, for each method:
 * the mean over the class's slices of each slice's PSNR and SSIM, and the
 * changed-pixel MSE pooled over the changed pixels of those slices. Rows are
 * labelled {@code CLASS(<class>:<slices>)} in the mouse column.
 */
public final class ClassScores {

	/** The mouse-column label of a class row: {@code CLASS(emergence:12)}. */
	public static String label(final SliceClasses.Kind k, final int slices) {
		return "CLASS(" + k.label() + ":" + slices + ")";
	}

	/** Per method, per class: {slices, Σ PSNR, Σ SSIM, Σ changed squared error, changed pixels}. */
	private final Map<String, double[][]> sums = new LinkedHashMap<>();

	/**
	 * Adds one mouse's forecast by a method.
	 *
	 * @param changed the changed-pixel mask of the target week
	 * @param kinds each slice's class
	 */
	public void add(final String method, final float[][] forecast, final float[][] truth, final boolean[][] changed,
		final SliceClasses.Kind[] kinds, final int width, final int height, final double dataRange)
	{
		final double[][] s = sums.computeIfAbsent(method, k -> new double[SliceClasses.Kind.values().length][5]);
		for (int z = 0; z < truth.length; z++) {
			final double[] c = s[kinds[z].ordinal()];
			c[0]++;
			c[1] += Psnr.psnr(truth[z], forecast[z], dataRange);
			c[2] += Ssim.ssim(truth[z], forecast[z], width, height, dataRange);
			for (int i = 0; i < truth[z].length; i++)
				if (changed[z][i]) {
					final double d = forecast[z][i] - truth[z][i];
					c[3] += d * d;
					c[4]++;
				}
		}
	}

	/**
	 * One row per method and class that has slices, {@code columns} cells in
	 * {@link CohortEvaluation#COLUMNS}'s order: mouse, method, psnr_db, ssim,
	 * changed_mse, changed_pixels, the rest {@code nan}.
	 */
	public List<String[]> rows(final int columns) {
		final List<String[]> rows = new ArrayList<>();
		for (final SliceClasses.Kind k : SliceClasses.Kind.values())
			for (final Map.Entry<String, double[][]> m : sums.entrySet()) {
				final double[] c = m.getValue()[k.ordinal()];
				if (c[0] == 0) continue;
				final String[] r = new String[columns];
				Arrays.fill(r, "nan");
				r[0] = label(k, (int) c[0]);
				r[1] = m.getKey();
				r[2] = String.format(Locale.ROOT, "%.3f", c[1] / c[0]);
				r[3] = String.format(Locale.ROOT, "%.5f", c[2] / c[0]);
				r[4] = c[4] == 0 ? "nan" : String.format(Locale.ROOT, "%.6f", c[3] / c[4]);
				r[5] = Long.toString((long) c[4]);
				rows.add(r);
			}
		return rows;
	}
}
