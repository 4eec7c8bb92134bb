package org.osteocast.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.imageio.ImageIO;

import org.osteocast.OsteoCast;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.phantom.PhantomMontage;
import org.osteocast.viz.ForecastMontage;
import org.osteocast.viz.ReliabilityDiagram;

/**
 * The demo's report: what OsteoCast did to the synthetic cohort, step by step,
 * with the figures a biologist looks at (cohort, registration check, loss
 * curve, forecasts with uncertainty including a lesion that appears only in
 * the last week) and the metrics against persistence, plus the exact commands
 * to repeat each step on one's own data.
 */
public final class DemoReport {

	private DemoReport() {}

	/** One pipeline step as it ran. */
	public static final class Step {
		final String title;
		final String[] args;
		final double seconds;

		public Step(final String title, final String[] args, final double seconds) {
			this.title = title;
			this.args = args.clone();
			this.seconds = seconds;
		}
	}

	/** Shell-quotes arguments for display. */
	public static String quote(final String... args) {
		final StringBuilder b = new StringBuilder();
		for (final String a : args) {
			if (b.length() > 0) b.append(' ');
			b.append(a.matches("[A-Za-z0-9_./:=,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
		}
		return b.toString();
	}

	/** Writes {@code index.html} (and the figures beside it) into {@code out}. */
	public static Path write(final Path out, final List<Step> steps, final boolean quick, final int mice, final int nf,
		final double minutes) throws IOException
	{
		final Path figures = Files.createDirectories(out.resolve("figures"));
		final HtmlReport r = new HtmlReport("OsteoCast demo: forecasting osteolysis in a synthetic cohort");
		r.paragraph("OsteoCast predicts the 4th weekly micro-CT scan of a cancer-invaded mouse tibia from weeks 1–3 " +
			"with a temporal variational autoencoder (T-VAE; Xiong et al., BME Frontiers 2022). This report was written " +
			"by './osteocast demo' (OsteoCast " + OsteoCast.VERSION + ") on a synthetic cohort with known ground truth.");
		if (quick) r.note("Quick mode: " + mice + " mice and a small model (nf " + nf + ", " + minutes +
			" min of training). The forecasts are rougher than those of the default run.");
		double total = 0;
		final List<List<String>> timing = new ArrayList<>();
		for (final Step s : steps) {
			timing.add(List.of(s.title, String.format(Locale.ROOT, "%.0f", s.seconds)));
			total += s.seconds;
		}
		timing.add(List.of("total", String.format(Locale.ROOT, "%.0f", total)));
		r.table(List.of("step", "seconds"), timing);

		r.heading("1. The cohort");
		final Path cohort = out.resolve("cohort");
		final Path montage = figures.resolve("cohort.png");
		PhantomMontage.write(cohort, montage, 3, 1);
		r.image(montage, "Weekly scans of three tumour mice and a control (axial slice half-way down the volume of " +
			"interest, brought into week 1's frame; red: the true lesion). Each week was scanned with its own " +
			"misalignment, as in a real longitudinal study.");

		r.heading("2. Registration");
		final Path registered = out.resolve("registered");
		final Path qc = firstQc(registered);
		if (qc != null) r.image(qc, "Registration check for " + registered.relativize(qc) +
			": fixed week 1 (magenta) over the registered week (green) in three orientations; grey where they agree.");
		final Path summary = registered.resolve("registration_summary.csv");
		if (Files.isRegularFile(summary)) {
			final List<String> cols = List.of("mouse", "week", "rotation_deg", "translation_um", "dice", "reliable",
				"reason");
			final List<List<String>> rows = new ArrayList<>();
			int pairs = 0, flagged = 0;
			for (final Csv.Row row : Csv.read(summary).rows) {
				if ("self".equals(row.get("fixed"))) continue;
				pairs++;
				final boolean reliable = !"false".equals(row.get("reliable"));
				if (!reliable) flagged++;
				if (rows.size() < 8 || !reliable) {
					final List<String> cells = new ArrayList<>();
					for (final String c : cols)
						cells.add(row.get(c) == null ? "" : round(row.get(c)));
					rows.add(cells);
				}
			}
			r.paragraph(pairs + " weeks registered to their week 1; " + flagged + " flagged for a look (the first 8 and " +
				"every flagged one are listed; a large lesion can make a correct registration look unusual).");
			r.table(cols, rows);
		}

		r.heading("3. Training");
		final Path model = out.resolve("model.zip");
		final Path curve = figures.resolve("loss_curve.png");
		if (extract(model, "loss_curve.png", curve)) r.image(curve,
			"Training (reconstruction and KL loss) and validation scores per epoch.");

		r.heading("4. Forecasts");
		final Path slices = out.resolve("slices"), predictions = out.resolve("predictions");
		final SliceDataset data = SliceDataset.open(slices);
		final List<SliceDataset.Entry> test = data.entries(SliceDataset.Split.TEST);
		final List<String> hard = hardMice(cohort.resolve("truth"));
		final List<SliceDataset.Entry> shown = new ArrayList<>();
		for (final SliceDataset.Entry e : test)
			if (hard.contains(e.mouse) && shown.isEmpty()) shown.add(e);
		for (final SliceDataset.Entry e : test)
			if (!shown.contains(e) && shown.size() < 4) shown.add(e);
		for (final SliceDataset.Entry e : shown) {
			final Path pred = predictions.resolve(e.mouse + "_pred.tif");
			if (!Files.isRegularFile(pred)) continue;
			final Hyperstack h = e.read();
			final Path unc = predictions.resolve(e.mouse + "_uncertainty.tif");
			final int z = mostChangedSlice(h, 3);
			final Path png = figures.resolve(e.mouse + "_forecast.png");
			ForecastMontage.figure(h, 3, Hyperstack.read(pred), Files.isRegularFile(unc) ? Hyperstack.read(unc) : null, z,
				3, e.mouse + (e.group != null ? " (" + e.group + ")" : "") + ", slice " + (z + 1)).writePng(png);
			r.image(png, (hard.contains(e.mouse) ? "A hard case: this mouse's lesion appears only in the last week. "
				: "") + "Weeks 1–3 (observed), the forecast of week 4, the true week 4, the per-pixel probability of " +
				"bone over 8 samples, the predictive standard deviation (the samples' spread plus the model's own " +
				"per-pixel variance: where it expects to be wrong), and the forecast change from week 3 (blue: " +
				"predicted loss).");
		}

		r.heading("5. How good is it?");
		final Path eval = out.resolve("evaluation.csv");
		if (Files.isRegularFile(eval)) {
			final Csv.Table table = Csv.read(eval);
			final List<List<String>> all = cells(table);
			final List<List<String>> means = new ArrayList<>();
			for (final List<String> row : all)
				if (!row.isEmpty() && row.get(0).equals(org.osteocast.metrics.CohortEvaluation.MEAN)) means.add(row);
			r.paragraph("Mean over the test mice. 'persistence' copies week 3, 'linear' extrapolates weeks 2–3; PSNR " +
				"and SSIM use a data range of 1 (psnr_db: the mean of the slices' PSNR; psnr_volume_db: the error pooled " +
				"over the volume); 'changed MSE' is the error on the pixels that truly change between " +
				"weeks 3 and 4; Dice scores the predicted bone loss against the true lesion. LPIPS was not computed " +
				"(it needs a perceptual network: osteocast evaluate --lpips FILE).");
			r.table(table.header, means.isEmpty() ? all : means);
		}
		final Path reliability = ReliabilityDiagram.besideCsv(out.resolve("evaluation.csv"));
		if (Files.isRegularFile(reliability)) r.image(reliability, "Is the forecast's uncertainty honest? Reliability " +
			"of the per-pixel probability of bone (over the samples and the model's per-pixel variance) over every pixel " +
			"of the test mice: among pixels given probability p, a fraction p should truly be bone (dashed diagonal). " +
			"ECE is the pixel-weighted gap to the diagonal; the table's unc_auc says how well the predictive SD " +
			"points at the pixels that truly change (0.5: no better than chance).");

		fractureRisk(r, slices, predictions, figures);

		r.heading("6. Do it on your own scans");
		final StringBuilder cmds = new StringBuilder();
		for (final Step s : steps)
			cmds.append("# ").append(s.title).append('\n').append("./osteocast ").append(quote(s.args)).append("\n\n");
		r.paragraph("Each step above ran as this command line; replace the synthetic cohort by a folder laid out as " +
			"<mouse>/week<k>/ (SkyScan NRecon reconstructions) or <mouse>/week<k>.tif, or by a cohort.csv:");
		r.code(cmds.toString().trim());
		r.paragraph("In Fiji the same steps are under Plugins › OsteoCast (Register Scans, Extract VOI Slices, Train " +
			"T-VAE, Predict Next Scan, Evaluate Forecast, Show Forecast); macros/pipeline.ijm chains them, and runs " +
			"headless with: ImageJ --headless -batch macros/pipeline.ijm '<cohort>|<work folder>'.");
		final Path html = out.resolve("index.html");
		r.write(html);
		return html;
	}

	/**
	 * "Fracture risk": the minimum bending rigidity of every week of each test
	 * mouse with the forecast and its samples' range (a plot, relative to week 1),
	 * and the risk table (true drop, forecast drop, P(drop &gt; 35 %)).
	 */
	static void fractureRisk(final HtmlReport r, final Path slices, final Path predictions, final Path figures)
		throws IOException
	{
		if (!Files.isDirectory(predictions)) return;
		final org.osteocast.metrics.RigidityAnalysis.Options o = new org.osteocast.metrics.RigidityAnalysis.Options();
		final SliceDataset all = SliceDataset.open(slices);
		final SliceDataset test = new SliceDataset(all.root(), all.entries(SliceDataset.Split.TEST));
		final org.osteocast.metrics.RigidityAnalysis.Tables t = org.osteocast.metrics.RigidityAnalysis.dataset(test,
			predictions, o);
		r.heading("Fracture risk");
		r.paragraph("CT-based rigidity analysis (docs/rigidity.md) of every week of the test mice and of the forecast " +
			"of week 4 with its samples: per slice the bending rigidity EI_min about the principal axes, its minimum " +
			"over the VOI (the weakest slice governs; the first 0.1 mm below the growth plate's edge, where the plate " +
			"and not the shaft is weakest, is left out), and the drop from week 1. Relative mode: uniform modulus over " +
			"bone (the synthetic scans have no density calibration), so the numbers are second moments (mm^4), " +
			"compared within a mouse. A drop of the minimum EA, EI_min or GJ by more than 35 % counts as at fracture " +
			"risk (the CTRA threshold; docs/rigidity.md says how far it was checked); P(drop > 35 %) is the fraction " +
			"of the forecast's samples above it.");
		final ij.gui.Plot plot = new ij.gui.Plot("Minimum bending rigidity", "week", "min EI_min / week 1");
		final java.awt.Color[] colours = { java.awt.Color.BLUE, java.awt.Color.RED, new java.awt.Color(0, 140, 0),
			java.awt.Color.MAGENTA, java.awt.Color.ORANGE, java.awt.Color.CYAN, java.awt.Color.GRAY, java.awt.Color.BLACK };
		final List<List<String>> risk = new ArrayList<>();
		final java.util.Map<String, Double> week1 = new java.util.HashMap<>();
		final java.util.Map<String, List<double[]>> truth = new java.util.LinkedHashMap<>();
		for (final String[] row : t.summary) {
			final double ei = Double.parseDouble(row[5]);
			if (row[2].equals("truth")) {
				if (row[1].equals("1")) week1.put(row[0], ei);
				truth.computeIfAbsent(row[0], k -> new ArrayList<>()).add(new double[] { Double.parseDouble(row[1]), ei });
			}
		}
		int c = 0;
		final StringBuilder legend = new StringBuilder();
		for (final String[] row : t.summary) {
			if (!row[2].equals("forecast")) continue;
			final String mouse = row[0];
			final double w1 = week1.getOrDefault(mouse, Double.NaN);
			final List<double[]> pts = truth.get(mouse);
			final double[] x = new double[pts.size()], y = new double[pts.size()];
			for (int i = 0; i < x.length; i++) {
				x[i] = pts.get(i)[0];
				y[i] = pts.get(i)[1] / w1;
			}
			plot.setColor(colours[c++ % colours.length]);
			plot.addPoints(x, y, ij.gui.Plot.LINE);
			final double week = Double.parseDouble(row[1]);
			plot.addPoints(new double[] { week + 0.08 }, new double[] { Double.parseDouble(row[5]) / w1 },
				ij.gui.Plot.CIRCLE);
			if (!row[11].equals("nan")) plot.drawLine(week + 0.08, Double.parseDouble(row[11]) / w1, week + 0.08, Double
				.parseDouble(row[12]) / w1);
			legend.append(legend.length() == 0 ? "" : "\t").append(mouse);
			String trueDrop = "nan";
			for (final String[] tr : t.summary)
				if (tr[0].equals(mouse) && tr[2].equals("truth") && tr[1].equals(row[1])) trueDrop = tr[9];
			final String group = group(test, mouse);
			risk.add(List.of(mouse, group, row[1], trueDrop, row[9], row[13], risky(trueDrop), risky(row[13]
				.equals("nan") ? row[9] : Double.parseDouble(row[13]) > 0.5 ? "1" : "0")));
		}
		double maxWeek = 1;
		for (final List<double[]> pts : truth.values())
			for (final double[] q : pts)
				maxWeek = Math.max(maxWeek, q[0]);
		plot.setLimits(0.8, maxWeek + 0.4, 0, 1.2);
		final Path png = figures.resolve("rigidity.png");
		ImageIO.write(plot.getImagePlus().getBufferedImage(), "png", png.toFile());
		r.image(png, "Minimum EI_min of each test mouse over the weeks (lines, relative to week 1), the forecast of " +
			"week 4 (circle, drawn just right of week 4) and the 5–95 % range of its samples (vertical bar).");
		r.table(List.of("mouse", "group", "week", "true drop", "forecast drop", "P(drop > 35 %)", "truly at risk",
			"forecast at risk"), risk);
	}

	private static String group(final SliceDataset ds, final String mouse) {
		for (final SliceDataset.Entry e : ds.entries())
			if (e.mouse.equals(mouse)) return e.group == null ? "" : e.group;
		return "";
	}

	private static String risky(final String dropOrClass) {
		if (dropOrClass.equals("nan")) return "?";
		if (dropOrClass.equals("1")) return "yes";
		if (dropOrClass.equals("0")) return "no";
		return Double.parseDouble(dropOrClass) > org.osteocast.metrics.Rigidity.DEFAULT_DROP ? "yes" : "no";
	}

	private static Path firstQc(final Path registered) throws IOException {
		if (!Files.isDirectory(registered)) return null;
		try (var s = Files.walk(registered, 2)) {
			return s.filter(p -> p.getFileName().toString().endsWith("_qc.png")).sorted().findFirst().orElse(null);
		}
	}

	private static boolean extract(final Path zip, final String entry, final Path to) throws IOException {
		if (!Files.isRegularFile(zip)) return false;
		try (ZipFile z = new ZipFile(zip.toFile())) {
			final ZipEntry e = z.getEntry(entry);
			if (e == null) return false;
			try (InputStream in = z.getInputStream(e)) {
				Files.write(to, in.readAllBytes());
			}
			return ImageIO.read(to.toFile()) != null;
		}
	}

	private static List<String> hardMice(final Path truth) throws IOException {
		final List<String> out = new ArrayList<>();
		if (!Files.isDirectory(truth)) return out;
		try (var s = Files.list(truth)) {
			for (final Path m : (Iterable<Path>) s.sorted()::iterator) {
				final Path a = m.resolve("anatomy.json");
				if (!Files.isRegularFile(a)) continue;
				final JsonObject o = JsonParser.parseString(Files.readString(a)).getAsJsonObject();
				if (o.has("hard") && o.get("hard").getAsBoolean()) out.add(m.getFileName().toString());
			}
		}
		return out;
	}

	/** The slice with the largest true change between the last observed week and the next. */
	static int mostChangedSlice(final Hyperstack h, final int observed) {
		if (h.frames() <= observed) return h.slices() / 2;
		int best = h.slices() / 2;
		double bestSum = -1;
		for (int z = 0; z < h.slices(); z++) {
			final float[] a = h.plane(z, observed - 1), b = h.plane(z, observed);
			double s = 0;
			for (int i = 0; i < a.length; i++)
				s += Math.abs(a[i] - b[i]);
			if (s > bestSum) {
				bestSum = s;
				best = z;
			}
		}
		return best;
	}

	/** The table's cells, numbers rounded for display. */
	private static List<List<String>> cells(final Csv.Table t) {
		final List<List<String>> rows = new ArrayList<>();
		for (final Csv.Row row : t.rows) {
			final List<String> cells = new ArrayList<>();
			for (final String h : t.header) {
				final String v = row.get(h);
				cells.add(v == null ? "" : round(v));
			}
			rows.add(cells);
		}
		return rows;
	}

	private static String round(final String v) {
		try {
			final double d = Double.parseDouble(v);
			if (v.matches("-?\\d+")) return v;
			return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.4f", d);
		}
		catch (final NumberFormatException e) {
			return v;
		}
	}
}
