package org.osteocast.benchmark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osteocast.core.Stats;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.blocks.EdgeWeights;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.viz.ColorMap;
import org.osteocast.viz.Figure;
import org.osteocast.viz.Panel;

/**
 * The benchmark's tables and figures, laid out as the paper's: Table 1
 * (T-VAE against other forecasters), Table 2 (T-VAE variants and losses),
 * each cell the median over seeds of the test-mouse mean with the range over
 * seeds (the project's rule for every number it quotes: medians of repeated
 * runs with their range);
 * Fig. 1–2 (observed weeks, truth and every model's forecast with its error),
 * Fig. 3 (sections through the stacked volume across slices: 2-D against 3-D
 * T-VAE), Fig. 4 (diverse samples with the uncertainty maps) and Fig. 7 (the
 * edge weights of the loss).
 */
public final class BenchmarkReport {

	private BenchmarkReport() {}

	/** Writes {@code tables.md}, {@code table1.csv}, {@code table2.csv} and the figures into {@code out}. */
	public static void write(final Path out, final List<Benchmark.Run> runs, final SliceDataset data,
		final String command) throws IOException
	{
		final StringBuilder md = new StringBuilder();
		md.append("# OsteoCast benchmark\n\n");
		if (command != null) md.append("Made by `").append(command).append("`.\n\n");
		md.append(String.format(Locale.ROOT,
			"Test mice: %d of %d. Each cell is the median over seeds of the mean over the test mice, with the range over seeds in brackets (table1.csv and table2.csv add the mean and SD); `train min` and `epochs` are medians over seeds. ↑ higher is better, ↓ lower. Best median in **bold**.%n%n",
			data.entries(SliceDataset.Split.TEST).size(), data.entries().size()));
		final java.util.Set<String> codes = new java.util.TreeSet<>();
		for (final Benchmark.Run r : runs)
			codes.add(r.codeVersion);
		md.append(codes.size() == 1 ? "Code version of every run: `" + codes.iterator().next() + "`.\n\n"
			: "Runs made by " + codes.size() + " code versions: `" + String.join("`, `", codes) + "`.\n\n");
		final int testMice = data.entries(SliceDataset.Split.TEST).size();
		if (runs.stream().allMatch(r -> !r.scores.containsKey("lpips") || r.scores.get("lpips").isNaN())) md.append(
			"LPIPS was not computed: no network was given (`--lpips FILE.pt`, the lpips package's AlexNet or VGG exported to TorchScript).\n\n");
		md.append(
			"ECE: expected calibration error of the per-pixel bone probability; AUC: how well the per-pixel predictive standard deviation (the spread of the samples, plus the per-pixel variance of models that output one) ranks the pixels that truly change (all pixels, and within the bone); a deterministic model has no spread, so its AUC is 0.5 by definition.\n\n");
		md.append(
			"Rel. error min EI: |forecast − truth| / truth of the minimum bending rigidity EI_min over the VOI at the forecast week (docs/rigidity.md); risk AUROC: how well the forecast's P(drop of the minimum rigidity from week 1 > 35 %) ranks the mice whose truth drops by more (– when the test mice are all of one class).\n\n");
		md.append("## Table 1: T-VAE against other forecasters (" + testMice + " test mice)\n\n");
		md.append(table(runs, Benchmark.TABLE1, out.resolve("table1.csv"), testMice));
		md.append("\n## Table 2: T-VAE variants and losses (" + testMice + " test mice)\n\n");
		md.append(table(runs, Benchmark.TABLE2, out.resolve("table2.csv"), testMice));
		md.append("\nModels:\n\n");
		for (final String m : Benchmark.allModels())
			if (runs.stream().anyMatch(r -> r.model.equals(m))) md.append("- `").append(m).append("`: ").append(
				ForecastNets.preset(m).description).append('\n');
		AtomicFiles.writeString(out.resolve("tables.md"), md.toString());
		figures(out, runs, data);
	}

