package org.osteocast.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.osteocast.core.BadInputException;
import org.osteocast.register.bench.RegistrationBenchmark;
import org.osteocast.register.bench.ScaleBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast bench scale}: wall time and peak memory of {@code register}
 * and {@code slice} (each in its own process with a fixed heap) and of elastix,
 * on synthetic 16-bit pairs from 10 M to 1.1 G voxels ({@link ScaleBenchmark}).
 */
@Command(name = "scale", mixinStandardHelpOptions = true, description = {
	"Time and peak memory of register and slice (own process, fixed heap) and of elastix on synthetic 16-bit pairs",
	"of growing size; raw results into --out (results.csv, environment.txt, logs/)." })
public final class BenchScaleCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--sizes", split = ",", defaultValue = "10M,58M,195M,1.1G", paramLabel = "SIZE",
		description = "Pair sizes: 10M, 58M, 195M, 0.42G, 1.1G or NXxNYxNZ (default: ${DEFAULT-VALUE}).")
	List<String> sizes;

	@Option(names = "--work", required = true, paramLabel = "DIR",
		description = "Folder for the pairs and outputs (needs about 5 bytes per voxel of the largest size).")
	Path work;

	@Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: bench/scale/results/<date>).")
	Path out;

	@Option(names = "--xmx", defaultValue = "4g", description = "Java heap of the OsteoCast processes (default: ${DEFAULT-VALUE}).")
	String xmx;

	@Option(names = "--threads", defaultValue = "2", description = "Threads of every tool (default: ${DEFAULT-VALUE}).")
	int threads;

	@Option(names = "--runs", defaultValue = "3", description = "Runs per size (default: ${DEFAULT-VALUE}).")
	int runs;

	@Option(names = "--big-runs", defaultValue = "1",
		description = "Runs per size of 400 M voxels or more (default: ${DEFAULT-VALUE}).")
	int bigRuns;

	@Option(names = "--elastix-runs", defaultValue = "1", description = "elastix runs per size (default: ${DEFAULT-VALUE}).")
	int elastixRuns;

	@Option(names = "--elastix", defaultValue = "elastix", description = "elastix executable, or 'none' (default: ${DEFAULT-VALUE}).")
	String elastix;

	@Option(names = "--elastix-params", split = ",", paramLabel = "FILE",
		description = "elastix parameter files, each a configuration run on every pair and labelled elastix:<name> " +
			"(default: bench/scale/elastix_rigid_scale.txt).")
	List<Path> elastixParams;

	@Option(names = "--drift", defaultValue = "0", paramLabel = "FRACTION",
		description = "Intensity drift of week 2 (gain and offset moved by this fraction; default: ${DEFAULT-VALUE}).")
	double drift;

	@Option(names = "--no-slice", description = "Time registration only (not slice).")
	boolean noSlice;

	@Option(names = "--keep", description = "Keep each size's scans and outputs in --work.")
	boolean keep;

	@Option(names = "--format", defaultValue = "tiff", paramLabel = "FORMAT",
		description = "Format of the pairs: tiff (stack), nrecon (folder of 16-bit slices with the reconstruction log) or "
			+ "nifti (.nii); elastix runs on TIFF pairs only (default: ${DEFAULT-VALUE}).")
	String format;

	@Override
	public Integer call() throws Exception {
		final List<ScaleBenchmark.Size> list = new ArrayList<>();
		for (final String s : sizes)
			list.add(ScaleBenchmark.size(s.trim()));
		if (runs < 1 || bigRuns < 1) throw new IllegalArgumentException("--runs and --big-runs must be at least 1");
		final ScaleBenchmark.Options o = new ScaleBenchmark.Options();
		o.work = work;
		o.out = out != null ? out : Path.of("bench", "scale", "results", LocalDate.now().toString());
		o.xmx = xmx;
		o.threads = threads;
		o.runs = runs;
		o.bigRuns = bigRuns;
		o.keep = keep;
		o.elastixRuns = elastixRuns;
		o.drift = drift;
		o.slice = !noSlice;
		o.format = ScaleBenchmark.format(format);
		final PrintWriter log = spec.commandLine().getOut();
		if (!"none".equals(elastix)) {
			o.elastix = RegistrationBenchmark.findExecutable(elastix);
			o.elastixParams = elastixParams != null ? new ArrayList<>(elastixParams) : new ArrayList<>(List.of(Path.of(
				"bench", "scale", "elastix_rigid_scale.txt")));
			for (final Path p : o.elastixParams)
				if (!Files.isRegularFile(p)) throw new BadInputException(p,
					"elastix parameter file not found");
			if (o.elastix == null) {
				log.println("elastix not found (" + elastix + "): running OsteoCast alone.");
				o.elastix = null;
			}
		}
		final Path csv = ScaleBenchmark.run(list, o, log);
		log.println("results: " + csv);
		log.flush();
		return 0;
	}
}
