package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.train.SyntheticCohort;

import picocli.CommandLine;

/**
 * {@code osteocast benchmark --report-only}: the tables are written again from
 * {@code results.csv} alone (no run is made again, the runs keep their code
 * version and the "Made by" line keeps the command that made them), and a
 * folder without results is one line of bad input.
 */
class BenchmarkCommandTest {

	@TempDir
	static Path dir;

	@BeforeAll
	static void engine() {
		EngineSetup.intraOpThreads(1);
	}

	@Test
	void reportOnlyRewritesTheTablesFromResults() throws Exception {
		final Path data = dir.resolve("data"), out = dir.resolve("bench");
		SyntheticCohort.write(data, 6, 4, 16, 4, 3, 3, 3);
		assertEquals(0, run("benchmark", "--data", data.toString(), "--out", out.toString(), "--models",
			"persistence,linear", "--seeds", "3", "--device", "cpu"));
		final Path results = out.resolve("results.csv");
		final List<String> lines = Files.readAllLines(results);
		assertEquals(7, lines.size(), "header + 2 models x 3 seeds");
		final String madeBy = Files.readString(out.resolve("tables.md")).lines().filter(l -> l.startsWith("Made by"))
			.findFirst().orElseThrow();
		// edit the SSIM of linear extrapolation's three rows to 0.1, 0.5, 0.2 and change one row's code version:
		// the rewritten table must show the median 0.200 with the range, and both code versions
		final List<String> header = List.of(lines.get(0).split(","));
		final int ssim = header.indexOf("ssim"), code = header.indexOf("code_version");
		final String[] values = { "0.1", "0.5", "0.2" };
		int k = 0;
		for (int i = 1; i < lines.size(); i++) {
			final String[] c = lines.get(i).split(",", -1);
			if (!c[0].equals("linear")) continue;
			c[ssim] = values[k++];
			if (k == 3) c[code] = "0.0+other";
			lines.set(i, String.join(",", c));
		}
		Files.write(results, lines);
		final long model = Files.getLastModifiedTime(out.resolve("runs/persistence/seed1/evaluation.csv")).toMillis();
		assertEquals(0, run("benchmark", "--data", data.toString(), "--out", out.toString(), "--report-only"));
		final String md = Files.readString(out.resolve("tables.md"));
		final String linear = md.lines().filter(l -> l.startsWith("| linear |")).findFirst().orElseThrow();
		assertTrue(linear.contains("| 0.200 (0.100–0.500) |"), "median SSIM with its range over seeds: " + linear);
		assertTrue(md.contains("Runs made by 2 code versions") && md.contains("`0.0+other`"), md);
		final String again = md.lines().filter(l -> l.startsWith("Made by")).findFirst().orElseThrow();
		assertTrue(again.startsWith(madeBy.substring(0, madeBy.length() - 1)) && again.contains("--report-only"),
			"keeps the command that made the runs: " + again);
		assertEquals(Files.readAllLines(results), lines, "results.csv is read, not written");
		assertEquals(model, Files.getLastModifiedTime(out.resolve("runs/persistence/seed1/evaluation.csv")).toMillis(),
			"no run is made again");
		final List<String> t1 = Files.readAllLines(out.resolve("table1.csv"));
		assertTrue(t1.get(0).contains("ssim_median,ssim_min,ssim_max,ssim_mean,ssim_sd"), t1.get(0));
		// a second rewrite keeps the first "Made by" command, not a chain of rewrites
		assertEquals(0, run("benchmark", "--data", data.toString(), "--out", out.toString(), "--report-only"));
		assertEquals(again, Files.readString(out.resolve("tables.md")).lines().filter(l -> l.startsWith("Made by"))
			.findFirst().orElseThrow());
	}

	@Test
	void reportOnlyWithoutResultsIsOneLine() throws Exception {
		final Path data = dir.resolve("data2"), out = dir.resolve("empty");
		SyntheticCohort.write(data, 6, 4, 16, 4, 3, 3, 3);
		Files.createDirectories(out);
		final StringWriter err = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setErr(new PrintWriter(err));
		cl.setOut(new PrintWriter(new StringWriter()));
		assertEquals(Main.EXIT_BAD_INPUT, cl.execute("benchmark", "--data", data.toString(), "--out", out.toString(),
			"--report-only"));
		final String e = err.toString();
		final String first = e.lines().findFirst().orElse("");
		assertTrue(first.startsWith("osteocast benchmark: " + out.resolve("results.csv")) && first.contains(
			"no benchmark results"), "one line naming the file and the problem: " + e);
		assertFalse(e.contains("\tat "), "no stack trace without --verbose: " + e);
		assertFalse(Files.exists(out.resolve("tables.md")));
	}

	private static int run(final String... args) {
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(new StringWriter()));
		return cl.execute(args);
	}
}