	/**
	 * The command recorded in the "Made by" line of a {@code tables.md} (the
	 * benchmark run whose runs the tables show), or null when there is no such
	 * file or line.
	 */
	public static String madeBy(final Path tablesMd) throws IOException {
		if (!Files.isRegularFile(tablesMd)) return null;
		for (final String line : Files.readAllLines(tablesMd)) {
			if (!line.startsWith("Made by `")) continue;
			final String rest = line.substring("Made by `".length());
			final int end = rest.indexOf('`');
			return end > 0 ? rest.substring(0, end) : null;
		}
		return null;
	}

	/**
	 * A markdown table (and its CSV, with the number of test mice each mean is
	 * over) of the models of one table that were run.
	 */
	static String table(final List<Benchmark.Run> runs, final List<String> models, final Path csv, final int testMice)
		throws IOException
	{
		final Map<String, List<Benchmark.Run>> by = new LinkedHashMap<>();
		for (final String m : models)
			for (final Benchmark.Run r : runs)
				if (r.model.equals(m)) by.computeIfAbsent(m, k -> new ArrayList<>()).add(r);
		if (by.isEmpty()) return "(no model of this table was run)\n";
		final List<String> metrics = new ArrayList<>();
		for (final String m : Benchmark.METRICS.keySet())
			if (by.values().stream().flatMap(List::stream).anyMatch(r -> r.scores.containsKey(m) && !r.scores.get(m)
				.isNaN())) metrics.add(m);
		final Map<String, Double> best = new LinkedHashMap<>();
		for (final String m : metrics)
			for (final List<Benchmark.Run> l : by.values()) {
				final double v = stats(l, m)[MEDIAN];
				if (Double.isNaN(v)) continue;
				final Double b = best.get(m);
				if (b == null || (Benchmark.METRICS.get(m) ? v > b : v < b)) best.put(m, v);
			}
		final StringBuilder md = new StringBuilder("| model |");
		final StringBuilder c = new StringBuilder("model,seeds,test_mice,train_minutes,epochs");
		for (final String m : metrics) {
			md.append(' ').append(label(m)).append(Benchmark.METRICS.get(m) ? " ↑" : " ↓").append(" |");
			for (final String k : new String[] { "median", "min", "max", "mean", "sd" })
				c.append(',').append(m).append('_').append(k);
		}
		md.append(" train min | epochs |\n|---|");
		for (int i = 0; i < metrics.size() + 2; i++)
			md.append("---|");
		md.append('\n');
		c.append('\n');
		for (final Map.Entry<String, List<Benchmark.Run>> e : by.entrySet()) {
			md.append("| ").append(e.getKey()).append(" |");
			final List<Benchmark.Run> l = e.getValue();
			final double minutes = Stats.median(l.stream().mapToDouble(r -> r.trainSeconds / 60).toArray());
			final double epochs = Stats.median(l.stream().mapToDouble(r -> r.epochs).toArray());
			c.append(e.getKey()).append(',').append(l.size()).append(',').append(testMice).append(String.format(Locale.ROOT,
				",%.2f,%.1f", minutes, epochs));
			for (final String m : metrics) {
				final double[] st = stats(l, m);
				final int digits = m.startsWith("psnr_") ? 2 : m.startsWith("changed_mse") ? 4 : 3;
				final String f = "%." + digits + "f";
				String cell = Double.isNaN(st[MEDIAN]) ? "–" : String.format(Locale.ROOT, f, st[MEDIAN]);
				if (!Double.isNaN(st[MEDIAN]) && st[MIN] != st[MAX]) cell += String.format(Locale.ROOT, " (" + f + "–" + f +
					")", st[MIN], st[MAX]);
				if (!Double.isNaN(st[MEDIAN]) && best.containsKey(m) && st[MEDIAN] == best.get(m)) cell = "**" + cell + "**";
				md.append(' ').append(cell).append(" |");
				for (final double v : st)
					c.append(String.format(Locale.ROOT, ",%.6g", v));
			}
			md.append(String.format(Locale.ROOT, " %.1f | %.0f |%n", minutes, epochs));
			c.append('\n');
		}
		AtomicFiles.writeString(csv, c.toString());
		return md.toString();
	}

