package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.Output;
import org.osteocast.metrics.CohortEvaluation;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.predict.Predictor;
import org.osteocast.train.SyntheticCohort;
import org.osteocast.train.Training;

import picocli.CommandLine;

/**
 * A campaign of bad inputs, as a hostile but realistic user would try them on
 * every verb. Each case asserts the exit code, the one-line message (naming
 * the file or option and the problem, under the verb's own name) and that no
 * input changed (SHA-256 of every file under the inputs' folder before and
 * after). The README's reliability section counts these cases.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCampaignTest {

	@TempDir
	static Path tmp;

	/** Inputs: the committed phantom cohort (copied), a slice data set and a persistence model. */
	static Path cohort, data, model, tvae;

	static int cases;

	@BeforeAll
	static void setUp() throws Exception {
		EngineSetup.intraOpThreads(1);
		cohort = tmp.resolve("in/cohort");
		copyTree(Path.of("test-data"), cohort);
		data = tmp.resolve("in/slices");
		SyntheticCohort.write(data, 6, 4, 16, 4, 8, 3, 3);
		model = tmp.resolve("in/persistence.zip");
		assertEquals(0, Main.run("train", "--arch", "persistence", "--data", data.toString(), "--model", model
			.toString(), "--device", "cpu"));
		Files.deleteIfExists(Training.checkpoint(model));
		tvae = tmp.resolve("in/tvae.zip");
		assertEquals(0, Main.run("train", "--data", data.toString(), "--model", tvae.toString(), "--epochs", "1", "--nf",
			"4", "--g-dim", "8", "--z-dim", "3", "--rnn-size", "8", "--device", "cpu"));
		Files.deleteIfExists(Training.checkpoint(tvae));
	}

	/** One run: exit code, standard error, inputs unchanged. */
	private static String fails(final int exit, final String message, final String... args) throws IOException {
		final Map<String, String> before = checksums(tmp.resolve("in"));
		final StringWriter err = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setErr(new PrintWriter(err));
		cl.setOut(new PrintWriter(new StringWriter()));
		final int rc = cl.execute(args);
		final String e = err.toString();
		assertEquals(exit, rc, String.join(" ", args) + " -> " + e);
		assertTrue(e.contains(message), "expected '" + message + "' in: " + e);
		if (exit == Main.EXIT_BAD_INPUT) {
			assertTrue(e.startsWith("osteocast " + args[0]), "names the verb: " + e);
			assertFalse(e.contains("\tat "), "no stack trace without --verbose: " + e);
		}
		assertEquals(before, checksums(tmp.resolve("in")), "inputs unchanged by: " + String.join(" ", args));
		cases++;
		return e;
	}

	private static int ok(final String... args) {
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(new StringWriter()));
		return cl.execute(args);
	}

	// --- identifiers are never paths -------------------------------------------------------------

	@Test
	@Order(1)
	void aMouseIdThatIsAPathIsRefusedNamingTheLine() throws Exception {
		for (final String id : new String[] { "../in/cohort/M002", "../../X", "/abs/M1", "M 1", ".hidden", "a\\b" }) {
			final Path csv = tmp.resolve("in/evil-" + cases + ".csv");
			Files.writeString(csv, "mouse,week,image\n" + csv(id) + ",1,cohort/M002/week1.tif\n" + csv(id) +
				",2,cohort/M002/week2.tif\n");
			final Path out = tmp.resolve("out/evil" + cases);
			fails(2, "line 2: mouse '" + id + "' is not a valid mouse ID", "register", "--cohort", csv.toString(), "--out",
				out.toString());
			assertFalse(Files.exists(out), "nothing written");
		}
	}

	private static String csv(final String id) {
		return id.contains(",") || id.contains(" ") ? "\"" + id + "\"" : id;
	}

	@Test
	@Order(2)
	void aSliceDataSetWithAPathAsMouseIsRefused() throws Exception {
		final Path d = tmp.resolve("in/evil-slices");
		Files.createDirectories(d);
		Files.copy(data.resolve("m01.tif"), d.resolve("m01.tif"));
		Files.writeString(d.resolve("cohort.csv"), "mouse,image,split\n../../m01,m01.tif,test\n");
		fails(2, "is not a valid mouse ID", "predict", "--model", model.toString(), "--data", d.toString(), "--out", tmp
			.resolve("out/evil-pred").toString());
	}

	// --- outputs: never over an input, never over an earlier result without --overwrite ---------

	@Test
	@Order(3)
	void outputsThatAreOrHoldInputsAreRefused() throws Exception {
		fails(2, "holds the input", "register", "--cohort", cohort.toString(), "--out", cohort.toString());
		fails(2, "holds the input", "register", "--cohort", cohort.toString(), "--out", tmp.resolve("in").toString(),
			"--overwrite");
		// the same folder by another name (a link) is the same folder
		final Path link = tmp.resolve("link-to-cohort");
		Files.createSymbolicLink(link, cohort);
		fails(2, "holds the input", "register", "--cohort", cohort.toString(), "--out", link.toString(), "--overwrite");
		fails(2, "holds the input", "slice", "--cohort", cohort.toString(), "--out", cohort.resolve("..").resolve(cohort
			.getFileName()).toString(), "--overwrite");
		fails(2, "holds the input", "predict", "--model", model.toString(), "--data", data.toString(), "--out", data
			.toString(), "--overwrite");
		fails(2, "is an input", "train", "--data", data.toString(), "--model", data.resolve("m01.tif").toString(),
			"--overwrite");
		fails(2, "is a file; the output must be a folder", "register", "--cohort", cohort.toString(), "--out", model
			.toString());
		fails(2, "is a folder; name a file to write", "train", "--data", data.toString(), "--model", data.toString(),
			"--arch", "persistence");
	}

	@Test
	@Order(4)
	void existingResultsAreRefusedWithoutOverwrite() throws Exception {
		final Path out = tmp.resolve("out/earlier");
		Files.createDirectories(out);
		Files.writeString(out.resolve("keep.txt"), "an earlier result");
		for (final String[] a : new String[][] { { "register", "--cohort", cohort.toString(), "--out", out.toString() },
			{ "slice", "--cohort", cohort.toString(), "--out", out.toString() }, { "predict", "--model", model.toString(),
				"--data", data.toString(), "--out", out.toString() } })
			fails(2, Output.EXISTS, a);
		fails(2, Output.EXISTS, "train", "--data", data.toString(), "--model", model.toString(), "--arch", "persistence");
		final Path csv = out.resolve("keep.txt");
		fails(2, Output.EXISTS, "evaluate", "--pred", tmp.resolve("out/none").toString(), "--data", data.toString(),
			"--out", csv.toString());
		assertEquals("an earlier result", Files.readString(out.resolve("keep.txt")));
		// a checkpoint of an unfinished training is not thrown away
		final Path m2 = tmp.resolve("out/m2.zip");
		Files.writeString(Training.checkpoint(m2), "unfinished");
		fails(2, Training.UNFINISHED, "train", "--data", data.toString(), "--model", m2.toString(), "--arch",
			"persistence");
		assertEquals("unfinished", Files.readString(Training.checkpoint(m2)));
	}

	@Test
	@Order(5)
	void overwriteReplacesTheOldOutputAsAWhole() throws Exception {
		final Path out = tmp.resolve("out/replaced");
		Files.createDirectories(out);
		Files.writeString(out.resolve("zz_pred.tif"), "stale forecast of another run");
		assertEquals(0, ok("predict", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
			"--overwrite"));
		assertFalse(Files.exists(out.resolve("zz_pred.tif")), "no stale file beside the new ones");
		assertTrue(Files.isRegularFile(out.resolve("m03_pred.tif")));
		assertEquals(List.of(), leftovers(out.getParent()), "no partial or lock files left");
		// and evaluate then scores exactly that run
		assertEquals(0, ok("evaluate", "--pred", out.toString(), "--data", data.toString()));
		cases++;
	}

	@Test
	@Order(6)
	void aSecondWriterIsRefusedWhileTheFirstHoldsTheOutput() throws Exception {
		final Path out = tmp.resolve("out/busy");
		try (Output first = Output.folder(out, false, List.of())) {
			fails(2, Output.LOCKED, "predict", "--model", model.toString(), "--data", data.toString(), "--out", out
				.toString(), "--overwrite");
			first.commit();
		}
		assertEquals(List.of(), leftovers(out.getParent()));
	}

	@Test
	@Order(7)
	void aFailureMidCohortLeavesNothingAndNamesTheMouse() throws Exception {
		final Path bad = tmp.resolve("in/half-bad");
		copyTree(cohort, bad);
		Files.write(bad.resolve("M002/week3.tif"), new byte[] { 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 2 }); // a truncated TIFF
		final Path out = tmp.resolve("out/half");
		final String e = fails(2, "mouse M002", "register", "--cohort", bad.toString(), "--out", out.toString());
		assertTrue(e.contains("week3.tif"), e);
		assertFalse(Files.exists(out), "no half-written output");
		assertEquals(List.of(), leftovers(out.getParent()));
	}

	// --- provenance checked, not assumed ---------------------------------------------------------

	@Test
	@Order(8)
	void evaluateRefusesMixedFoldersStaleInputsAndOtherWeeks() throws Exception {
		final Path pred = tmp.resolve("out/pred-a");
		assertEquals(0, ok("predict", "--model", model.toString(), "--data", data.toString(), "--out", pred.toString()));
		// a forecast of another run copied in
		final Path mixed = tmp.resolve("in/mixed");
		copyTree(pred, mixed);
		Files.copy(pred.resolve("m03_pred.tif"), mixed.resolve("m05_pred.tif"));
		fails(2, CohortEvaluation.MIXED + "m05_pred.tif", "evaluate", "--pred", mixed.toString(), "--data", data
			.toString());
		// scoring another week than the one forecast
		fails(2, "conditioned on 3 weeks", "evaluate", "--pred", pred.toString(), "--data", data.toString(), "--observed",
			"2");
		// the data changed since the forecast
		final Path changed = tmp.resolve("in/slices-changed");
		copyTree(data, changed);
		final Hyperstack h = Hyperstack.read(changed.resolve("m03.tif"));
		h.plane(0, 3)[0] += 0.5f;
		h.write(changed.resolve("m03.tif"));
		fails(2, "is not the file that mouse m03's forecast was made from", "evaluate", "--pred", pred.toString(), "--data",
			changed.toString());
		// a NaN forecast is an error, not a mean over fewer mice than the baselines'
		final Path nan = tmp.resolve("in/pred-nan");
		copyTree(pred, nan);
		final Hyperstack p = Hyperstack.read(nan.resolve("m06_pred.tif"));
		p.plane(1, 0)[5] = Float.NaN;
		p.write(nan.resolve("m06_pred.tif"));
		fails(2, "m06_pred.tif: 1 voxel(s) are not finite", "evaluate", "--pred", nan.toString(), "--data", data
			.toString());
	}

	@Test
	@Order(9)
	void predictRejectsNonFiniteInputsAsTrainDoes() throws Exception {
		final Path d = tmp.resolve("in/slices-nan");
		copyTree(data, d);
		final Hyperstack h = Hyperstack.read(d.resolve("m03.tif"));
		h.plane(2, 1)[7] = Float.NaN;
		h.write(d.resolve("m03.tif"));
		fails(2, "are not finite", "predict", "--model", model.toString(), "--data", d.toString(), "--out", tmp.resolve(
			"out/pred-nan-in").toString());
		assertFalse(Files.exists(tmp.resolve("out/pred-nan-in")));
	}

	@Test
	@Order(10)
	void anEditedModelDescriptionIsRefused() throws Exception {
		final Path edited = tmp.resolve("in/edited.zip");
		try (ZipFile z = new ZipFile(model.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(
			edited)))
		{
			for (final ZipEntry e : java.util.Collections.list(z.entries())) {
				byte[] b = z.getInputStream(e).readAllBytes();
				if (e.getName().equals("model.json")) b = new String(b, StandardCharsets.UTF_8).replace("\"n_past\": 3",
					"\"n_past\": 2").getBytes(StandardCharsets.UTF_8);
				out.putNextEntry(new ZipEntry(e.getName()));
				out.write(b);
				out.closeEntry();
			}
		}
		fails(2, "model.json was changed after training", "predict", "--model", edited.toString(), "--data", data
			.toString(), "--out", tmp.resolve("out/edited").toString());
	}

	@Test
	@Order(11)
	void sliceSkipsPairsThatRegistrationFlaggedUnreliable() throws Exception {
		final Path reg = tmp.resolve("in/registered");
		assertEquals(0, ok("register", "--cohort", cohort.toString(), "--out", reg.toString()));
		final Path t = reg.resolve("M002/week3.transform.json");
		Files.writeString(t, Files.readString(t).replaceFirst("\"reliable\": true", "\"reliable\": false")
			.replaceFirst("\"reason\": \"\"", "\"reason\": \"dice 0.00\""));
		final StringWriter out = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(out));
		final Path slices = tmp.resolve("out/sliced");
		assertEquals(0, cl.execute("slice", "--cohort", reg.toString(), "--out", slices.toString(), "--voi-start", "10",
			"--voi-mm", "0.2", "--slices", "4", "--size", "16"));
		assertTrue(out.toString().contains("skipped M002: registration flagged unreliable: week 3 (dice 0.00)"), out
			.toString());
		assertFalse(Files.readString(slices.resolve("cohort.csv")).contains("M002"));
		final Path all = tmp.resolve("out/sliced-all");
		assertEquals(0, ok("slice", "--cohort", reg.toString(), "--out", all.toString(), "--voi-start", "10",
			"--voi-mm", "0.2", "--slices", "4", "--size", "16", "--include-unreliable"));
		assertTrue(Files.readString(all.resolve("cohort.csv")).contains("M002"));
		cases++;
	}

	// --- every failure is one clear line ---------------------------------------------------------

	@Test
	@Order(12)
	void sizesAreCheckedBeforeAllocation() throws Exception {
		fails(2, Predictor.TOO_BIG, "predict", "--model", tvae.toString(), "--data", data.toString(), "--out", tmp
			.resolve("out/huge").toString(), "--samples", "1000000000");
		assertFalse(Files.exists(tmp.resolve("out/huge")));
	}

	@Test
	@Order(13)
	void unclearMessagesAreClear() throws Exception {
		final Path empty = tmp.resolve("in/empty.tif");
		Files.write(empty, new byte[0]);
		fails(2, "empty.tif: empty file (0 bytes)", "info", empty.toString());
		final Path binary = tmp.resolve("in/binary/cohort.csv");
		Files.createDirectories(binary.getParent());
		Files.write(binary, new byte[] { (byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3, 0x28, 10 });
		fails(2, "cohort.csv: not a text CSV file", "register", "--cohort", binary.toString(), "--out", tmp.resolve(
			"out/binary").toString());
		fails(2, "has no training mice", "train", "--data", data.resolve("m01.tif").toString(), "--model", tmp.resolve(
			"out/one.zip").toString());
		fails(2, "osteocast bench register: --pairs must be at least 1", "bench", "register", "--pairs", "0");
	}

	@Test
	@Order(14)
	void verboseIsAcceptedAfterTheVerbToo() throws Exception {
		final String[] args = { "info", tmp.resolve("in/empty.tif").toString(), "--verbose" };
		final StringWriter err = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setErr(new PrintWriter(err));
		assertEquals(2, cl.execute(args));
		assertTrue(err.toString().contains("\tat "), "stack trace with --verbose after the verb: " + err);
		cases++;
	}

	@Test
	@Order(15)
	void diskErrorsNameTheFileAndTheCause() {
		final Path target = tmp.resolve("out/full.csv");
		final org.osteocast.core.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
			org.osteocast.core.BadInputException.class,
			() -> AtomicFiles.write(target, t -> {
				throw new FileSystemException(t.toString(), null, "No space left on device");
			}));
		assertTrue(e.getMessage().startsWith(target + ": cannot write (No space left on device)"), e.getMessage());
		assertFalse(Files.exists(target));
		cases++;
	}

	@Test
	@Order(99)
	void theCampaignIsAsLargeAsTheReadmeSays() throws Exception {
		// README.md, section "Reliability": "a committed campaign of N bad inputs"
		final String readme = Files.readString(Path.of("README.md"));
		final java.util.regex.Matcher m = java.util.regex.Pattern.compile("campaign of (\\d+) bad inputs").matcher(readme);
		assertTrue(m.find(), "the README reports the campaign's size");
		assertEquals(Integer.parseInt(m.group(1)), cases, "cases run in this class");
	}

	// --- helpers ------------------------------------------------------------------------------

	private static List<String> leftovers(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().collect(Collectors
				.toList());
		}
	}

	static Map<String, String> checksums(final Path root) throws IOException {
		final Map<String, String> m = new TreeMap<>();
		try (Stream<Path> s = Files.walk(root)) {
			for (final Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator)
				m.put(root.relativize(p).toString(), sha256(p));
		}
		return m;
	}

	private static String sha256(final Path p) throws IOException {
		try {
			final byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
			final StringBuilder b = new StringBuilder();
			for (final byte x : d)
				b.append(String.format("%02x", x));
			return b.toString();
		}
		catch (final java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static void copyTree(final Path from, final Path to) throws IOException {
		final List<Path> all = new ArrayList<>();
		try (Stream<Path> s = Files.walk(from)) {
			s.forEach(all::add);
		}
		for (final Path p : all) {
			final Path q = to.resolve(from.relativize(p).toString());
			if (Files.isDirectory(p)) Files.createDirectories(q);
			else Files.copy(p, q);
		}
	}
}
