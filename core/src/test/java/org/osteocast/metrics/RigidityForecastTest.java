package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.VolumeIOException;

/** {@link RigidityForecast} and {@link RigidityEvaluation} on synthetic tubes whose cortex is perforated or not. */
class RigidityForecastTest {

	@TempDir
	Path tmp;

	static final int N = 48, Z = 4;

	/** Tube planes; with {@code hole}, a window through the cortex (x beyond 36 px) in slice 2. */
	static float[][] tube(final boolean hole, final double wall) {
		final float[][] p = new float[Z][];
		for (int z = 0; z < Z; z++) {
			p[z] = RigidityTest.tube(N, N, 24, 24, 18, 18, wall, 0, 0.1, 0.9);
			if (hole && z == 2) for (int y = 0; y < N; y++)
				for (int x = 33; x < N; x++)
					p[z][y * N + x] = 0.1f;
		}
		return p;
	}

	static Hyperstack mouse(final boolean lesion) {
		final float[][] w1 = tube(false, 0.7), w2 = tube(lesion, 0.7);
		final float[][] all = new float[2 * Z][];
		for (int z = 0; z < Z; z++) {
			all[z] = w1[z];
			all[Z + z] = w2[z];
		}
		return new Hyperstack(N, N, Z, 2, all, new double[] { 20, 20, 40 }, "m");
	}

	@Test
	void samplesGiveTheRiskProbability() {
		final Hyperstack h = mouse(true);
		final Rigidity.Material m = RigidityForecast.material(h.planes(0), null, Double.NaN, 0, 0, 0, 0.3);
		final float[][][] samples = { tube(true, 0.7), tube(false, 0.7), tube(true, 0.7), tube(true, 0.7) };
		final RigidityForecast.Result r = RigidityForecast.of(h, 2, tube(true, 0.7), samples, 20, m, 0.35);
		assertTrue(r.trueDrop() > 0.35, "a window through the cortex drops the rigidity: " + r.trueDrop());
		assertEquals(r.trueDrop(), r.forecastDrop(), 1e-12);
		assertEquals(0.75, r.riskProbability(), 1e-12, "3 of 4 samples are perforated");
		assertEquals(r.weeks[0].min(1), r.samplePercentile(1, 100), 1e-9 * r.weeks[0].min(1), "the intact sample");
		assertTrue(r.samplePercentile(1, 0) < 0.65 * r.weeks[0].min(1));
	}

	@Test
	void calibrationMapsNormalisedValuesBackToGrey() {
		// window [1000, 5000]: v = 0.5 is grey 3000; BMD = 0.4 * 3000 - 100 = 1100 mg/cm3
		final RigidityForecast.Geometry g = new RigidityForecast.Geometry(20, 1000, 5000);
		final Rigidity.Material m = RigidityForecast.material(tube(false, 0.7), g, 0.4, -100, 10500, 2.29, 0.3);
		assertEquals(10500 * Math.pow(1.1, 2.29), m.modulus(0.5), 1e-9);
		assertThrows(IllegalArgumentException.class, () -> RigidityForecast.material(tube(false, 0.7), null, 0.4, -100,
			10500, 2.29, 0.3));
	}

