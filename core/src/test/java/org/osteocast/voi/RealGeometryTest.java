package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

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

/**
 * Real-world geometry on phantoms made here: a tibia tilted 30° from the
 * scanner axis, both tibiae in one field of view, femur and tibia in one field
 * of view, and partial fields of view (each names what is missing).
 */
class RealGeometryTest {

	@TempDir
	Path tmp;

	private static double[] voxel(final JsonObject o) {
		final JsonArray a = o.getAsJsonArray("centre_voxel");
		return new double[] { a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2).getAsDouble() };
	}

	private static SliceOptions options(final SliceOptions.Anchor anchor) {
		final SliceOptions o = new SliceOptions();
		o.anchor = anchor;
		o.slices = 8;
		o.size = 16;
		o.voiMm = 0.6;
		return o;
	}

	@Test
	void tiltedThirtyDegreesIsReslicedAlongTheBoneBeforeTheVoiIsFound() throws Exception {
		final PhantomParameters p = PhantomParameters.builder().voxelUm(60).mice(1).weeks(2).seed(21).missingWeekProb(0)
			.maxRotationDeg(0).maxShiftVox(0).tiltDeg(30).fieldOfViewUm(5000).scanLengthUm(6000).build();
		PhantomGenerator.generate(p, tmp, Progress.NONE, Cancellation.NEVER);
		final Volume<?> week1 = VolumeIO.read(tmp.resolve("M001").resolve("week1.tif"));
		final JsonObject truth = TfJunctionPhantomTest.anatomy(tmp, "M001");
		final List<String> messages = new ArrayList<>();
		final VoiFrame frame = VoiFrame.find(week1, new SliceOptions(), "M001", messages);
		assertTrue(frame.resliced(), "resliced: " + messages);
		final double angle = (Double) frame.toMap().get("axis_deviation_deg");
		assertTrue(Math.abs(angle - 30) < 3, "axis deviation " + angle);
		assertTrue(messages.get(0).contains("resliced"), messages.toString());
		final Volume<?> framed = frame.analysis(week1);
		// the truth, carried into the resliced frame
		final double[] plate = voxel(truth.getAsJsonObject("growth_plate"));
		final double[] junction = voxel(truth.getAsJsonObject("tf_junction"));
		final double plateZ = frame.sourceToFrameVoxel(plate[0], plate[1], plate[2])[2];
		final double junctionZ = frame.sourceToFrameVoxel(junction[0], junction[1], junction[2])[2];
		final GrowthPlateDetector.Result gp = GrowthPlateDetector.detect(framed, new GrowthPlateDetector.Options());
		assertTrue(Math.abs(gp.plateSlice - plateZ) <= 3, "plate " + gp.plateSlice + " vs " + plateZ);
		assertTrue(gp.axisDeviationDeg < 5, "resliced axis deviation " + gp.axisDeviationDeg);
		final TfJunctionDetector.Result tj = TfJunctionDetector.detect(framed, new TfJunctionDetector.Options());
		assertTrue(Math.abs(tj.junctionSlice - junctionZ) <= 3, "junction " + tj.junctionSlice + " vs " + junctionZ);
		// and through the facade: both anchors, the frame recorded in the geometry
		final SliceExtractor.Extraction x = SliceExtractor.extract(List.of(week1), options(
			SliceOptions.Anchor.TF_JUNCTION), null, "M001");
		assertEquals(tj.junctionSlice, x.geometry.junctionSlice());
		assertEquals(Boolean.TRUE, x.geometry.frame().get("resliced"));
		// without reslicing the VOI would be oblique: the growth-plate detector says so
		final SliceOptions never = options(SliceOptions.Anchor.GROWTH_PLATE);
		never.resliceAboveDeg = 90;
		final SliceExtractor.Extraction oblique = SliceExtractor.extract(List.of(week1), never, null, "M001");
		assertNull(oblique.geometry.frame());
		assertTrue(oblique.warnings.stream().anyMatch(w -> w.contains("oblique")), oblique.warnings.toString());
	}

	/** Two mice of one cohort, 60 µm (40 × 40 × 53 voxels per scan). */
	private List<Volume<?>> twoMice(final Path dir) throws Exception {
		PhantomGenerator.generate(PhantomParameters.builder().voxelUm(60).mice(2).weeks(2).seed(4).missingWeekProb(0)
			.build(), dir, Progress.NONE, Cancellation.NEVER);
		return List.of(VolumeIO.read(dir.resolve("M001").resolve("week1.tif")), VolumeIO.read(dir.resolve("M002")
			.resolve("week1.tif")));
	}

	@Test
	void bothTibiaeInViewTheLargestIsChosenAndComponentPicksTheOther() throws Exception {
		final List<Volume<?>> mice = twoMice(tmp);
		final Volume<?> a = mice.get(0), b = mice.get(1);
		final int w = (int) a.width(), h = (int) a.height(), d = (int) a.depth();
		final float[] va = TestVolumes.values(a), vb = TestVolumes.values(b), both = new float[2 * w * h * d];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++) {
				System.arraycopy(va, (z * h + y) * w, both, (z * h + y) * 2 * w, w);
				System.arraycopy(vb, (z * h + y) * w, both, (z * h + y) * 2 * w + w, w);
			}
		final Volume<?> legs = TestVolumes.of(both, 2 * w, h, d, a, "legs");
		final List<String> messages = new ArrayList<>();
		final SliceOptions o = options(SliceOptions.Anchor.GROWTH_PLATE);
		final VoiFrame f = VoiFrame.find(legs, o, "legs", messages);
		assertEquals(2, f.toMap().get("components"), messages.toString());
		assertTrue(messages.get(0).contains("2 bone components") && messages.get(0).contains("--component"), messages
			.toString());
		final SliceExtractor.Extraction first = SliceExtractor.extract(List.of(legs), o, null, "legs");
		o.component = 2;
		final SliceExtractor.Extraction second = SliceExtractor.extract(List.of(legs), o, null, "legs");
		// crop centres in the frame of the chosen bone's box, back in the scan's voxels
		final double x1 = first.geometry.cropCentreVoxel()[0] + ((long[]) first.geometry.frame().get(
			"component_box_min_xyz"))[0];
		final double x2 = second.geometry.cropCentreVoxel()[0] + ((long[]) second.geometry.frame().get(
			"component_box_min_xyz"))[0];
		assertTrue(x1 < w != x2 < w, "the two choices lie in different halves: " + x1 + ", " + x2);
		// each finds its own tibia's growth plate (the truth of its mouse)
		final int plateA = TfJunctionPhantomTest.anatomy(tmp, "M001").getAsJsonObject("growth_plate").get("slice")
			.getAsInt();
		final int plateB = TfJunctionPhantomTest.anatomy(tmp, "M002").getAsJsonObject("growth_plate").get("slice")
			.getAsInt();
		final long z1 = ((long[]) first.geometry.frame().get("component_box_min_xyz"))[2];
		final long z2 = ((long[]) second.geometry.frame().get("component_box_min_xyz"))[2];
		assertEquals(x1 < w ? plateA : plateB, first.geometry.plateSlice() + z1, 2);
		assertEquals(x2 < w ? plateA : plateB, second.geometry.plateSlice() + z2, 2);
		o.component = 3;
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SliceExtractor.extract(
			List.of(legs), o, null, "legs"));
		assertTrue(e.getMessage().contains("--component 3") && e.getMessage().contains("2 bone component"), e
			.getMessage());
	}

	@Test
	void femurAndTibiaInViewTheTibiaIsChosen() throws Exception {
		final List<Volume<?>> mice = twoMice(tmp);
		final Volume<?> tibia = mice.get(0);
		final int w = (int) tibia.width(), h = (int) tibia.height(), d = (int) tibia.depth(), np = w * h;
		// the "femur": 18 slices of another tibia's shaft, upside down, and 10 slices of soft tissue (the joint space)
		// above the tibia
		final float[] fem = TestVolumes.values(TestVolumes.flipZ(mice.get(1))), tib = TestVolumes.values(tibia);
		final int fz = 18, gap = 10, top = fz + gap;
		final float[] knee = new float[np * (top + d)];
		System.arraycopy(fem, (d - fz) * np, knee, 0, fz * np);
		java.util.Arrays.fill(knee, fz * np, top * np, 14000f); // soft tissue
		System.arraycopy(tib, 0, knee, top * np, d * np);
		final Volume<?> v = TestVolumes.of(knee, w, h, top + d, tibia, "knee");
		final List<String> messages = new ArrayList<>();
		final SliceOptions o = options(SliceOptions.Anchor.GROWTH_PLATE);
		final SliceExtractor.Extraction x = SliceExtractor.extract(List.of(v), o, null, "knee");
		assertTrue(x.warnings.get(0).contains("2 bone components") && x.warnings.get(0).contains("tibia-like"), x.warnings
			.toString());
		final int plate = TfJunctionPhantomTest.anatomy(tmp, "M001").getAsJsonObject("growth_plate").get("slice")
			.getAsInt();
		assertNotNull(x.geometry.plateSlice());
		final long z0 = ((long[]) x.geometry.frame().get("component_box_min_xyz"))[2];
		assertEquals(top + plate, x.geometry.plateSlice() + z0, 2, "the tibia's plate, not the femur's");
		assertEquals(1, x.geometry.direction(), "the tibia's metaphysis lies distally (increasing z)");
	}

	@Test
	void partialFieldsOfViewNameWhatIsMissing() throws Exception {
		final List<Volume<?>> mice = twoMice(tmp);
		final Volume<?> v = mice.get(0);
		final int w = (int) v.width(), h = (int) v.height(), d = (int) v.depth();
		final JsonObject truth = TfJunctionPhantomTest.anatomy(tmp, "M001");
		final int plate = truth.getAsJsonObject("growth_plate").get("slice").getAsInt();
		final int junction = truth.getAsJsonObject("tf_junction").get("slice").getAsInt();
		// the knee end is missing: the scan starts below the growth plate
		final Volume<?> shaft = TestVolumes.crop(v, 0, 0, plate + 6, w, h, d - plate - 6);
		final IllegalArgumentException knee = assertThrows(IllegalArgumentException.class, () -> SliceExtractor.extract(
			List.of(shaft), options(SliceOptions.Anchor.GROWTH_PLATE), null, "M001"));
		assertTrue(knee.getMessage().startsWith("M001: no growth plate in the scan") && knee.getMessage().contains(
			"misses the knee end"), knee.getMessage());
		// the distal end is missing: the scan stops above the tibia-fibula junction
		final Volume<?> proximal = TestVolumes.crop(v, 0, 0, 0, w, h, junction - 4);
		final IllegalArgumentException distal = assertThrows(IllegalArgumentException.class, () -> SliceExtractor
			.extract(List.of(proximal), options(SliceOptions.Anchor.TF_JUNCTION), null, "M001"));
		assertTrue(distal.getMessage().contains("no tibia-fibula junction") && distal.getMessage().contains(
			"junction lies beyond the field of view"), distal.getMessage());
		// the cross-section is cut: the image's left edge runs through the tibia
		final Volume<?> cut = TestVolumes.crop(v, w / 2 - 4, 0, 0, w - (w / 2 - 4), h, d);
		final IllegalArgumentException side = assertThrows(IllegalArgumentException.class, () -> SliceExtractor.extract(
			List.of(cut), options(SliceOptions.Anchor.GROWTH_PLATE), null, "M001"));
		assertTrue(side.getMessage().contains("image's left edge (x = 0) cuts through the tibia"), side.getMessage());
		// the VOI runs past the distal end: BoneMet's 300 slices below the junction do not fit a short scan
		final SliceOptions bonemet = options(SliceOptions.Anchor.TF_JUNCTION);
		bonemet.voiSlices = 300;
		final IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> SliceExtractor.extract(
			List.of(v), bonemet, null, "M001"));
		assertTrue(past.getMessage().contains("misses the distal part of the VOI") && past.getMessage().contains(
			"--voi-slices"), past.getMessage());
	}
}
