package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.phantom.PhantomGenerator;

import picocli.CommandLine;

class PhantomCommandTest {

	@TempDir
	Path tmp;

	private static int run(final StringWriter err, final String... args) {
		final CommandLine cl = Main.commandLine();
		cl.setErr(new PrintWriter(err));
		return cl.execute(args);
	}

	@Test
	void writesCohortAndMontageThenRefusesToOverwrite() throws Exception {
		final Path out = tmp.resolve("ph");
		final Path png = tmp.resolve("m.png");
		final String[] args = { "phantom", "--out", out.toString(), "--mice", "2", "--weeks", "2", "--voxel-um", "60",
			"--tumour-fraction", "0.5", "--missing-week-prob", "0", "--montage", png.toString() };
		assertEquals(0, run(new StringWriter(), args));
		assertTrue(Files.isRegularFile(out.resolve("cohort.csv")));
		assertEquals(5, Files.readAllLines(out.resolve("cohort.csv")).size());
		assertTrue(Files.size(png) > 1000);
		final StringWriter err = new StringWriter();
		assertEquals(Main.EXIT_BAD_INPUT, run(err, args));
		assertTrue(err.toString().contains(PhantomGenerator.EXISTS_MESSAGE), err.toString());
		final String[] again = java.util.Arrays.copyOf(args, args.length + 1);
		again[args.length] = "--overwrite";
		assertEquals(0, run(new StringWriter(), again));
	}

	@Test
	void badOptionValueIsABadInputError() {
		final StringWriter err = new StringWriter();
		assertEquals(Main.EXIT_BAD_INPUT, run(err, "phantom", "--out", tmp.resolve("x").toString(), "--format", "nifti"));
		assertTrue(err.toString().contains("nifti"), err.toString());
	}
}
