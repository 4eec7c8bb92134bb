package org.osteocast.nn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's platform and native-library selection, for every OS/arch pair
 * (the JVM's {@code os.name}/{@code os.arch} values simulated), on fake Fiji
 * and ImageJ 1.x installations.
 */
class EnginePlatformTest {

	@TempDir
	Path tmp;

	@ParameterizedTest(name = "{0} / {1}")
	@CsvSource({ //
		"Linux, amd64, linux64, linux-x86_64, true, true", //
		"Linux, aarch64, linux-arm64, linux-aarch64, true, false", //
		"Windows 11, amd64, win64, win-x86_64, true, true", //
		"Windows 10, amd64, win64, win-x86_64, true, true", //
		"Mac OS X, aarch64, macos-arm64, osx-aarch64, true, false", //
		"Mac OS X, x86_64, macos64, osx-x86_64, false, false" })
	void eachServedPlatformMapsToTheUpdaterTagAndDjlClassifier(final String osName, final String osArch,
		final String fiji, final String classifier, final boolean cpuBuild, final boolean gpu)
	{
		final EnginePlatform.Target t = EnginePlatform.detect(osName, osArch);
		assertEquals(fiji, t.fijiPlatform);
		assertEquals(fiji, EnginePlatform.fijiPlatform(osName, osArch), "the updater's own derivation agrees");
		assertEquals(classifier, t.classifier);
		assertEquals(classifier, EnginePlatform.djlClassifier(osName, osArch));
		assertEquals(cpuBuild, t.cpuBuild);
		assertEquals(gpu, t.gpuPossible());
	}

	@ParameterizedTest(name = "{0} / {1}")
	@CsvSource({ "Windows 11, aarch64, win-arm64", "Linux, x86, linux32", "Linux, riscv64, linux-riscv64" })
	void unservedPlatformsAreNamedInTheMessage(final String osName, final String osArch, final String fiji) {
		final IllegalStateException e = assertThrows(IllegalStateException.class, () -> EnginePlatform.detect(osName,
			osArch));
		assertTrue(e.getMessage().contains(fiji) && e.getMessage().contains("win64"), e.getMessage());
	}

	@Test
	void intelMacsGetAClearMessage() {
		assertTrue(EnginePlatform.NO_INTEL_MAC.contains("Intel Macs"));
		final EnginePlatform.Target mac = EnginePlatform.detect("Mac OS X", "x86_64");
		assertFalse(mac.cpuBuild);
		assertNull(EnginePlatform.inFolders(mac, List.of(fakeFiji())), "no jar is ever chosen for it");
	}

	@Test
	void libraryNamesFollowEachOperatingSystem() {
		assertEquals("libtorch.so", EnginePlatform.Os.LINUX.libraryName("torch"));
		assertEquals("torch.dll", EnginePlatform.Os.WINDOWS.libraryName("torch"));
		assertEquals("libtorch.dylib", EnginePlatform.Os.MAC.libraryName("torch"));
		assertEquals("jnilib/win-x86_64/cu128/djl_torch.dll", EnginePlatform.detect("Windows 11", "amd64").jniEntry(
			"cu128"));
	}

	/** A Fiji.app/jars with every platform's native jar in its platform folder, as the updater installs them. */
	private Path fakeFiji() {
		try {
			final Path jars = Files.createDirectories(tmp.resolve("Fiji.app/jars"));
			for (final EnginePlatform.Target t : EnginePlatform.ALL) {
				if (!t.cpuBuild) continue;
				final Path dir = Files.createDirectories(jars.resolve(t.fijiPlatform));
				nativeJar(dir.resolve(t.nativeJarName("2.7.1")), t, false);
			}
			return jars;
		}
		catch (final IOException e) {
			throw new IllegalStateException(e);
		}
	}

	@ParameterizedTest(name = "{0} / {1}")
	@CsvSource({ "Linux, amd64", "Linux, aarch64", "Windows 11, amd64", "Mac OS X, aarch64" })
	void eachPlatformFindsItsOwnJarInFijisPlatformFolders(final String osName, final String osArch) throws Exception {
		final EnginePlatform.Target t = EnginePlatform.detect(osName, osArch);
		final Path jars = fakeFiji();
		final Path found = EnginePlatform.inFolders(t, List.of(tmp.resolve("no-such"), jars));
		assertEquals(jars.resolve(t.fijiPlatform).resolve(t.nativeJarName("2.7.1")), found);
		assertEquals(List.of(), EnginePlatform.checkNativeJar(found, t));
	}

	@Test
	void aFlatImageJ1PluginsJarsFolderWorksToo() throws Exception {
		final Path flat = Files.createDirectories(tmp.resolve("ImageJ/plugins/jars"));
		final EnginePlatform.Target win = EnginePlatform.detect("Windows 10", "amd64");
		final EnginePlatform.Target linux = EnginePlatform.detect("Linux", "amd64");
		nativeJar(flat.resolve(win.nativeJarName("2.7.1")), win, false);
		nativeJar(flat.resolve(linux.nativeJarName("2.7.1")), linux, false);
		assertEquals(flat.resolve(win.nativeJarName("2.7.1")), EnginePlatform.inFolders(win, List.of(flat)));
		assertEquals(flat.resolve(linux.nativeJarName("2.7.1")), EnginePlatform.inFolders(linux, List.of(flat)));
		assertNull(EnginePlatform.inFolders(EnginePlatform.detect("Mac OS X", "aarch64"), List.of(flat)));
	}

	@Test
	void aJarWhosePropertiesNameAnotherPlatformIsNotChosen() throws Exception {
		final Path dir = Files.createDirectories(tmp.resolve("jars/win64"));
		final EnginePlatform.Target win = EnginePlatform.detect("Windows 10", "amd64");
		// named for Windows, built for Linux
		nativeJar(dir.resolve(win.nativeJarName("2.7.1")), EnginePlatform.detect("Linux", "amd64"), false);
		assertNull(EnginePlatform.inFolders(win, List.of(tmp.resolve("jars"))));
	}

	@Test
	void theClassPathJarMatchingThePlatformIsFound() throws Exception {
		final Path jars = fakeFiji();
		final EnginePlatform.Target mac = EnginePlatform.detect("Mac OS X", "aarch64");
		final List<URL> urls = new java.util.ArrayList<>();
		for (final EnginePlatform.Target t : EnginePlatform.ALL)
			if (t.cpuBuild) urls.add(jars.resolve(t.fijiPlatform).resolve(t.nativeJarName("2.7.1")).toUri().toURL());
		try (URLClassLoader l = new URLClassLoader(urls.toArray(new URL[0]), null)) {
			assertEquals(jars.resolve("macos-arm64").resolve(mac.nativeJarName("2.7.1")), EnginePlatform.onClassPath(mac,
				l));
			assertNull(EnginePlatform.onClassPath(EnginePlatform.detect("Mac OS X", "x86_64"), l));
		}
	}

	@Test
	void aJarMissingALibraryIsReported() throws Exception {
		final EnginePlatform.Target win = EnginePlatform.detect("Windows 10", "amd64");
		final Path jar = nativeJar(tmp.resolve("broken.jar"), win, true);
		final List<String> problems = EnginePlatform.checkNativeJar(jar, win);
		assertEquals(1, problems.size(), problems.toString());
		assertTrue(problems.get(0).contains("torch_cpu.dll"), problems.get(0));
		final List<String> wrong = EnginePlatform.checkNativeJar(jar, EnginePlatform.detect("Linux", "amd64"));
		assertTrue(wrong.stream().anyMatch(p -> p.contains("built for win-x86_64")), wrong.toString());
		assertTrue(wrong.stream().anyMatch(p -> p.contains("does not list libtorch.so")), wrong.toString());
	}

	@Test
	void withoutAJarOnTheClassPathTheJarInTheFijiFolderIsUnpackedForDjl() throws Exception {
		assumeTrue(System.getenv("PYTORCH_LIBRARY_PATH") == null && System.getProperty("PYTORCH_LIBRARY_PATH") == null);
		final EnginePlatform.Target here;
		try {
			here = EnginePlatform.current();
		}
		catch (final IllegalStateException e) {
			return; // an unserved build machine: covered by the parameterised tests
		}
		assumeTrue(here.cpuBuild);
		final Path jars = fakeFiji();
		final String engineCache = System.getProperty("ENGINE_CACHE_DIR");
		System.setProperty("ENGINE_CACHE_DIR", tmp.resolve("cache").toString());
		try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
			final EngineSetup.Selection s = EngineSetup.select(empty, List.of(jars));
			assertNull(s.problem);
			assertEquals(jars.resolve(here.fijiPlatform).resolve(here.nativeJarName("2.7.1")), s.nativeJar);
			final Path dir = Path.of(System.getProperty("PYTORCH_LIBRARY_PATH"));
			assertTrue(dir.startsWith(tmp.resolve("cache")), dir.toString());
			assertTrue(Files.isRegularFile(dir.resolve(here.os.libraryName("torch"))));
			assertEquals("cpu", System.getProperty("PYTORCH_FLAVOR"));
			assertTrue(s.origin.contains("unpacked into"), s.origin);
			// nothing anywhere: one line that says what to do
			final EngineSetup.Selection none = selectWithout(empty);
			assertTrue(none.problem.contains(here.nativeJarName("2.7.1")) && none.problem.contains("update site"),
				none.problem);
		}
		finally {
			System.clearProperty("PYTORCH_LIBRARY_PATH");
			System.clearProperty("PYTORCH_FLAVOR");
			if (engineCache == null) System.clearProperty("ENGINE_CACHE_DIR");
			else System.setProperty("ENGINE_CACHE_DIR", engineCache);
		}
	}

	private EngineSetup.Selection selectWithout(final ClassLoader l) {
		System.clearProperty("PYTORCH_LIBRARY_PATH");
		System.clearProperty("PYTORCH_FLAVOR");
		return EngineSetup.select(l, List.of(tmp.resolve("empty")));
	}

	@Test
	void aUsersLibtorchGetsTheFlavourOfItsBuild() throws Exception {
		assumeTrue(System.getenv("PYTORCH_LIBRARY_PATH") == null && System.getenv("PYTORCH_FLAVOR") == null);
		final EnginePlatform.Target here;
		try {
			here = EnginePlatform.current();
		}
		catch (final IllegalStateException e) {
			return;
		}
		final Path lib = LibtorchCheckTest.fakeLibtorch(tmp.resolve("gpu"), here.os, "2.7.1+cu128", true);
		System.setProperty("PYTORCH_LIBRARY_PATH", lib.toString());
		try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
			final EngineSetup.Selection s = EngineSetup.select(empty, List.of());
			assertNull(s.problem);
			assertTrue(s.origin.contains(lib.toString()), s.origin);
			assertEquals("cu128", System.getProperty("PYTORCH_FLAVOR"));
		}
		finally {
			System.clearProperty("PYTORCH_LIBRARY_PATH");
			System.clearProperty("PYTORCH_FLAVOR");
		}
	}

	/** A native jar as DJL publishes them; {@code dropOne} leaves torch_cpu out. */
	static Path nativeJar(final Path jar, final EnginePlatform.Target t, final boolean dropOne) throws IOException {
		final List<String> libs = List.of(t.os.libraryName("c10"), t.os.libraryName("torch"), t.os.libraryName(
			"torch_cpu"));
		try (OutputStream o = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(o)) {
			z.putNextEntry(new ZipEntry(EnginePlatform.NATIVE_PROPERTIES));
			z.write(("version=2.7.1-20250812\nflavor=cpu\nclassifier=" + t.classifier + "\nlibraries=" + String.join(",",
				libs) + "\n").getBytes(StandardCharsets.UTF_8));
			for (final String lib : libs) {
				if (dropOne && lib.contains("torch_cpu")) continue;
				z.putNextEntry(new ZipEntry("pytorch/cpu/" + t.classifier + "/" + lib));
				z.write(lib.getBytes(StandardCharsets.UTF_8));
			}
		}
		assertNotNull(EnginePlatform.readNativeJar(jar));
		return jar;
	}
}
