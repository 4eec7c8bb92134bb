package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Golden tests of {@link Rigidity} against analytic cross-sections. The
 * sections are built from exact annular sectors (their area integrals in
 * closed form, mapped affinely for ellipses, rotated and moved), so the sums
 * are exact up to round-off and the expected values are the textbook formulas:
 * circular tube {@code EA = E·π(R²−r²)}, {@code EI = E·π(R⁴−r⁴)/4},
 * {@code GJ = G·π(R⁴−r⁴)/2}; elliptical tube {@code EI = E·π(ab³ − a'b'³)/4};
 * and a tube with a hole through the cortex (a sector of the wall removed),
 * whose closed form is derived below. Relative tolerance 1e-9.
 */
class RigidityGoldenTest {

	static final double TOL = 1e-9;

	/** Exact area integrals {A, ∫x, ∫y, ∫x², ∫y², ∫xy} of the annular sector r1..r2, angles p1..p2. */
	static double[] sector(final double r1, final double r2, final double p1, final double p2) {
		final double q2 = (r2 * r2 - r1 * r1) / 2, q3 = (r2 * r2 * r2 - r1 * r1 * r1) / 3, q4 = (Math.pow(r2, 4) - Math
			.pow(r1, 4)) / 4;
		final double s2 = (Math.sin(2 * p2) - Math.sin(2 * p1)) / 4;
		return new double[] { (p2 - p1) * q2, q3 * (Math.sin(p2) - Math.sin(p1)), q3 * (Math.cos(p1) - Math.cos(p2)), q4 *
			((p2 - p1) / 2 + s2), q4 * ((p2 - p1) / 2 - s2), q4 * (Math.pow(Math.sin(p2), 2) - Math.pow(Math.sin(p1), 2)) /
				2 };
	}

	/** Integrals of the image of a region under (x, y) → (a x, b y). */
	static double[] scale(final double[] m, final double a, final double b) {
		final double j = a * b;
		return new double[] { j * m[0], j * a * m[1], j * b * m[2], j * a * a * m[3], j * b * b * m[4], j * a * b * m[5] };
	}

	/** Integrals of the region rotated by {@code t} (counter-clockwise) and then moved by (tx, ty). */
	static double[] move(final double[] m, final double t, final double tx, final double ty) {
		final double c = Math.cos(t), s = Math.sin(t);
		final double sx = c * m[1] - s * m[2], sy = s * m[1] + c * m[2];
		final double sxx = c * c * m[3] - 2 * c * s * m[5] + s * s * m[4];
		final double syy = s * s * m[3] + 2 * c * s * m[5] + c * c * m[4];
		final double sxy = c * s * m[3] + (c * c - s * s) * m[5] - c * s * m[4];
		return new double[] { m[0], sx + tx * m[0], sy + ty * m[0], sxx + 2 * tx * sx + tx * tx * m[0], syy + 2 * ty *
			sy + ty * ty * m[0], sxy + tx * sy + ty * sx + tx * ty * m[0] };
	}

	/**
	 * A wall r..R meshed into {@code nr × nt} exact sectors, leaving out angles
	 * in (−gap/2, gap/2), scaled by (a, b), rotated by t, moved by (tx, ty).
	 */
	static Rigidity.Moments wall(final Rigidity.Moments mo, final double e, final double r, final double rr,
		final double gap, final double a, final double b, final double t, final double tx, final double ty)
	{
		final int nr = 3, nt = 97;
		final double span = 2 * Math.PI - gap;
		for (int i = 0; i < nr; i++)
			for (int k = 0; k < nt; k++) {
				final double r1 = r + (rr - r) * i / nr, r2 = r + (rr - r) * (i + 1) / nr;
				final double p1 = gap / 2 + span * k / nt, p2 = gap / 2 + span * (k + 1) / nt;
				final double[] m = move(scale(sector(r1, r2, p1, p2), a, b), t, tx, ty);
				mo.add(e, m[0], m[1], m[2], m[3], m[4], m[5]);
			}
		return mo;
	}

	static void close(final double expected, final double actual, final String what) {
		assertEquals(expected, actual, TOL * Math.abs(expected), what);
	}

	@Test
	void circularTube() {
		final double e = 17000, nu = 0.3, g = e / (2 * (1 + nu)), rr = 0.9, r = 0.7;
		final Rigidity.Section s = wall(new Rigidity.Moments(), e, r, rr, 0, 1, 1, 0.4, 2.5, -1.25).section(nu);
		close(e * Math.PI * (rr * rr - r * r), s.ea, "EA");
		close(e * Math.PI * (Math.pow(rr, 4) - Math.pow(r, 4)) / 4, s.eiMin, "EI_min");
		close(e * Math.PI * (Math.pow(rr, 4) - Math.pow(r, 4)) / 4, s.eiMax, "EI_max");
		close(g * Math.PI * (Math.pow(rr, 4) - Math.pow(r, 4)) / 2, s.gj, "GJ");
		close(2.5, s.cx, "centroid x");
		close(-1.25, s.cy, "centroid y");
	}

