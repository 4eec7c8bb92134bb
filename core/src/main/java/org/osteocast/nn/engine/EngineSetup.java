package org.osteocast.nn.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

	/** Where the native library comes from, decided once before the engine starts. */
	private static volatile Selection selection;

	/** The engine's native library: the platform, where it comes from, or why there is none. */
	public static final class Selection {
		/** This computer's platform, or null when OsteoCast's engine does not serve it. */
		public final EnginePlatform.Target platform;
		/** A sentence: which library the engine uses and where it comes from. */
		public final String origin;
		/** The CPU native jar used, when the bundled library is used. */
		public final Path nativeJar;
		/** Null when the engine can start; otherwise what the user reads. */
		public final String problem;

		Selection(final EnginePlatform.Target platform, final String origin, final Path nativeJar, final String problem) {
			this.platform = platform;
			this.origin = origin;
			this.nativeJar = nativeJar;
			this.problem = problem;
		}
	}

	/** Sets the system properties DJL reads at start-up, unless the user set them. */
	public static void configureProperties() {
		EngineSettings.load().apply();
		setIfAbsent("ai.djl.offline", "true");
		setIfAbsent("ai.djl.default_engine", "PyTorch");
		setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(Parallel.threads()));
		setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
		if (selection == null) selection = select(contextLoader(), EnginePlatform.installationFolders());
	}

	private static ClassLoader contextLoader() {
		final ClassLoader c = Thread.currentThread().getContextClassLoader();
		return c != null ? c : EngineSetup.class.getClassLoader();
	}

	/** The native library the engine will use (deciding it now if the engine has not started). */
	public static Selection selection() {
		if (selection == null) configureProperties();
		return selection;
	}

	/**
	 * Decides where the native library comes from, offline: the user's libtorch
	 * ({@code PYTORCH_LIBRARY_PATH}, or the engine settings); else the CPU jar of
	 * this platform on the class path (Fiji, the command line); else that jar in
	 * an installation folder ({@code jars/<platform>/}, {@code plugins/jars/}),
	 * unpacked into DJL's cache and named to DJL. Sets DJL's properties for the
	 * last case, and its flavour for a user's libtorch.
	 */
	static Selection select(final ClassLoader loader, final List<Path> folders) {
		EnginePlatform.Target t;
		try {
			t = EnginePlatform.current();
		}
		catch (final IllegalStateException e) {
			t = null;
		}
		final String env = System.getenv("PYTORCH_LIBRARY_PATH");
		final String user = env != null ? env : System.getProperty("PYTORCH_LIBRARY_PATH");
		if (user != null) {
			final String from = env != null ? "PYTORCH_LIBRARY_PATH" : "OsteoCast engine settings (" + EngineSettings
				.file() + ")";
			if (t != null && System.getenv("PYTORCH_FLAVOR") == null && System.getProperty("PYTORCH_FLAVOR") == null) {
				final String flavor = LibtorchCheck.flavorOf(Path.of(user.split(java.io.File.pathSeparator)[0]), t.os);
				if (flavor != null) System.setProperty("PYTORCH_FLAVOR", flavor);
			}
			return new Selection(t, "your libtorch " + user + " (from " + from + ")", null, null);
		}
		if (t == null) {
			String problem;
			try {
				EnginePlatform.current();
				problem = "unknown platform";
			}
			catch (final IllegalStateException e) {
				problem = e.getMessage();
			}
			return new Selection(null, "none", null, problem);
		}
		if (!t.cpuBuild) return new Selection(t, "none", null, EnginePlatform.NO_INTEL_MAC);
		final Path onPath = EnginePlatform.onClassPath(t, loader);
		if (onPath != null) return new Selection(t, "bundled CPU libtorch " + onPath.getFileName() + " (" + onPath +
			"), unpacked into the DJL cache", onPath, null);
		final Path jar = EnginePlatform.inFolders(t, folders);
		if (jar == null) return new Selection(t, "none", null, "no " + t.nativeJarName(EnginePlatform.LIBTORCH_VERSION) +
			" on the class path or in " + folders + ": install OsteoCast from its update site again (Fiji puts it in jars/" +
			t.fijiPlatform + "/), or set PYTORCH_LIBRARY_PATH to a libtorch " + EnginePlatform.LIBTORCH_VERSION +
			" folder");
		try {
			final Path dir = unpack(jar);
			System.setProperty("PYTORCH_LIBRARY_PATH", dir.toString());
			if (System.getenv("PYTORCH_FLAVOR") == null) System.setProperty("PYTORCH_FLAVOR", "cpu");
			return new Selection(t, "bundled CPU libtorch " + jar.getFileName() + " (" + jar + "), unpacked into " + dir,
				jar, null);
		}
		catch (final IOException e) {
			return new Selection(t, "none", jar, jar + ": cannot unpack the CPU libtorch (" + e.getMessage() + ")");
		}
	}

	/** Unpacks a native jar's libraries into DJL's cache folder (as DJL itself names it), once. */
	static Path unpack(final Path jar) throws IOException {
		final EnginePlatform.NativeJar n = EnginePlatform.readNativeJar(jar);
		final EnginePlatform.Target t = EnginePlatform.byClassifier(n.classifier);
		final Path dir = ai.djl.util.Utils.getEngineCacheDir("pytorch").resolve(n.version + "-" + n.flavor + "-" +
			n.classifier);
		if (t != null && Files.isRegularFile(dir.resolve(t.os.libraryName("torch")))) return dir;
		Files.createDirectories(dir.getParent());
		final Path tmp = Files.createTempDirectory(dir.getParent(), "unpack");
		try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
			for (final String lib : n.libraries) {
				final java.util.zip.ZipEntry e = z.getEntry(n.entry(lib));
				if (e == null) throw new IOException("no " + n.entry(lib) + " inside");
				try (java.io.InputStream in = z.getInputStream(e)) {
					Files.copy(in, tmp.resolve(lib));
				}
			}
			try {
				Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (final IOException e) {
				if (!Files.isDirectory(dir)) throw e; // else another process unpacked it first
			}
		}
		finally {
			if (Files.isDirectory(tmp)) try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
				for (final Path p : (Iterable<Path>) s::iterator)
					Files.deleteIfExists(p);
				Files.deleteIfExists(tmp);
			}
		}
		return dir;
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
		Torch.setNumThreads(n);
		System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
	}

	/** The intra-op thread count the engine uses now. */
	public static int intraOpThreads() {
		engine();
		return Torch.getNumThreads();
	}

	/** The PyTorch engine, configured and loaded once. */
	public static Engine engine() {
		Engine e = engine;
		if (e == null) {
			synchronized (EngineSetup.class) {
				e = engine;
				if (e == null) {
					configureProperties();
					if (selection.problem != null) throw new IllegalStateException(selection.problem);
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

	/** A new, empty model on the CPU in the engine, started if need be (e.g. to load a TorchScript network into). */
	public static Model newCpuModel(final String name) {
		return Model.newInstance(name, Device.cpu(), engine().getEngineName());
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
					"--device gpu: the engine sees no GPU (the bundled library is CPU-only; set up a CUDA libtorch " +
						EnginePlatform.LIBTORCH_VERSION + "+" + EnginePlatform.CUDA_FLAVOR +
						" with 'osteocast info --engine --check-gpu DIR' or the OsteoCast Engine command)");
				return Device.gpu();
			case "auto":
				return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
			default:
				throw new IllegalArgumentException("device must be auto, cpu or gpu, not '" + choice + "'");
		}
	}

	/**
	 * A description for {@code osteocast info --engine} and the Fiji engine
	 * command: the platform, where the native library comes from, whether
	 * training will work (and on which device), and the engine's details. When
	 * the engine cannot start, says why instead of failing.
	 */
	public static Map<String, Object> describe() {
		final Map<String, Object> m = new LinkedHashMap<>();
		final Selection sel = selection();
		m.put("platform", sel.platform != null ? sel.platform.fijiPlatform : EnginePlatform.fijiPlatform(System
			.getProperty("os.name"), System.getProperty("os.arch")));
		m.put("platform_classifier", sel.platform != null ? sel.platform.classifier : EnginePlatform.djlClassifier(System
			.getProperty("os.name"), System.getProperty("os.arch")));
		m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty(
			"os.arch") + ")");
		m.put("native_library_origin", sel.origin);
		final Engine e;
		try {
			e = engine();
		}
		catch (final RuntimeException ex) {
			m.put("training_ready", false);
			m.put("training", "no: " + ex.getMessage());
			return m;
		}
		m.put("training_ready", true);
		m.put("training", e.getGpuCount() > 0 ? "yes, on the GPU (" + e.getGpuCount() + " seen; CUDA " + CudaUtils
			.getCudaVersionString() + ")" : "yes, on the CPU" + (sel.platform != null && sel.platform.gpuPossible()
				? " (for a GPU: the OsteoCast Engine command, or osteocast info --engine --check-gpu DIR)" : ""));
		m.put("precision", Precision.describe(Precision.SYSTEM_CPU));
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
				return Torch.libraryPath();
			}
			catch (final RuntimeException | LinkageError ex) {
				return "unknown (" + ex.getMessage() + ")";
			}
		}

		static String version() {
			try {
				return Torch.libraryVersion();
			}
			catch (final RuntimeException | LinkageError ex) {
				return "";
			}
		}
	}
}
