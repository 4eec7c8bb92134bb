package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osteocast.phantom.PhantomTestSupport.correlation;
import static org.osteocast.phantom.PhantomTestSupport.read;
import static org.osteocast.phantom.PhantomTestSupport.rows;
import static org.osteocast.phantom.PhantomTestSupport.values;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;

/** The generated cohort against its own ground truth, on a tiny noise-free cohort (40 µm voxels). */
class PhantomGeneratorTest {

	@TempDir
	static Path shared;
	static Path cohort;
	static PhantomGenerator.Result result;

	@TempDir
	Path tmp;

	@BeforeAll
	static void generate() throws Exception {
		cohort = shared.resolve("cohort");
		result = PhantomGenerator.generate(PhantomTestSupport.tiny().build(), cohort, Progress.NONE, new Cancellation());
	}

	/** summary rows per mouse, in week order. */
	private static Map<String, List<String[]>> summaryByMouse() throws Exception {
		final Map<String, List<String[]>> m = new LinkedHashMap<>();
		for (final String[] r : rows(cohort.resolve("truth/summary.csv")))
			m.computeIfAbsent(r[0], k -> new ArrayList<>()).add(r);
		return m;
	}

	@Test
	void lesionVolumeGrowsWeekByWeekInTumourMiceAndControlsHaveNone() throws Exception {
		int tumour = 0, control = 0;
		for (final List<String[]> weeks : summaryByMouse().values()) {
			assertEquals(4, weeks.size());
			final String group = weeks.get(0)[1];
			double prev = -1;
			for (final String[] w : weeks) {
				final double lesion = Double.parseDouble(w[4]);
				if (group.equals("control")) assertEquals(0, lesion, 0, "control with a lesion: " + String.join(",", w));
				else {
					assertTrue(lesion >= prev, "lesion shrank: " + String.join(",", w));
					prev = lesion;
				}
			}
			if (group.equals("control")) control++;
			else {
				tumour++;
				final double first = Double.parseDouble(weeks.get(0)[4]), last = Double.parseDouble(weeks.get(3)[4]);
				assertTrue(last > first && last > 0.01, "tumour lesion did not grow: " + first + " -> " + last + " mm3");
			}
		}
		assertEquals(2, tumour);
		assertEquals(1, control);
	}

	@Test
	void lesionLabelVolumesMatchTheSummary() throws Exception {
		final double voxMm3 = Math.pow(0.04, 3);
		for (final String[] r : rows(cohort.resolve("truth/summary.csv"))) {
			final Volume<?> label = read(cohort.resolve("truth/" + r[0] + "/week" + r[2] + "_lesion.tif"));
			assertEquals(8, label.type().getBitsPerPixel());
			long ones = 0;
			for (final float v : values(label)) {
				assertTrue(v == 0 || v == 1, "label value " + v);
				if (v == 1) ones++;
			}
			assertEquals(Double.parseDouble(r[4]), ones * voxMm3, 1e-5, "mouse " + r[0] + " week " + r[2]);
		}
	}

	@Test
	void controlsLoseALittleBoneWithAge() throws Exception {
		for (final List<String[]> weeks : summaryByMouse().values()) {
			if (!weeks.get(0)[1].equals("control")) continue;
			final double first = Double.parseDouble(weeks.get(0)[5]), last = Double.parseDouble(weeks.get(3)[5]);
			assertTrue(first > 0.2, "bone volume " + first + " mm3");
			assertTrue(last < first && last > 0.85 * first, "age-related change " + first + " -> " + last);
		}
	}

