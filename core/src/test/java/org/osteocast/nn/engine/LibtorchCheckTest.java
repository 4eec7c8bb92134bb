package org.osteocast.nn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GPU libtorch folder check, on fake folders for Linux and Windows: each failure, then success. */
class LibtorchCheckTest {

	@TempDir
	Path tmp;

	/**
	 * A folder laid out as pytorch.org's libtorch download: {@code build-version},
	 * {@code lib/} with the engine's libraries (and the CUDA one when {@code cuda}).
	 * Returns its lib folder.
	 */
	static Path fakeLibtorch(final Path root, final EnginePlatform.Os os, final String buildVersion,
		final boolean cuda) throws IOException
	{
		final Path lib = Files.createDirectories(root.resolve("lib"));
		for (final String n : List.of("c10", "torch", "torch_cpu"))
			Files.writeString(lib.resolve(os.libraryName(n)), n);
		if (cuda) Files.writeString(lib.resolve(os.libraryName("torch_cuda")), "cuda");
		if (buildVersion != null) Files.writeString(root.resolve("build-version"), buildVersion + "\n");
		return lib;
	}

	private List<Path> driver(final EnginePlatform.Os os) throws IOException {
		final Path d = Files.createDirectories(tmp.resolve("driver"));
		Files.writeString(d.resolve(os == EnginePlatform.Os.WINDOWS ? "nvcuda.dll" : "libcuda.so.1"), "driver");
		return List.of(tmp.resolve("elsewhere"), d);
	}

	private static EnginePlatform.Target platform(final String os) {
		return os.equals("win") ? EnginePlatform.detect("Windows 11", "amd64") : EnginePlatform.detect("Linux", "amd64");
	}

	@ParameterizedTest
	@CsvSource({ "linux", "win" })
	void aRightFolderPassesAndGivesTheLibraryFolder(final String os) throws Exception {
		final EnginePlatform.Target t = platform(os);
		final Path root = tmp.resolve("libtorch");
		final Path lib = fakeLibtorch(root, t.os, "2.7.1+cu128", true);
		for (final Path chosen : List.of(root, lib, tmp)) { // the folder, its lib/, or the folder holding it
			final LibtorchCheck.Result r = LibtorchCheck.check(chosen, t, driver(t.os));
			assertTrue(r.ok(), r.problem);
			assertEquals(lib, r.libDir);
			assertEquals("2.7.1+cu128", r.buildVersion);
			assertTrue(r.driver.getFileName().toString().contains("cuda"));
		}
		assertEquals("cu128", LibtorchCheck.flavorOf(lib, t.os));
	}

	@ParameterizedTest
	@CsvSource({ "linux", "win" })
	void aWrongVersionIsNamed(final String os) throws Exception {
		final EnginePlatform.Target t = platform(os);
		fakeLibtorch(tmp.resolve("libtorch"), t.os, "2.6.0+cu126", true);
		final LibtorchCheck.Result r = LibtorchCheck.check(tmp.resolve("libtorch"), t, driver(t.os));
		assertFalse(r.ok());
		assertOneLine(r.problem, "libtorch 2.6.0+cu126", "needs libtorch 2.7.1+cu128", "download.pytorch.org");
		assertTrue(r.problem.contains(os.equals("win") ? "libtorch-win-shared" : "libtorch-cxx11-abi"), r.problem);
	}

	@ParameterizedTest
	@CsvSource({ "linux", "win" })
	void aCpuOnlyBuildIsNamed(final String os) throws Exception {
		final EnginePlatform.Target t = platform(os);
		fakeLibtorch(tmp.resolve("libtorch"), t.os, "2.7.1+cpu", false);
		final LibtorchCheck.Result r = LibtorchCheck.check(tmp.resolve("libtorch"), t, driver(t.os));
		assertOneLine(r.problem, "CPU-only build", t.os.libraryName("torch_cuda"), "2.7.1+cu128");
		assertEquals("cpu", LibtorchCheck.flavorOf(tmp.resolve("libtorch"), t.os));
	}

	@Test
	void anotherCudaVersionIsNamed() throws Exception {
		final EnginePlatform.Target t = platform("linux");
		fakeLibtorch(tmp.resolve("libtorch"), t.os, "2.7.1+cu118", true);
		final LibtorchCheck.Result r = LibtorchCheck.check(tmp.resolve("libtorch"), t, driver(t.os));
		assertOneLine(r.problem, "CUDA 11.8 (cu118)", "needs CUDA 12.8 (cu128)");
	}

	@ParameterizedTest
	@CsvSource({ "linux", "win" })
	void aMissingLibraryIsNamed(final String os) throws Exception {
		final EnginePlatform.Target t = platform(os);
		final Path root = Files.createDirectories(tmp.resolve("libtorch/lib"));
		Files.writeString(tmp.resolve("libtorch/build-version"), "2.7.1+cu128\n");
		LibtorchCheck.Result r = LibtorchCheck.check(tmp.resolve("libtorch"), t, driver(t.os));
		assertOneLine(r.problem, "no lib", t.os.libraryName("torch"), "unpacked 'libtorch' folder");
		// a build for the other operating system
		final EnginePlatform.Os other = t.os == EnginePlatform.Os.WINDOWS ? EnginePlatform.Os.LINUX
			: EnginePlatform.Os.WINDOWS;
		Files.writeString(root.resolve(other.libraryName("torch")), "x");
		r = LibtorchCheck.check(tmp.resolve("libtorch"), t, driver(t.os));
		assertOneLine(r.problem, "it holds " + other.libraryName("torch"));
	}

	@Test
	void aMissingFolderOrBuildVersionIsNamed() throws Exception {
		final EnginePlatform.Target t = platform("linux");
		assertOneLine(LibtorchCheck.check(tmp.resolve("nope"), t, driver(t.os)).problem, "no such folder");
		fakeLibtorch(tmp.resolve("libtorch"), t.os, null, true);
		assertOneLine(LibtorchCheck.check(tmp.resolve("libtorch"), t, driver(t.os)).problem, "no build-version",
			"version is unknown");
	}

	@ParameterizedTest
	@CsvSource({ "linux", "win" })
	void aMissingDriverIsNamed(final String os) throws Exception {
		final EnginePlatform.Target t = platform(os);
		fakeLibtorch(tmp.resolve("libtorch"), t.os, "2.7.1+cu128", true);
		final LibtorchCheck.Result r = LibtorchCheck.check(tmp.resolve("libtorch"), t, List.of(tmp.resolve("empty")));
		assertOneLine(r.problem, "no NVIDIA driver", os.equals("win") ? "nvcuda.dll" : "libcuda.so.1");
		assertNull(r.driver);
	}

	@Test
	void macsAndArmLinuxHaveNoGpuPath() throws Exception {
		fakeLibtorch(tmp.resolve("libtorch"), EnginePlatform.Os.MAC, "2.7.1+cu128", true);
		assertOneLine(LibtorchCheck.check(tmp.resolve("libtorch"), EnginePlatform.detect("Mac OS X", "aarch64"), List
			.of()).problem, "macOS has no CUDA");
		assertOneLine(LibtorchCheck.check(tmp.resolve("libtorch"), EnginePlatform.detect("Linux", "aarch64"), List
			.of()).problem, "x86-64 only");
	}

	private static void assertOneLine(final String problem, final String... parts) {
		assertTrue(problem != null && !problem.contains("\n"), String.valueOf(problem));
		for (final String p : parts)
			assertTrue(problem.contains(p), "'" + p + "' in: " + problem);
	}
}
