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

import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.VolumeIOException;

/**
 * Scores a folder of forecasts ({@code <mouse>_pred.tif}) against a slice data
 * set's true target week, next to the persistence and linear-extrapolation
 * baselines: one row per mouse and method, then the mean over mice per method
 * (mouse {@value #MEAN}). Shared by {@code osteocast evaluate}, the Fiji command
 * "Evaluate Forecast" and the demo.
 * <p>
 * The forecast's rows also score its uncertainty ({@code <mouse>_uncertainty.tif},
 * see {@link PredictionUncertainty}): {@code ece} and {@code brier} of P(bone)
 * against the truth's bone ({@link Calibration}; the truth is bone above the
 * threshold the predictor used, from {@code prediction.json}, else Otsu's
 * threshold of the observed weeks, the predictor's own rule), and
 * {@code unc_auc}, {@code sd_changed}, {@code sd_unchanged}: how well the
 * per-pixel SD ranks the changed pixels of the changed-pixel MSE
 * ({@link UncertaintyRanking}), and {@code unc_auc_bone}, the same ranking
 * within the bone of the last observed week or the truth. In the {@value #MEAN} row these are
 * <em>pooled</em> over every pixel of the scored mice (bin counts and ranks
 * accumulated), not averaged over mice: an ECE or AUC averaged over mice is
 * not the ECE or AUC of anything. The baselines have no probabilities, so
 * their five cells are {@code nan}; so are the forecast's for a mouse without
 * an uncertainty file, and {@link #notes()} says why.
 */
public final class CohortEvaluation {

	/** The mouse label of the mean rows. */
	public static final String MEAN = "ALL(mean)";

	/**
	 * Column names before the rigidity columns. {@code psnr_db} is the mean over
	 * slices of each slice's PSNR (as video-prediction papers report it),
	 * {@code psnr_volume_db} the PSNR of the error pooled over the volume (what
	 * {@code psnr_db} meant in files written before both existed; see
	 * {@link org.osteocast.metrics.Psnr}).
	 */
	public static final List<String> BASE_COLUMNS = List.of("mouse", "method", "psnr_db", "ssim", "changed_mse",
		"changed_pixels", "lesion_dice", "bvtv_forecast", "bvtv_truth", "bvtv_error", "perforated_slices_forecast",
		"perforated_slices_truth", "perforation_agrees", "lpips", "ece", "brier", "unc_auc", "sd_changed",
		"sd_unchanged", "unc_auc_bone", "psnr_volume_db");

	/** Column names: {@link #BASE_COLUMNS} then the rigidity columns ({@link RigidityEvaluation#COLUMNS}). */
	public static final List<String> COLUMNS = concat(BASE_COLUMNS, RigidityEvaluation.COLUMNS);

	private static List<String> concat(final List<String> a, final List<String> b) {
		final List<String> l = new ArrayList<>(a);
		l.addAll(b);
		return List.copyOf(l);
	}

	/** Start of the note naming mice whose forecast has no uncertainty file. */
	public static final String NO_UNCERTAINTY = "no uncertainty file";

	/** The method label of the model's forecast (the other rows are baselines). */
	public static final String FORECAST = "forecast";

	/** The scores, as text cells in {@link #COLUMNS} order. */
	public final List<String[]> rows;

	private final Path pred;
	private final Calibration.Accumulator calibration = new Calibration.Accumulator(Calibration.DEFAULT_BINS);
	private final UncertaintyRanking.Accumulator ranking = new UncertaintyRanking.Accumulator();
	private final UncertaintyRanking.Accumulator boneRanking = new UncertaintyRanking.Accumulator();
	private final List<String> notes = new ArrayList<>();
	private int uncertainMice, scoredMice;
	private RigidityEvaluation rigidity;
	/** Scores per slice class (rows {@link ClassScores#label}, after the mean rows). */
	private final ClassScores classes = new ClassScores();

	/** The rigidity scores (fracture risk) of this evaluation. */
	public RigidityEvaluation rigidity() {
		return rigidity;
	}

	private CohortEvaluation(final Path pred, final List<String[]> rows) {
		this.pred = pred;
		this.rows = rows;
	}