	@Test
	void groundTruthTransformsMapEachWeekOntoWeek1() throws Exception {
		for (final String[] row : rows(cohort.resolve("cohort.csv"))) {
			final String mouse = row[0];
			final int week = Integer.parseInt(row[1]);
			final Volume<?> scan = read(cohort.resolve(row[2]));
			final Path truth = cohort.resolve("truth").resolve(mouse);
			final float[] ideal = values(read(truth.resolve("week" + week + "_ideal.tif")));
			final double[][] m = TransformFile.read(truth.resolve("week" + week + ".transform.json")).movingToFixedVoxel();
			if (week == 1) {
				assertEquals(1, m[0][0], 0);
				assertEquals(0, m[0][3], 0);
				// noise-free week 1 is its own ideal volume
				final float[] s = values(scan);
				for (int i = 0; i < s.length; i++)
					assertEquals(ideal[i], s[i], 0, "week-1 scan differs from its ideal volume at " + i);
				continue;
			}
			final float[] aligned = values(RigidResampler.resample(scan, m, scan.dimensions(), Double.NaN));
			final float[] unaligned = values(RigidResampler.resample(scan, Rigid.identity(), scan.dimensions(),
				Double.NaN));
			final double withTruth = correlation(aligned, ideal), without = correlation(unaligned, ideal);
			assertTrue(withTruth > 0.97, mouse + " week " + week + ": correlation after the true transform " + withTruth);
			assertTrue(withTruth - without > 0.05, mouse + " week " + week + ": the scan was not misaligned (" + without +
				" vs " + withTruth + ")");
		}
	}

