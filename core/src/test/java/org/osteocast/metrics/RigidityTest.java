package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Rigidity} on pixel images: BoneJ's definitions, partial volume, calibration, the weakest slice. */
class RigidityTest {

	/**
	 * An elliptical tube (semi-axes a, b px, wall fraction k inside), rotated by t,
	 * centred at (cx, cy) px; each pixel's value is its covered fraction (16 × 16
	 * supersampling), scaled to [bg, fg].
	 */
	static float[] tube(final int w, final int h, final double cx, final double cy, final double a, final double b,
		final double k, final double t, final double bg, final double fg)
	{
		final float[] p = new float[w * h];
		final int ss = 16;
		final double c = Math.cos(t), s = Math.sin(t);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int in = 0;
				for (int j = 0; j < ss; j++)
					for (int i = 0; i < ss; i++) {
						final double px = x + (i + 0.5) / ss - cx, py = y + (j + 0.5) / ss - cy;
						final double u = (c * px + s * py) / a, v = (-s * px + c * py) / b;
						final double q = u * u + v * v;
						if (q <= 1 && q >= k * k) in++;
					}
				p[y * w + x] = (float) (bg + (fg - bg) * in / (double) (ss * ss));
			}
		return p;
	}

	/**
	 * BoneJ's Slice Geometry (partial-volume weighting) re-derived from its
	 * definitions: pixels within [min, max] count with area fraction
	 * clamp((v − bg)/(fg − bg)); CSA = Σ f · dA; the principal angle from the
	 * central second moments; Imin/Imax = dA · (Σ f u² − (Σ f u)²/Σ f + Σ f · dA/12)
	 * along the rotated axes. Returns {CSA, Imin, Imax}.
	 */
	static double[] boneJ(final float[] p, final int w, final int h, final double vw, final double min,
		final double bg, final double fg)
	{
		double sf = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final double v = p[y * w + x];
				if (v < min) continue;
				final double f = Math.max(0, Math.min(1, (v - bg) / (fg - bg)));
				sf += f;
				sx += f * x * vw;
				sy += f * y * vw;
				sxx += f * x * vw * x * vw;
				syy += f * y * vw * y * vw;
				sxy += f * x * vw * y * vw;
			}
		final double myy = sxx - sx * sx / sf + sf * vw * vw / 12, mxx = syy - sy * sy / sf + sf * vw * vw / 12;
		final double mxy = sxy - sx * sy / sf; // BoneJ adds sf·vw²/12 here too; a square's own product moment is 0
		final double theta = mxy == 0 ? 0 : Math.atan((mxx - myy + Math.sqrt((mxx - myy) * (mxx - myy) + 4 * mxy *
			mxy)) / (2 * mxy));
		final double c = Math.cos(theta), s = Math.sin(theta);
		double su = 0, sv = 0, suu = 0, svv = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final double v = p[y * w + x];
				if (v < min) continue;
				final double f = Math.max(0, Math.min(1, (v - bg) / (fg - bg)));
				final double u = x * vw * c + y * vw * s, q = y * vw * c - x * vw * s;
				su += f * u;
				sv += f * q;
				suu += f * u * u;
				svv += f * q * q;
			}
		final double own = sf * vw * vw / 12, da = vw * vw;
		final double i1 = da * (suu - su * su / sf + own), i2 = da * (svv - sv * sv / sf + own);
		return new double[] { sf * da, Math.min(i1, i2), Math.max(i1, i2) };
	}

	@Test
	void uniformModulusReproducesBoneJsCsaIminImax() {
		final int w = 64, h = 60;
		final double bg = 0.1, fg = 0.9, um = 12.5, vw = um / 1000;
		final float[] p = tube(w, h, 30.3, 28.7, 22, 13, 0.6, 0.5, bg, fg);
		final double threshold = 0.2;
		final Rigidity.Section s = Rigidity.slice(p, w, h, um, Rigidity.Material.relative(threshold, bg, fg, 0.3));
		// BoneJ counts v >= min, OsteoCast v > threshold: the same pixels unless one equals it exactly
		final double[] ref = boneJ(p, w, h, vw, Math.nextUp(threshold), bg, fg);
		assertEquals(ref[0], s.ea, 1e-12 * ref[0], "CSA");
		assertEquals(ref[1], s.eiMin, 1e-9 * ref[1], "Imin");
		assertEquals(ref[2], s.eiMax, 1e-9 * ref[2], "Imax");
		assertEquals(ref[1] + ref[2], s.ej, 1e-9 * (ref[1] + ref[2]), "polar moment Imin + Imax");
	}

	@Test
	void partialVolumeConvergesToTheAnalyticTube() {
		// a circular tube R = 24 px, r = 16 px, 10 µm pixels, area fractions from supersampling
		final int n = 64;
		final double um = 10, d = um / 1000, rr = 24 * d, r = 16 * d;
		final float[] p = tube(n, n, 32, 32, 24, 24, 16.0 / 24, 0, 0, 1);
		final Rigidity.Section s = Rigidity.slice(p, n, n, um, Rigidity.Material.relative(1e-6, 0, 1, 0.3));
		final double ea = Math.PI * (rr * rr - r * r), ei = Math.PI * (Math.pow(rr, 4) - Math.pow(r, 4)) / 4;
		assertEquals(ea, s.ea, 2e-3 * ea);
		assertEquals(ei, s.eiMin, 2e-3 * ei);
		assertEquals(ei, s.eiMax, 2e-3 * ei);
		assertEquals(ei / 1.3, s.gj, 2e-3 * ei);
		// a binary mask of the same tube is further off: partial volume matters at this size
		final float[] bin = p.clone();
		for (int i = 0; i < bin.length; i++)
			bin[i] = bin[i] >= 0.5f ? 1 : 0;
		final Rigidity.Section sb = Rigidity.slice(bin, n, n, um, Rigidity.Material.relative(0.5, 0, 1, 0.3));
		assertTrue(Math.abs(sb.ea - ea) > Math.abs(s.ea - ea), sb.ea + " vs " + s.ea + " (exact " + ea + ")");
	}

	@Test
	void calibratedModulusFollowsThePowerLaw() {
		// a uniform square of grey 1000: BMD = 1.2 * 1000 - 100 = 1100 mg/cm3, E = 4730 * 1.1^1.56 MPa (the default,
		// Morgan et al. 2003, vertebra)
		final int n = 16;
		final float[] p = new float[n * n];
		for (int y = 4; y < 12; y++)
			for (int x = 4; x < 12; x++)
				p[y * n + x] = 1000;
		final Rigidity.Material m = Rigidity.Material.calibrated(1.2, -100, Rigidity.DEFAULT_A_MPA, Rigidity.DEFAULT_B,
			0.3, 500);
		final double e = 4730 * Math.pow(1.1, 1.56), side = 8 * 0.02;
		final Rigidity.Section s = Rigidity.slice(p, n, n, 20, m);
		assertEquals(e * side * side, s.ea, 1e-9 * e * side * side);
		assertEquals(e * Math.pow(side, 4) / 12, s.eiMin, 1e-9 * e * Math.pow(side, 4) / 12);
		assertEquals(0, m.modulus(400), "below the bone threshold");
		assertTrue(m.modulus(1200) > m.modulus(1000));
	}

	@Test
	void profileFindsTheWeakestSliceAndTheDrop() {
		final int n = 48;
		final float[][] week1 = new float[5][], week4 = new float[5][];
		for (int z = 0; z < 5; z++) {
			week1[z] = tube(n, n, 24, 24, 18, 18, 0.7, 0, 0, 1);
			week4[z] = week1[z].clone();
		}
		// a window through the cortex of slice 3 in week 4: x > 36 px
		for (int y = 0; y < n; y++)
			for (int x = 37; x < n; x++)
				week4[3][y * n + x] = 0;
		final Rigidity.Material m = Rigidity.Material.relative(0.5, 0, 1, 0.3);
		final Rigidity.Profile p1 = Rigidity.profile(week1, n, n, 20, m), p4 = Rigidity.profile(week4, n, n, 20, m);
		assertEquals(3, p4.weakest(1));
		assertEquals(3, p4.weakest(0));
		assertTrue(p4.min(1) < p1.min(1));
		final double[] drops = Rigidity.drops(p1, p4);
		for (final double dr : drops)
			assertTrue(dr > 0.05 && dr < 1, "drop " + dr);
		assertEquals(Math.max(drops[0], Math.max(drops[1], drops[2])), Rigidity.worstDrop(p1, p4), 0);
		assertEquals(0, Rigidity.worstDrop(p1, p1), 1e-12);
	}

	@Test
	void proximalMarginLeavesTheFirstSlicesOutOfTheMinimum() {
		final int n = 48;
		// slices 0-1: the plate's edge, a thinner wall than the shaft; slice 4: a window through the cortex
		final float[][] v = new float[6][];
		for (int z = 0; z < 6; z++)
			v[z] = tube(n, n, 24, 24, 18, 18, z < 2 ? 0.9 - 0.05 * z : 0.7, 0, 0, 1);
		for (int y = 0; y < n; y++)
			for (int x = 40; x < n; x++)
				v[4][y * n + x] = 0;
		final Rigidity.Material m = Rigidity.Material.relative(0.5, 0, 1, 0.3);
		final Rigidity.Profile all = Rigidity.profile(v, n, n, 20, m), shaft = all.fromSlice(2);
		assertEquals(0, all.searchFrom);
		assertEquals(0, all.weakest(1), "the thinnest wall is at the edge");
		assertEquals(4, shaft.weakest(1), "below the margin the window governs");
		assertEquals(all.eiMin()[4], shaft.min(1), 0);
		assertTrue(shaft.min(1) > all.min(1));
		assertEquals(all.slices.length, shaft.slices.length, "the same slices, only the search moves");
		assertEquals(5, all.fromSlice(99).weakest(1), "a margin past the end searches the last slice only");
		assertThrows(IllegalArgumentException.class, () -> all.fromSlice(-1));
		assertEquals(3, Rigidity.marginSlices(100, 2100.0 / 48), "48 slices over 2.1 mm: 43.75 um each");
		assertEquals(5, Rigidity.marginSlices(100, 20));
		assertEquals(2, Rigidity.marginSlices(100, 50), "exactly two slices, no third for rounding");
		assertEquals(0, Rigidity.marginSlices(0, 20));
		assertThrows(IllegalArgumentException.class, () -> Rigidity.marginSlices(-1, 20));
		assertThrows(IllegalArgumentException.class, () -> Rigidity.marginSlices(100, 0));
	}

	@Test
	void emptySliceHasNoRigidityAndBadInputIsRefused() {
		final Rigidity.Section s = Rigidity.slice(new float[16], 4, 4, 10, Rigidity.Material.relative(0.5, 0, 1, 0.3));
		assertEquals(0, s.ea);
		assertEquals(0, s.eiMin);
		assertTrue(Double.isNaN(s.cx));
		assertThrows(IllegalArgumentException.class, () -> Rigidity.slice(new float[15], 4, 4, 10, Rigidity.Material
			.relative(0.5, 0, 1, 0.3)));
		assertThrows(IllegalArgumentException.class, () -> Rigidity.Material.relative(0.5, 1, 1, 0.3));
		assertThrows(IllegalArgumentException.class, () -> Rigidity.Material.calibrated(0, 0, 1, 1, 0.3, 0));
	}

	/**
	 * A scan of a leg in air (air 0, soft tissue 0.45, cortex 1): two-class Otsu
	 * cuts between air and the leg, so soft tissue would count as bone; the scan's
	 * threshold is the mineral one, and only the cortex carries load.
	 */
	@Test
	void scanBoneIsAboveSoftTissue() {
		final int n = 64, d = 4;
		final float[] v = new float[n * n * d];
		int ring = 0;
		for (int z = 0; z < d; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double r = Math.hypot(x + 0.5 - n / 2.0, y + 0.5 - n / 2.0);
					final boolean bone = r > 13 && r <= 18;
					if (bone && z == 0) ring++;
					v[(z * n + y) * n + x] = bone ? 1 : r <= 26 ? 0.45f : 0;
				}
		final org.osteocast.io.Volume<net.imglib2.type.numeric.real.FloatType> scan = new org.osteocast.io.Volume<>(
			net.imglib2.img.array.ArrayImgs.floats(v, n, n, d), new double[] { 10, 10, 10 }, new double[3], "leg");
		final float[][] planes = RigidityAnalysis.planes(scan);
		assertTrue(LesionMetrics.otsu(planes) < 0.45, "two-class Otsu separates air from the leg");
		final double t = RigidityAnalysis.mineralThreshold(planes);
		assertTrue(t >= 0.45 && t < 1, "mineral threshold " + t);
		final RigidityAnalysis.Tables tables = RigidityAnalysis.scan(scan, new RigidityAnalysis.Options());
		final double area = ring * 0.01 * 0.01;
		for (final Rigidity.Section s : tables.profiles.get(0).slices)
			assertEquals(area, s.ea, 1e-9 * area, "the cortex only");
	}
}
