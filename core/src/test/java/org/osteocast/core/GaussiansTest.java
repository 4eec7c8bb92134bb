package org.osteocast.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

class GaussiansTest {

	@Test
	void upperTailMatchesCommonsMathErfc() {
		double worst = 0;
		for (double x = -8; x <= 8; x += 0.001) {
			final double ref = 0.5 * Erf.erfc(x / Math.sqrt(2));
			worst = Math.max(worst, Math.abs(Gaussians.upperTail(x) - ref));
		}
		assertTrue(worst < 1.5e-7, "worst absolute error " + worst);
	}

	@Test
	void knownValuesAndSymmetry() {
		assertEquals(0.5, Gaussians.upperTail(0), 1e-9);
		assertEquals(0.15865525393145707, Gaussians.upperTail(1), 2e-7);
		assertEquals(0.022750131948179195, Gaussians.upperTail(2), 2e-7);
		assertEquals(1, Gaussians.upperTail(3) + Gaussians.upperTail(-3), 1e-12);
		assertEquals(0, Gaussians.upperTail(Double.POSITIVE_INFINITY), 0);
		assertEquals(1, Gaussians.upperTail(Double.NEGATIVE_INFINITY), 0);
		assertTrue(Double.isNaN(Gaussians.upperTail(Double.NaN)));
	}
}