	/** Indices into {@link #stats}. */
	static final int MEDIAN = 0, MIN = 1, MAX = 2, MEAN = 3, SD = 4;

	/**
	 * Median, minimum, maximum, mean and sample standard deviation of a metric
	 * over runs (runs where it is NaN or missing left out; all NaN when none
	 * has it).
	 */
	static double[] stats(final List<Benchmark.Run> runs, final String metric) {
		final double[] v = runs.stream().map(r -> r.scores.get(metric)).filter(x -> x != null && !x.isNaN())
			.mapToDouble(Double::doubleValue).toArray();
		if (v.length == 0) return new double[] { Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN };
		final double mean = java.util.Arrays.stream(v).average().orElseThrow();
		double q = 0;
		for (final double x : v)
			q += (x - mean) * (x - mean);
		return new double[] { Stats.median(v), java.util.Arrays.stream(v).min().orElseThrow(), java.util.Arrays.stream(v).max()
			.orElseThrow(), mean, v.length > 1 ? Math.sqrt(q / (v.length - 1)) : 0 };
	}

	static String label(final String metric) {
		switch (metric) {
			case "psnr_db":
				return "PSNR per slice (dB)";
			case "psnr_volume_db":
				return "PSNR of the volume (dB)";
			case "ssim":
				return "SSIM";
			case "lpips":
				return "LPIPS";
			case "changed_mse":
				return "MSE changed px";
			case Benchmark.EMERGENCE_MSE:
				return "MSE changed px, emergence slices";
			case "lesion_dice":
				return "lesion Dice";
			case "bvtv_error":
				return "BV/TV error";
			case "ece":
				return "ECE P(bone)";
			case "unc_auc":
				return "AUC SD→change";
			case "unc_auc_bone":
				return "AUC in bone";
			case "ei_min_rel_err":
				return "rel. error min EI";
			case "risk_auroc":
				return "risk AUROC";
			default:
				return metric;
		}
	}

	// ---- figures ----

	/** The test mouse and slice with the largest true change between the last observed week and the truth. */
	static Object[] mostChanged(final SliceDataset data) throws IOException {
		Object[] best = null;
		double most = -1;
		for (final SliceDataset.Entry e : data.entries(SliceDataset.Split.TEST)) {
			final Hyperstack h = e.read();
			final int n = h.frames() - 1;
			for (int z = 0; z < h.slices(); z++) {
				final float[] a = h.plane(z, n - 1), b = h.plane(z, n);
				double s = 0;
				for (int i = 0; i < a.length; i++)
					s += Math.abs(b[i] - a[i]);
				if (s > most) {
					most = s;
					best = new Object[] { e, h, z };
				}
			}
		}
		return best;
	}

