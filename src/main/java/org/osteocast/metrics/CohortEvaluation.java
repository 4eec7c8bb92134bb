package org.osteocast.metrics;

import ij.ImagePlus;
import ij.ImageStack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osteocast.io.AtomicFiles;
import org.osteocast.io.Csv;
import org.osteocast.io.Hyperstack;
import org.osteocast.io.SliceDataset;
import org.osteocast.io.TiffIO;
import org.osteocast.io.VolumeIOException;

/**
 * Scores a folder of forecasts ({@code <mouse>_pred.tif}) against a slice data
 * set's true target week, next to the persistence and linear-extrapolation
 * baselines: one row per mouse and method, then the mean over mice per method
 * (mouse {@value #MEAN}). Shared by {@code osteocast evaluate}, the Fiji command
 * "Evaluate Forecast" and the demo.
 */
public final class CohortEvaluation {

	/** The mouse label of the mean rows. */
	public static final String MEAN = "ALL(mean)";

	/** Column names (the CSV header). */
	public static final List<String> COLUMNS = List.of("mouse", "method", "psnr_db", "ssim", "changed_mse",
		"changed_pixels", "lesion_dice", "bvtv_forecast", "bvtv_truth", "bvtv_error", "perforated_slices_forecast",
		"perforated_slices_truth", "perforation_agrees", "lpips");

	/** The scores, as text cells in {@link #COLUMNS} order. */
	public final List<String[]> rows;

	private final Path pred;

	private CohortEvaluation(final Path pred, final List<String[]> rows) {
		this.pred = pred;
		this.rows = rows;
	}

	/**
	 * @param split test, val, train or all
	 * @param observed observed weeks (the truth is the next); null: all frames but the last
	 * @param changeThreshold threshold on |truth − last observed| for changed pixels; null: 3 × robust SD
	 */
	public static CohortEvaluation run(final SliceDataset ds, final String split, final Path pred,
		final Integer observed, final Double changeThreshold) throws IOException
	{
		return run(ds, split, pred, observed, changeThreshold, null);
	}

	/**
	 * As {@link #run(SliceDataset, String, Path, Integer, Double)}, with LPIPS
	 * (mean over slices) from the given network; {@code nan} without one.
	 */
	public static CohortEvaluation run(final SliceDataset ds, final String split, final Path pred,
		final Integer observed, final Double changeThreshold, final Lpips lpips) throws IOException
	{
		final Path data = ds.root();
		final CohortEvaluation self = new CohortEvaluation(pred, new ArrayList<>());
		final List<String[]> rows = self.rows;
		final List<SliceDataset.Entry> entries = new ArrayList<>();
		if ("all".equalsIgnoreCase(split.trim())) entries.addAll(ds.entries());
		else {
			SliceDataset.Split s = null;
			for (final SliceDataset.Split k : SliceDataset.Split.values())
				if (k.label().equalsIgnoreCase(split.trim())) s = k;
			if (s == null) throw new IllegalArgumentException("--split must be test, val, train or all, not '" + split +
				"'");
			entries.addAll(ds.entries(s));
		}
		if (entries.isEmpty()) throw new IllegalArgumentException("the data set " + data + " has no mice in split '" +
			split + "'");
		final List<String> missing = new ArrayList<>();
		for (final SliceDataset.Entry e : entries)
			if (!Files.isRegularFile(self.predFile(e.mouse))) missing.add(self.predFile(e.mouse).getFileName().toString());
		if (!missing.isEmpty()) throw new VolumeIOException(pred, "missing forecast(s): " + String.join(", ", missing));
		final Map<String, List<ForecastEvaluation.Scores>> byMethod = new LinkedHashMap<>();
		final Map<String, List<Double>> lpipsByMethod = new LinkedHashMap<>();
		for (final SliceDataset.Entry e : entries) {
			final Hyperstack h = e.read();
			final int n = observed != null ? observed : h.frames() - 1;
			if (n < 1 || n >= h.frames()) throw new VolumeIOException(e.image, "has " + h.frames() + " frames: cannot use " +
				n + " observed weeks and score week " + (n + 1));
			final float[][] forecast = readForecast(self.predFile(e.mouse), h);
			final float[][] week1 = h.planes(0), last = h.planes(n - 1), truth = h.planes(n);
			final ForecastEvaluation.Reference ref = new ForecastEvaluation.Reference(week1, last, truth, h.width(), h
				.height(), Psnr.DEFAULT_RANGE, changeThreshold == null ? Double.NaN : changeThreshold);
			final Map<String, float[][]> methods = new LinkedHashMap<>();
			methods.put("forecast", forecast);
			methods.put("persistence", ForecastEvaluation.persistence(last));
			if (n >= 2) methods.put("linear", ForecastEvaluation.linear(h.planes(n - 2), last, 0, 1));
			for (final Map.Entry<String, float[][]> m : methods.entrySet()) {
				final ForecastEvaluation.Scores s = ref.score(m.getValue());
				byMethod.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(s);
				final double lp = lpips == null ? Double.NaN : mean(toDouble(lpips.distance(m.getValue(), truth, h.width(), h
					.height())));
				lpipsByMethod.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(lp);
				rows.add(append(row(e.mouse, m.getKey(), s), f(lp, 4)));
			}
		}
		for (final Map.Entry<String, List<ForecastEvaluation.Scores>> m : byMethod.entrySet())
			rows.add(append(meanRow(m.getKey(), m.getValue()), f(mean(lpipsByMethod.get(m.getKey()).stream().mapToDouble(
				Double::doubleValue).toArray()), 4)));
		return self;
	}

