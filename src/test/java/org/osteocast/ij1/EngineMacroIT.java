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
		final Path lib = Files.createDirectories(tmp.resolve("libtorch"));
		final Path macro = tmp.resolve("engine.ijm");
		Files.writeString(macro, "run(\"OsteoCast Engine\", \"action=Show\");\n" +
			"run(\"OsteoCast Engine\", \"action=[Use local libtorch] libtorch_path=[\" + getArgument() + \"]\");\n" +
			"print(\"macro finished\");\n");
		final ImageJ1.Result r = ij.runMacro(macro, lib.toString(), 180);
		assertTrue(r.output.contains("\"engine\": \"PyTorch\""), r.output);
		assertTrue(r.output.contains("restart Fiji"), r.output);
		assertTrue(r.output.contains("macro finished"), r.output);
		final String settings = Files.readString(ij.root().resolve("config/engine.properties"));
		assertTrue(settings.contains("libtorch_path=" + lib.toString().replace(":", "\\:")), settings);
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
