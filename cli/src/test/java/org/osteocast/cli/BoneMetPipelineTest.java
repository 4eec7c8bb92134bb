package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.phantom.PhantomGenerator;
import org.osteocast.phantom.PhantomParameters;

import picocli.CommandLine;

/**
 * A BoneMet-style folder tree (scans named '&lt;mouse&gt; week &lt;k&gt; &lt;side&gt; tibia',
 * weeks from 0, both legs of each mouse) made from the phantom goes through
 * {@code cohort}, {@code register}, {@code slice --anchor tf-junction} and
 * {@code predict} without a hand-written file.
 */
class BoneMetPipelineTest {

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	private static int run(final StringWriter out, final String... args) {
		final CommandLine cl = Main.commandLine();
		final StringWriter err = new StringWriter();
		cl.setOut(new PrintWriter(out));
		cl.setErr(new PrintWriter(err));
		final int rc = cl.execute(args);
		if (rc != 0) System.err.println(err);
		return rc;
	}

	@Test
	void fromFolderNamesToAForecast(@TempDir final Path dir) throws Exception {
		final Path phantom = dir.resolve("phantom");
		PhantomGenerator.generate(PhantomParameters.builder().voxelUm(60).mice(4).weeks(4).seed(9).missingWeekProb(0)
			.maxRotationDeg(3).scanLengthUm(4400).junctionDepthUm(1800).build(), phantom, Progress.NONE,
			Cancellation.NEVER);
		// phantom mice M001-M004 are the left and right tibiae of mice "A" and "B"; weeks 1-4 are named 0-3
		final Path root = dir.resolve("BoneMet");
		final String[][] legs = { { "M001", "A", "left" }, { "M002", "A", "right" }, { "M003", "B", "left" }, { "M004",
			"B", "right" } };
		final Map<String, String> phantomOf = new HashMap<>();
		for (final String[] l : legs) {
			phantomOf.put(l[1] + "_" + l[2], l[0]);
			for (int k = 1; k <= 4; k++) {
				final Path to = root.resolve("mouse " + l[1]).resolve(l[1] + " week " + (k - 1) + " " + l[2] + " tibia.tif");
				Files.createDirectories(to.getParent());
				Files.copy(phantom.resolve(l[0]).resolve("week" + k + ".tif"), to);
			}
		}
		final StringWriter out = new StringWriter();
		final Path csv = root.resolve("cohort.csv");
		assertEquals(0, run(out, "cohort", "--root", root.toString(), "--pattern", "{mouse} week {week} {side} tibia",
			"--out", csv.toString()));
		assertTrue(out.toString().contains("cohort: 4 subjects, 16 scans"), out.toString());
		final Path work = dir.resolve("work");
		assertEquals(0, run(out, "register", "--cohort", csv.toString(), "--out", work.resolve("registered").toString()));
		assertEquals(0, run(out, "slice", "--cohort", work.resolve("registered").toString(), "--out", work.resolve(
			"slices").toString(), "--anchor", "tf-junction", "--voi-slices", "20", "--slices", "8", "--size", "16",
			"--weeks", "4", "--split", "0.75"));
		final JsonObject record = JsonParser.parseString(Files.readString(work.resolve("slices").resolve("slices.json")))
			.getAsJsonObject();
		assertEquals(4, record.getAsJsonArray("mice").size(), record.toString());
		for (final JsonElement m : record.getAsJsonArray("mice")) {
			final JsonObject g = m.getAsJsonObject().getAsJsonObject("geometry");
			assertEquals("tf junction", g.get("voi_start_method").getAsString());
			final String subject = m.getAsJsonObject().get("mouse").getAsString();
			final int truth = JsonParser.parseString(Files.readString(phantom.resolve("truth").resolve(phantomOf.get(
				subject)).resolve("anatomy.json"))).getAsJsonObject().getAsJsonObject("tf_junction").get("slice").getAsInt();
			final int found = g.get("tf_junction_slice").getAsInt();
			assertTrue(Math.abs(found - truth) <= 3, subject + ": junction " + found + " vs " + truth);
			assertEquals(20 * 60.0, g.get("voi_thickness_um").getAsDouble(), 1e-6);
		}
		final Path model = work.resolve("persistence.zip");
		assertEquals(0, run(out, "train", "--data", work.resolve("slices").toString(), "--model", model.toString(),
			"--arch", "persistence", "--device", "cpu"));
		final Path pred = work.resolve("pred");
		assertEquals(0, run(out, "predict", "--model", model.toString(), "--data", work.resolve("slices").toString(),
			"--out", pred.toString(), "--split", "all", "--samples", "2"));
		for (final String subject : phantomOf.keySet()) {
			final Hyperstack p = Hyperstack.read(pred.resolve(subject + "_pred.tif"));
			assertEquals(8, p.slices());
			assertEquals(16, p.width());
		}
	}
}