	private static String[] append(final String[] row, final String cell) {
		final String[] r = java.util.Arrays.copyOf(row, row.length + 1);
		r[row.length] = cell;
		return r;
	}

	private static double[] toDouble(final float[] v) {
		final double[] d = new double[v.length];
		for (int i = 0; i < v.length; i++)
			d[i] = v[i];
		return d;
	}

	/** Writes the table as CSV, atomically. */
	public void writeCsv(final Path file) throws IOException {
		final StringBuilder b = new StringBuilder(Csv.line(COLUMNS.toArray())).append('\n');
		for (final String[] r : rows)
			b.append(Csv.line((Object[]) r)).append('\n');
		AtomicFiles.writeString(file, b.toString());
	}

	private Path predFile(final String mouse) {
		return pred.resolve(mouse.replaceAll("[^A-Za-z0-9._-]", "_") + "_pred.tif");
	}

	public static float[][] readForecast(final Path file, final Hyperstack truth) throws VolumeIOException {
		final ImagePlus imp = TiffIO.read(file);
		if (imp.getBitDepth() != 32) throw new VolumeIOException(file, "forecasts must be 32-bit float, found " + imp
			.getBitDepth() + "-bit");
		if (imp.getWidth() != truth.width() || imp.getHeight() != truth.height() || imp.getStackSize() != truth
			.slices()) throw new VolumeIOException(file, "is " + imp.getWidth() + " x " + imp.getHeight() + " x " + imp
				.getStackSize() + " but the data set's slices are " + truth.width() + " x " + truth.height() + " x " + truth
					.slices());
		final ImageStack s = imp.getStack();
		final float[][] p = new float[s.getSize()][];
		for (int z = 0; z < p.length; z++)
			p[z] = (float[]) s.getPixels(z + 1);
		return p;
	}

	private static String[] row(final String mouse, final String method, final ForecastEvaluation.Scores s) {
		return new String[] { mouse, method, f(s.psnr, 3), f(s.ssim, 5), f(s.changedMse, 6), Long.toString(
			s.changedPixels), f(s.dice, 4), f(s.bvtvForecast, 4), f(s.bvtvTruth, 4), f(s.bvtvError(), 4), Integer.toString(
				s.perforatedSlicesForecast), Integer.toString(s.perforatedSlicesTruth), Integer.toString(s
					.perforationAgrees()) };
	}

	/** Mean over mice (NaN values left out of each mean). */
	private static String[] meanRow(final String method, final List<ForecastEvaluation.Scores> l) {
		final int k = l.size();
		final double[][] v = new double[11][k];
		for (int i = 0; i < k; i++) {
			final ForecastEvaluation.Scores s = l.get(i);
			final double[] r = { s.psnr, s.ssim, s.changedMse, s.changedPixels, s.dice, s.bvtvForecast, s.bvtvTruth, s
				.bvtvError(), s.perforatedSlicesForecast, s.perforatedSlicesTruth, s.perforationAgrees() };
			for (int j = 0; j < r.length; j++)
				v[j][i] = r[j];
		}
		return new String[] { MEAN, method, f(mean(v[0]), 3), f(mean(v[1]), 5), f(mean(v[2]), 6), f(mean(v[3]), 1),
			f(mean(v[4]), 4), f(mean(v[5]), 4), f(mean(v[6]), 4), f(mean(v[7]), 4), f(mean(v[8]), 2), f(mean(v[9]), 2), f(
				mean(v[10]), 3) };
	}

	private static double mean(final double[] v) {
		double s = 0;
		int n = 0;
		for (final double x : v)
			if (!Double.isNaN(x)) {
				s += x;
				n++;
			}
		return n == 0 ? Double.NaN : s / n;
	}

	private static String f(final double v, final int digits) {
		if (Double.isNaN(v)) return "nan";
		if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
		return String.format(Locale.ROOT, "%." + digits + "f", v);
	}

}
