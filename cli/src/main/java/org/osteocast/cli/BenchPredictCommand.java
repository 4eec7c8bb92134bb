package org.osteocast.cli;

import ai.djl.Device;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.nn.engine.Bf16Kernels;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.tvae.TvaeConfig;
import org.osteocast.predict.PredictBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code osteocast bench predict}: wall time of forecasting one mouse (a
 * 48-slice volume, 8 samples) with the 2-D T-VAE in each precision asked
 * for, median and range of the timed runs.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
	description = "Benchmark the prediction of one volume (default 48 slices of 64 x 64, 8 samples, nf 64) in fp32 and bf16.")
public final class BenchPredictCommand implements Callable<Integer> {

	@Option(names = "--nf", defaultValue = "64", description = "Encoder base width (default ${DEFAULT-VALUE}).")
	int nf;

	@Option(names = "--size", defaultValue = "64", description = "Slice size (default ${DEFAULT-VALUE}).")
	int size;

	@Option(names = "--slices", defaultValue = "48", description = "Slices of the volume (default ${DEFAULT-VALUE}).")
	int slices;

	@Option(names = "--samples", defaultValue = "8", description = "Samples per slice (default ${DEFAULT-VALUE}).")
	int samples;

	@Option(names = "--repeats", defaultValue = "5", description = "Timed runs after one warm-up; the median is reported (default ${DEFAULT-VALUE}).")
	int repeats;

	@Option(names = "--precision", split = ",", defaultValue = "fp32,bf16", description = "Precision(s) to measure (default ${DEFAULT-VALUE}).")
	String[] precisions;

	@Option(names = "--threads", description = "PyTorch intra-op threads (default: OSTEOCAST_THREADS or all cores).")
	Integer threads;

	@Option(names = "--target", defaultValue = "1.0", description = "Target seconds per volume (default ${DEFAULT-VALUE}).")
	double target;

	@Override
	public Integer call() throws Exception {
		if (threads != null) EngineSetup.intraOpThreads(threads);
		final Device dev = Device.cpu();
		System.out.println(String.format(Locale.ROOT, "device %s, intra-op threads %d; %d slices of %d x %d, %d samples, " +
			"nf %d; %d timed runs after one warm-up", dev, EngineSetup.intraOpThreads(), slices, size, size, samples, nf,
			repeats));
		final TvaeConfig cfg = TvaeConfig.builder().optNf(nf).optImageSize(size).build();
		for (final String p : precisions) {
			final Precision precision = Precision.parse(p);
			final String why = precision == Precision.BF16 ? Bf16Kernels.gate() : null;
			if (why != null) {
				System.out.println("bf16: not available (" + why + ")");
				continue;
			}
			final double[] t = PredictBenchmark.secondsPerVolume(cfg, slices, samples, repeats, precision, dev);
			final double med = t[t.length / 2];
			System.out.println(String.format(Locale.ROOT,
				"predict %s: %.3f s per volume (median; range %.3f-%.3f s over %d runs; target <= %.1f s: %s)", precision
					.label(), med, t[0], t[t.length - 1], t.length, target, med <= target ? "met" : "not met"));
		}
		return 0;
	}
}
