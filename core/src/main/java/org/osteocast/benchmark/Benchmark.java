package org.osteocast.benchmark;

import ai.djl.Device;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osteocast.OsteoCast;
import org.osteocast.core.BadInputException;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.metrics.CohortEvaluation;
import org.osteocast.metrics.Lpips;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.predict.Predictor;
import org.osteocast.train.ForecastTrainer;
import org.osteocast.train.TrainConfig;
import org.osteocast.train.Training;

/**
 * The paper's comparison on the user's own cohort: every model trained with
 * the same wall-clock budget on the same split, its test mice forecast and
 * scored by the same code as {@code osteocast evaluate}, for several seeds.
 * <p>
 * Layout under the output folder: {@code runs/<model>/seed<k>/} holds the
 * model archive (and its checkpoint), the predictions and
 * {@code evaluation.csv}; a finished run (its evaluation exists) is not run
 * again, and an interrupted training resumes from its checkpoint, so a
 * killed benchmark continues where it stopped. {@code results.csv} has one
 * row per model and seed; {@link BenchmarkReport} writes the tables and
 * figures.
 * <p>
 * Models without parameters (persistence, linear extrapolation) do not depend
 * on the seed: they run once and count for every seed.
 * <p>
 * Every table comes from one code version: each run records the code that
 * made it ({@value #RUN_JSON}: {@link OsteoCast#codeVersion()}, the version and
 * the git commit of the build), and a run made by other code (or by a version
 * that recorded none) is set aside like a run with other settings, and made
 * again.
 */
public final class Benchmark {

	private Benchmark() {}

	/** The paper's Table 1: T-VAE against other forecasters. */
	public static final List<String> TABLE1 = List.of("persistence", "linear", "convlstm", "predrnn", "gan3d",
		"simvp", "simvp-vae", "tvae2d");
	/** The paper's Table 2: T-VAE variants and losses, plus the by-the-book SVG-LP configuration. */
	public static final List<String> TABLE2 = List.of("tvae3d-dcgan-mse", "tvae3d-dcgan", "tvae3d-unet-mse",
		"tvae3d-unet", "tvae2d-mse", "tvae2d-svglp", "tvae2d-logit", "tvae2d-latent", "tvae2d");

	/** Metrics tabulated (CohortEvaluation columns; those it lacks are skipped) and whether higher is better. */
	public static final Map<String, Boolean> METRICS = new LinkedHashMap<>();
	static {
		METRICS.put("psnr_db", true);
		METRICS.put("psnr_volume_db", true);
		METRICS.put("ssim", true);
		METRICS.put("lpips", false);
		METRICS.put("changed_mse", false);
		// the same on the slices where a lesion emerges in the forecast week (evaluate's CLASS(emergence:N) rows)
		METRICS.put("changed_mse_emergence", false);
		METRICS.put("lesion_dice", true);
		METRICS.put("bvtv_error", false);
		METRICS.put("ece", false);
		METRICS.put("unc_auc", true);
		METRICS.put("unc_auc_bone", true);
		// fracture risk (RigidityEvaluation): error of the VOI's minimum bending rigidity at the forecast week, and
		// the AUROC of P(drop of the minimum rigidity from week 1 > 35 %) for the true drop
		METRICS.put("ei_min_rel_err", false);
		METRICS.put("risk_auroc", true);
	}

	/** The metric of the changed-pixel MSE on lesion-emergence slices ({@link org.osteocast.metrics.SliceClasses}). */
	public static final String EMERGENCE_MSE = "changed_mse_emergence";

	/** The file in each run's folder that records the code that made the run. */
	public static final String RUN_JSON = "run.json";

	/** Settings. */
	public static final class Options {
		public int seeds = 3, samples = 8, epochs = 200, patience = 20;
		/** The code version runs must have been made by to be reused (this build's by default). */
		public String codeVersion = OsteoCast.codeVersion();
		public double budgetMinutes = 5;
		/** Overrides for every model's hyper-parameters (e.g. nf). */
		public JsonObject hyper = new JsonObject();
		public List<String> models = allModels();
		public Path lpips;
		public Device device = Device.cpu();
		/** Predict and score finished runs again (e.g. with an LPIPS network); trained models are kept. */
		public boolean rescore;

		void check() {
			if (seeds < 1 || samples < 1 || epochs < 1 || patience < 1 || !(budgetMinutes > 0))
				throw new IllegalArgumentException("seeds, samples, epochs and patience must be >= 1 and the budget > 0");
			for (final String m : models)
				ForecastNets.preset(m); // fails early with the list of known models
		}
	}