	static void figures(final Path out, final List<Benchmark.Run> runs, final SliceDataset data) throws IOException {
		final Object[] pick = mostChanged(data);
		if (pick == null) return;
		final SliceDataset.Entry e = (SliceDataset.Entry) pick[0];
		final Hyperstack h = (Hyperstack) pick[1];
		final int z = (Integer) pick[2], n = h.frames() - 1, w = h.width(), hh = h.height();
		final List<String> ran = new ArrayList<>();
		for (final Benchmark.Run r : runs)
			if (!ran.contains(r.model)) ran.add(r.model);
		final String where = String.format(Locale.ROOT, "mouse %s, slice %d (the test slice that changes most)",
			e.mouse, z + 1);
		int fig = 1;
		for (final List<String> table : List.of(Benchmark.TABLE1, Benchmark.TABLE2)) {
			final List<Panel> top = new ArrayList<>(), bottom = new ArrayList<>();
			for (int t = 0; t < n; t++)
				top.add(Panel.grey(h.plane(z, t), w, hh, "week " + (t + 1)));
			top.add(Panel.grey(h.plane(z, n), w, hh, "truth wk " + (n + 1)));
			for (int t = 0; t < n; t++)
				bottom.add(blank(w, hh));
			bottom.add(diff(h.plane(z, n), h.plane(z, n - 1), w, hh, "true change"));
			boolean any = false;
			for (final String m : table) {
				if (!ran.contains(m)) continue;
				final Path p = Benchmark.runDir(out, m, 1).resolve("pred").resolve(e.mouse + "_pred.tif");
				if (!Files.isRegularFile(p)) continue;
				final float[] f = Hyperstack.read(p).plane(z, 0);
				top.add(Panel.grey(f, w, hh, m));
				bottom.add(diff(f, h.plane(z, n), w, hh, "error"));
				any = true;
			}
			if (!any) continue;
			new Figure(3).title("Fig. " + fig + ": forecasts of week " + (n + 1) + " (" + (fig == 1 ? "Table 1 models"
				: "T-VAE variants") + "), " + where).row("image", top).row("difference", bottom).writePng(out.resolve("fig" +
					fig + (fig == 1 ? "_models.png" : "_variants.png")));
			fig++;
		}
		section3d(out, ran, e, h, n);
		for (final String m : List.of("tvae2d", "tvae2d-svglp")) {
			final Path r = Benchmark.runDir(out, m, 1).resolve(org.osteocast.viz.ReliabilityDiagram.FILE_NAME);
			if (Files.isRegularFile(r)) AtomicFiles.writeBytes(out.resolve("reliability_" + m + ".png"), Files.readAllBytes(
				r));
		}
		samples(out, e, h, z, n);
		edgeMasks(out, h, z);
	}

	private static Panel blank(final int w, final int h) {
		return new Panel(new float[w * h], w, h, 0, 1, ColorMap.GREY, "", false);
	}

	private static Panel diff(final float[] a, final float[] b, final int w, final int h, final String title) {
		final float[] d = new float[a.length];
		for (int i = 0; i < d.length; i++)
			d[i] = a[i] - b[i];
		return new Panel(d, w, h, -0.5, 0.5, ColorMap.DIVERGING, title, true);
	}

	/**
	 * Fig. 3: a section along the bone (x fixed at the centre: rows = slices)
	 * through the truth and the 2-D and 3-D T-VAE forecasts. A slice-wise model
	 * can be inconsistent from one slice to the next; this view shows it.
	 */
	static void section3d(final Path out, final List<String> ran, final SliceDataset.Entry e, final Hyperstack h,
		final int n) throws IOException
	{
		final List<Panel> row = new ArrayList<>();
		row.add(Panel.grey(section(h, n), h.height(), h.slices(), "truth wk " + (n + 1)));
		for (final String m : List.of("tvae2d", "tvae3d-dcgan", "tvae3d-unet")) {
			if (!ran.contains(m)) continue;
			final Path p = Benchmark.runDir(out, m, 1).resolve("pred").resolve(e.mouse + "_pred.tif");
			if (Files.isRegularFile(p)) row.add(Panel.grey(section(Hyperstack.read(p), 0), h.height(), h.slices(), m));
		}
		if (row.size() < 2) return;
		new Figure(3).title("Fig. 3: section along the bone through the stacked slices (x = centre), mouse " + e.mouse)
			.row("", row).writePng(out.resolve("fig3_3d_section.png"));
	}

	/** The y–z section at the centre column of frame {@code t}: width = height of the slices, height = slices. */
	static float[] section(final Hyperstack h, final int t) {
		final int w = h.width(), hh = h.height(), x = w / 2;
		final float[] s = new float[hh * h.slices()];
		for (int z = 0; z < h.slices(); z++) {
			final float[] p = h.plane(z, t);
			for (int y = 0; y < hh; y++)
				s[z * hh + y] = p[y * w + x];
		}
		return s;
	}

