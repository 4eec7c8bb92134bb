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

import org.osteocast.nn.engine.Bf16Kernels;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.tvae.TvaeConfig;
import org.osteocast.train.StepBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code osteocast bench train}: ms per training step and sequences per
 * second of the T-VAE at one or more widths, the achieved FLOP/s against a
 * large matrix multiply through the same engine and threads, and the PyTorch
 * peer script's figure ({@code bench/train/tvae_bench.py}, same architecture
 * and up-sampling formulation; at OsteoCast's threads when {@code --threads}
 * pins them, else its best of 1 to all cores' threads) when Python with
 * torch is available, with both ratios the speed target asks for:
 * OsteoCast's throughput over the peer's and the achieved FLOP/s as a share
 * of the matmul's. Each OsteoCast configuration is timed in a fresh JVM
 * (this command started again with the same JVM options and class path), as
 * each peer configuration runs in a fresh Python process, and as a training
 * run starts: in one process the second configuration would inherit the
 * first one's C heap and kernel caches. {@code --process shared} times them
 * all in this process, one after another. (A standalone command: the {@code bench} parent command
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

	@Option(names = "--precision", split = ",", defaultValue = "fp32", description = "Precision(s) to measure: fp32 and/or bf16 (OsteoCast's --precision; for bf16 the peer runs under torch.autocast to bfloat16 and, apart, with OsteoCast's casts around each layer) (default ${DEFAULT-VALUE}).")
	String[] precisions;

	/** Where OsteoCast's configurations are timed. */
	enum Timing {
		/** Each in a fresh JVM, as each peer configuration runs in a fresh Python process. */
		fresh,
		/** All in the command's JVM, one after another. */
		shared
	}

	@Option(names = "--process", defaultValue = "fresh", description = "fresh: each OsteoCast configuration is timed in a fresh JVM, as each peer runs in a fresh Python process; shared: all in this JVM, one after another (default ${DEFAULT-VALUE}).")
	Timing process;

	/** Set in the JVM that {@code --process fresh} starts: times one configuration and prints {@link #CHILD_LINE}. */
	@Option(names = "--child", hidden = true)
	boolean child;

	/** What a child prints before its ms per step. */
	static final String CHILD_LINE = "osteocast step ms: ";

	@Override
	public Integer call() throws Exception {
		if (threads != null) EngineSetup.intraOpThreads(threads);
		final Device dev = EngineSetup.device(device);
		final int th = EngineSetup.intraOpThreads();
		if (child) {
			if (nfs.length != 1 || upsamples.length != 1 || precisions.length != 1) throw new IllegalArgumentException(
				"--child times one width, up-sampling and precision");
			final TvaeConfig cfg = TvaeConfig.builder().optNf(nfs[0]).optImageSize(size).optUpsample(TvaeConfig.Upsample
				.parse(upsamples[0])).build();
			System.out.println(CHILD_LINE + StepBenchmark.msPerStep(cfg, batch, steps, repeats, dev, Precision.parse(
				precisions[0])));
			return 0;
		}
		System.out.println(String.format(Locale.ROOT,
			"device %s, intra-op threads %d, batch %d, 4 weeks of %d x %d; OsteoCast timed %s", dev, th, batch, size, size,
			process == Timing.fresh ? "in a fresh JVM per configuration" : "in this JVM, one configuration after another"));
		// the reference is the better of two sizes, so that neither a cache effect nor a slow size flatters the ratio
		final double mm1 = StepBenchmark.matmulFlops(1024, 8, dev), mm2 = StepBenchmark.matmulFlops(2048, 4, dev);
		final double mm = Math.max(mm1, mm2);
		System.out.println(String.format(Locale.ROOT,
			"matmul through DJL: 1024^3 %.1f GFLOP/s, 2048^3 %.1f GFLOP/s; reference %.1f GFLOP/s", mm1 / 1e9, mm2 / 1e9, mm /
				1e9));
		final List<Precision> ps = new ArrayList<>();
		for (final String p : precisions)
			ps.add(Precision.parse(p));
		double bmm = Double.NaN;
		if (ps.contains(Precision.BF16)) {
			final String why = Bf16Kernels.gate();
			if (why != null) throw new IllegalArgumentException("--precision bf16: " + why);
			final double b1 = StepBenchmark.bf16MatmulFlops(1024, 8, dev), b2 = StepBenchmark.bf16MatmulFlops(2048, 4, dev);
			bmm = Math.max(b1, b2);
			System.out.println(String.format(Locale.ROOT,
				"bf16 matmul through DJL (scripted kernel, fp32 in and out): 1024^3 %.1f GFLOP/s, 2048^3 %.1f GFLOP/s; " +
					"bf16 reference %.1f GFLOP/s (%.2fx the fp32 one)", b1 / 1e9, b2 / 1e9, bmm / 1e9, bmm / mm));
		}
		for (final int nf : nfs) {
			for (final String up : upsamples) {
				final TvaeConfig cfg = TvaeConfig.builder().optNf(nf).optImageSize(size).optUpsample(TvaeConfig.Upsample.parse(
					up)).build();
				final java.util.Map<Precision, Double> own = new java.util.EnumMap<>(Precision.class);
				for (final Precision precision : ps)
					own.put(precision, step(cfg, precision, precision == Precision.BF16 ? bmm : mm, th));
				if (own.size() == 2) {
					final double r = own.get(Precision.FP32) / own.get(Precision.BF16);
					System.out.println(String.format(Locale.ROOT,
						"OsteoCast nf %d %s: bf16 %.2fx fp32 throughput (target >= 1.6x at nf 64: %s)", nf, cfg.upsample
							.label(), r, r >= 1.6 ? "met" : "not met"));
				}
			}
		}
		return 0;
	}

	/** Measures one width and precision, then its peers; returns OsteoCast's ms per step. */
	private double step(final TvaeConfig cfg, final Precision precision, final double mm, final int th)
		throws java.io.IOException
	{
		final int nf = cfg.nf;
		final Device dev = EngineSetup.device(device);
		final String up = cfg.upsample.label();
		final double ms = process == Timing.fresh ? childMs(cfg, precision, th) : StepBenchmark.msPerStep(cfg, batch, steps,
			repeats, dev, precision);
		final double flops = StepBenchmark.flopsPerStep(cfg, batch);
		final double pct = 100 * flops / (ms / 1000) / mm;
		System.out.println(String.format(Locale.ROOT,
			"DJL nf %d %s %s: %.0f ms/step, %.1f sequences/s, %.1f GFLOP/step, %.1f GFLOP/s (%.0f%% of %s matmul, target >= 50%%: %s)",
			nf, up, precision.label(), ms, batch / (ms / 1000), flops / 1e9, flops / ms / 1e6, pct, precision.label(), pct >= 50
				? "met" : "not met"));
		if ("none".equals(python) || !Files.isRegularFile(script)) return ms;
		if (cfg.upsample == TvaeConfig.Upsample.RESIZE_CONV) {
			System.out.println("PyTorch peer nf " + nf + " resize_conv: not in the peer script");
			return ms;
		}
		for (final String heap : peerHeaps) {
			final boolean kept = "kept".equals(heap.trim());
			printPeer("PyTorch peer nf " + nf + " " + up + (precision == Precision.BF16 ? " autocast bf16" : " fp32") + (kept
				? ", heap kept" : ", default heap"), peer(nf, up, th, kept, precision.label()), ms, "OsteoCast " + precision
					.label() + "/peer", precision == Precision.BF16 ? 1.0 : 1.5);
		}
		if (precision == Precision.BF16) {
			// the peer computing as OsteoCast's kernels do (casts around each convolution and linear layer, batch norm
			// and activations in fp32): what those casts cost, apart from the engine
			printPeer("PyTorch peer nf " + nf + " " + up + " bf16 cast per layer as OsteoCast's kernels, heap kept", peer(nf,
				up, th, true, "bf16-per-layer"), ms, "OsteoCast bf16/this peer", Double.NaN);
		}
		return ms;
	}

	/**
	 * Prints one peer's line: its ms per step and throughput against
	 * OsteoCast's {@code ms}, with the target where {@code target} is a number,
	 * or what the peer printed when it gave no timing.
	 */
	private void printPeer(final String label, final String best, final double ms, final String ratio,
		final double target)
	{
		final double peerMs = peerMs(best);
		if (Double.isNaN(peerMs)) {
			System.out.println(label + ": " + best);
			return;
		}
		final double r = peerMs / ms;
		System.out.println(String.format(Locale.ROOT, "%s: %.0f ms/step, %.1f sequences/s (%s); %s throughput %.2fx%s", label,
			peerMs, batch / (peerMs / 1000), best, ratio, r, Double.isNaN(target) ? "" : String.format(Locale.ROOT,
				" (target >= %.1fx: %s)", target, r >= target ? "met" : "not met")));
	}

	/**
	 * OsteoCast's ms per step for one configuration, timed by this command in a
	 * fresh JVM with this JVM's options, class path and environment.
	 */
	private double childMs(final TvaeConfig cfg, final Precision precision, final int th) throws java.io.IOException {
		final List<String> cmd = new ArrayList<>();
		cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString()));
		// the same heap, system properties and agents, but not a debugger's port, which the child could not bind again
		for (final String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
			if (!arg.startsWith("-agentlib:jdwp") && !arg.startsWith("-Xrunjdwp") && !arg.equals("-Xdebug")) cmd.add(arg);
		cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "train", "--child",
			"--nf", Integer.toString(cfg.nf), "--upsample", cfg.upsample.label(), "--batch", Integer.toString(batch), "--size",
			Integer.toString(size), "--steps", Integer.toString(steps), "--repeats", Integer.toString(repeats), "--threads",
			Integer.toString(th), "--device", device, "--precision", precision.label()));
		final Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
		final List<String> out = new ArrayList<>();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			for (String l; (l = r.readLine()) != null;)
				out.add(l);
		}
		try {
			final int code = p.waitFor();
			final double ms = childMs(out);
			if (code != 0 || Double.isNaN(ms)) throw new java.io.IOException("the JVM timing nf " + cfg.nf + " " + precision
				.label() + " ended with exit code " + code + (out.isEmpty() ? "" : ": " + out.get(out.size() - 1)));
			return ms;
		}
		catch (final InterruptedException e) {
			p.destroy();
			Thread.currentThread().interrupt();
			throw new java.io.InterruptedIOException("interrupted while timing nf " + cfg.nf + " " + precision.label());
		}
	}

	/** The ms per step a child printed ({@link #CHILD_LINE}), NaN if none. */
	static double childMs(final List<String> lines) {
		for (int i = lines.size() - 1; i >= 0; i--)
			if (lines.get(i).startsWith(CHILD_LINE)) return Double.parseDouble(lines.get(i).substring(CHILD_LINE.length())
				.trim());
		return Double.NaN;
	}

	/** The {@code ms_per_step} of the peer's best line, NaN if it has none. */
	static double peerMs(final String line) {
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"ms_per_step\":\\s*([0-9.eE+-]+)").matcher(
			line);
		return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
	}

	/**
	 * The peer's thread counts: exactly OsteoCast's when {@code --threads} pins
	 * them (the same threads for both, so the ratio is one at that count),
	 * else 1..max(threads, cores), of which it reports its best.
	 */
	static List<String> peerThreads(final Integer requested, final int th, final int cores) {
		final List<String> ts = new ArrayList<>();
		if (requested != null) ts.add(Integer.toString(th));
		else for (int t = 1; t <= Math.max(th, cores); t++)
			ts.add(Integer.toString(t));
		return ts;
	}

	/**
	 * Runs the peer script at {@link #peerThreads} and returns its best line;
	 * with {@code keptHeap} under the C-heap settings OsteoCast's training uses
	 * ({@code NativeHeap}), so that the ratio compares the computations rather
	 * than how often each process maps fresh memory.
	 */
	private String peer(final int nf, final String upsample, final int th, final boolean keptHeap,
		final String autocast)
	{
		final List<String> ts = peerThreads(threads, th, Runtime.getRuntime().availableProcessors());
		try {
			final ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--nf", Integer.toString(nf), "--batch",
				Integer.toString(batch), "--steps", Integer.toString(steps), "--warmup", "1", "--upsample", upsample, "--threads",
				String.join(",", ts), "--autocast", autocast).redirectErrorStream(true);
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
