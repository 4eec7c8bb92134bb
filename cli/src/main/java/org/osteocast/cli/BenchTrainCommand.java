package org.osteocast.cli;

import ai.djl.Device;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.tvae.TvaeConfig;
import org.osteocast.train.StepBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code osteocast bench train}: ms per training step and sequences per
 * second of the T-VAE at one or more widths, the achieved FLOP/s against a
 * large matrix multiply through the same engine and threads, and the PyTorch
 * peer script's figure ({@code bench/train/tvae_bench.py}, same architecture
 * and up-sampling formulation, best of 1 to all cores' threads) when Python
 * with torch is available, with both ratios the speed target asks for:
 * OsteoCast's throughput over the peer's and the achieved FLOP/s as a share
 * of the matmul's. (A standalone command: the {@code bench} parent command
 * belongs to another module; it can adopt this class as its {@code train}
 * subcommand.)
 */
@Command(name = "train", mixinStandardHelpOptions = true,
	description = "Benchmark the T-VAE training step (batch 48, 4 weeks of 64 x 64) against a matmul and the PyTorch peer script.")
public final class BenchTrainCommand implements Callable<Integer> {

	@Option(names = "--nf", split = ",", defaultValue = "64", description = "Widths to measure, e.g. 16,32,64 (default ${DEFAULT-VALUE}).")
	int[] nfs;

	@Option(names = "--upsample", split = ",", defaultValue = "subpixel", description = "Decoder up-sampling(s) to measure: subpixel, pixel_shuffle, resize_conv (default ${DEFAULT-VALUE}).")
	String[] upsamples;

	@Option(names = "--batch", defaultValue = "48", description = "Batch size (default ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--size", defaultValue = "64", description = "Slice size (default ${DEFAULT-VALUE}).")
	int size;

	@Option(names = "--steps", defaultValue = "3", description = "Timed steps per epoch (default ${DEFAULT-VALUE}).")
	int steps;

	@Option(names = "--repeats", defaultValue = "3", description = "Timed epochs; the median is reported (default ${DEFAULT-VALUE}).")
	int repeats;

	@Option(names = "--threads", description = "PyTorch intra-op threads (default: OSTEOCAST_THREADS or all cores).")
	Integer threads;

	@Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch for the peer script (default ${DEFAULT-VALUE}); 'none' to skip.")
	String python;

	@Option(names = "--peer-heap", split = ",", defaultValue = "default,kept", description = "C heap of the peer: default (glibc as it comes) and/or kept (MALLOC_MMAP_MAX_=0 etc., as OsteoCast keeps its heap; NativeHeap) (default ${DEFAULT-VALUE}).")
	String[] peerHeaps;

	@Option(names = "--script", defaultValue = "bench/train/tvae_bench.py", description = "The PyTorch peer script (default ${DEFAULT-VALUE}).")
	Path script;

	@Override
	public Integer call() throws Exception {
		if (threads != null) EngineSetup.intraOpThreads(threads);
		final Device dev = EngineSetup.device(device);
		final int th = EngineSetup.intraOpThreads();
		System.out.println(String.format(Locale.ROOT, "device %s, intra-op threads %d, batch %d, 4 weeks of %d x %d", dev,
			th, batch, size, size));
		// the reference is the better of two sizes, so that neither a cache effect nor a slow size flatters the ratio
		final double mm1 = StepBenchmark.matmulFlops(1024, 8, dev), mm2 = StepBenchmark.matmulFlops(2048, 4, dev);
		final double mm = Math.max(mm1, mm2);
		System.out.println(String.format(Locale.ROOT,
			"matmul through DJL: 1024^3 %.1f GFLOP/s, 2048^3 %.1f GFLOP/s; reference %.1f GFLOP/s", mm1 / 1e9, mm2 / 1e9, mm /
				1e9));
		for (final int nf : nfs) {
			for (final String up : upsamples) {
				final TvaeConfig cfg = TvaeConfig.builder().optNf(nf).optImageSize(size).optUpsample(TvaeConfig.Upsample.parse(
					up)).build();
				final double ms = StepBenchmark.msPerStep(cfg, batch, steps, repeats, dev);
				final double flops = StepBenchmark.flopsPerStep(cfg, batch);
				final double pct = 100 * flops / (ms / 1000) / mm;
				System.out.println(String.format(Locale.ROOT,
					"DJL nf %d %s: %.0f ms/step, %.1f sequences/s, %.1f GFLOP/step, %.1f GFLOP/s (%.0f%% of matmul, target >= 50%%: %s)",
					nf, cfg.upsample.label(), ms, batch / (ms / 1000), flops / 1e9, flops / ms / 1e6, pct, pct >= 50 ? "met"
						: "not met"));
				if ("none".equals(python) || !Files.isRegularFile(script)) continue;
				if (cfg.upsample == TvaeConfig.Upsample.RESIZE_CONV) {
					System.out.println("PyTorch peer nf " + nf + " resize_conv: not in the peer script");
					continue;
				}
				for (final String heap : peerHeaps) {
					final boolean kept = "kept".equals(heap.trim());
					final String best = peer(nf, cfg.upsample.label(), th, kept);
					final double peerMs = peerMs(best);
					final String label = "PyTorch peer nf " + nf + " " + cfg.upsample.label() + (kept ? ", heap kept" : ", default heap");
					if (Double.isNaN(peerMs)) System.out.println(label + ": " + best);
					else System.out.println(String.format(Locale.ROOT,
						"%s: %.0f ms/step, %.1f sequences/s (%s); OsteoCast/peer throughput %.2fx (target >= 1.5x: %s)", label,
						peerMs, batch / (peerMs / 1000), best, peerMs / ms, peerMs / ms >= 1.5 ? "met" : "not met"));
				}
			}
		}
		return 0;
	}

	/** The {@code ms_per_step} of the peer's best line, NaN if it has none. */
	static double peerMs(final String line) {
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"ms_per_step\":\\s*([0-9.eE+-]+)").matcher(
			line);
		return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
	}

	/**
	 * Runs the peer script at 1..max(threads, cores) threads and returns its
	 * best line; with {@code keptHeap} under the C-heap settings OsteoCast's
	 * training uses ({@code NativeHeap}), so that the ratio compares the
	 * computations rather than how often each process maps fresh memory.
	 */
	private String peer(final int nf, final String upsample, final int th, final boolean keptHeap) {
		final List<String> ts = new ArrayList<>();
		for (int t = 1; t <= Math.max(th, Runtime.getRuntime().availableProcessors()); t++)
			ts.add(Integer.toString(t));
		try {
			final ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--nf", Integer.toString(nf), "--batch",
				Integer.toString(batch), "--steps", Integer.toString(steps), "--warmup", "1", "--upsample", upsample, "--threads",
				String.join(",", ts)).redirectErrorStream(true);
			if (keptHeap) {
				// the settings NativeHeap applies to OsteoCast's own process, through glibc's environment variables
				pb.environment().put("MALLOC_MMAP_MAX_", "0");
				pb.environment().put("MALLOC_TRIM_THRESHOLD_", Integer.toString(Integer.MAX_VALUE));
				pb.environment().put("MALLOC_TOP_PAD_", Integer.toString(64 << 20));
			}
			final Process p = pb.start();
			String last = "";
			try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
				StandardCharsets.UTF_8)))
			{
				for (String l; (l = r.readLine()) != null;)
					last = l;
			}
			return p.waitFor() == 0 ? last : "failed (" + last + ")";
		}
		catch (final Exception e) {
			return "not available (" + e.getMessage() + ")";
		}
	}
}
