package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForecastEvaluationTest {

	@Test
	void perfectForecastBeatsBaselines() {
		final float[][] w1 = RingPhantom.week(1, 0.02, 2), w2 = RingPhantom.week(2, 0.02, 2), w3 = RingPhantom.week(3,
			0.02, 2), w4 = RingPhantom.week(4, 0.02, 2);
		final ForecastEvaluation.Reference ref = new ForecastEvaluation.Reference(w1, w3, w4, 64, 64, 1, Double.NaN);
		assertTrue(ref.changeThreshold() > 0.03 && ref.changeThreshold() < 0.2, "threshold " + ref.changeThreshold());
		final ForecastEvaluation.Scores perfect = ref.score(w4);
		assertEquals(Double.POSITIVE_INFINITY, perfect.psnr);
		assertEquals(1.0, perfect.ssim, 1e-12);
		assertEquals(0.0, perfect.changedMse, 0);
		assertTrue(perfect.changedPixels > 50, "changed " + perfect.changedPixels);
		assertEquals(1.0, perfect.dice, 0);
		assertEquals(0.0, perfect.bvtvError(), 0);
		assertEquals(8, perfect.perforatedSlicesTruth);
		assertEquals(1, perfect.perforationAgrees());
		assertEquals(RingPhantom.SLICES, perfect.assessedSlices);

		final ForecastEvaluation.Scores persistence = ref.score(ForecastEvaluation.persistence(w3));
		assertTrue(persistence.psnr < 40 && persistence.changedMse > 0.05, persistence.psnr + " " + persistence.changedMse);
		assertTrue(persistence.dice > 0.2 && persistence.dice < 0.9, "dice " + persistence.dice);
		assertTrue(persistence.bvtvError() > 0, "persistence keeps bone that is lost");

		final float[][] linear = ForecastEvaluation.linear(w2, w3, 0, 1);
		for (final float[] p : linear)
			for (final float v : p)
				assertTrue(v >= 0 && v <= 1);
		assertEquals(Math.max(0, Math.min(1, 2.0 * w3[5][100] - w2[5][100])), linear[5][100], 1e-6);
		// pixel-wise extrapolation cannot move a lesion's border into bone that has not changed yet:
		// its lesion map is that of persistence (up to noise), both short of the true, larger lesion
		final ForecastEvaluation.Scores lin = ref.score(linear);
		assertEquals(persistence.dice, lin.dice, 0.05);
		assertTrue(lin.dice < 0.9 && lin.bvtvError() > 0, lin.dice + " " + lin.bvtvError());
	}
}
