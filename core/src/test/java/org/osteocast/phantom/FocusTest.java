package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FocusTest {

	private static Focus focus(final double onset, final double lead, final boolean hard) {
		return new Focus(0, 0, 0, onset, lead, 50, 700, 1.2, 150, 0.3, 80, 1.0, 0, new double[0][], hard);
	}

	@Test
	void radiusGrowsLogisticallyFromOnset() {
		final Focus f = focus(1.5, 0.8, false);
		assertEquals(0, f.radiusUm(1.4), 0);
		assertEquals(50, f.radiusUm(1.5), 1e-9);
		double prev = 0;
		for (double t = 1.5; t < 12; t += 0.5) {
			final double r = f.radiusUm(t);
			assertTrue(r > prev && r < 700, "radius " + r + " at " + t);
			prev = r;
		}
		assertTrue(f.radiusUm(20) > 690);
	}

	@Test
	void resorptionFrontThinsBoneBeforeOnset() {
		final Focus f = focus(2.5, 1.0, false);
		// a week and a half before onset: nothing
		assertEquals(1, f.thinning(0, 1.0), 0);
		// half a week before onset the precursor is there, strongest at the centre, fading outwards
		final double centre = f.thinning(0, 2.0), mid = f.thinning(40, 2.0), out = f.thinning(200, 2.0);
		assertTrue(centre < mid && mid < 1, centre + " " + mid);
		assertEquals(1, out, 0);
		// after onset: edgeThinning right at the edge, none beyond the front
		final double r = f.radiusUm(3.0);
		assertEquals(0.3, f.thinning(r, 3.0), 1e-9);
		assertEquals(1, f.thinning(r + 150, 3.0), 1e-9);
	}

	@Test
	void hardFocusHasNoPrecursor() {
		final Focus f = focus(3.4, 0, true);
		assertEquals(1, f.thinning(0, 3.0), 0);
		assertEquals(0, f.radiusUm(3.0), 0);
		assertTrue(f.radiusUm(4.0) > 50);
	}

	@Test
	void elongationStretchesTheLesionAlongTheBoneAxis() {
		final Focus f = new Focus(0, 0, 0, 0, 0, 50, 700, 1.2, 150, 0.3, 80, 1.5, 0, new double[0][], false);
		assertEquals(100, f.distanceUm(100, 0, 0, 0), 1e-9);
		assertEquals(100, f.distanceUm(0, 0, 150, 0), 1e-9);
	}
}