	/**
	 * The forecast's reliability table pooled over every pixel of the mice that
	 * have an uncertainty file ({@link Calibration#DEFAULT_BINS} bins); null
	 * when none has.
	 */
	public Calibration.Reliability reliability() {
		return uncertainMice == 0 ? null : calibration.result();
	}

	/** The SD's ranking of changed pixels, pooled like {@link #reliability()}; null when no mouse has an uncertainty file. */
	public UncertaintyRanking.Result uncertaintyRanking() {
		return uncertainMice == 0 ? null : ranking.result();
	}

	/** Number of mice whose uncertainty was scored, of {@link #scoredMice()}. */
	public int uncertainMice() {
		return uncertainMice;
	}

	/** Number of mice scored. */
	public int scoredMice() {
		return scoredMice;
	}

	/** Why uncertainty columns are nan for some or all mice (empty when all were scored). */
	public List<String> notes() {
		return List.copyOf(notes);
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
		return run(ds, split, pred, observed, changeThreshold, lpips, Rigidity.DEFAULT_DROP);
	}

	/**
	 * As {@link #run(SliceDataset, String, Path, Integer, Double, Lpips)}, with
	 * the fracture-risk drop of the rigidity columns ({@link RigidityEvaluation})
	 * as a fraction in (0, 1).
	 */
	public static CohortEvaluation run(final SliceDataset ds, final String split, final Path pred,
		final Integer observed, final Double changeThreshold, final Lpips lpips, final double riskDrop)
		throws IOException
	{
		return run(ds, split, pred, observed, changeThreshold, lpips, riskDrop, Rigidity.PROXIMAL_MARGIN_UM);
	}

