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
