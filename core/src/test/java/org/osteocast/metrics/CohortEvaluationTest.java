package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;

/** Cohort scores with LPIPS from a TorchScript network: a perfect forecast scores 0, persistence does not. */
class CohortEvaluationTest {

	@TempDir
	Path tmp;

	@Test
	void lpipsColumnIsComputedPerMethodAndMouse() throws Exception {
		final Hyperstack h = new Hyperstack(64, 64, 2, 4, new double[] { 30, 30, 40 }, "m1");
		for (int t = 0; t < 4; t++)
			for (int z = 0; z < 2; z++)
				for (int y = 0; y < 64; y++)
					for (int x = 0; x < 64; x++) // a pattern whose phase moves week by week
						h.plane(z, t)[y * 64 + x] = (float) (0.5 + 0.4 * Math.sin(0.3 * x + 0.2 * y + 0.7 * t + z));
		h.write(tmp.resolve("m1.tif"));
		new SliceDataset(tmp, List.of(new SliceDataset.Entry("m1", tmp.resolve("m1.tif"), null,
			SliceDataset.Split.TEST))).writeManifest();
		final Path pred = Files.createDirectories(tmp.resolve("pred"));
		final Hyperstack perfect = new Hyperstack(64, 64, 2, 1, new double[] { 30, 30, 40 }, "m1_pred");
		for (int z = 0; z < 2; z++)
			System.arraycopy(h.plane(z, 3), 0, perfect.plane(z, 0), 0, 64 * 64);
		perfect.write(pred.resolve("m1_pred.tif"));
		final Path net = Path.of(getClass().getResource("/lpips/tiny_lpips_alex.pt").toURI());
		final CohortEvaluation e;
		try (Lpips lpips = Lpips.load(net)) {
			e = CohortEvaluation.run(SliceDataset.open(tmp), "test", pred, null, null, lpips);
		}
		final int col = CohortEvaluation.COLUMNS.indexOf("lpips");
		assertEquals(CohortEvaluation.COLUMNS.size(), e.rows.get(0).length);
		final String[] forecast = e.rows.get(0), persistence = e.rows.get(1);
		assertEquals("forecast", forecast[1]);
		assertEquals(0, Double.parseDouble(forecast[col]), 1e-6);
		assertTrue(Double.parseDouble(persistence[col]) > 1e-3, persistence[col]);
		// without a network the column says nan
		final CohortEvaluation none = CohortEvaluation.run(SliceDataset.open(tmp), "test", pred, null, null);
		assertEquals("nan", none.rows.get(0)[col]);
	}
}