	/**
	 * As {@link #run(SliceDataset, String, Path, Integer, Double, Lpips, double)},
	 * with the proximal margin (µm) that the rigidity columns leave out below the
	 * growth plate's edge ({@link RigidityEvaluation#start(Path, double, double)};
	 * 0 = none).
	 */
	public static CohortEvaluation run(final SliceDataset ds, final String split, final Path pred,
		final Integer observed, final Double changeThreshold, final Lpips lpips, final double riskDrop,
		final double marginUm) throws IOException
	{
		Rigidity.checkMargin(marginUm);
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
		final Map<String, PredictionUncertainty.MouseInfo> info = PredictionUncertainty.mice(pred);
		final Integer n0 = checkProvenance(pred, info, entries, observed, self.notes);
		final List<String> missing = new ArrayList<>();
		for (final SliceDataset.Entry e : entries)
			if (!Files.isRegularFile(self.predFile(e.mouse))) missing.add(self.predFile(e.mouse).getFileName().toString());
		if (!missing.isEmpty()) throw new VolumeIOException(pred, "missing forecast(s): " + String.join(", ", missing));
		final Map<String, List<ForecastEvaluation.Scores>> byMethod = new LinkedHashMap<>();
		final Map<String, List<Double>> lpipsByMethod = new LinkedHashMap<>();
		final List<String> noFile = new ArrayList<>();
		self.rigidity = RigidityEvaluation.start(data, riskDrop, marginUm);
		final Map<String, Integer> sampleCounts = RigidityForecast.sampleCounts(pred);
		for (final SliceDataset.Entry e : entries) {
			final Hyperstack h = e.read();
			final int n = n0 != null ? n0 : h.frames() - 1;
			if (n < 1 || n >= h.frames()) throw new VolumeIOException(e.image, "has " + h.frames() + " frames: cannot use " +
				n + " observed weeks and score week " + (n + 1));
			final float[][] forecast = readForecast(self.predFile(e.mouse), h);
			final long bad = nonFinite(forecast);
			if (bad > 0) throw new VolumeIOException(self.predFile(e.mouse), bad +
				" voxel(s) are not finite (NaN or infinity): a forecast must be finite to be scored next to the baselines");
			final float[][] week1 = h.planes(0), last = h.planes(n - 1), truth = h.planes(n);
			final ForecastEvaluation.Reference ref = new ForecastEvaluation.Reference(week1, last, truth, h.width(), h
				.height(), Psnr.DEFAULT_RANGE, changeThreshold == null ? Double.NaN : changeThreshold);
			final Map<String, float[][]> methods = new LinkedHashMap<>();
			methods.put(FORECAST, forecast);
			self.scoredMice++;
			final String[] unc = self.scoreUncertainty(e, h, n, ref, info.get(e.mouse), noFile);
			methods.put("persistence", ForecastEvaluation.persistence(last));
			if (n >= 2) methods.put("linear", ForecastEvaluation.linear(h.planes(n - 2), last, 0, 1));
			final Map<String, String[]> rig = self.rigidity.mouse(e.mouse, e.group, h, n, methods, FORECAST,
				RigidityForecast.readSamples(pred.resolve(self.predFile(e.mouse).getFileName().toString().replace(
					"_pred.tif", "_samples.tif")), h, sampleCounts.getOrDefault(e.mouse, 0)));
			final float[][][] weeks = new float[n + 1][][];
			for (int t = 0; t <= n; t++)
				weeks[t] = h.planes(t);
			final SliceClasses.Kind[] kinds = SliceClasses.classify(weeks, n, h.width(), h.height());
			final boolean[][] changedMask = ref.changedMask();
			for (final Map.Entry<String, float[][]> m : methods.entrySet()) {
				self.classes.add(m.getKey(), m.getValue(), truth, changedMask, kinds, h.width(), h.height(), Psnr.DEFAULT_RANGE);
				final ForecastEvaluation.Scores s = ref.score(m.getValue());
				byMethod.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(s);
				final double lp = lpips == null ? Double.NaN : mean(toDouble(lpips.distance(m.getValue(), truth, h.width(), h
					.height())));
				lpipsByMethod.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(lp);
				rows.add(concat(append(concat(append(row(e.mouse, m.getKey(), s), f(lp, 4)), FORECAST.equals(m.getKey())
					? unc : NAN_UNCERTAINTY), f(s.psnrVolume, 3)), rig.get(m.getKey())));
			}
		}
		if (!noFile.isEmpty()) self.notes.add(0, NO_UNCERTAINTY + " for " + String.join(", ", noFile) + " in " + pred +
			": ece, brier, unc_auc, sd_changed and sd_unchanged are nan for " + (noFile.size() == 1 ? "it" : "them") +
			" (predictions from an older version, or from a tool that writes only <mouse>_pred.tif)");
		final String[] pooled = self.uncertainMice == 0 ? NAN_UNCERTAINTY : cells(self.calibration.result(), self.ranking
			.result(), self.boneRanking.result());
		final boolean[][] drop = sameMiceForEveryMethod(byMethod, entries, self.notes);
		for (final Map.Entry<String, List<ForecastEvaluation.Scores>> m : byMethod.entrySet())
			rows.add(append(concat(append(meanRow(m.getKey(), m.getValue(), drop), f(mean(lpipsByMethod.get(m.getKey())
				.stream().mapToDouble(Double::doubleValue).toArray()), 4)), FORECAST.equals(m.getKey()) ? pooled
					: NAN_UNCERTAINTY), f(mean(m.getValue().stream().mapToDouble(s -> s.psnrVolume).toArray()), 3)));
		for (int i = rows.size() - byMethod.size(); i < rows.size(); i++)
			rows.set(i, concat(rows.get(i), self.rigidity.mean(rows.get(i)[1])));
		rows.addAll(self.classes.rows(COLUMNS.size()));
		return self;
	}

	/** The start of the message for a folder holding forecasts of more than one run (tests assert on it). */
	public static final String MIXED = "holds forecasts that prediction.json does not list (of another run or model?): ";

