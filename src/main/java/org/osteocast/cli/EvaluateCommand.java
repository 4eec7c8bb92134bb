package org.osteocast.cli;

import ij.ImagePlus;
import ij.ImageStack;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.osteocast.io.AtomicFiles;
import org.osteocast.io.Csv;
import org.osteocast.io.Hyperstack;
import org.osteocast.io.SliceDataset;
import org.osteocast.io.TiffIO;
import org.osteocast.io.VolumeIOException;
import org.osteocast.metrics.ForecastEvaluation;
import org.osteocast.metrics.Psnr;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast evaluate}: scores {@code <mouse>_pred.tif} forecasts
 * against the data set's true target week, next to the persistence and linear
 * extrapolation baselines; per mouse and overall (mean over mice), as an
 * aligned table and optionally a CSV (written atomically).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score forecasts (<mouse>_pred.tif: " +
	"slices x 64 x 64, float) against the true week of a slice data set: PSNR, SSIM, changed-pixel MSE, lesion Dice, " +
	"BV/TV error and cortical perforation, for the forecast and for the persistence and linear-extrapolation baselines.")
public final class EvaluateCommand implements Callable<Integer> {

	/** Printed because LPIPS needs a pretrained network that is not part of OsteoCast. */
	public static final String NO_LPIPS = "LPIPS not computed: no network given";

	@Spec
	CommandSpec spec;

	@Option(names = "--pred", required = true, paramLabel = "DIR", description = "Folder with <mouse>_pred.tif files.")
	Path pred;

	@Option(names = "--data", required = true, paramLabel = "DIR", description = "Slice data set (folder with cohort.csv).")
	Path data;

	@Option(names = "--split", defaultValue = "test", paramLabel = "test|val|train|all",
		description = "Which mice to score (default: ${DEFAULT-VALUE}).")
	String split;

	@Option(names = "--out", paramLabel = "FILE.csv", description = "Write the scores to this CSV (atomically).")
	Path out;

	@Option(names = "--observed", paramLabel = "N",
		description = "Observed weeks; the truth is week N+1 (default: all frames but the last).")
	Integer observed;

	@Option(names = "--change-threshold", paramLabel = "T",
		description = "Threshold on |truth - last observed| for changed pixels (default: 3 x robust SD of that difference).")
	Double changeThreshold;

	private static final String[] COLUMNS = { "mouse", "method", "psnr_db", "ssim", "changed_mse", "changed_pixels",
		"lesion_dice", "bvtv_forecast", "bvtv_truth", "bvtv_error", "perforated_slices_forecast",
		"perforated_slices_truth", "perforation_agrees" };

	/** CSV columns (the first row of the written file). */
	public static final List<String> CSV_COLUMNS = List.of(COLUMNS);

	@Override
	public Integer call() throws Exception {
		final SliceDataset ds = SliceDataset.open(data);
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
			if (!Files.isRegularFile(predFile(e.mouse))) missing.add(predFile(e.mouse).getFileName().toString());
		if (!missing.isEmpty()) throw new VolumeIOException(pred, "missing forecast(s): " + String.join(", ", missing));
		final List<String[]> rows = new ArrayList<>();
		final Map<String, List<ForecastEvaluation.Scores>> byMethod = new LinkedHashMap<>();
		final PrintWriter w = spec.commandLine().getOut();
		for (final SliceDataset.Entry e : entries) {
			final Hyperstack h = e.read();
			final int n = observed != null ? observed : h.frames() - 1;
			if (n < 1 || n >= h.frames()) throw new VolumeIOException(e.image, "has " + h.frames() + " frames: cannot use " +
				n + " observed weeks and score week " + (n + 1));
			final float[][] forecast = readForecast(predFile(e.mouse), h);
			final float[][] week1 = frame(h, 0), last = frame(h, n - 1), truth = frame(h, n);
			final ForecastEvaluation.Reference ref = new ForecastEvaluation.Reference(week1, last, truth, h.width(), h
				.height(), Psnr.DEFAULT_RANGE, changeThreshold == null ? Double.NaN : changeThreshold);
			final Map<String, float[][]> methods = new LinkedHashMap<>();
			methods.put("forecast", forecast);
			methods.put("persistence", ForecastEvaluation.persistence(last));
			if (n >= 2) methods.put("linear", ForecastEvaluation.linear(frame(h, n - 2), last, 0, 1));
			for (final Map.Entry<String, float[][]> m : methods.entrySet()) {
				final ForecastEvaluation.Scores s = ref.score(m.getValue());
				byMethod.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(s);
				rows.add(row(e.mouse, m.getKey(), s));
			}
		}
		for (final Map.Entry<String, List<ForecastEvaluation.Scores>> m : byMethod.entrySet())
			rows.add(meanRow(m.getKey(), m.getValue()));
		if (out != null) {
			final StringBuilder b = new StringBuilder(Csv.line((Object[]) COLUMNS)).append('\n');
			for (final String[] r : rows)
				b.append(Csv.line((Object[]) r)).append('\n');
			AtomicFiles.writeString(out, b.toString());
		}
		printTable(w, rows);
		w.println(NO_LPIPS);
		if (out != null) w.println("wrote " + out);
		w.flush();
		return 0;
	}

	private Path predFile(final String mouse) {
		return pred.resolve(mouse.replaceAll("[^A-Za-z0-9._-]", "_") + "_pred.tif");
	}

	static float[][] frame(final Hyperstack h, final int t) {
		final float[][] p = new float[h.slices()][];
		for (int z = 0; z < p.length; z++)
			p[z] = h.plane(z, t);
		return p;
	}

	static float[][] readForecast(final Path file, final Hyperstack truth) throws VolumeIOException {
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
		return new String[] { "ALL(mean)", method, f(mean(v[0]), 3), f(mean(v[1]), 5), f(mean(v[2]), 6), f(mean(v[3]), 1),
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

	private static void printTable(final PrintWriter w, final List<String[]> rows) {
		final int[] width = new int[COLUMNS.length];
		for (int c = 0; c < COLUMNS.length; c++)
			width[c] = COLUMNS[c].length();
		for (final String[] r : rows)
			for (int c = 0; c < r.length; c++)
				width[c] = Math.max(width[c], r[c].length());
		final StringBuilder h = new StringBuilder();
		for (int c = 0; c < COLUMNS.length; c++)
			h.append(c == 0 ? "" : "  ").append(pad(COLUMNS[c], width[c], c < 2));
		w.println(h);
		for (final String[] r : rows) {
			final StringBuilder b = new StringBuilder();
			for (int c = 0; c < r.length; c++)
				b.append(c == 0 ? "" : "  ").append(pad(r[c], width[c], c < 2));
			w.println(b);
		}
	}

	private static String pad(final String s, final int n, final boolean left) {
		final String sp = " ".repeat(Math.max(0, n - s.length()));
		return left ? s + sp : sp + s;
	}
}
