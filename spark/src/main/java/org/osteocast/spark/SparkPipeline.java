package org.osteocast.spark;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.Output;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.ForecastNet;
import org.osteocast.predict.Predictor;
import org.osteocast.register.CohortRegistration;
import org.osteocast.register.RegistrationParameters;
import org.osteocast.register.RegistrationResult;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.voi.CohortSlicer;
import org.osteocast.voi.GrowthPlateDetector;
import org.osteocast.voi.SliceOptions;

/**
 * Register, slice and predict with one Spark task per mouse (all its weeks),
 * reading and writing a shared file system. Each step calls the same core
 * methods as the single-machine command, mouse by mouse, and joins the mice
 * on the driver with the same cohort-wide code ({@link CohortRegistration#finish},
 * {@link CohortSlicer#finish}, {@link Predictor#writeSummary}), so the outputs
 * equal those of {@code osteocast register|slice|predict}.
 * <p>
 * Faults and restarts: a mouse that fails is a row of the status table and
 * the other mice go on; its outputs are left out. A task writes its mouse
 * into {@code <work>/<step>/<mouse>/} through {@link Output} (a staging folder
 * renamed into place), then a checksum manifest beside it
 * ({@link WorkRecord}); a rerun skips a mouse whose manifest still matches.
 * The step's output folder is written through {@link Output} too, so it
 * appears whole once every mouse is done.
 */
public final class SparkPipeline {

	static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

	/** Name of the status table in the work folder. */
	public static final String STATUS = "status.csv";

	private SparkPipeline() {}

	// ---------------------------------------------------------------- register

	/** Registration settings that travel to the executors. */
	public static final class RegisterArgs implements Serializable {
		private static final long serialVersionUID = 1L;
		public int levels = 3;
		/** Threads per task (null: {@code spark.task.cpus}). */
		public Integer threads;
		/** A reference tibia (absolute path), or null. */
		public String reference;

		RegistrationParameters parameters(final int taskCpus) {
			return RegistrationParameters.defaults().withLevels(levels).withThreads(threads != null ? threads : taskCpus);
		}
	}

