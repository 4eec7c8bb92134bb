package org.osteocast.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.osteocast.io.contracts.Cohort;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast spark register|slice|predict|all}: the per-mouse steps as
 * Apache Spark tasks. The master is never set in code: it comes from
 * {@code --master}, or from {@code spark.master} ({@code spark-submit --master},
 * {@code -Dspark.master=...}), else {@code local[*]}; so the same command runs
 * embedded on one machine and on a cluster.
 */
@Command(name = "osteocast spark", mixinStandardHelpOptions = true, description = {
	"Register, slice and forecast a cohort with one Apache Spark task per mouse, on a shared file system.",
	"Same outputs as osteocast register|slice|predict; a status table per mouse; a rerun skips verified mice." },
	subcommands = { SparkMain.Register.class, SparkMain.Slice.class, SparkMain.Predict.class, SparkMain.All.class })
public final class SparkMain implements Callable<Integer> {

	/** Exit code when some mice failed (the others were written). */
	public static final int EXIT_SOME_FAILED = 3;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		spec.commandLine().usage(spec.commandLine().getOut());
		return 0;
	}

	public static void main(final String... args) {
		System.exit(run(args));
	}

	/** Runs the command line and returns the exit code (for tests). */
	public static int run(final String... args) {
		final CommandLine cl = new CommandLine(new SparkMain());
		cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
			cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + (ex.getMessage() == null ? ex.toString() : ex
				.getMessage()));
			cmd.getErr().flush();
			return ex instanceof IOException || ex instanceof IllegalArgumentException ? 2 : 1;
		});
		return cl.execute(args);
	}

	/** The options every verb shares: the master and the work folder. */
	static final class Common {
		@Option(names = "--master", paramLabel = "URL",
			description = "Spark master (default: spark.master, e.g. from spark-submit, else local[*]).")
		String master;

		@Option(names = "--work", paramLabel = "DIR",
			description = "Work folder on the shared file system: finished mice with their checksums, status.csv (default: <out>-spark-work).")
		Path work;

		@Option(names = "--overwrite", description = "Replace an existing output as a whole (default: refuse to write over it).")
		boolean overwrite;

		Path work(final Path out) {
			return work != null ? work : out.toAbsolutePath().normalize().resolveSibling(out.toAbsolutePath().normalize()
				.getFileName() + "-spark-work");
		}

		JavaSparkContext context(final String step) {
			final SparkConf conf = new SparkConf().setAppName("OsteoCast " + step);
			if (master != null) conf.setMaster(master);
			else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
			final JavaSparkContext sc = new JavaSparkContext(conf);
			if (sc.master().startsWith("local")) sc.setLogLevel("WARN"); // embedded: the status table, not Spark's INFO lines
			return sc;
		}
	}

	static int report(final CommandSpec spec, final Path work, final List<MouseResult> rows, final String what)
		throws IOException
	{
		final Path status = SparkPipeline.writeStatus(work, rows);
		final PrintWriter o = spec.commandLine().getOut();
		o.printf(Locale.ROOT, "%-12s %-9s %-8s %8s  %s%n", "mouse", "step", "status", "seconds", "message");
		int bad = 0;
		for (final MouseResult r : rows) {
			o.printf(Locale.ROOT, "%-12s %-9s %-8s %8.1f  %s%n", r.mouse, r.step, r.status, r.seconds, r.message);
			if (!r.usable()) bad++;
		}
		o.printf(Locale.ROOT, "%s; status table %s%n", what, status);
		o.flush();
		return bad == 0 ? 0 : EXIT_SOME_FAILED;
	}

	/** The slice options, named as in {@code osteocast slice}. */
	static final class SliceOptionsMixin {
		@Option(names = "--slices", defaultValue = "48") int slices;
		@Option(names = "--size", defaultValue = "64") int size;
		@Option(names = "--voi-mm", defaultValue = "2.1") double voiMm;
		@Option(names = "--voi-start", defaultValue = "auto", paramLabel = "auto|N") String voiStart;
		@Option(names = "--voi-slices", paramLabel = "N") Integer voiSlices;
		@Option(names = "--anchor", defaultValue = "growth-plate", paramLabel = "growth-plate|tf-junction") String anchor;
		@Option(names = "--component", paramLabel = "N") Integer component;
		@Option(names = "--reslice-above-deg", defaultValue = "10") double resliceAboveDeg;
		@Option(names = "--offset-mm", defaultValue = "0") double offsetMm;
		@Option(names = "--proximal", defaultValue = "auto", paramLabel = "top|bottom|auto") String proximal;
		@Option(names = "--crop-mm", paramLabel = "MM") Double cropMm;
		@Option(names = "--window", paramLabel = "LO,HI") String window;
		@Option(names = "--split", defaultValue = "0.8") double split;
		@Option(names = "--val-fraction", defaultValue = "0.125") double valFraction;
		@Option(names = "--slice-seed", defaultValue = "42", description = "Seed of the split (slice's --seed).") long seed;
		@Option(names = "--weeks", defaultValue = "4") int weeks;
		@Option(names = "--include-unreliable") boolean includeUnreliable;

		SparkPipeline.SliceArgs args() {
			final SparkPipeline.SliceArgs a = new SparkPipeline.SliceArgs();
			a.slices = slices;
			a.size = size;
			a.voiMm = voiMm;
			if (!"auto".equalsIgnoreCase(voiStart.trim())) {
				try {
					a.voiStart = Integer.parseInt(voiStart.trim());
				}
				catch (final NumberFormatException e) {
					throw new IllegalArgumentException("--voi-start must be auto or a slice index, not '" + voiStart + "'");
				}
			}
			a.voiSlices = voiSlices;
			a.anchor = anchor;
			a.component = component;
			a.resliceAboveDeg = resliceAboveDeg;
			a.offsetMm = offsetMm;
			a.proximal = proximal;
			a.cropMm = cropMm;
			a.window = window;
			a.split = split;
			a.valFraction = valFraction;
			a.seed = seed;
			a.weeks = weeks;
			a.includeUnreliable = includeUnreliable;
			a.options(); // validated before Spark starts
			return a;
		}
	}

	/** The prediction options, named as in {@code osteocast predict}. */
	static final class PredictOptionsMixin {
		@Option(names = "--samples", defaultValue = "8") int samples;
		@Option(names = "--seed", defaultValue = "1", description = "Random seed of the forecasts.") long seed;
		@Option(names = "--horizon", defaultValue = "1") int horizon;
		@Option(names = "--predict-split", defaultValue = "test", description = "test, val or all (predict's --split).") String split;
		@Option(names = "--median") boolean median;
		@Option(names = "--bn", defaultValue = "running") String bn;
		@Option(names = "--batch", defaultValue = "96") int batch;
		@Option(names = "--device", defaultValue = "auto") String device;
		@Option(names = "--precision", defaultValue = "auto", description = "auto, fp32 or bf16, as predict's --precision (resolved once, on the driver).") String precision;

		SparkPipeline.PredictArgs args() {
			if (!bn.equals("running") && !bn.equals("batch")) throw new IllegalArgumentException(
				"--bn must be running or batch, not '" + bn + "'");
			final SparkPipeline.PredictArgs a = new SparkPipeline.PredictArgs();
			a.samples = samples;
			a.seed = seed;
			a.horizon = horizon;
			a.split = split;
			a.median = median;
			a.batchStatistics = bn.equals("batch");
			a.batch = batch;
			a.device = device;
			a.precision = precision;
			a.splits();
			return a;
		}
	}

	/** The registration options, named as in {@code osteocast register}. */
	static final class RegisterOptionsMixin {
		@Option(names = "--reference", paramLabel = "FILE") Path reference;
		@Option(names = "--levels", defaultValue = "3") int levels;
		@Option(names = "--threads", paramLabel = "N", description = "Threads per task (default: spark.task.cpus).") Integer threads;

		SparkPipeline.RegisterArgs args() {
			final SparkPipeline.RegisterArgs a = new SparkPipeline.RegisterArgs();
			a.levels = levels;
			a.threads = threads;
			a.reference = reference == null ? null : reference.toAbsolutePath().toString();
			return a;
		}
	}

	@Command(name = "register", mixinStandardHelpOptions = true,
		description = "osteocast register with one Spark task per mouse.")
	static final class Register implements Callable<Integer> {
		@Spec CommandSpec spec;
		@Mixin Common common = new Common();
		@Mixin RegisterOptionsMixin reg = new RegisterOptionsMixin();
		@Option(names = "--cohort", required = true, paramLabel = "CSV|DIR") Path cohort;
		@Option(names = "--out", required = true, paramLabel = "DIR") Path out;

		@Override
		public Integer call() throws Exception {
			final SparkPipeline.RegisterArgs a = reg.args();
			try (JavaSparkContext sc = common.context("register")) {
				final Path work = common.work(out);
				return report(spec, work, SparkPipeline.register(sc, cohort, out, work, a, common.overwrite),
					"registered into " + out);
			}
		}
	}

	@Command(name = "slice", mixinStandardHelpOptions = true,
		description = "osteocast slice with one Spark task per mouse (the intensity window on the driver).")
	static final class Slice implements Callable<Integer> {
		@Spec CommandSpec spec;
		@Mixin Common common = new Common();
		@Mixin SliceOptionsMixin slice = new SliceOptionsMixin();
		@Option(names = "--cohort", required = true, paramLabel = "CSV|DIR") Path cohort;
		@Option(names = "--out", required = true, paramLabel = "DIR") Path out;

		@Override
		public Integer call() throws Exception {
			final SparkPipeline.SliceArgs a = slice.args();
			try (JavaSparkContext sc = common.context("slice")) {
				return report(spec, common.work(out), SparkPipeline.slice(sc, cohort, out, a, common.overwrite),
					"sliced into " + out);
			}
		}
	}

	@Command(name = "predict", mixinStandardHelpOptions = true,
		description = "osteocast predict with one Spark task per mouse.")
	static final class Predict implements Callable<Integer> {
		@Spec CommandSpec spec;
		@Mixin Common common = new Common();
		@Mixin PredictOptionsMixin pred = new PredictOptionsMixin();
		@Option(names = "--model", required = true) Path model;
		@Option(names = "--data", required = true) Path data;
		@Option(names = "--out", required = true, paramLabel = "DIR") Path out;

		@Override
		public Integer call() throws Exception {
			final SparkPipeline.PredictArgs a = pred.args();
			try (JavaSparkContext sc = common.context("predict")) {
				final Path work = common.work(out);
				return report(spec, work, SparkPipeline.predict(sc, model, data, out, work, a, common.overwrite),
					"predicted into " + out);
			}
		}
	}

	@Command(name = "all", mixinStandardHelpOptions = true, description = {
		"register -> slice -> predict with a trained model, one Spark task per mouse and step:",
		"<out>/registered, <out>/slices, <out>/predictions, and <out>/spark-work/status.csv." })
	static final class All implements Callable<Integer> {
		@Spec CommandSpec spec;
		@Mixin Common common = new Common();
		@Mixin RegisterOptionsMixin reg = new RegisterOptionsMixin();
		@Mixin SliceOptionsMixin slice = new SliceOptionsMixin();
		@Mixin PredictOptionsMixin pred = new PredictOptionsMixin();
		@Option(names = "--cohort", required = true, paramLabel = "CSV|DIR") Path cohort;
		@Option(names = "--model", required = true) Path model;
		@Option(names = "--out", required = true, paramLabel = "DIR") Path out;

		@Override
		public Integer call() throws Exception {
			final SparkPipeline.RegisterArgs ra = reg.args();
			final SparkPipeline.SliceArgs sa = slice.args();
			final SparkPipeline.PredictArgs pa = pred.args();
			Cohort.read(cohort); // bad input stops here, before Spark starts
			final Path work = common.work != null ? common.work : out.resolve("spark-work");
			final Path registered = out.resolve("registered"), slices = out.resolve("slices"), predictions = out.resolve(
				"predictions");
			final List<MouseResult> rows = new ArrayList<>();
			try (JavaSparkContext sc = common.context("all")) {
				rows.addAll(SparkPipeline.register(sc, cohort, registered, work, ra, common.overwrite));
				rows.addAll(SparkPipeline.slice(sc, registered.resolve("cohort.csv"), slices, sa, common.overwrite));
				rows.addAll(SparkPipeline.predict(sc, model, slices, predictions, work, pa, common.overwrite));
			}
			finally {
				if (!rows.isEmpty()) SparkPipeline.writeStatus(work, rows);
			}
			return report(spec, work, rows, "register, slice and predict into " + out);
		}
	}
}