	@Test
	void growthPlateSliceIsTheDarkBandBetweenEpiphysisAndMetaphysis() throws Exception {
		for (final String mouse : List.of("M001", "M002", "M003")) {
			final Path truth = cohort.resolve("truth").resolve(mouse);
			final JsonObject a = JsonParser.parseString(Files.readString(truth.resolve("anatomy.json"))).getAsJsonObject();
			final int plate = a.getAsJsonObject("growth_plate").get("slice").getAsInt();
			final double px = a.getAsJsonObject("bone_axis").getAsJsonArray("point_voxel").get(0).getAsDouble();
			final double py = a.getAsJsonObject("bone_axis").getAsJsonArray("point_voxel").get(1).getAsDouble();
			final Volume<?> ideal = read(truth.resolve("week1_ideal.tif"));
			final float[] v = values(ideal);
			final int nx = (int) ideal.width(), ny = (int) ideal.height();
			// mean grey in a disc of 0.3 mm radius around the bone axis, per slice
			int best = -1;
			double bestMean = Double.MAX_VALUE;
			for (int z = plate - 6; z <= plate + 6; z++) {
				double s = 0;
				int n = 0;
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++)
						if (Math.hypot(x - px, y - py) < 300 / 40.0) {
							s += v[(z * ny + y) * nx + x];
							n++;
						}
				if (s / n < bestMean) {
					bestMean = s / n;
					best = z;
				}
			}
			assertTrue(Math.abs(best - plate) <= 1, mouse + ": darkest slice " + best + ", plate reported at " + plate);
		}
	}

	@Test
	void anatomyJsonDescribesPlateAxisAndFoci() throws Exception {
		for (final String[] r : rows(cohort.resolve("cohort.csv"))) {
			if (!r[1].equals("1")) continue;
			final JsonObject a = JsonParser.parseString(Files.readString(cohort.resolve("truth/" + r[0] + "/anatomy.json")))
				.getAsJsonObject();
			assertEquals(r[3], a.get("group").getAsString());
			final double thickness = a.getAsJsonObject("growth_plate").get("thickness_um").getAsDouble();
			assertTrue(thickness > 50 && thickness < 150, "plate thickness " + thickness);
			final double dz = a.getAsJsonObject("bone_axis").getAsJsonArray("direction").get(2).getAsDouble();
			assertTrue(dz > Math.cos(Math.toRadians(10)), "bone axis not along z: " + dz);
			final int foci = a.getAsJsonArray("foci").size();
			if (r[3].equals("control")) assertEquals(0, foci);
			else {
				assertTrue(foci >= 1 && foci <= 3, "foci " + foci);
				final JsonObject f = a.getAsJsonArray("foci").get(0).getAsJsonObject();
				final double depth = f.get("depth_below_plate_um").getAsDouble();
				assertTrue(depth > 100 && depth < 1600, "focus depth " + depth);
				assertTrue(f.get("onset_week").getAsDouble() > 0);
			}
		}
	}

	@Test
	void hardCasesAppearOnlyInTheLastWeek() throws Exception {
		final Path out = tmp.resolve("hard");
		PhantomGenerator.generate(PhantomTestSupport.tiny().mice(2).weeks(3).tumourFraction(1).hardFraction(1).build(),
			out, Progress.NONE, new Cancellation());
		for (final String[] r : rows(out.resolve("truth/summary.csv"))) {
			final double lesion = Double.parseDouble(r[4]);
			if (r[2].equals("3")) assertTrue(lesion > 0, "hard case invisible in the last week: " + String.join(",", r));
			else assertEquals(0, lesion, 0, "hard case visible before the last week: " + String.join(",", r));
		}
		final JsonObject a = JsonParser.parseString(Files.readString(out.resolve("truth/M001/anatomy.json")))
			.getAsJsonObject();
		assertTrue(a.get("hard").getAsBoolean());
		assertEquals(0, a.getAsJsonArray("foci").get(0).getAsJsonObject().get("precursor_lead_weeks").getAsDouble(), 0);
	}

	@Test
	void missedWeeksHaveNoScanButStillHaveTruth() throws Exception {
		final Path out = tmp.resolve("missing");
		PhantomGenerator.generate(PhantomTestSupport.tiny().mice(2).weeks(3).missingWeekProb(1).build(), out,
			Progress.NONE, new Cancellation());
		final List<String[]> cohortRows = rows(out.resolve("cohort.csv"));
		assertEquals(2, cohortRows.size());
		for (final String[] r : cohortRows) {
			assertEquals("1", r[1], "only week 1 (the reference) is always scanned");
			assertTrue(Files.isRegularFile(out.resolve(r[2])));
		}
		assertFalse(Files.exists(out.resolve("M001/week2.tif")));
		assertFalse(Files.exists(out.resolve("truth/M001/week2.transform.json")));
		assertTrue(Files.isRegularFile(out.resolve("truth/M001/week2_ideal.tif")));
		for (final String[] r : rows(out.resolve("truth/summary.csv")))
			assertEquals(r[2].equals("1"), Boolean.parseBoolean(r[3]));
	}

	@Test
	void refusesToOverwriteACohortUnlessAsked() throws Exception {
		final PhantomParameters p = PhantomTestSupport.tiny().mice(1).weeks(2).build();
		final org.osteocast.core.BadInputException e = assertThrows(org.osteocast.core.BadInputException.class,
			() -> PhantomGenerator.generate(p, cohort,
			Progress.NONE, new Cancellation()));
		assertTrue(e.getMessage().contains(PhantomGenerator.EXISTS_MESSAGE), e.getMessage());
		final Path out = tmp.resolve("again");
		PhantomGenerator.generate(p, out, Progress.NONE, new Cancellation());
		final PhantomGenerator.Result r = PhantomGenerator.generate(p.toBuilder().overwrite(true).build(), out,
			Progress.NONE, new Cancellation());
		assertEquals(2, r.scans());
	}

	@Test
	void cancellationStopsBetweenScans() {
		final Cancellation c = new Cancellation();
		c.cancel("test");
		assertThrows(Cancellation.CancelledException.class, () -> PhantomGenerator.generate(PhantomTestSupport.tiny()
			.mice(1).build(), tmp.resolve("cancelled"), Progress.NONE, c));
		assertFalse(Files.exists(tmp.resolve("cancelled/cohort.csv")));
	}

	@Test
	void resultCountsScans() {
		assertEquals(3, result.mice());
		assertEquals(12, result.scans());
		assertNotEquals(0, result.weeks().size());
	}
}
