package org.osteocast.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.cli.Main;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.nn.engine.EngineSetup;

/**
 * The Spark steps on {@code local[2]} against the single-machine commands, on a
 * small phantom cohort: the same files bit for bit (paths inside the JSON and
 * CSV records aside, and the timing column of the registration summary); a bad
 * mouse, a task killed once, an interrupted job and its rerun.
 */
class SparkPipelineTest {

	@TempDir
	static Path tmp;

	static Path cohort, single, model;
	static List<String> mice;

	@BeforeAll
	static void singleMachine() throws Exception {
		EngineSetup.intraOpThreads(1);
		cohort = tmp.resolve("cohort");
		assertEquals(0, Main.run("phantom", "--mice", "4", "--voxel-um", "60", "--out", cohort.toString()));
		mice = Cohort.read(cohort).mice();
		single = tmp.resolve("single");
		assertEquals(0, Main.run("register", "--cohort", cohort.toString(), "--out", single.resolve("registered")
			.toString(), "--threads", "1"));
		assertEquals(0, Main.run("slice", "--cohort", single.resolve("registered/cohort.csv").toString(), "--out", single
			.resolve("slices").toString()));
		model = tmp.resolve("tvae.zip");
		assertEquals(0, Main.run("train", "--data", single.resolve("slices").toString(), "--model", model.toString(),
			"--epochs", "1", "--nf", "4", "--g-dim", "8", "--z-dim", "3", "--rnn-size", "8", "--device", "cpu"));
		assertEquals(0, Main.run("predict", "--model", model.toString(), "--data", single.resolve("slices").toString(),
			"--out", single.resolve("predictions").toString(), "--split", "all", "--samples", "3", "--device", "cpu"));
	}

	@Test
	void allOnLocal2EqualsTheThreeSingleMachineCommands() throws Exception {
		final Path w = tmp.resolve("spark-all");
		assertEquals(0, SparkMain.run("all", "--cohort", cohort.toString(), "--model", model.toString(), "--out", w
			.toString(), "--master", "local[2]", "--threads", "1", "--predict-split", "all", "--samples", "3",
			"--device", "cpu"));
		for (final String step : new String[] { "registered", "slices", "predictions" })
			assertSameFiles(single.resolve(step), w.resolve(step), single, w);
		final List<String> status = Files.readAllLines(w.resolve("spark-work").resolve(SparkPipeline.STATUS));
		assertEquals("mouse,step,status,message,seconds", status.get(0));
		// every mouse registered; the mice with weeks 1..4 sliced and forecast (the others are skipped, as slice does)
		final int sliced = org.osteocast.io.contracts.SliceDataset.open(single.resolve("slices")).entries().size();
		assertTrue(sliced >= 2, "at least two mice have all four weeks");
		assertEquals(1 + mice.size() + 2 * sliced, status.size(), String.join("\n", status));
		for (final String line : status.subList(1, status.size()))
			assertTrue(line.contains(",ok,"), line);
	}

