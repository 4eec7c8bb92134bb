package org.osteocast.nn.engine;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a user's libtorch folder before the engine is pointed at it for a
 * GPU: the right version ({@value EnginePlatform#LIBTORCH_VERSION}), the CUDA
 * flavour of the bundled JNI library ({@value EnginePlatform#CUDA_FLAVOR}), the
 * libraries DJL loads, and an NVIDIA driver on this computer. A problem comes
 * back as one line that says what is wrong and what to do.
 * <p>
 * A libtorch download from pytorch.org unpacks into a folder {@code libtorch/}
 * holding {@code build-version} (e.g. {@code 2.7.1+cu128}) and {@code lib/}
 * with the libraries; the user may choose that folder, its {@code lib/}, or the
 * folder that holds it.
 */
public final class LibtorchCheck {

	/** The download a user needs, per operating system. */
	public static final String DOWNLOAD_LINUX =
		"https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip";
	public static final String DOWNLOAD_WINDOWS =
		"https://download.pytorch.org/libtorch/cu128/libtorch-win-shared-with-deps-2.7.1%2Bcu128.zip";

	/** System property: folders to look for the NVIDIA driver library in, instead of the usual ones. */
	public static final String DRIVER_DIRS_PROPERTY = "osteocast.cuda.driver.dirs";

	/** The outcome of a check. */
	public static final class Result {
		/** Null when the folder is good; otherwise one line naming the folder and the problem. */
		public final String problem;
		/** The folder that holds the libraries (what DJL's PYTORCH_LIBRARY_PATH needs), when found. */
		public final Path libDir;
		/** From {@code build-version}, e.g. {@code 2.7.1+cu128}; null when unknown. */
		public final String buildVersion;
		/** The NVIDIA driver library found, or null. */
		public final Path driver;

		Result(final String problem, final Path libDir, final String buildVersion, final Path driver) {
			this.problem = problem;
			this.libDir = libDir;
			this.buildVersion = buildVersion;
			this.driver = driver;
		}

		public boolean ok() {
			return problem == null;
		}
	}

	private LibtorchCheck() {}

	/** Checks {@code folder} for a GPU on this computer. */
	public static Result check(final Path folder) {
		return check(folder, EnginePlatform.current(), driverDirs(EnginePlatform.current().os));
	}

	/**
	 * Checks {@code folder} for a GPU on platform {@code t}, looking for the
	 * NVIDIA driver in {@code driverDirs}.
	 */
	public static Result check(final Path folder, final EnginePlatform.Target t, final List<Path> driverDirs) {
		final String torch = t.os.libraryName("torch");
		if (t.os == EnginePlatform.Os.MAC) return fail(folder + ": macOS has no CUDA, so no GPU libtorch can run here; " +
			"Apple-silicon Macs train on the bundled CPU library", null, null);
		if (!t.gpuPossible()) return fail(folder + ": OsteoCast's GPU library exists for Linux and Windows on x86-64 " +
			"only, not " + t, null, null);
		if (folder == null || !Files.isDirectory(folder)) return fail(folder + ": no such folder", null, null);
		final Path root = root(folder, torch);
		if (root == null) {
			final String other = otherOsBuild(folder, t.os);
			return fail(folder + ": no lib" + File.separator + torch + " inside" + (other != null ? " (" + other + ")"
				: "") + "; choose the unpacked 'libtorch' folder of " + download(t.os), null, null);
		}
		final Path lib = root.resolve("lib");
		final Path bv = root.resolve("build-version");
		final String version;
		try {
			version = Files.isRegularFile(bv) ? Files.readString(bv, StandardCharsets.UTF_8).trim() : null;
		}
		catch (final IOException e) {
			return fail(bv + ": cannot read (" + e.getMessage() + ")", lib, null);
		}
		if (version == null || version.isEmpty()) return fail(root + ": no build-version file, so its libtorch version " +
			"is unknown; OsteoCast needs " + wanted() + " from " + download(t.os), lib, null);
		final int plus = version.indexOf('+');
		final String number = plus < 0 ? version : version.substring(0, plus);
		final String flavor = plus < 0 ? "" : version.substring(plus + 1).toLowerCase(Locale.ROOT);
		if (!number.equals(EnginePlatform.LIBTORCH_VERSION)) return fail(root + ": libtorch " + version +
			", but OsteoCast's engine needs " + wanted() + " (" + download(t.os) + ")", lib, version);
		if (flavor.equals("cpu") || !Files.exists(lib.resolve(t.os.libraryName("torch_cuda")))) return fail(root +
			": libtorch " + version + " is a CPU-only build (no " + t.os.libraryName("torch_cuda") +
			"); for a GPU download " + wanted() + " (" + download(t.os) + ")", lib, version);
		if (!flavor.equals(EnginePlatform.CUDA_FLAVOR)) return fail(root + ": libtorch " + version + " is built for " +
			cuda(flavor) + ", but OsteoCast's GPU library needs " + cuda(EnginePlatform.CUDA_FLAVOR) + ": download " +
			wanted() + " (" + download(t.os) + ")", lib, version);
		final Path driver = findDriver(t.os, driverDirs);
		if (driver == null) return fail(root + ": libtorch " + version + " is right, but no NVIDIA driver (" + driverName(
			t.os) + ") was found on this computer: install the NVIDIA driver for your GPU (one that supports CUDA 12.8)",
			lib, version);
		return new Result(null, lib, version, driver);
	}

	private static Result fail(final String problem, final Path lib, final String version) {
		return new Result(problem, lib, version, null);
	}

	private static String wanted() {
		return "libtorch " + EnginePlatform.LIBTORCH_VERSION + "+" + EnginePlatform.CUDA_FLAVOR;
	}

	private static String cuda(final String flavor) {
		return flavor.matches("cu\\d{3}") ? "CUDA " + flavor.substring(2, 4) + "." + flavor.substring(4) + " (" + flavor +
			")" : "'" + flavor + "'";
	}

	/** The download link for the operating system. */
	public static String download(final EnginePlatform.Os os) {
		return os == EnginePlatform.Os.WINDOWS ? DOWNLOAD_WINDOWS : DOWNLOAD_LINUX;
	}

	/** The libtorch root (the folder with lib/), given it, its lib/, or its parent; null if none. */
	static Path root(final Path folder, final String torch) {
		if (Files.isRegularFile(folder.resolve("lib").resolve(torch))) return folder;
		if (Files.isRegularFile(folder.resolve(torch)) && folder.getParent() != null) return folder.getParent();
		if (Files.isRegularFile(folder.resolve("libtorch").resolve("lib").resolve(torch))) return folder.resolve(
			"libtorch");
		return null;
	}

	private static String otherOsBuild(final Path folder, final EnginePlatform.Os os) {
		for (final EnginePlatform.Os o : EnginePlatform.Os.values()) {
			if (o == os) continue;
			final String n = o.libraryName("torch");
			if (root(folder, n) != null) return "it holds " + n + ": a build for " + o.name().charAt(0) + o.name().substring(
				1).toLowerCase(Locale.ROOT);
		}
		return null;
	}

	/**
	 * The CUDA flavour of a libtorch folder as the engine must be told it
	 * (DJL's {@code PYTORCH_FLAVOR}): {@code cpu}, or e.g. {@code cu128}.
	 */
	public static String flavorOf(final Path folder, final EnginePlatform.Os os) {
		final Path root = root(folder, os.libraryName("torch"));
		if (root == null) return null;
		try {
			final Path bv = root.resolve("build-version");
			if (Files.isRegularFile(bv)) {
				final String v = Files.readString(bv, StandardCharsets.UTF_8).trim();
				final int plus = v.indexOf('+');
				if (plus > 0) return v.substring(plus + 1).toLowerCase(Locale.ROOT);
			}
		}
		catch (final IOException e) {
			// fall through to the libraries
		}
		return Files.exists(root.resolve("lib").resolve(os.libraryName("torch_cuda"))) ? EnginePlatform.CUDA_FLAVOR
			: "cpu";
	}

	/** The NVIDIA driver's library name on the operating system. */
	static String driverName(final EnginePlatform.Os os) {
		return os == EnginePlatform.Os.WINDOWS ? "nvcuda.dll" : "libcuda.so.1";
	}

	/** The NVIDIA driver library in one of {@code dirs}, or null. */
	public static Path findDriver(final EnginePlatform.Os os, final List<Path> dirs) {
		final String name = driverName(os);
		for (final Path d : dirs) {
			final Path f = d.resolve(name);
			if (Files.exists(f)) return f;
		}
		return null;
	}

	/** Where the NVIDIA driver installs its library, per operating system (or {@value #DRIVER_DIRS_PROPERTY}). */
	public static List<Path> driverDirs(final EnginePlatform.Os os) {
		final List<Path> dirs = new ArrayList<>();
		final String override = System.getProperty(DRIVER_DIRS_PROPERTY);
		if (override != null) {
			for (final String s : override.split(File.pathSeparator))
				if (!s.isBlank()) dirs.add(Path.of(s));
			return dirs;
		}
		if (os == EnginePlatform.Os.WINDOWS) {
			final String root = System.getenv("SystemRoot");
			dirs.add(Path.of(root != null ? root : "C:\\Windows", "System32"));
			return dirs;
		}
		final String ld = System.getenv("LD_LIBRARY_PATH");
		if (ld != null) for (final String s : ld.split(File.pathSeparator))
			if (!s.isBlank()) dirs.add(Path.of(s));
		for (final String s : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64",
			"/usr/lib/wsl/lib"))
			dirs.add(Path.of(s));
		return dirs;
	}
}