	/**
	 * Checks that the forecasts are what {@code prediction.json} says they are
	 * and were made from the data being scored: no forecast of another run in
	 * the folder, the inputs unchanged since (SHA-256), and one forecast week.
	 *
	 * @return the observed weeks (the truth is the next week), or null to use all frames but the last
	 */
	static Integer checkProvenance(final Path pred, final Map<String, PredictionUncertainty.MouseInfo> info,
		final List<SliceDataset.Entry> entries, final Integer observed, final List<String> notes) throws IOException
	{
		final Path json = pred.resolve(PredictionUncertainty.PREDICTION_JSON);
		if (!Files.isDirectory(pred)) throw new VolumeIOException(pred, "no such forecast folder");
		if (!Files.isRegularFile(json)) {
			notes.add("no " + PredictionUncertainty.PREDICTION_JSON + " in " + pred +
				": the forecasts' model, observed weeks and inputs were not checked (forecasts from another tool?)");
			return observed;
		}
		final List<String> foreign = new ArrayList<>();
		try (java.util.stream.Stream<Path> s = Files.list(pred)) {
			s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_pred.tif")).sorted().forEach(n -> {
				if (!info.containsKey(n.substring(0, n.length() - "_pred.tif".length()))) foreign.add(n);
			});
		}
		if (!foreign.isEmpty()) throw new VolumeIOException(pred, MIXED + String.join(", ", foreign) +
			"; score each run's own folder");
		final java.util.Set<Integer> weeks = new java.util.TreeSet<>();
		for (final SliceDataset.Entry e : entries) {
			final PredictionUncertainty.MouseInfo m = info.get(e.mouse);
			if (m == null) continue; // reported as a missing forecast
			if (m.observedWeeks > 0) weeks.add(m.observedWeeks);
			if (m.inputSha256 != null && !m.inputSha256.equalsIgnoreCase(org.osteocast.nn.model.ModelArchive.sha256(e.image)))
				throw new VolumeIOException(e.image, "is not the file that mouse " + e.mouse +
					"'s forecast was made from (its SHA-256 differs from the one in " + json +
					"): predict again from this data set");
		}
		if (weeks.size() > 1) throw new VolumeIOException(json, "its forecasts conditioned on different numbers of weeks " +
			weeks + ": score each run's own folder");
		if (weeks.isEmpty()) return observed;
		final int n = weeks.iterator().next();
		if (observed != null && observed != n) throw new IllegalArgumentException("--observed " + observed +
			" asks to score week " + (observed + 1) + ", but the forecasts in " + pred + " conditioned on " + n +
			" weeks: they forecast week " + (n + 1));
		return n;
	}

	private static long nonFinite(final float[][] planes) {
		long n = 0;
		for (final float[] p : planes)
			for (final float v : p)
				if (!Float.isFinite(v)) n++;
		return n;
	}

	/**
	 * A score that is undefined for one method of a mouse (NaN: a Dice without
	 * lesions, say) leaves that mouse out of that column's mean for every
	 * method, so that each mean row covers the same mice; says so in the notes.
	 *
	 * @return per mean column ({@link #values}), the mice (by position) left out
	 */
	static boolean[][] sameMiceForEveryMethod(final Map<String, List<ForecastEvaluation.Scores>> byMethod,
		final List<SliceDataset.Entry> entries, final List<String> notes)
	{
		final int k = entries.size();
		final boolean[][] drop = new boolean[MEAN_NAMES.length][k];
		for (final List<ForecastEvaluation.Scores> l : byMethod.values())
			for (int i = 0; i < l.size(); i++) {
				final double[] v = values(l.get(i));
				for (int c = 0; c < v.length; c++)
					drop[c][i] |= Double.isNaN(v[c]);
			}
		final List<String> dropped = new ArrayList<>();
		for (int c = 0; c < drop.length; c++) {
			int nd = 0;
			for (final boolean d : drop[c])
				if (d) nd++;
			if (nd > 0) dropped.add(MEAN_NAMES[c] + " (" + nd + " of " + k + " mice)");
		}
		if (!dropped.isEmpty()) notes.add("mean rows leave out, for every method alike, the mice where a score is " +
			"undefined (nan) for any method: " + String.join(", ", dropped));
		return drop;
	}

	/** The columns averaged in the mean rows, in {@link #values} order. */
	private static final String[] MEAN_NAMES = { "psnr_db", "ssim", "changed_mse", "changed_pixels", "lesion_dice",
		"bvtv_forecast", "bvtv_truth", "bvtv_error", "perforated_slices_forecast", "perforated_slices_truth",
		"perforation_agrees" };

	private static double[] values(final ForecastEvaluation.Scores s) {
		return new double[] { s.psnr, s.ssim, s.changedMse, s.changedPixels, s.dice, s.bvtvForecast, s.bvtvTruth, s
			.bvtvError(), s.perforatedSlicesForecast, s.perforatedSlicesTruth, s.perforationAgrees() };
	}

	private static final String[] NAN_UNCERTAINTY = { "nan", "nan", "nan", "nan", "nan", "nan" };

	/**
	 * Scores one mouse's uncertainty file (if any) and adds it to the cohort
	 * accumulators; returns the five cells of its forecast row.
	 */
	private String[] scoreUncertainty(final SliceDataset.Entry e, final Hyperstack h, final int n,
		final ForecastEvaluation.Reference ref, final PredictionUncertainty.MouseInfo info, final List<String> noFile)
		throws VolumeIOException
	{
		final Path file = PredictionUncertainty.file(pred, e.mouse);
		if (!Files.isRegularFile(file)) {
			noFile.add(e.mouse);
			return NAN_UNCERTAINTY;
		}
		// checkProvenance made n the forecast week of every mouse that prediction.json lists
		final PredictionUncertainty.Planes u = PredictionUncertainty.read(file, h.width(), h.height(), h.slices());
		final double threshold = info != null && Double.isFinite(info.boneThreshold) ? info.boneThreshold
			: PredictionUncertainty.otsuOfObserved(h, n);
		final boolean[][] truthBone = ref.truthBone(threshold);
		final Calibration.Accumulator c = new Calibration.Accumulator(Calibration.DEFAULT_BINS).add(u.boneProbability,
			truthBone);
		final UncertaintyRanking.Accumulator r = new UncertaintyRanking.Accumulator().add(u.sd, ref.changed);
		final UncertaintyRanking.Accumulator rb = boneOnly(u.sd, ref.changed, truthBone, h.planes(n - 1), threshold);
		calibration.add(c);
		ranking.add(r);
		boneRanking.add(rb);
		uncertainMice++;
		return cells(c.result(), r.result(), rb.result());
	}

	/**
	 * The ranking restricted to the bone (bone in the last observed week or in
	 * the truth): where osteolysis happens. Over all pixels, changes in soft
	 * tissue and marrow (tumour growth, noise) outnumber those in bone.
	 */
	private static UncertaintyRanking.Accumulator boneOnly(final float[][] sd, final boolean[][] changed,
		final boolean[][] truthBone, final float[][] last, final double threshold)
	{
		final UncertaintyRanking.Accumulator a = new UncertaintyRanking.Accumulator();
		for (int z = 0; z < sd.length; z++) {
			int n = 0;
			for (int i = 0; i < sd[z].length; i++)
				if (truthBone[z][i] || last[z][i] > threshold) n++;
			final float[] s = new float[n];
			final boolean[] c = new boolean[n];
			for (int i = 0, j = 0; i < sd[z].length; i++)
				if (truthBone[z][i] || last[z][i] > threshold) {
					s[j] = sd[z][i];
					c[j++] = changed[z][i];
				}
			a.add(s, c);
		}
		return a;
	}

	private static String[] cells(final Calibration.Reliability c, final UncertaintyRanking.Result r,
		final UncertaintyRanking.Result bone)
	{
		return new String[] { f(c.ece, 5), f(c.brier, 5), f(r.auc, 4), f(r.meanChanged, 5), f(r.meanUnchanged, 5), f(
			bone.auc, 4) };
	}

	private static String[] concat(final String[] a, final String[] b) {
		final String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, r, a.length, b.length);
		return r;
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

	/** Mean over mice, leaving out the mice {@code drop} marks for each column. */
	private static String[] meanRow(final String method, final List<ForecastEvaluation.Scores> l,
		final boolean[][] drop)
	{
		final int k = l.size();
		final double[][] v = new double[MEAN_NAMES.length][k];
		for (int i = 0; i < k; i++) {
			final double[] r = values(l.get(i));
			for (int j = 0; j < r.length; j++)
				v[j][i] = drop[j][i] ? Double.NaN : r[j];
		}
		return new String[] { MEAN, method, f(mean(v[0]), 3), f(mean(v[1]), 5), f(mean(v[2]), 6), f(mean(v[3]), 1),
			f(mean(v[4]), 4), f(mean(v[5]), 4), f(mean(v[6]), 4), f(mean(v[7]), 4), f(mean(v[8]), 2), f(mean(v[9]), 2), f(
				mean(v[10]), 3) };
	}

	/** The mean of the values that are not NaN (NaN when none is). */
	static double mean(final double[] v) {
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