	/** Every model of both tables, each once, in table order. */
	public static List<String> allModels() {
		final List<String> all = new ArrayList<>(TABLE1);
		for (final String m : TABLE2)
			if (!all.contains(m)) all.add(m);
		return all;
	}

	/** One model and seed's scores: the mean over test mice of each metric. */
	public static final class Run {
		public final String model;
		public final int seed;
		public final Map<String, Double> scores;
		public final double trainSeconds;
		public final int epochs;
		/** The code version that made the run ({@link OsteoCast#codeVersion()}). */
		public final String codeVersion;

		public Run(final String model, final int seed, final Map<String, Double> scores, final double trainSeconds,
			final int epochs)
		{
			this(model, seed, scores, trainSeconds, epochs, OsteoCast.codeVersion());
		}

		public Run(final String model, final int seed, final Map<String, Double> scores, final double trainSeconds,
			final int epochs, final String codeVersion)
		{
			this.model = model;
			this.seed = seed;
			this.scores = scores;
			this.trainSeconds = trainSeconds;
			this.epochs = epochs;
			this.codeVersion = codeVersion;
		}
	}

	/** The folder of one run. */
	public static Path runDir(final Path out, final String model, final int seed) {
		return out.resolve("runs").resolve(model).resolve("seed" + seed);
	}

	/**
	 * Runs the benchmark.
	 *
	 * @param data a slice data set with train, val and test mice
	 * @return every run (also written to {@code results.csv})
	 */
	public static List<Run> run(final SliceDataset data, final Path out, final Options o, final Progress progress,
		final Cancellation cancel, final PrintStream log) throws IOException
	{
		o.check();
		if (data.entries(SliceDataset.Split.TEST).isEmpty()) throw new IllegalArgumentException(data.root() +
			": no mice with split=test to score");
		if (data.entries(SliceDataset.Split.TRAIN).isEmpty()) throw new IllegalArgumentException(data.root() +
			": no mice with split=train");
		Files.createDirectories(out);
		final JsonObject common = o.hyper.deepCopy();
		final JsonObject fromData = Training.dataHyperParameters(data);
		for (final String k : fromData.keySet())
			common.add(k, fromData.get(k));
		final List<Run> runs = new ArrayList<>();
		final int total = o.models.size() * o.seeds;
		int done = 0;
		for (final String model : o.models) {
			final ForecastNets.Preset preset = ForecastNets.preset(model);
			final boolean trainable = !preset.create(common).parameterGroups().isEmpty();
			for (int seed = 1; seed <= o.seeds; seed++) {
				cancel.check();
				if (!trainable && seed > 1) {
					final Run first = runs.get(runs.size() - 1);
					runs.add(new Run(model, seed, first.scores, first.trainSeconds, first.epochs, first.codeVersion));
					progress.progress(++done, total);
					continue;
				}
				progress.status(String.format(Locale.ROOT, "benchmark: %s seed %d (%d/%d)", model, seed, done + 1, total));
				runs.add(runOne(data, out, preset, common, seed, o, cancel, log));
				progress.progress(++done, total);
			}
		}
		writeResults(out.resolve("results.csv"), runs);
		return runs;
	}

