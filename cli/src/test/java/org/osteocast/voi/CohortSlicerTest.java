package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.cli.Main;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.contracts.SliceDataset.Split;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.Volume;

import picocli.CommandLine;

class CohortSlicerTest {

	@TempDir
	static Path tmp;
	static Path cohortDir;

	private static TibiaPhantom phantom(final int mouse) {
		final TibiaPhantom p = new TibiaPhantom();
		p.lengthUm = 2300;
		p.seed = mouse;
		p.offsetXUm = 10 * mouse;
		return p;
	}

	/** m1-m4: weeks 1-4; m5: weeks 1-3 only; m6: weeks 1, 3, 4, 5 (gap). Groups a/b. */
	@BeforeAll
	static void writeCohort() throws Exception {
		cohortDir = tmp.resolve("cohort");
		final StringBuilder csv = new StringBuilder("mouse,week,image,group\n");
		final int[][] weeks = { {}, { 1, 2, 3, 4 }, { 1, 2, 3, 4 }, { 1, 2, 3, 4 }, { 1, 2, 3, 4 }, { 1, 2, 3 }, { 1, 3, 4,
			5 } };
		for (int m = 1; m <= 6; m++) {
			final TibiaPhantom p = phantom(m);
			for (final int w : weeks[m]) {
				final Path f = cohortDir.resolve("m" + m).resolve("week" + w + ".tif");
				Files.createDirectories(f.getParent());
				TiffIO.write(ImagePlusVolumes.toImagePlus(p.week(w)), f);
				csv.append("m").append(m).append(',').append(w).append(",m").append(m).append("/week").append(w).append(
					".tif,").append(m % 2 == 0 ? "a" : "b").append('\n');
			}
		}
		Files.writeString(cohortDir.resolve("cohort.csv"), csv.toString());
	}

	@Test
	void writesTheDataSetContractAndRecord() throws Exception {
		final Path out = tmp.resolve("ds1");
		final SliceOptions o = new SliceOptions();
		o.voiMm = 1.5;
		o.slices = 24;
		o.size = 32;
		final CohortSlicer.Report r = CohortSlicer.run(Cohort.read(cohortDir), o, out, Progress.NONE, new Cancellation());
		assertEquals(2, r.skipped.size());
		assertEquals("m5", r.skipped.get(0).mouse);
		assertTrue(r.skipped.get(0).reason.contains("has 3 week(s)"), r.skipped.get(0).reason);
		assertEquals("m6", r.skipped.get(1).mouse);
		assertTrue(r.skipped.get(1).reason.contains("missing week(s) [2]"), r.skipped.get(1).reason);

		final SliceDataset ds = SliceDataset.open(out);
		assertEquals(4, ds.entries().size());
		assertEquals(1, ds.entries(Split.TEST).size());
		assertEquals(1, ds.entries(Split.VAL).size());
		assertEquals(2, ds.entries(Split.TRAIN).size());
		for (final SliceDataset.Entry e : ds.entries()) {
			assertEquals(e.mouse.equals("m2") || e.mouse.equals("m4") ? "a" : "b", e.group);
			final Hyperstack h = e.read();
			assertEquals(32, h.width());
			assertEquals(24, h.slices());
			assertEquals(4, h.frames());
			for (int t = 0; t < 4; t++)
				for (int z = 0; z < 24; z++)
					for (final float v : h.plane(z, t))
						assertTrue(v >= 0 && v <= 1);
		}

		// the window is the 0.5/99.5 percentile pair of the TRAINING mice's VOIs, recorded in slices.json
		final List<Hyperstack> train = new ArrayList<>();
		for (final SliceDataset.Entry e : ds.entries(Split.TRAIN)) {
			final List<Volume<?>> weeks = new ArrayList<>();
			for (int w = 1; w <= 4; w++)
				weeks.add(CohortSlicer.readVolume(cohortDir.resolve(e.mouse).resolve("week" + w + ".tif")));
			train.add(SliceExtractor.extractRaw(weeks, SliceExtractor.geometry(weeks.get(0), o, e.mouse, new ArrayList<>()),
				e.mouse));
		}
		final IntensityWindow expected = IntensityWindow.fromPercentiles(train, 0.5, 99.5);
		final JsonObject rec = JsonParser.parseString(Files.readString(out.resolve(CohortSlicer.RECORD)))
			.getAsJsonObject();
		assertEquals(expected.lo(), rec.getAsJsonObject("window").get("lo").getAsDouble(), 1e-9);
		assertEquals(expected.hi(), rec.getAsJsonObject("window").get("hi").getAsDouble(), 1e-9);
		assertTrue(rec.getAsJsonObject("window").get("source").getAsString().contains("training mice"));
		assertEquals(4, rec.getAsJsonArray("mice").size());
		final JsonObject g1 = rec.getAsJsonArray("mice").get(0).getAsJsonObject().getAsJsonObject("geometry");
		assertEquals("growth plate", g1.get("voi_start_method").getAsString());
		assertEquals(4, g1.getAsJsonArray("crop_box_um_x0_y0_x1_y1").size());
		assertEquals(2, rec.getAsJsonArray("skipped").size());
		assertTrue(rec.get("software").getAsString().startsWith("OsteoCast"));

		// the command line with the same options gives the same data set (deterministic for the seed)
		final StringWriter sw = new StringWriter(), ew = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(sw));
		cl.setErr(new PrintWriter(ew));
		final Path out2 = tmp.resolve("ds2");
		assertEquals(0, cl.execute("slice", "--cohort", cohortDir.toString(), "--out", out2.toString(), "--voi-mm", "1.5",
			"--slices", "24", "--size", "32"), ew.toString());
		assertTrue(sw.toString().contains("skipped m5") && sw.toString().contains("wrote 4 mice"), sw.toString());
		assertEquals(Files.readString(out.resolve("cohort.csv")), Files.readString(out2.resolve("cohort.csv")));
		for (final SliceDataset.Entry e : ds.entries()) {
			final Hyperstack a = e.read(), b = Hyperstack.read(out2.resolve(e.mouse + ".tif"));
			for (int t = 0; t < 4; t++)
				for (int z = 0; z < 24; z++)
					assertArrayEquals(a.plane(z, t), b.plane(z, t));
		}
		final Map<String, VoiGeometry> geo = r.geometry;
		for (final VoiGeometry g : geo.values())
			assertEquals(1, g.direction());
	}

	@Test
	void commandLineErrorsExitWithCodeTwoAndAClearMessage() {
		final StringWriter ew = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(new StringWriter()));
		cl.setErr(new PrintWriter(ew));
		assertEquals(2, cl.execute("slice", "--cohort", cohortDir.toString(), "--out", tmp.resolve("bad").toString(),
			"--voi-mm", "4"));
		assertTrue(ew.toString().contains("m1: the VOI") && ew.toString().contains("past the end"), ew.toString());
		final StringWriter ew2 = new StringWriter();
		final CommandLine cl2 = Main.commandLine();
		cl2.setErr(new PrintWriter(ew2));
		assertEquals(2, cl2.execute("slice", "--cohort", cohortDir.toString(), "--out", tmp.resolve("bad2").toString(),
			"--proximal", "left"));
		assertTrue(ew2.toString().contains("--proximal"), ew2.toString());
		assertTrue(!Files.exists(tmp.resolve("bad").resolve("cohort.csv")));
	}
}
