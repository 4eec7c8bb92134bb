package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.phantom.PhantomGenerator;
import org.osteocast.phantom.PhantomParameters;

/** The tibia–fibula junction on phantoms of several voxel sizes and both orientations, against the generator's truth. */
class TfJunctionPhantomTest {

	@TempDir
	Path tmp;

	static JsonObject anatomy(final Path cohort, final String mouse) throws Exception {
		return JsonParser.parseString(Files.readString(cohort.resolve("truth").resolve(mouse).resolve("anatomy.json")))
			.getAsJsonObject();
	}

	private static List<String> check(final Path dir, final PhantomParameters p, final boolean flip,
		final int[] worst) throws Exception
	{
		PhantomGenerator.generate(p, dir, Progress.NONE, Cancellation.NEVER);
		final List<String> report = new ArrayList<>();
		for (int m = 1; m <= p.mice(); m++) {
			final String mouse = String.format("M%03d", m);
			Volume<?> week1 = VolumeIO.read(dir.resolve(mouse).resolve("week1.tif"));
			final JsonObject tfj = anatomy(dir, mouse).getAsJsonObject("tf_junction");
			assertTrue(tfj.get("in_scan").getAsBoolean(), mouse + " " + tfj);
			int truth = tfj.get("slice").getAsInt();
			if (flip) {
				week1 = TestVolumes.flipZ(week1);
				truth = (int) week1.depth() - 1 - truth;
			}
			final TfJunctionDetector.Result r = TfJunctionDetector.detect(week1, new TfJunctionDetector.Options());
			report.add(mouse + ": " + r.junctionSlice + " vs " + truth + " (" + r.directionSource + ")");
			worst[0] = Math.max(worst[0], Math.abs(r.junctionSlice - truth));
			assertEquals(flip ? -1 : 1, r.direction, mouse + ": direction");
		}
		return report;
	}

	@Test
	void withinThreeSlicesAtSeveralVoxelSizesAndBothOrientations() throws Exception {
		final int[] worst = { 0 };
		final List<String> report = new ArrayList<>();
		report.addAll(check(tmp.resolve("a"), PhantomParameters.builder().voxelUm(60).mice(3).weeks(2).seed(3)
			.missingWeekProb(0).build(), false, worst));
		report.addAll(check(tmp.resolve("b"), PhantomParameters.builder().voxelUm(40).mice(2).weeks(2).seed(5)
			.missingWeekProb(0).build(), true, worst));
		report.addAll(check(tmp.resolve("c"), PhantomParameters.builder().voxelUm(30).mice(1).weeks(2).seed(8)
			.missingWeekProb(0).junctionDepthUm(1800).build(), false, worst));
		assertTrue(worst[0] <= 3, "junction errors: " + report);
		System.out.println(report);
	}

	@Test
	void bonemetRegionIsTheThreeHundredSlicesBelowTheJunction() throws Exception {
		// a long scan: the junction 1.8 mm below the plate and 300 slices of 40 um (12 mm) below it
		final PhantomParameters p = PhantomParameters.builder().voxelUm(40).mice(1).weeks(2).seed(13).missingWeekProb(0)
			.junctionDepthUm(1800).scanLengthUm(15000).build();
		PhantomGenerator.generate(p, tmp, Progress.NONE, Cancellation.NEVER);
		final Volume<?> week1 = VolumeIO.read(tmp.resolve("M001").resolve("week1.tif"));
		final int truth = anatomy(tmp, "M001").getAsJsonObject("tf_junction").get("slice").getAsInt();
		final SliceOptions o = new SliceOptions();
		o.anchor = SliceOptions.Anchor.parse("tf-junction");
		o.voiSlices = 300;
		o.slices = 300;
		final VoiGeometry g = SliceExtractor.geometry(week1, o, "M001", new ArrayList<>());
		final int j = g.junctionSlice();
		assertTrue(Math.abs(j - truth) <= 3, "junction " + j + " vs " + truth);
		assertEquals("tf junction", g.startMethod());
		assertEquals(1, g.direction());
		// slices j … j + 299 of week 1, one output slice per source slice
		assertEquals(j - 0.5, g.startSlice(), 1e-9);
		assertEquals(j + 299.5, g.endSlice(), 1e-9);
		assertEquals(300 * 40.0, g.thicknessUm(), 1e-9);
		assertEquals(40.0, g.outputVoxelUm()[2], 1e-9);
		assertEquals(j, (int) g.toMap().get("tf_junction_slice"));
	}
}