	private static Run runOne(final SliceDataset data, final Path out, final ForecastNets.Preset preset,
		final JsonObject common, final int seed, final Options o, final Cancellation cancel, final PrintStream log)
		throws IOException
	{
		final Path dir = runDir(out, preset.name, seed);
		final Path model = dir.resolve("model.zip"), pred = dir.resolve("pred"), eval = dir.resolve("evaluation.csv");
		final ForecastNet net = preset.create(common);
		final String madeBy = codeVersion(dir);
		if (!o.codeVersion.equals(madeBy) && hasFiles(dir)) setAside(dir, "was made by code version " + (madeBy == null
			? "unknown (no " + RUN_JSON + ")" : madeBy) + ", this is " + o.codeVersion, log);
		// the archive is read (weights and checksum) once per run, for the settings check, the forecast and the log
		ModelArchive archive = Files.isRegularFile(model) ? ModelArchive.read(model) : null;
		if (archive != null && !archive.hyperParameters().equals(net.hyperParameters())) {
			setAside(dir, "was trained with " + archive.hyperParameters() + ", the preset now gives " + net
				.hyperParameters(), log);
			archive = null;
		}
		Files.createDirectories(dir);
		if (!Files.isRegularFile(dir.resolve(RUN_JSON))) writeRunJson(dir, o.codeVersion);
		if (archive != null && Files.isRegularFile(eval) && !o.rescore) {
			if (log != null) log.println(preset.name + " seed " + seed + ": already done (" + eval + ")");
			return read(preset.name, seed, eval, archive, o.codeVersion);
		}
		if (archive == null) {
			if (log != null) log.println(String.format(Locale.ROOT, "== %s seed %d: %s %s, %.1f min budget", preset.name,
				seed, net.architecture(), net.hyperParameters(), o.budgetMinutes));
			final ForecastTrainer.Result r = Training.run(net, data, new Training.Options().model(model).resume(true).loop(
				TrainConfig.builder().optSeed(seed).optEpochs(o.epochs).optPatience(o.patience).optMinutes(o.budgetMinutes))
				.device(o.device).cancel(cancel).log(log));
			if (log != null) log.println(preset.name + " seed " + seed + ": " + r.stopReason + ", best epoch " + r.bestEpoch +
				" of " + r.epochsRun);
			archive = ModelArchive.read(model);
		}
		Predictor.run(archive, data, List.of(SliceDataset.Split.TEST), pred, true,
			new Predictor.Options().samples(o.samples).seed(seed), o.device, Progress.NONE, cancel, null);
		final CohortEvaluation e;
		if (o.lpips == null) e = CohortEvaluation.run(data, "test", pred, null, null);
		else try (Lpips lpips = Lpips.load(o.lpips)) {
			e = CohortEvaluation.run(data, "test", pred, null, null, lpips);
		}
		if (e.reliability() != null) org.osteocast.viz.ReliabilityDiagram.write(e.reliability(), preset.name + " seed " +
			seed + ": P(bone) on the test mice", dir.resolve(org.osteocast.viz.ReliabilityDiagram.FILE_NAME));
		e.writeCsv(eval);
		return read(preset.name, seed, eval, archive, o.codeVersion);
	}

	/** The code version recorded in a run's folder, or null when none is. */
	static String codeVersion(final Path dir) throws IOException {
		final Path f = dir.resolve(RUN_JSON);
		if (!Files.isRegularFile(f)) return null;
		try {
			final JsonObject j = com.google.gson.JsonParser.parseString(Files.readString(f)).getAsJsonObject();
			return j.has("code_version") ? j.get("code_version").getAsString() : null;
		}
		catch (final RuntimeException e) {
			return null; // unreadable: treated as made by unknown code
		}
	}

