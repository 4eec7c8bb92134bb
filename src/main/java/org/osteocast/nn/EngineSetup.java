package org.osteocast.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osteocast.core.Parallel;

/**
 * The one place where OsteoCast starts the deep-learning engine: DJL's
 * PyTorch engine, always offline (the native library comes from the bundled
 * {@code pytorch-native-cpu} jar, or from {@code PYTORCH_LIBRARY_PATH} when a
 * user points to their own libtorch, e.g. a CUDA build), with deliberate
 * thread counts: intra-op threads = {@link Parallel#threads()}, one inter-op
 * thread (OsteoCast's steps are sequential graphs of small ops).
 */
public final class EngineSetup {

	private EngineSetup() {}

	private static volatile Engine engine;

	/** Sets the system properties DJL reads at start-up, unless the user set them. */
	public static void configureProperties() {
		EngineSettings.load().apply();
		setIfAbsent("ai.djl.offline", "true");
		setIfAbsent("ai.djl.default_engine", "PyTorch");
		setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(Parallel.threads()));
		setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
	}

	private static void setIfAbsent(final String key, final String value) {
		if (System.getProperty(key) == null) System.setProperty(key, value);
	}

	/**
	 * Changes the engine's intra-op thread count now ({@code torch::set_num_threads}).
	 * Why: OpenMP worker threads spin at barriers, so on an oversubscribed
	 * machine (more runnable threads than cores) two threads can be ten times
	 * slower than one for small models; tests and benchmarks choose
	 * deliberately.
	 */
	public static void intraOpThreads(final int n) {
		if (n < 1) throw new IllegalArgumentException("threads must be >= 1, not " + n);
		engine();
		ai.djl.pytorch.jni.JniUtils.setNumThreads(n);
		System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
	}

	/** The intra-op thread count the engine uses now. */
	public static int intraOpThreads() {
		engine();
		return ai.djl.pytorch.jni.JniUtils.getNumThreads();
	}

	/** The PyTorch engine, configured and loaded once. */
	public static Engine engine() {
		Engine e = engine;
		if (e == null) {
			synchronized (EngineSetup.class) {
				e = engine;
				if (e == null) {
					configureProperties();
					try {
						e = Engine.getEngine("PyTorch");
					}
					catch (final RuntimeException ex) {
						throw new IllegalStateException("cannot start the PyTorch engine offline: " + ex.getMessage() +
							" (the bundled CPU library should unpack into ~/.djl.ai; or set PYTORCH_LIBRARY_PATH to a libtorch " +
							"folder)", ex);
					}
					engine = e;
				}
			}
		}
		return e;
	}

	/**
	 * The device to use: {@code "cpu"}, {@code "gpu"} (fails if none) or
	 * {@code "auto"} (the first GPU DJL sees, else the CPU).
	 */
	public static Device device(final String choice) {
		final Engine e = engine();
		final String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
		switch (c) {
			case "cpu":
				return Device.cpu();
			case "gpu":
				if (e.getGpuCount() == 0) throw new IllegalArgumentException(
					"--device gpu: the engine sees no GPU (the bundled library is CPU-only; set PYTORCH_LIBRARY_PATH to a CUDA libtorch " +
						LibInfo.version() + ")");
				return Device.gpu();
			case "auto":
				return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
			default:
				throw new IllegalArgumentException("device must be auto, cpu or gpu, not '" + choice + "'");
		}
	}

	/** A description for {@code osteocast info --engine} and the Fiji engine command. */
	public static Map<String, Object> describe() {
		final Engine e = engine();
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("engine", e.getEngineName());
		m.put("engine_version", e.getVersion());
		m.put("djl_version", Engine.getDjlVersion());
		final List<String> devices = new ArrayList<>();
		devices.add(Device.cpu().toString());
		for (int i = 0; i < e.getGpuCount(); i++)
			devices.add(Device.gpu(i).toString());
		m.put("devices", devices);
		m.put("gpu_count", e.getGpuCount());
		m.put("cuda", CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : null);
		m.put("native_library", LibInfo.path());
		m.put("native_library_source", System.getenv("PYTORCH_LIBRARY_PATH") != null ? "PYTORCH_LIBRARY_PATH"
			: System.getProperty("PYTORCH_LIBRARY_PATH") != null ? "OsteoCast engine settings (" + EngineSettings.file() +
				")" : "bundled pytorch-native jar (unpacked into the DJL cache)");
		m.put("offline", Boolean.parseBoolean(System.getProperty("ai.djl.offline")));
		m.put("num_threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
		m.put("num_interop_threads", Integer.getInteger("ai.djl.pytorch.num_interop_threads", -1));
		return m;
	}

	/** Where the native library was loaded from (PyTorch engine only). */
	static final class LibInfo {
		static String path() {
			try {
				return ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
			}
			catch (final RuntimeException | LinkageError ex) {
				return "unknown (" + ex.getMessage() + ")";
			}
		}

		static String version() {
			try {
				return ai.djl.pytorch.jni.LibUtils.getVersion();
			}
			catch (final RuntimeException | LinkageError ex) {
				return "";
			}
		}
	}
}