	/**
	 * Cores of one executor as the configuration states them:
	 * {@code spark.executor.cores}, else a local master's thread count
	 * ({@code local} 1, {@code local[N]} N, {@code local[*]} this machine's
	 * cores, {@code local-cluster[n,c,m]} c); {@code null} when neither says
	 * (a cluster manager's default: the task then takes its machine's cores).
	 */
	static Integer executorCores(final SparkConf conf) {
		if (conf.contains("spark.executor.cores")) return conf.getInt("spark.executor.cores", 1);
		final String master = conf.get("spark.master", "").trim();
		if (master.equals("local")) return 1;
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?]").matcher(master);
		if (m.matches()) return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m
			.group(1));
		final java.util.regex.Matcher c = java.util.regex.Pattern.compile("local-cluster\\[\\d+,\\s*(\\d+),\\s*\\d+]").matcher(
			master);
		if (c.matches()) return Integer.parseInt(c.group(1));
		return null;
	}

	/**
	 * The heap one registration task may use: the executor's heap divided
	 * among the tasks it runs at once ({@code executorCores / taskCpus}), so
	 * that registrations side by side in one executor never size themselves
	 * for the whole heap ({@link RegistrationParameters#heapBytes}).
	 */
	static long taskHeapBytes(final long executorHeap, final Integer executorCores, final int taskCpus) {
		final int cores = executorCores != null ? executorCores : Runtime.getRuntime().availableProcessors();
		return Math.max(64L << 20, executorHeap / Math.max(1, cores / Math.max(1, taskCpus)));
	}

	/**
	 * {@code osteocast register} on Spark: writes {@code out} as the single-machine
	 * command does (the mice that failed left out) and returns the status rows.
	 */
	public static List<MouseResult> register(final JavaSparkContext sc, final Path cohortPath, final Path out,
		final Path work, final RegisterArgs a, final boolean overwrite) throws IOException
	{
		final Cohort cohort = Cohort.read(cohortPath);
		if (a.reference != null && !Files.exists(Path.of(a.reference))) throw new IllegalArgumentException(a.reference +
			": no such reference scan");
		final List<Path> inputs = new ArrayList<>();
		for (final Cohort.Scan s : cohort.scans())
			inputs.add(s.image);
		if (a.reference != null) inputs.add(Path.of(a.reference));
		final String cohortAbs = cohortPath.toAbsolutePath().toString();
		final String stepDir = prepareWork(work, "register", inputs).toString();
		final Faults faults = Faults.from(sc.getConf());
		final int cpus = sc.getConf().getInt("spark.task.cpus", 1);
		final Integer cores = executorCores(sc.getConf());
		try (Output o = Output.folder(out, overwrite, inputs)) {
			final List<String> mice = cohort.mice();
			final List<MouseResult> results = sc.parallelize(mice, mice.size()).map(m -> registerTask(cohortAbs, m,
				stepDir, a, cpus, cores, faults)).collect();
			final List<CohortRegistration.Row> rows = new ArrayList<>();
			for (final MouseResult r : results) {
				if (!r.usable()) continue;
				final Path dir = o.dir().resolve(r.mouse);
				linkAll(Path.of(stepDir).resolve(r.mouse), dir);
				for (final JsonElement e : JsonParser.parseString(r.json).getAsJsonArray()) {
					final JsonObject x = e.getAsJsonObject();
					final int week = x.get("week").getAsInt();
					final String fixed = x.get("fixed").getAsString();
					rows.add(new CohortRegistration.Row(r.mouse, week, fixed, dir.resolve("week" + week + ".tif"), dir.resolve(
						"week" + week + ".transform.json"), "self".equals(fixed) ? null : dir.resolve("week" + week +
							"_qc.png"), (RegistrationResult) fromBase64(x.get("result").getAsString())));
				}
			}
			if (rows.isEmpty()) throw new IllegalArgumentException("no mouse of " + cohortPath + " was registered: " +
				results);
			CohortRegistration.finish(cohort, rows, o.dir());
			o.commit();
			return results;
		}
	}

	static MouseResult registerTask(final String cohortPath, final String mouse, final String stepDirName,
		final RegisterArgs a, final int cpus, final Integer executorCores, final Faults faults)
	{
		final long t0 = System.nanoTime();
		final Path stepDir = Path.of(stepDirName), mouseDir = stepDir.resolve(mouse);
		return guarded(mouse, "register", t0, () -> {
			final Cohort c = Cohort.read(Path.of(cohortPath));
			final RegistrationParameters p = a.parameters(cpus).withHeapBytes(taskHeapBytes(Runtime.getRuntime()
				.maxMemory(), executorCores, cpus));
			final List<Path> inputs = new ArrayList<>();
			final StringBuilder key = new StringBuilder("register " + org.osteocast.OsteoCast.codeVersion() + " levels=" + a.levels + " reference=" + a.reference);
			for (final Cohort.Scan s : c.scans(mouse)) {
				inputs.add(s.image);
				key.append(' ').append(identity(s.image));
			}
			final String done = WorkRecord.verified(stepDir, mouse, mouseDir, key.toString());
			if (done != null) return new MouseResult(mouse, "register", MouseResult.SKIPPED, "verified earlier output",
				seconds(t0), done, null);
			Files.deleteIfExists(WorkRecord.file(stepDir, mouse));
			final Volume<?> ref = a.reference == null ? null : VolumeIO.read(Path.of(a.reference));
			final List<CohortRegistration.Row> rows;
			try (Output o = Output.folder(mouseDir, true, inputs)) {
				rows = CohortRegistration.registerMouse(c, mouse, stepDir, o.dir(), ref, p, Progress.NONE,
					new Cancellation());
				faults.midTask(mouse);
				o.commit();
			}
			final JsonArray arr = new JsonArray();
			for (final CohortRegistration.Row r : rows) {
				final JsonObject x = new JsonObject();
				x.addProperty("week", r.week);
				x.addProperty("fixed", r.fixed);
				// Java serialisation keeps the result exactly as it was made (shared arrays included)
				x.addProperty("result", toBase64(r.result));
				arr.add(x);
			}
			WorkRecord.write(stepDir, mouse, mouseDir, key.toString(), arr.toString());
			final String what = String.format(java.util.Locale.ROOT, "%d scans, heap share %.1f GB", rows.size(), p
				.heapBytes() / (double) (1L << 30));
			return new MouseResult(mouse, "register", MouseResult.OK, what, seconds(t0), arr.toString(), null);
		});
	}

	// ---------------------------------------------------------------- slice

	/** The slice options that travel to the executors (the single-machine command's options). */
	public static final class SliceArgs implements Serializable {
		private static final long serialVersionUID = 1L;
		public int slices = 48, size = 64, weeks = 4;
		public double voiMm = 2.1, offsetMm = 0, split = 0.8, valFraction = 0.125;
		public Integer voiStart, voiSlices, component;
		public String anchor = "growth-plate";
		public double resliceAboveDeg = 10;
		public String proximal = "auto";
		public Double cropMm;
		public String window;
		public long seed = 42;
		public boolean includeUnreliable;

		/** The options as the library's settings (validated), as {@code osteocast slice} makes them. */
		public SliceOptions options() {
			final SliceOptions o = new SliceOptions();
			o.slices = slices;
			o.size = size;
			o.voiMm = voiMm;
			o.voiStart = voiStart;
			o.voiSlices = voiSlices;
			o.anchor = SliceOptions.Anchor.parse(anchor);
			o.component = component;
			o.resliceAboveDeg = resliceAboveDeg;
			o.offsetMm = offsetMm;
			o.proximal = GrowthPlateDetector.Proximal.parse(proximal);
			o.cropMm = cropMm;
			if (window != null) o.window = SliceOptions.parseWindow(window);
			o.trainFraction = split;
			o.valFraction = valFraction;
			o.seed = seed;
			o.weeks = weeks;
			o.includeUnreliable = includeUnreliable;
			return o.validate();
		}
	}

	/**
	 * {@code osteocast slice} on Spark: one task cuts each mouse's VOI; the driver
	 * picks the intensity window from the training mice and writes the data set.
	 * The cuts are small (slices × size² × weeks floats) and travel back to the
	 * driver; the step is redone whole on a rerun (its window is cohort-wide).
	 */
	public static List<MouseResult> slice(final JavaSparkContext sc, final Path cohortPath, final Path out,
		final SliceArgs a, final boolean overwrite) throws IOException
	{
		final SliceOptions o = a.options();
		final Cohort cohort = Cohort.read(cohortPath);
		final List<Path> inputs = new ArrayList<>();
		for (final Cohort.Scan s : cohort.scans())
			inputs.add(s.image);
		inputs.add(cohort.root().resolve("cohort.csv"));
		final CohortSlicer.Plan plan = CohortSlicer.plan(cohort, o);
		final String cohortAbs = cohortPath.toAbsolutePath().toString();
		final Faults faults = Faults.from(sc.getConf());
		try (Output output = Output.folder(out, overwrite, inputs)) {
			final List<MouseResult> results = sc.parallelize(plan.eligible, plan.eligible.size()).map(m -> sliceTask(
				cohortAbs, m, a, faults)).collect();
			final Map<String, CohortSlicer.Cut> cuts = new LinkedHashMap<>();
			for (final MouseResult r : results)
				if (r.usable()) cuts.put(r.mouse, (CohortSlicer.Cut) r.payload);
			plan.eligible.removeIf(m -> !cuts.containsKey(m));
			if (plan.eligible.isEmpty()) throw new IllegalArgumentException("no mouse of " + cohortPath + " was sliced: " +
				results);
			CohortSlicer.finish(cohort, o, plan, cuts, output.dir(), Progress.NONE, new Cancellation());
			output.commit();
			return results;
		}
	}

	static MouseResult sliceTask(final String cohortPath, final String mouse, final SliceArgs a, final Faults faults) {
		final long t0 = System.nanoTime();
		return guarded(mouse, "slice", t0, () -> {
			final SliceOptions o = a.options();
			final Cohort c = Cohort.read(Path.of(cohortPath));
			final CohortSlicer.Cut cut = CohortSlicer.cut(CohortSlicer.plan(c, o), mouse, o, Progress.NONE,
				new Cancellation());
			faults.midTask(mouse);
			return new MouseResult(mouse, "slice", MouseResult.OK, String.join("; ", cut.warnings), seconds(t0), null, cut);
		});
	}

	// ---------------------------------------------------------------- predict

	/** The prediction settings that travel to the executors. */
	public static final class PredictArgs implements Serializable {
		private static final long serialVersionUID = 1L;
		public int samples = 8, horizon = 1, batch = 96;
		public long seed = 1;
		public boolean median, batchStatistics;
		public String split = "test", device = "auto";
		/** As {@code predict --precision}; the driver resolves it once ({@link #resolved}) for every task. */
		public String precision = "auto";
		String resolved = Precision.FP32.label();

		Predictor.Options options() {
			return new Predictor.Options().samples(samples).seed(seed).horizon(horizon).median(median).batch(batch)
				.batchStatistics(batchStatistics).precision(Precision.parse(resolved));
		}

		/** Resolves {@link #precision} for this model as the single-machine {@code predict} does (on the driver). */
		void resolvePrecision(final ModelArchive archive, final Device dev) {
			resolved = Predictor.resolvePrecision(precision, dev, archive, Precision.SYSTEM_CPU, System.out::println).label();
		}

		List<SliceDataset.Split> splits() {
			switch (split.toLowerCase(Locale.ROOT)) {
				case "test":
					return List.of(SliceDataset.Split.TEST);
				case "val":
					return List.of(SliceDataset.Split.VAL);
				case "all":
					return List.of();
				default:
					throw new IllegalArgumentException("--split must be test, val or all, not '" + split + "'");
			}
		}
	}

	/** {@code osteocast predict} on Spark: one task forecasts each mouse; the driver writes prediction.json. */
	public static List<MouseResult> predict(final JavaSparkContext sc, final Path model, final Path data, final Path out,
		final Path work, final PredictArgs a, final boolean overwrite) throws IOException
	{
		final List<SliceDataset.Split> splits = a.splits();
		final ModelArchive archive = ModelArchive.read(model);
		a.resolvePrecision(archive, EngineSetup.device(a.device));
		final Predictor.Options po = a.options();
		po.check();
		final SliceDataset ds = SliceDataset.open(data);
		final List<String> mice = new ArrayList<>();
		for (final SliceDataset.Entry e : ds.entries())
			if (splits.isEmpty() || splits.contains(e.split)) mice.add(e.mouse);
		if (mice.isEmpty()) throw new IllegalArgumentException("no mice in split(s) " + splits + " of " + ds.root());
		final List<Path> inputs = new ArrayList<>();
		for (final SliceDataset.Entry e : ds.entries())
			inputs.add(e.image);
		inputs.add(archive.file());
		final String modelAbs = model.toAbsolutePath().toString(), dataAbs = data.toAbsolutePath().toString();
		final String key = "predict " + org.osteocast.OsteoCast.codeVersion() + " model=" + ModelArchive.sha256(model) + " settings=" + po.toJson();
		final String stepDir = prepareWork(work, "predict", inputs).toString();
		final Faults faults = Faults.from(sc.getConf());
		try (Output o = Output.folder(out, overwrite, inputs)) {
			final List<MouseResult> results = sc.parallelize(mice, mice.size()).map(m -> predictTask(modelAbs, dataAbs, m,
				stepDir, key, a, faults)).collect();
			final JsonArray arr = new JsonArray();
			for (final MouseResult r : results) {
				if (!r.usable()) continue;
				linkAll(Path.of(stepDir).resolve(r.mouse), o.dir());
				arr.add(JsonParser.parseString(r.json));
			}
			if (arr.size() == 0) throw new IllegalArgumentException("no mouse of " + data + " was predicted: " + results);
			EngineSetup.engine();
			final Device device = EngineSetup.device(a.device);
			try (NDManager manager = NDManager.newBaseManager(device)) {
				final ForecastNet net = archive.load(manager);
				Predictor.writeSummary(Predictor.summary(archive, ds, splits, po, device, net), arr, o.dir());
			}
			o.commit();
			return results;
		}
	}

	static MouseResult predictTask(final String model, final String data, final String mouse, final String stepDirName,
		final String key, final PredictArgs a, final Faults faults)
	{
		final long t0 = System.nanoTime();
		final Path stepDir = Path.of(stepDirName), mouseDir = stepDir.resolve(mouse);
		return guarded(mouse, "predict", t0, () -> {
			final SliceDataset ds = SliceDataset.open(Path.of(data));
			SliceDataset.Entry entry = null;
			for (final SliceDataset.Entry e : ds.entries())
				if (e.mouse.equals(mouse)) entry = e;
			if (entry == null) throw new IllegalArgumentException("mouse " + mouse + " is not in " + data);
			final String mouseKey = key + " input=" + entry.image + " " + ModelArchive.sha256(entry.image);
			final String done = WorkRecord.verified(stepDir, mouse, mouseDir, mouseKey);
			if (done != null) return new MouseResult(mouse, "predict", MouseResult.SKIPPED, "verified earlier output",
				seconds(t0), done, null);
			Files.deleteIfExists(WorkRecord.file(stepDir, mouse));
			final ModelArchive archive = ModelArchive.read(Path.of(model));
			EngineSetup.engine();
			final Device device = EngineSetup.device(a.device);
			final JsonObject record;
			try (NDManager manager = NDManager.newBaseManager(device); Output o = Output.folder(mouseDir, true, List.of(
				entry.image, archive.file())))
			{
				record = Predictor.predictMouse(archive, archive.load(manager), manager, entry, a.options(), o.dir(),
					new Cancellation(), null);
				faults.midTask(mouse);
				o.commit();
			}
			WorkRecord.write(stepDir, mouse, mouseDir, mouseKey, record.toString());
			return new MouseResult(mouse, "predict", MouseResult.OK, "", seconds(t0), record.toString(), null);
		});
	}

	// ---------------------------------------------------------------- shared

	/** Writes (atomically) and returns the status table {@code <work>/status.csv}. */
	public static Path writeStatus(final Path work, final List<MouseResult> rows) throws IOException {
		final StringBuilder b = new StringBuilder(Csv.line("mouse", "step", "status", "message", "seconds")).append('\n');
		for (final MouseResult r : rows)
			b.append(Csv.line(r.mouse, r.step, r.status, r.message, String.format(Locale.ROOT, "%.1f", r.seconds))).append(
				'\n');
		Files.createDirectories(work);
		final Path f = work.resolve(STATUS);
		AtomicFiles.writeString(f, b.toString());
		return f;
	}

	/** The work folder of a step; it may not hold an input or lie inside one. */
	static Path prepareWork(final Path work, final String step, final List<Path> inputs) throws IOException {
		final Path w = work.toAbsolutePath().normalize();
		for (final Path in : inputs) {
			if (in == null || !Files.exists(in)) continue;
			final Path real = in.toRealPath();
			if (Files.isDirectory(real) && w.startsWith(real)) throw new IllegalArgumentException(work +
				": the work folder lies inside the input folder " + in + "; choose one outside it");
		}
		return Files.createDirectories(w.resolve(step));
	}

	/** Hard-links (or copies, across file systems) every file of {@code from} into {@code to}. */
	static void linkAll(final Path from, final Path to) throws IOException {
		Files.createDirectories(to);
		final List<Path> files = new ArrayList<>();
		try (Stream<Path> s = Files.list(from)) {
			s.filter(Files::isRegularFile).forEach(files::add);
		}
		for (final Path f : files) {
			final Path t = to.resolve(f.getFileName());
			try {
				Files.createLink(t, f);
			}
			catch (final IOException | UnsupportedOperationException e) {
				Files.copy(f, t);
			}
		}
	}

	/** What identifies an input file cheaply: path, size and modification time. */
	private static String identity(final Path p) throws IOException {
		if (Files.isDirectory(p)) {
			long size = 0, time = 0;
			try (Stream<Path> s = Files.list(p)) {
				for (final Path f : (Iterable<Path>) s::iterator) {
					size += Files.size(f);
					time = Math.max(time, Files.getLastModifiedTime(f).toMillis());
				}
			}
			return p + ":" + size + ":" + time;
		}
		return p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis();
	}

	static String toBase64(final Serializable o) throws IOException {
		final java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
		try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
			out.writeObject(o);
		}
		return java.util.Base64.getEncoder().encodeToString(b.toByteArray());
	}

	static Object fromBase64(final String s) throws IOException {
		try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(java.util.Base64
			.getDecoder().decode(s))))
		{
			return in.readObject();
		}
		catch (final ClassNotFoundException e) {
			throw new IOException("a work record of another OsteoCast version: " + e.getMessage(), e);
		}
	}

	private static double seconds(final long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}

	/** The work of one mouse's task. */
	private interface MouseWork {
		MouseResult run() throws IOException;
	}

	/**
	 * Runs one mouse's task so that its failure is that mouse's status row, not
	 * the job's end: bad input and I/O errors give their message, running out of
	 * heap says which heap to give; what the mouse held is garbage then, so the
	 * executor's other tasks go on.
	 */
	private static MouseResult guarded(final String mouse, final String step, final long t0, final MouseWork work) {
		try {
			return work.run();
		}
		catch (final IOException | RuntimeException e) {
			return new MouseResult(mouse, step, MouseResult.ERROR, message(e), seconds(t0), null, null);
		}
		catch (final OutOfMemoryError e) {
			return new MouseResult(mouse, step, MouseResult.ERROR, outOfHeap(), seconds(t0), null, null);
		}
	}

	/** The status message of a task that ran out of heap: what it had and what to give it. */
	static String outOfHeap() {
		final Runtime rt = Runtime.getRuntime();
		return String.format(java.util.Locale.ROOT, "out of Java heap (the executor's heap is %.1f GB, shared by the " +
			"tasks it runs at once): give each concurrent registration task 4 GB or more (--executor-memory, or " +
			"fewer tasks per executor with a larger spark.task.cpus)", rt.maxMemory() / (double) (1L << 30));
	}

	private static String message(final Exception e) {
		return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
	}
}