	@Test
	void aBadMouseIsReportedAndAKilledTaskIsRetried() throws Exception {
		final Path bad = tmp.resolve("bad-cohort");
		copyTree(cohort, bad);
		final String broken = mice.get(1), killed = mice.get(2), starved = mice.get(3);
		final Path scan = Cohort.read(bad).scans(broken).get(1).image;
		Files.write(scan, "not a TIFF".getBytes(StandardCharsets.US_ASCII));
		final Path out = tmp.resolve("bad-registered"), work = tmp.resolve("bad-work");
		System.setProperty("spark.osteocast.test.failFirstAttempt", killed);
		System.setProperty("spark.osteocast.test.outOfHeap", starved);
		final int exit;
		try {
			// local[2,2]: two threads, a task may fail once (local mode's spark.task.maxFailures)
			exit = SparkMain.run("register", "--cohort", bad.toString(), "--out", out.toString(), "--work", work.toString(),
				"--master", "local[2,2]", "--threads", "1");
		}
		finally {
			System.clearProperty("spark.osteocast.test.failFirstAttempt");
			System.clearProperty("spark.osteocast.test.outOfHeap");
		}
		assertEquals(SparkMain.EXIT_SOME_FAILED, exit);
		final Map<String, String> status = status(work);
		assertTrue(status.get(broken).startsWith("error,"), status.get(broken));
		assertTrue(status.get(broken).contains(scan.toString()), "the message names the file: " + status.get(broken));
		// a task out of heap is a row that says what to give it, not the end of the job
		assertTrue(status.get(starved).startsWith("error,") && status.get(starved).contains("out of Java heap"), status.get(
			starved));
		for (final String m : mice)
			if (!m.equals(broken) && !m.equals(starved)) assertTrue(status.get(m).startsWith("ok,"), m + ": " + status.get(
				m));
		assertFalse(Files.exists(out.resolve(broken)), "a failed mouse has no output");
		assertFalse(Files.exists(out.resolve(starved)), "a mouse out of heap has no output");
		// the killed mouse was redone whole: its scans equal the single-machine ones, nothing partial is left
		for (final Path f : list(single.resolve("registered").resolve(killed)))
			if (f.toString().endsWith(".tif")) assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(out.resolve(
				killed).resolve(f.getFileName())), f.toString());
		try (Stream<Path> s = Files.list(work.resolve("register"))) {
			assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".partial-")), "no partial folder is left");
		}
	}

	@Test
	void aRerunAfterAnInterruptedJobSkipsVerifiedMiceAndRedoesTheRest() throws Exception {
		final Path out = tmp.resolve("int-registered"), work = tmp.resolve("int-work");
		final String dies = mice.get(2);
		System.setProperty("spark.osteocast.test.failAlways", dies);
		final int exit;
		try {
			// one thread: mice run in order, so the mice before the one that dies are finished
			exit = SparkMain.run("register", "--cohort", cohort.toString(), "--out", out.toString(), "--work", work
				.toString(), "--master", "local[1]", "--threads", "1");
		}
		finally {
			System.clearProperty("spark.osteocast.test.failAlways");
		}
		assertEquals(1, exit);
		assertFalse(Files.exists(out), "an interrupted job leaves no output folder");
		assertTrue(Files.isRegularFile(WorkRecord.file(work.resolve("register"), mice.get(0))));
		assertFalse(Files.exists(WorkRecord.file(work.resolve("register"), dies)));
		// damage one finished file: that mouse is redone, the other finished one is skipped
		final Path damaged = list(work.resolve("register").resolve(mice.get(1))).get(0);
		Files.write(damaged, new byte[] { 1 }, StandardOpenOption.APPEND);
		assertEquals(0, SparkMain.run("register", "--cohort", cohort.toString(), "--out", out.toString(), "--work", work
			.toString(), "--master", "local[2]", "--threads", "1"));
		final Map<String, String> status = status(work);
		assertTrue(status.get(mice.get(0)).startsWith("skipped,"), status.get(mice.get(0)));
		assertTrue(status.get(mice.get(1)).startsWith("ok,"), "a damaged mouse is redone: " + status.get(mice.get(1)));
		assertTrue(status.get(dies).startsWith("ok,"), status.get(dies));
		assertSameFiles(single.resolve("registered"), out, single.resolve("registered"), out);
	}

	// ---------------------------------------------------------------- helpers

	/** mouse → "status,message,seconds" of the status table. */
	private static Map<String, String> status(final Path work) throws IOException {
		final Map<String, String> m = new TreeMap<>();
		for (final String line : Files.readAllLines(work.resolve(SparkPipeline.STATUS)).subList(1, Files.readAllLines(
			work.resolve(SparkPipeline.STATUS)).size()))
		{
			final String[] p = line.split(",", 3);
			m.put(p[0], p[2]);
		}
		return m;
	}

	/**
	 * Every file of {@code a} is in {@code b} with the same bytes; in JSON and
	 * CSV files, {@code rootA} is first replaced by {@code rootB}, and the
	 * registration summary's last column (seconds) is left out.
	 */
	static void assertSameFiles(final Path a, final Path b, final Path rootA, final Path rootB) throws IOException {
		final List<Path> files;
		try (Stream<Path> s = Files.walk(a)) {
			files = s.filter(Files::isRegularFile).collect(Collectors.toList());
		}
		assertFalse(files.isEmpty());
		for (final Path f : files) {
			final Path g = b.resolve(a.relativize(f).toString());
			assertTrue(Files.isRegularFile(g), "missing " + g);
			final String n = f.getFileName().toString();
			if (n.endsWith(".json") || n.endsWith(".csv")) {
				String x = Files.readString(f).replace(rootA.toAbsolutePath().toString(), rootB.toAbsolutePath().toString());
				String y = Files.readString(g);
				if (n.equals("registration_summary.csv")) {
					x = x.replaceAll(",[^,\n]*\n", "\n");
					y = y.replaceAll(",[^,\n]*\n", "\n");
				}
				assertEquals(x, y, g.toString());
			}
			else assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g), g.toString());
		}
	}

	private static List<Path> list(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.sorted().collect(Collectors.toList());
		}
	}

	private static void copyTree(final Path from, final Path to) throws IOException {
		final List<Path> all = new ArrayList<>();
		try (Stream<Path> s = Files.walk(from)) {
			s.forEach(all::add);
		}
		for (final Path p : all) {
			final Path t = to.resolve(from.relativize(p).toString());
			if (Files.isDirectory(p)) Files.createDirectories(t);
			else Files.copy(p, t);
		}
	}
}