	private static boolean hasFiles(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) return false;
		try (java.util.stream.Stream<Path> s = Files.list(dir)) {
			return s.findAny().isPresent();
		}
	}

	private static void writeRunJson(final Path dir, final String codeVersion) throws IOException {
		final JsonObject j = new JsonObject();
		j.addProperty("code_version", codeVersion);
		j.addProperty("osteocast_version", OsteoCast.VERSION);
		j.addProperty("commit", OsteoCast.COMMIT);
		org.osteocast.io.util.AtomicFiles.writeString(dir.resolve(RUN_JSON), new com.google.gson.GsonBuilder()
			.setPrettyPrinting().create().toJson(j) + "\n");
	}

	/**
	 * A run trained before its preset's settings changed (e.g. a new default),
	 * or made by other code, must not be reported under the preset's name: when
	 * the run's archive holds other hyper-parameters than the preset gives now,
	 * or its {@value #RUN_JSON} names another code version, the run's folder is
	 * renamed to {@code seed<k>.stale-<n>} (kept, not deleted) and the run
	 * starts again.
	 */
	private static void setAside(final Path dir, final String why, final PrintStream log) throws IOException {
		Path aside;
		int n = 1;
		while (Files.exists(aside = dir.resolveSibling(dir.getFileName() + ".stale-" + n)))
			n++;
		Files.move(dir, aside);
		if (log != null) log.println(dir + " " + why + ": moved to " + aside.getFileName() + ", training again");
	}

	/**
	 * Reads a run's cohort-mean scores of its forecast (CohortEvaluation's mean
	 * row). An evaluation written before {@code psnr_volume_db} existed holds
	 * the pooled PSNR under {@code psnr_db}: it is read as
	 * {@code psnr_volume_db}, and the per-slice {@code psnr_db} as unknown (NaN).
	 */
	static Run read(final String model, final int seed, final Path eval, final ModelArchive archive,
		final String codeVersion) throws IOException
	{
		final Csv.Table t = Csv.read(eval);
		final Map<String, Double> scores = new LinkedHashMap<>();
		final boolean pooledOnly = t.has("psnr_db") && !t.has("psnr_volume_db");
		for (final Csv.Row r : t.rows) {
			if (r.get("mouse") != null && r.get("mouse").startsWith("CLASS(emergence:") && "forecast".equals(r.get(
				"method"))) scores.put(EMERGENCE_MSE, parse(r.get("changed_mse")));
			if (!CohortEvaluation.MEAN.equals(r.get("mouse")) || !"forecast".equals(r.get("method"))) continue;
			for (final String m : METRICS.keySet())
				if (t.has(m)) scores.put(m, r.get(m) == null ? Double.NaN : parse(r.get(m)));
			if (pooledOnly) {
				scores.put("psnr_volume_db", scores.get("psnr_db"));
				scores.put("psnr_db", Double.NaN);
			}
		}
		if (scores.isEmpty()) throw new IOException(eval + " has no mean row of the forecast");
		final JsonObject training = archive.json().getAsJsonObject("training");
		final double secs = training != null && training.has("seconds") ? training.get("seconds").getAsDouble() : 0;
		final int epochs = training != null && training.has("epochs_run") ? training.get("epochs_run").getAsInt() : 0;
		return new Run(model, seed, scores, secs, epochs, codeVersion);
	}

	private static double parse(final String s) {
		try {
			return Double.parseDouble(s);
		}
		catch (final NumberFormatException e) {
			return Double.NaN;
		}
	}

	/**
	 * Reads the runs back from a {@code results.csv} that {@link #run} wrote:
	 * the scores of the metrics this version tabulates ({@code nan} or a
	 * missing column: NaN), and each run's code version ({@code unknown} in a
	 * file written before runs recorded it).
	 *
	 * @throws BadInputException when the file is missing or not a results file
	 */
	public static List<Run> readResults(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new BadInputException(file,
			"no benchmark results here (osteocast benchmark writes this file when its runs are done)");
		final Csv.Table t = Csv.read(file);
		for (final String c : List.of("model", "seed", "train_seconds", "epochs"))
			if (!t.has(c)) throw new BadInputException(file, "not a benchmark results file: no column " + c);
		final List<Run> runs = new ArrayList<>();
		for (final Csv.Row r : t.rows) {
			if (r.get("model") == null) throw new BadInputException(file, "line " + r.line() + ": no model");
			final Map<String, Double> scores = new LinkedHashMap<>();
			for (final String m : METRICS.keySet())
				scores.put(m, t.has(m) && r.get(m) != null ? parse(r.get(m)) : Double.NaN);
			final int seed;
			final double seconds;
			final int epochs;
			try {
				seed = Integer.parseInt(r.get("seed"));
				seconds = Double.parseDouble(r.get("train_seconds"));
				epochs = Integer.parseInt(r.get("epochs"));
			}
			catch (final NumberFormatException | NullPointerException e) {
				throw new BadInputException(file, "line " + r.line() + ": seed, train_seconds and epochs must be numbers");
			}
			final String code = t.has("code_version") && r.get("code_version") != null ? r.get("code_version")
				: "unknown";
			runs.add(new Run(r.get("model"), seed, scores, seconds, epochs, code));
		}
		if (runs.isEmpty()) throw new BadInputException(file, "no runs in it");
		return runs;
	}

	static void writeResults(final Path file, final List<Run> runs) throws IOException {
		final List<String> cols = new ArrayList<>(List.of("model", "seed", "train_seconds", "epochs"));
		cols.addAll(METRICS.keySet());
		cols.add("code_version");
		final StringBuilder b = new StringBuilder(Csv.line(cols.toArray())).append('\n');
		for (final Run r : runs) {
			final List<Object> row = new ArrayList<>(List.of(r.model, r.seed, String.format(Locale.ROOT, "%.1f",
				r.trainSeconds), r.epochs));
			for (final String m : METRICS.keySet()) {
				final Double v = r.scores.get(m);
				row.add(v == null || v.isNaN() ? "nan" : String.format(Locale.ROOT, "%.6g", v));
			}
			row.add(r.codeVersion);
			b.append(Csv.line(row.toArray())).append('\n');
		}
		org.osteocast.io.util.AtomicFiles.writeString(file, b.toString());
	}
}
