package org.osteocast.nn.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The arithmetic of the heavy layers: fp32 throughout, or bfloat16 mixed
 * precision (convolutions, the decoder's and the LSTMs' matmuls in bf16
 * through {@link Bf16Kernels}; master weights, optimiser state, batch-norm
 * statistics, the loss and the KL in fp32).
 * <p>
 * Which precision a computation uses is the current thread's
 * ({@link #scope}), as PyTorch's {@code torch.autocast} is: the training loop
 * and the predictor open a scope, the blocks ask {@link #active()}. Outside
 * any scope it is fp32.
 */
public enum Precision {
	FP32, BF16;

	/** "fp32" or "bf16", as the command line and {@code model.json} write it. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** What the user may ask for: {@code auto}, {@code fp32} or {@code bf16}. */
	public static final String CHOICES = "auto, fp32 or bf16";

	/** A precision by its label ("fp32", "bf16"); fails on anything else. */
	public static Precision parse(final String s) {
		final String c = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
		switch (c) {
			case "fp32":
			case "float32":
				return FP32;
			case "bf16":
			case "bfloat16":
				return BF16;
			default:
				throw new IllegalArgumentException("precision must be fp32 or bf16, not '" + s + "'");
		}
	}

	private static final ThreadLocal<Precision> ACTIVE = ThreadLocal.withInitial(() -> FP32);

	/** The current thread's precision (fp32 outside any {@link #scope}). */
	public static Precision active() {
		return ACTIVE.get();
	}

	/**
	 * Sets the current thread's precision until the returned scope closes,
	 * which restores the one it found:
	 * {@code try (Precision.Scope s = Precision.scope(p)) { … }}.
	 */
	public static Scope scope(final Precision p) {
		return new Scope(p);
	}

	/** A thread's precision for a while ({@link #scope}). */
	public static final class Scope implements AutoCloseable {
		private final Precision before;

		private Scope(final Precision p) {
			before = ACTIVE.get();
			ACTIVE.set(p);
		}

		@Override
		public void close() {
			ACTIVE.set(before);
		}
	}

	/** The CPU's feature flags, as one text ({@code /proc/cpuinfo}'s "flags" lines); empty when unknown. */
	public interface CpuFeatures extends Supplier<String> {}

	/**
	 * The running machine's feature flags: {@code /proc/cpuinfo} on Linux;
	 * empty elsewhere (macOS and Windows offer no such file, so they train in
	 * fp32).
	 */
	public static final CpuFeatures SYSTEM_CPU = () -> {
		final Path p = Path.of("/proc/cpuinfo");
		try {
			return Files.isReadable(p) ? new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) : "";
		}
		catch (final IOException e) {
			return "";
		}
	};

	/** Whether the flags name AVX-512 BF16 or AMX-BF16 (Zen 4 and later; Sapphire Rapids and later). */
	public static boolean cpuHasBf16(final String flags) {
		for (final String f : flags.split("\\s+"))
			if (f.equals("avx512_bf16") || f.equals("amx_bf16")) return true;
		return false;
	}

	/**
	 * The precision to use for a request ({@code auto}, {@code fp32},
	 * {@code bf16}; null = auto): {@code auto} is bf16 where the CPU reports
	 * AVX-512 BF16 or AMX and the engine computes bf16 convolutions correctly
	 * ({@link Bf16Kernels#gate()}), else fp32 with one line to {@code log}
	 * saying why. {@code bf16} asked for explicitly fails when the engine
	 * cannot compute it (a CPU without the instructions still computes bf16,
	 * only slowly: that is allowed).
	 *
	 * @param cpu the CPU's flags ({@link #SYSTEM_CPU}; tests inject their own)
	 * @param log where the fallback line goes, or null
	 */
	public static Precision resolve(final String request, final CpuFeatures cpu, final Consumer<String> log) {
		final String r = request == null ? "auto" : request.trim().toLowerCase(Locale.ROOT);
		if (!r.equals("auto")) {
			final Precision p;
			try {
				p = parse(r);
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("precision must be " + CHOICES + ", not '" + request + "'");
			}
			if (p == BF16) {
				final String why = Bf16Kernels.gate();
				if (why != null) throw new IllegalArgumentException("precision bf16: " + why);
			}
			return p;
		}
		if (!cpuHasBf16(cpu.get())) {
			if (log != null) log.accept(FALLBACK_NO_CPU);
			return FP32;
		}
		final String why = Bf16Kernels.gate();
		if (why != null) {
			if (log != null) log.accept(FALLBACK_GATE + why + ")");
			return FP32;
		}
		return BF16;
	}

	/**
	 * A request as it applies on {@code device}: bf16 mixed precision is for
	 * CPUs, so {@code auto} on a GPU is {@code fp32} (one line to {@code log});
	 * anything else is returned as it is.
	 */
	public static String onDevice(final String request, final ai.djl.Device device, final Consumer<String> log) {
		if (!device.isGpu() || !(request == null || request.trim().equalsIgnoreCase("auto"))) return request;
		if (log != null) log.accept("precision auto: fp32 (bf16 mixed precision is for CPUs)");
		return "fp32";
	}

	/**
	 * {@link #resolve} for a model: one without bf16 layers
	 * ({@code bf16Layers} false) is fp32, with one line to {@code log} when
	 * {@code auto} was asked and a failure when bf16 was.
	 *
	 * @param architecture the model's name, for the messages
	 */
	public static Precision resolve(final String request, final boolean bf16Layers, final String architecture,
		final CpuFeatures cpu, final Consumer<String> log)
	{
		if (bf16Layers) return resolve(request, cpu, log);
		final String r = request == null ? "auto" : request.trim().toLowerCase(Locale.ROOT);
		if (r.equals("auto")) {
			if (log != null) log.accept("precision auto: fp32 (" + architecture + " has no bf16 layers)");
			return FP32;
		}
		final Precision p = resolve(r, cpu, null);
		if (p == BF16) throw new IllegalArgumentException("precision bf16: " + architecture +
			" has no bf16 layers (only the 2-D T-VAE has); use fp32 or auto");
		return p;
	}

	/**
	 * What {@code auto} gives on this machine, for {@code osteocast info --engine}
	 * and the OsteoCast Engine command: "bf16 (…)" or "fp32 (why)".
	 */
	public static String describe(final CpuFeatures cpu) {
		final String[] line = { null };
		final Precision p = resolve("auto", cpu, l -> line[0] = l);
		return p == BF16 ? "bf16 mixed precision for the 2-D T-VAE (the CPU has avx512_bf16 or amx_bf16; the engine's " +
			"bf16 convolution passed its check)" : line[0].replace("precision auto: ", "");
	}

	/** The fallback line when the CPU lacks bf16 instructions (tests assert on it). */
	public static final String FALLBACK_NO_CPU =
		"precision auto: fp32 (the CPU reports neither avx512_bf16 nor amx_bf16)";

	/** The start of the fallback line when the engine's bf16 convolution fails the check. */
	public static final String FALLBACK_GATE = "precision auto: fp32 (the engine's bf16 convolution failed its check: ";
}
