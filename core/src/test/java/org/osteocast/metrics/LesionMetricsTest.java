package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LesionMetricsTest {

	@Test
	void defaultChangeThresholdFollowsTheNoise() {
		final Random r = new Random(3);
		final int n = 64 * 64;
		final float[][] a = new float[4][n], b = new float[4][n];
		for (int z = 0; z < 4; z++)
			for (int i = 0; i < n; i++) {
				a[z][i] = (float) (0.5 + 0.01 * r.nextGaussian());
				b[z][i] = (float) (0.5 + 0.01 * r.nextGaussian() + (z == 1 && i < 500 ? 0.4 : 0));
			}
		final double t = LesionMetrics.defaultChangeThreshold(a, b);
		final double expected = 3 * Math.sqrt(2) * 0.01; // SD of a difference of two noisy scans
		assertEquals(expected, t, 0.1 * expected);
		final boolean[][] changed = LesionMetrics.changed(a, b, t);
		final long c = LesionMetrics.count(changed);
		assertTrue(c >= 500 && c < 500 + 0.01 * 4 * n, "changed " + c);
		// clipped pixels (equal in both weeks) do not pull the estimate to 0
		for (int z = 2; z < 4; z++)
			for (int i = 0; i < n; i++)
				a[z][i] = b[z][i] = 0;
		assertEquals(expected, LesionMetrics.defaultChangeThreshold(a, b), 0.15 * expected);
	}

	@Test
	void maskedMseAndDice() {
		final float[][] p = { { 0, 1, 2, 3 } }, t = { { 0, 0, 0, 0 } };
		assertEquals((1 + 9) / 2.0, LesionMetrics.maskedMse(p, t, new boolean[][] { { false, true, false, true } }),
			1e-12);
		assertTrue(Double.isNaN(LesionMetrics.maskedMse(p, t, new boolean[1][4])));
		assertEquals(2.0 * 1 / (2 + 3), LesionMetrics.dice(new boolean[][] { { true, true, false, false } },
			new boolean[][] { { true, false, true, true } }), 1e-12);
		assertEquals(1.0, LesionMetrics.dice(new boolean[1][4], new boolean[1][4]));
		assertEquals(0.0, LesionMetrics.dice(new boolean[][] { { true } }, new boolean[][] { { false } }));
	}

	@Test
	void otsuSeparatesBoneFromSoftTissue() {
		final float[][] w1 = RingPhantom.week(1, 0.02, 1);
		final double t = LesionMetrics.otsu(w1);
		// between marrow (0.2) and bone (0.8), clear of both with 3 noise SDs (0.02)
		assertTrue(t > 0.26 && t < 0.74, "threshold " + t);
	}

	@Test
	void lesionBvtvAndPerforationOfATrueLesion() {
		final float[][] w1 = RingPhantom.week(1, 0.02, 1), w4 = RingPhantom.week(4, 0.02, 1);
		final double t = LesionMetrics.otsu(w1);
		final boolean[][] lesion = LesionMetrics.lesion(w1, w4, t);
		// lesion pixels only in slices 4..11 near (53, 32)
		long in = 0, out = 0;
		for (int z = 0; z < RingPhantom.SLICES; z++)
			for (int i = 0; i < RingPhantom.W * RingPhantom.H; i++)
				if (lesion[z][i]) {
					final int x = i % RingPhantom.W, y = i / RingPhantom.W;
					if (z >= 4 && z < 12 && Math.hypot(x - 53, y - 32) < 9.5) in++;
					else out++;
				}
		assertTrue(in > 100 && out == 0, in + " in, " + out + " out");
		final boolean[][] env = LesionMetrics.envelope(w1, t, RingPhantom.W, RingPhantom.H);
		final double b1 = LesionMetrics.bvtv(w1, env, t), b4 = LesionMetrics.bvtv(w4, env, t);
		assertTrue(b4 < b1, b1 + " -> " + b4);
		// envelope = filled disc of radius 24: about pi 24^2 pixels per slice
		assertEquals(Math.PI * 24 * 24, LesionMetrics.count(env) / (double) RingPhantom.SLICES, 0.05 * Math.PI * 24 * 24);
		final int[] perf = LesionMetrics.perforation(w1, w4, t, RingPhantom.W, RingPhantom.H);
		for (int z = 0; z < RingPhantom.SLICES; z++)
			assertEquals(z >= 4 && z < 12 ? 1 : 0, perf[z], "slice " + z);
		assertEquals(8, LesionMetrics.perforatedSlices(perf));
	}

	@Test
	void oneLineGapsDoNotCountAndOpenRingsAreNotAssessed() {
		final int w = 32, h = 32;
		final float[][] ring = new float[1][w * h], gap1 = new float[1][], gap3 = new float[1][], open = new float[1][w *
			h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final double r = Math.hypot(x - 15.5, y - 15.5);
				ring[0][y * w + x] = r >= 9 && r < 12 ? 1 : 0;
				open[0][y * w + x] = r >= 9 && r < 12 && x < 20 ? 1 : 0;
			}
		gap1[0] = ring[0].clone();
		gap3[0] = ring[0].clone();
		for (int x = 24; x < 32; x++) {
			gap1[0][15 * w + x] = 0; // one pixel wide cut through the ring
			for (int y = 14; y <= 16; y++)
				gap3[0][y * w + x] = 0; // three pixels wide
		}
		assertEquals(0, LesionMetrics.perforation(ring, ring, 0.5, w, h)[0]);
		assertEquals(0, LesionMetrics.perforation(ring, gap1, 0.5, w, h)[0]);
		assertEquals(1, LesionMetrics.perforation(ring, gap3, 0.5, w, h)[0]);
		assertEquals(-1, LesionMetrics.perforation(open, gap3, 0.5, w, h)[0]);
	}
}
