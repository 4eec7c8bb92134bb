package org.osteocast.ij1;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "OsteoCast Engine" command from a macro in plain ImageJ 1.x, headless. */
class EngineMacroIT {

	@TempDir
	Path tmp;

	@Test
	void engineCommandRunsFromAMacroAndPersistsItsSetting() throws Exception {
		final ImageJ1 ij = ImageJ1.install();
		// a CUDA libtorch as pytorch.org's download unpacks, and an NVIDIA driver where the check looks
		final Path libtorch = tmp.resolve("libtorch");
		final Path lib = Files.createDirectories(libtorch.resolve("lib"));
		for (final String n : new String[] { "libc10.so", "libtorch.so", "libtorch_cpu.so", "libtorch_cuda.so" })
			Files.writeString(lib.resolve(n), n);
		Files.writeString(libtorch.resolve("build-version"), "2.7.1+cu128\n");
		final Path driver = Files.createDirectories(tmp.resolve("driver"));
		Files.writeString(driver.resolve("libcuda.so.1"), "driver");
		final Path macro = tmp.resolve("engine.ijm");
		Files.writeString(macro, "run(\"OsteoCast Engine\", \"action=Show\");\n" +
			"run(\"OsteoCast Engine\", \"action=[Use local libtorch] libtorch_path=[\" + getArgument() + \"]\");\n" +
			"print(\"macro finished\");\n");
		final ImageJ1.Result r = ij.runMacro(macro, libtorch.toString(), 180, "-Dosteocast.cuda.driver.dirs=" + driver);
		assertTrue(r.output.contains("\"engine\": \"PyTorch\""), r.output);
		assertTrue(r.output.contains("\"platform\": \"linux64\"") || !System.getProperty("os.arch").equals("amd64"),
			r.output);
		assertTrue(r.output.contains("\"training_ready\": true"), r.output);
		assertTrue(r.output.contains("libtorch_check") && r.output.contains("2.7.1+cu128"), r.output);
		assertTrue(r.output.contains("restart Fiji"), r.output);
		assertTrue(r.output.contains("macro finished"), r.output);
		final String settings = Files.readString(ij.root().resolve("config/engine.properties"));
		assertTrue(settings.contains("libtorch_path=" + lib.toString().replace(":", "\\:")), settings);
		assertTrue(settings.contains("flavor=cu128"), settings);
	}

	@Test
	void aCpuOnlyLibtorchIsRefusedInOneLineAndNothingIsSaved() throws Exception {
		final ImageJ1 ij = ImageJ1.install();
		final Path libtorch = tmp.resolve("libtorch");
		final Path lib = Files.createDirectories(libtorch.resolve("lib"));
		Files.writeString(lib.resolve("libtorch.so"), "x");
		Files.writeString(libtorch.resolve("build-version"), "2.7.1+cpu\n");
		final Path macro = tmp.resolve("cpu.ijm");
		Files.writeString(macro, "run(\"OsteoCast Engine\", \"action=[Check libtorch folder] libtorch_path=[\" + " +
			"getArgument() + \"]\");\nprint(\"should not be reached\");\n");
		final ImageJ1.Result r = ij.runMacro(macro, libtorch.toString(), 180);
		assertTrue(r.output.contains("is a CPU-only build"), r.output);
		assertFalse(r.output.contains("should not be reached"), r.output);
		assertFalse(Files.exists(ij.root().resolve("config/engine.properties")), "nothing saved");
	}

	@Test
	void theEngineCheckMacroPrintsTheReport() throws Exception {
		final ImageJ1 ij = ImageJ1.install();
		final ImageJ1.Result r = ij.runMacro(Path.of("macros/engine_check.ijm").toAbsolutePath(), null, 180);
		for (final String s : new String[] { "OsteoCast engine check", "\"platform\":", "\"native_library_origin\":",
			"\"training_ready\": true", "\"engine_version\":", "engine check done" })
			assertTrue(r.output.contains(s), s + " in " + r.output);
	}

	@Test
	void badInputAbortsTheMacroWithAMessageInsteadOfADialog() throws Exception {
		final ImageJ1 ij = ImageJ1.install();
		final Path macro = tmp.resolve("bad.ijm");
		Files.writeString(macro, "run(\"OsteoCast Engine\", \"action=[Use local libtorch] libtorch_path=/no/such/dir\");\n" +
			"print(\"should not be reached\");\n");
		final ImageJ1.Result r = ij.runMacro(macro, null, 180);
		assertTrue(r.output.contains("libtorch_path must be an existing folder"), r.output);
		assertFalse(r.output.contains("should not be reached"), r.output);
		assertFalse(Files.exists(ij.root().resolve("config/engine.properties")), "nothing saved");
	}
}