	@Test
	void geometryComesFromSlicesJson() throws Exception {
		Files.writeString(tmp.resolve("slices.json"), "{\"window\": {\"lo\": 2000, \"hi\": 40000}, \"mice\": [" +
			"{\"mouse\": \"M1\", \"geometry\": {\"crop_side_um\": 1600, \"size\": 64}}]}");
		final RigidityForecast.Geometry g = RigidityForecast.geometry(tmp).get("M1");
		assertEquals(25, g.pixelUm, 1e-12);
		assertEquals(2000, g.lo);
		assertEquals(40000, g.hi);
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> RigidityForecast.geometry(tmp.resolve(
			"none")));
		assertTrue(e.getMessage().contains("slices.json"), e.getMessage());
	}

	@Test
	void proximalMarginOnlyWhereTheVoiStartsAtTheGrowthPlate() throws Exception {
		// 48 slices over 2.1 mm (43.75 um): 0.1 mm is 3 slices; an offset of 0.05 mm leaves 0.05 mm, 2 slices
		final String mice = "\"mice\": [" +
			"{\"mouse\": \"P\", \"geometry\": {\"voi_start_method\": \"growth plate\", \"voi_thickness_um\": 2100, " +
			"\"slices\": 48, \"crop_side_um\": 1600, \"size\": 64}}, " +
			"{\"mouse\": \"J\", \"geometry\": {\"voi_start_method\": \"tf junction\", \"voi_thickness_um\": 2100, " +
			"\"slices\": 48, \"crop_side_um\": 1600, \"size\": 64}}]}";
		Files.writeString(tmp.resolve("slices.json"), "{\"window\": {\"lo\": 0, \"hi\": 1}, " + mice);
		Map<String, RigidityForecast.Geometry> g = RigidityForecast.geometry(tmp);
		assertEquals(3, g.get("P").proximalSlices);
		assertEquals(0, g.get("J").proximalSlices, "the junction is no plate");
		assertEquals(0, RigidityForecast.geometry(tmp, 0).get("P").proximalSlices);
		Files.writeString(tmp.resolve("slices.json"), "{\"window\": {\"lo\": 0, \"hi\": 1}, \"options\": " +
			"{\"offset_mm\": 0.05}, " + mice);
		g = RigidityForecast.geometry(tmp);
		assertEquals(2, g.get("P").proximalSlices, "the offset already moved the VOI 0.05 mm away");
		Files.writeString(tmp.resolve("slices.json"), "{\"window\": {\"lo\": 0, \"hi\": 1}, \"options\": " +
			"{\"offset_mm\": 0.2}, " + mice);
		assertEquals(0, RigidityForecast.geometry(tmp).get("P").proximalSlices);
	}

	@Test
	void aWeakPlateEdgeDoesNotMakeAnIntactMouseRisky() throws Exception {
		// week 1 and week 2 alike in the shaft; at slice 0 (the plate's edge) week 2's wall is thinner
		final float[][] all = new float[2 * Z][];
		for (int z = 0; z < Z; z++) {
			all[z] = RigidityTest.tube(N, N, 24, 24, 18, 18, z == 0 ? 0.8 : 0.7, 0, 0.1, 0.9);
			all[Z + z] = RigidityTest.tube(N, N, 24, 24, 18, 18, z == 0 ? 0.95 : 0.7, 0, 0.1, 0.9);
		}
		final Hyperstack h = new Hyperstack(N, N, Z, 2, all, new double[] { 20, 20, 40 }, "m");
		final Rigidity.Material m = RigidityForecast.material(h.planes(0), null, Double.NaN, 0, 0, 0, 0.3);
		final RigidityForecast.Result edge = RigidityForecast.of(h, 2, h.planes(0), new float[0][][], 20, m, 0.35);
		assertTrue(edge.trueDrop() > 0.35, "measured at the edge the wall's thinning is a drop: " + edge.trueDrop());
		final RigidityForecast.Result shaft = RigidityForecast.of(h, 2, h.planes(0), new float[0][][], 20, 1, m, 0.35);
		assertEquals(0, shaft.trueDrop(), 1e-12, "below the margin nothing changed");
		assertEquals(0, shaft.riskProbability(), 0);
		assertEquals(1, shaft.weeks[1].searchFrom);

		// the same through evaluate's columns: slices.json of a growth-plate VOI of 4 slices over 0.1 mm
		Files.writeString(tmp.resolve("slices.json"), "{\"window\": {\"lo\": 0, \"hi\": 1}, \"mice\": [" +
			"{\"mouse\": \"m\", \"geometry\": {\"voi_start_method\": \"growth plate\", \"voi_thickness_um\": 160, " +
			"\"slices\": 4, \"crop_side_um\": 960, \"size\": 48}}]}");
		final RigidityEvaluation ev = RigidityEvaluation.start(tmp, 0.35);
		assertTrue(String.join("\n", ev.notes()).contains("first 3 slice(s)"), ev.notes().toString());
		final Map<String, float[][]> methods = new LinkedHashMap<>();
		methods.put("persistence", h.planes(0));
		final String[] cells = ev.mouse("m", "control", h, 1, methods, "", new float[0][][]).get("persistence");
		assertEquals("0.0000", cells[4], "true drop below the margin");
		assertEquals("1", cells[6], "persistence agrees: no risk");
		final String[] edgeCells = RigidityEvaluation.start(tmp, 0.35, 0).mouse("m", "control", h, 1, methods, "",
			new float[0][][]).get("persistence");
		assertTrue(Double.parseDouble(edgeCells[4]) > 0.35, "without the margin: " + edgeCells[4]);
	}

	@Test
	void evaluationScoresErrorsAgreementAndAuroc() {
		final RigidityEvaluation ev = RigidityEvaluation.start(tmp, 0.35);
		// two perforated mice, two intact; the forecast knows, persistence (week 1) does not
		for (int i = 0; i < 4; i++) {
			final boolean lesion = i < 2;
			final Hyperstack h = mouse(lesion);
			final Map<String, float[][]> methods = new LinkedHashMap<>();
			methods.put("forecast", h.planes(1));
			methods.put("persistence", h.planes(0));
			final Map<String, String[]> cells = ev.mouse("m" + i, "tumour", h, 1, methods, "forecast", new float[0][][]);
			assertEquals(RigidityEvaluation.COLUMNS.size(), cells.get("forecast").length);
			assertEquals("0.0000", cells.get("forecast")[1], "exact forecast: no error in min EI");
			assertEquals("1", cells.get("forecast")[6]);
			assertEquals(lesion ? "0" : "1", cells.get("persistence")[6]);
		}
		assertEquals(1, ev.auroc("forecast"), 0);
		assertEquals(0.5, ev.auroc("persistence"), 0, "persistence never predicts a drop");
		assertEquals(0, ev.meanEiError("forecast", "tumour"), 0);
		assertTrue(ev.meanEiError("persistence", "tumour") > 0.1);
		assertEquals("1.0000", ev.mean("forecast")[7]);
		assertTrue(ev.summary("tumour").contains("2 of 4 mice truly drop"), ev.summary("tumour"));
		assertEquals(Double.NaN, RigidityEvaluation.auroc(List.of(0.5), List.of()));
	}
}