	@Test
	void ellipticalTubeRotatedAndMoved() {
		// outer semi-axes (a, b), inner (k a, k b): EI about the major axis = E π a³ b (1 − k⁴) / 4
		final double e = 9000, nu = 0.25, a = 1.2, b = 0.7, k = 0.75, t = 0.6;
		final Rigidity.Section s = wall(new Rigidity.Moments(), e, k, 1, 0, a, b, t, -0.8, 3.1).section(nu);
		final double k4 = 1 - Math.pow(k, 4);
		close(e * Math.PI * a * b * (1 - k * k), s.ea, "EA");
		close(e * Math.PI * a * b * b * b * k4 / 4, s.eiMin, "EI_min (about the major axis of the ellipse)");
		close(e * Math.PI * a * a * a * b * k4 / 4, s.eiMax, "EI_max");
		close(e / (2 * (1 + nu)) * Math.PI * a * b * (a * a + b * b) * k4 / 4, s.gj, "GJ");
		// the stiffest bending axis is the minor axis of the ellipse, at t + 90°
		final double dt = Math.IEEEremainder(s.theta - (t + Math.PI / 2), Math.PI);
		assertEquals(0, dt, 1e-9, "theta");
		close(-0.8, s.cx, "centroid x");
		close(3.1, s.cy, "centroid y");
	}

	@Test
	void tubeWithAHoleThroughTheCortex() {
		// the wall r..R without the sector |φ| < β (a window through the cortex, centred on +x)
		final double e = 12000, nu = 0.3, rr = 1.0, r = 0.8, beta = 0.5, gap = 2 * beta;
		final Rigidity.Section s = wall(new Rigidity.Moments(), e, r, rr, gap, 1, 1, 0, 0, 0).section(nu);
		final double a = (Math.PI - beta) * (rr * rr - r * r);
		final double sx = -2 * (Math.pow(rr, 3) - Math.pow(r, 3)) / 3 * Math.sin(beta);
		final double q4 = (Math.pow(rr, 4) - Math.pow(r, 4)) / 4;
		final double sxx = q4 * ((Math.PI - beta) - Math.sin(2 * beta) / 2);
		final double syy = q4 * ((Math.PI - beta) + Math.sin(2 * beta) / 2);
		final double iyy = sxx - sx * sx / a; // about the y axis through the centroid
		close(e * a, s.ea, "EA");
		close(e * Math.min(iyy, syy), s.eiMin, "EI_min");
		close(e * Math.max(iyy, syy), s.eiMax, "EI_max");
		close(e / (2 * (1 + nu)) * (iyy + syy), s.gj, "GJ");
		close(sx / a, s.cx, "centroid shifts away from the hole");
		// and the hole weakens the tube
		final double intact = e * Math.PI * (Math.pow(rr, 4) - Math.pow(r, 4)) / 4;
		assertTrue(s.eiMin < 0.8 * intact, s.eiMin + " vs intact " + intact);
	}

	@Test
	void twoMaterialsWeightByModulus() {
		// inner layer E1 on r..m, outer E2 on m..R: EA and EI add per layer, centroid common
		final double e1 = 5000, e2 = 20000, r = 0.5, m = 0.7, rr = 0.9, nu = 0.3;
		final Rigidity.Moments mo = wall(new Rigidity.Moments(), e1, r, m, 0, 1, 1, 0, 1, 1);
		final Rigidity.Section s = wall(mo, e2, m, rr, 0, 1, 1, 0, 1, 1).section(nu);
		close(Math.PI * (e1 * (m * m - r * r) + e2 * (rr * rr - m * m)), s.ea, "EA");
		final double ei = Math.PI / 4 * (e1 * (Math.pow(m, 4) - Math.pow(r, 4)) + e2 * (Math.pow(rr, 4) - Math.pow(m,
			4)));
		close(ei, s.eiMin, "EI_min");
		close(ei / (1 + nu), s.gj, "GJ = G J with G = E / 2(1 + nu)");
	}

	@Test
	void pixelAlignedSquareTubeIsExactOnTheGrid() {
		// outer side B = 20 px, inner b = 12 px, pixels of 10 µm, modulus 1 (relative mode, fully filled pixels)
		final int w = 40, h = 40, bo = 20, bi = 12;
		final double um = 10, d = um / 1000;
		final float[] p = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final int ax = Math.abs(2 * x + 1 - w), ay = Math.abs(2 * y + 1 - h); // 2 × distance to the centre
				p[y * w + x] = Math.max(ax, ay) < bo && Math.max(ax, ay) >= bi ? 1f : 0f;
			}
		final Rigidity.Material m = Rigidity.Material.relative(0.5, 0, 1, 0.3);
		final Rigidity.Section s = Rigidity.slice(p, w, h, um, m);
		final double outer = bo * d, inner = bi * d;
		close(outer * outer - inner * inner, s.ea, "EA = area");
		close((Math.pow(outer, 4) - Math.pow(inner, 4)) / 12, s.eiMin, "EI = (B⁴ − b⁴)/12");
		close((Math.pow(outer, 4) - Math.pow(inner, 4)) / 12, s.eiMax, "EI_max");
		close((Math.pow(outer, 4) - Math.pow(inner, 4)) / 6 / (2 * 1.3), s.gj, "GJ");
	}
}