	/** Fig. 4: diverse samples of the T-VAE, their mean, spread and bone probability, against the truth. */
	static void samples(final Path out, final SliceDataset.Entry e, final Hyperstack h, final int z, final int n)
		throws IOException
	{
		final Path dir = Benchmark.runDir(out, "tvae2d", 1).resolve("pred");
		final Path sp = dir.resolve(e.mouse + "_samples.tif"), up = dir.resolve(e.mouse + "_uncertainty.tif"), pp = dir
			.resolve(e.mouse + "_pred.tif");
		if (!Files.isRegularFile(sp) || !Files.isRegularFile(up)) return;
		final Hyperstack s = Hyperstack.read(sp), u = Hyperstack.read(up), p = Hyperstack.read(pp);
		final int w = h.width(), hh = h.height();
		final List<Panel> top = new ArrayList<>(), bottom = new ArrayList<>();
		// the samples' deviations are small: one symmetric range for all, fitted to the largest
		double dev = 1e-3;
		for (int k = 0; k < Math.min(4, s.frames()); k++)
			for (int i = 0; i < w * hh; i++)
				dev = Math.max(dev, Math.abs(s.plane(z, k)[i] - p.plane(z, 0)[i]));
		for (int k = 0; k < Math.min(4, s.frames()); k++) {
			top.add(Panel.grey(s.plane(z, k), w, hh, "sample " + (k + 1)));
			final float[] d = new float[w * hh];
			for (int i = 0; i < d.length; i++)
				d[i] = s.plane(z, k)[i] - p.plane(z, 0)[i];
			bottom.add(new Panel(d, w, hh, -dev, dev, ColorMap.DIVERGING, "sample − mean", true));
		}
		top.add(Panel.grey(p.plane(z, 0), w, hh, "mean"));
		top.add(Panel.grey(h.plane(z, n), w, hh, "truth"));
		float max = 1e-3f;
		for (final float v : u.plane(z, 1))
			max = Math.max(max, v);
		bottom.add(new Panel(u.plane(z, 1), w, hh, 0, max, ColorMap.MAGMA, "predictive SD", true));
		bottom.add(new Panel(u.plane(z, 0), w, hh, 0, 1, ColorMap.MAGMA, "P(bone)", true));
		bottom.add(diff(h.plane(z, n), h.plane(z, n - 1), w, hh, "true change"));
		top.add(blank(w, hh));
		new Figure(3).title("Fig. 4: T-VAE samples (latent from the learned prior) and uncertainty, mouse " + e.mouse +
			", slice " + (z + 1)).row("", top).row("", bottom).writePng(out.resolve("fig4_samples.png"));
	}

	/** Fig. 7: the edge-aware loss weights 1 + λ·G_σ(week 1) for a few σ (λ = 1). */
	static void edgeMasks(final Path out, final Hyperstack h, final int z) throws IOException {
		final int w = h.width(), hh = h.height();
		final List<Panel> row = new ArrayList<>();
		row.add(Panel.grey(h.plane(z, 0), w, hh, "week 1"));
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray x = m.create(h.plane(z, 0), new Shape(1, 1, hh, w));
			for (final double sigma : new double[] { 1, 2, 4 })
				row.add(new Panel(EdgeWeights.of(x, 1, sigma).toFloatArray(), w, hh, 1, 2, ColorMap.MAGMA, String
					.format(Locale.ROOT, "σ = %.0f px", sigma), true));
		}
		new Figure(3).title("Fig. 7: edge-aware loss weights 1 + λ·G_σ(week 1), λ = 1").row("", row).writePng(out
			.resolve("fig7_edge_masks.png"));
	}
}
