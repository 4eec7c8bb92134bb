package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-checkable reliability tables, ECE and Brier; pooling by accumulation. */
class CalibrationTest {

	@Test
	void binsAreHalfOpenWithTheLastClosedAndFloatFractionsOnTheirEdge() {
		assertEquals(0, Calibration.bin(0, 10));
		assertEquals(0, Calibration.bin(0.0999, 10));
		assertEquals(1, Calibration.bin(0.1, 10));
		assertEquals(9, Calibration.bin(1, 10));
		for (int k = 1; k <= 64; k++)
			for (int j = 0; j <= k; j++) {
				final float p = j / (float) k;
				assertEquals(Math.min(10 * j / k, 9), Calibration.bin(p, 10), j + "/" + k); // integer floor: the true bin
				assertEquals(Math.min(100 * j / k, 99), Calibration.bin(p, 100), j + "/" + k + " in 100 bins");
			}
		assertEquals(7, Calibration.bin(0.7f, 10), "0.7f is 0.69999999 but belongs to [0.7, 0.8)");
		assertThrows(IllegalArgumentException.class, () -> Calibration.bin(1.0001, 10));
		assertThrows(IllegalArgumentException.class, () -> Calibration.bin(Double.NaN, 10));
	}

	@Test
	void handComputedTable() {
		// bin 0: p 0, 0 with truth 0, 1 -> mean p 0, freq 1/2; bin 9: p 1, 0.9 with truth 1, 1 -> mean 0.95, freq 1
		final float[] p = { 0, 0, 1, 0.9f, 0.5f };
		final boolean[] y = { false, true, true, true, false };
		final Calibration.Reliability r = Calibration.reliability(new float[][] { p }, new boolean[][] { y });
		assertEquals(5, r.n);
		assertEquals(2, r.count(0));
		assertEquals(1, r.count(5));
		assertEquals(2, r.count(9));
		assertEquals(0.5, r.observedFrequency(0), 1e-12);
		assertEquals(0, r.meanPredicted(0), 1e-12);
		assertEquals(0.95, r.meanPredicted(9), 1e-7);
		assertTrue(Double.isNaN(r.observedFrequency(3)), "empty bin");
		// ECE = (2 * 0.5 + 1 * 0.5 + 2 * 0.05) / 5
		assertEquals((2 * 0.5 + 0.5 + 2 * (1 - 0.95)) / 5, r.ece, 1e-7);
		// Brier = (0 + 1 + 0 + 0.01 + 0.25) / 5
		assertEquals((1 + 0.01 + 0.25) / 5, r.brier, 1e-7);
		assertEquals(0.5, r.lower(5), 0);
		assertEquals(0.6, r.upper(5), 1e-15);
	}

	@Test
	void perfectAndWorstDeterministicForecasts() {
		final boolean[] y = { true, false, true, false };
		final float[] right = { 1, 0, 1, 0 }, wrong = { 0, 1, 0, 1 };
		final Calibration.Reliability good = Calibration.reliability(new float[][] { right }, new boolean[][] { y });
		assertEquals(0, good.ece, 0);
		assertEquals(0, good.brier, 0);
		final Calibration.Reliability bad = Calibration.reliability(new float[][] { wrong }, new boolean[][] { y });
		assertEquals(1, bad.ece, 0);
		assertEquals(1, bad.brier, 0);
	}

	@Test
	void cohortPoolsBinCountsNotPerMouseEce() {
		// mouse A: 1 pixel, p 1, truth no bone (ECE 1); mouse B: 9 pixels, p 0, truth no bone (ECE 0)
		final Calibration.Accumulator a = new Calibration.Accumulator(10).add(new float[] { 1 }, new boolean[] { false });
		final Calibration.Accumulator b = new Calibration.Accumulator(10).add(new float[9], new boolean[9]);
		assertEquals(1, a.result().ece, 0);
		assertEquals(0, b.result().ece, 0);
		final Calibration.Reliability pooled = new Calibration.Accumulator(10).add(a).add(b).result();
		assertEquals(0.1, pooled.ece, 1e-15, "pooled over 10 pixels, not the mean 0.5 of the mice");
		assertEquals(0.1, pooled.brier, 1e-15);
		assertEquals(10, pooled.n);
	}

	@Test
	void emptyAndMismatchedInput() {
		final Calibration.Reliability empty = new Calibration.Accumulator(10).result();
		assertEquals(0, empty.n);
		assertTrue(Double.isNaN(empty.ece) && Double.isNaN(empty.brier));
		assertThrows(IllegalArgumentException.class, () -> new Calibration.Accumulator(10).add(new float[2],
			new boolean[3]));
		assertThrows(IllegalArgumentException.class, () -> new Calibration.Accumulator(10).add(
			new Calibration.Accumulator(5)));
		assertThrows(IllegalArgumentException.class, () -> new Calibration.Accumulator(0));
	}
}
