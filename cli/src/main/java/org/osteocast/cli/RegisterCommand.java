package org.osteocast.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Parallel;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.register.CohortRegistration;
import org.osteocast.register.bench.RegistrationBenchmark;
import org.osteocast.register.RegistrationParameters;
import org.osteocast.register.RegistrationResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast register}: rigid registration of every week onto the
 * mouse's first week (and, with {@code --reference}, onto a reference tibia).
 * A thin layer over {@link CohortRegistration}.
 */
@Command(name = "register", mixinStandardHelpOptions = true, description = {
	"Register each mouse's weekly scans rigidly onto its first week (optionally then onto a reference tibia).",
	"Writes <out>/<mouse>/week<k>.tif, week<k>.transform.json, week<k>_qc.png, cohort.csv and registration_summary.csv." })
public final class RegisterCommand implements Callable<Integer> {

	/** Exit code of {@code --strict} when a pair is unreliable. */
	public static final int EXIT_UNRELIABLE = 3;

	@Spec
	CommandSpec spec;

	@Option(names = "--cohort", required = true, paramLabel = "CSV|DIR",
		description = "Cohort manifest (mouse,week,image[,group]) or a folder <mouse>/week<k>.<ext>.")
	Path cohort;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder: new or empty (or --overwrite); never an input's.")
	Path out;

	@Option(names = "--reference", paramLabel = "FILE",
		description = "A reference tibia scan: every week is brought into its frame (week 1 -> reference composed).")
	Path reference;

	@Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
	Integer threads;

	@Option(names = "--levels", paramLabel = "N", defaultValue = "3",
		description = "Pyramid levels (default: ${DEFAULT-VALUE}).")
	int levels;

	@Option(names = "--overwrite", description = "Replace an existing output as a whole (default: refuse to write over it).")
	boolean overwrite;

	@Option(names = "--strict", description = "Exit with code " + EXIT_UNRELIABLE + " if any pair is unreliable.")
	boolean strict;

	@Override
	public Integer call() throws Exception {
		if (reference != null && !Files.exists(reference)) throw new IllegalArgumentException(reference +
			": no such reference scan");
		final Cohort c = Cohort.read(cohort);
		RegistrationParameters p = RegistrationParameters.defaults().withLevels(levels);
		if (threads != null) p = p.withThreads(threads);
		final PrintWriter o = spec.commandLine().getOut();
		final Cancellation cancel = new Cancellation();
		final RegistrationParameters params = p;
		final CohortRegistration.Summary s = Interrupts.cancellable(cancel, "interrupted (Ctrl-C); nothing was written",
			() -> CohortRegistration.run(c, out, reference, params, overwrite, new ConsoleProgress(System.err), cancel));
		for (final CohortRegistration.Row r : s.rows) {
			final RegistrationResult x = r.result;
			o.printf(Locale.ROOT, "%s week %d -> %s: rotation %.2f deg, translation %.1f um, metric %.4f, dice %.3f%s%n",
				r.mouse, r.week, r.fixed, x.rotationDeg(), x.translationLengthUm(), x.metric(), x.dice(), x.reliable() ? ""
					: "  UNRELIABLE: " + x.reason());
		}
		final List<CohortRegistration.Row> bad = s.unreliable();
		o.printf(Locale.ROOT, "%d scans registered, %d unreliable; summary %s, manifest %s%n", s.rows.size(), bad.size(),
			s.summaryCsv, s.manifest);
		o.flush();
		return strict && !bad.isEmpty() ? EXIT_UNRELIABLE : 0;
	}

	/** {@code osteocast bench register}: OsteoCast vs elastix on pairs with known transforms. */
	@Command(name = "register", mixinStandardHelpOptions = true, description = {
		"Register the same pairs with OsteoCast and elastix (rigid Euler, AdvancedMeanSquares, 3 resolutions)",
		"and print both displacement errors (voxels) and the ratio of wall times." })
	public static final class Bench implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--pairs", defaultValue = "5", description = "Synthetic pairs (default: ${DEFAULT-VALUE}).")
		int pairs;

		@Option(names = "--size", defaultValue = "128", description = "Synthetic volume width in voxels (default: ${DEFAULT-VALUE}).")
		int size;

		@Option(names = "--realdata", paramLabel = "DIR", defaultValue = "../shared/realdata",
			description = "Real scans to add (skipped if absent; default: ${DEFAULT-VALUE}).")
		Path realdata;

		@Option(names = "--elastix", defaultValue = "elastix", description = "elastix executable (default: ${DEFAULT-VALUE} on PATH).")
		String elastix;

		@Option(names = "--param", paramLabel = "FILE", description = "elastix parameter file (default: bench/register/elastix_rigid.txt).")
		Path param;

		@Option(names = "--threads", paramLabel = "N", description = "Threads for both tools (default: all cores).")
		Integer threads;

		@Option(names = "--work", paramLabel = "DIR", description = "Folder for elastix inputs/outputs (default: a temporary folder).")
		Path work;

		@Option(names = "--seed", defaultValue = "1", description = "Seed of the random transforms (default: ${DEFAULT-VALUE}).")
		long seed;

		@Override
		public Integer call() throws Exception {
			if (pairs < 1) throw new IllegalArgumentException("--pairs must be at least 1, not " + pairs);
			if (size < 32) throw new IllegalArgumentException("--size must be at least 32 voxels, not " + size);
			final PrintWriter o = spec.commandLine().getOut();
			final int n = threads != null ? threads : Parallel.threads();
			Path exe = RegistrationBenchmark.findExecutable(elastix);
			Path params = param;
			if (exe != null && params == null) params = findParams();
			if (exe == null) o.println("elastix not found (" + elastix +
				"): install it with 'sudo apt-get install -y elastix' or pass --elastix PATH; running OsteoCast alone.");
			else if (params == null || !Files.isRegularFile(params)) {
				o.println("elastix parameter file not found (bench/register/elastix_rigid.txt; pass --param FILE); running OsteoCast alone.");
				exe = null;
			}
			else o.println("elastix: " + exe + " with " + params);
			final List<RegistrationBenchmark.Case> cases = new ArrayList<>(RegistrationBenchmark.syntheticCases(pairs, size,
				seed));
			if (Files.isDirectory(realdata)) cases.addAll(RegistrationBenchmark.realCases(realdata, seed + 1000));
			else o.println("real data not found at " + realdata + ": synthetic pairs only.");
			final Path dir = work != null ? work : Files.createTempDirectory("osteocast-bench-register");
			o.println("work folder: " + dir);
			RegistrationBenchmark.run(cases, exe, params, n, dir, o);
			return 0;
		}

		private static Path findParams() {
			final Path cwd = Path.of("bench", "register", "elastix_rigid.txt");
			if (Files.isRegularFile(cwd)) return cwd;
			try {
				final Path jar = Path.of(RegisterCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
				for (Path d = jar.getParent(); d != null; d = d.getParent()) {
					final Path p = d.resolve("bench").resolve("register").resolve("elastix_rigid.txt");
					if (Files.isRegularFile(p)) return p;
				}
			}
			catch (final Exception e) {
				// fall through: not found
			}
			return null;
		}
	}
}
