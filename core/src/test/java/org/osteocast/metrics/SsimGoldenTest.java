package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * SSIM and PSNR against scikit-image. Golden values produced by
 * <pre>
 * apt-get install -y python3-skimage
 * /usr/bin/python3 bench/golden/ssim_golden.py
 * # scikit-image 0.19.3 numpy 1.24.2
 * </pre>
 * The inputs are re-created here with the same LCG and dyadic arithmetic, so
 * Java and Python hold bit-identical values. Tolerance 1e-13 (the README's claim).
 */
class SsimGoldenTest {

	private static final double TOL = 1e-13;

	/** The script's LCG: s = (1664525 s + 1013904223) mod 2^32, value = (s >> 16) / 65536. */
	static float[] lcg(final long seed, final int n) {
		long s = seed & 0xFFFFFFFFL;
		final float[] out = new float[n];
		for (int i = 0; i < n; i++) {
			s = (1664525L * s + 1013904223L) & 0xFFFFFFFFL;
			out[i] = (float) ((s >>> 16) / 65536.0);
		}
		return out;
	}

	/** Piecewise-constant b x b blocks, as the script's {@code blocks}. */
	static float[] blocks(final long seed, final int h, final int w, final int b) {
		final int ch = (h + b - 1) / b, cw = (w + b - 1) / b;
		final float[] cells = lcg(seed, ch * cw);
		final float[] out = new float[h * w];
		for (int r = 0; r < h; r++)
			for (int c = 0; c < w; c++)
				out[r * w + c] = cells[(r / b) * cw + c / b];
		return out;
	}

	private static float[] half(final float[] a, final float[] b) {
		final float[] out = new float[a.length];
		for (int i = 0; i < a.length; i++)
			out[i] = (float) ((a[i] + (double) b[i]) / 2);
		return out;
	}

	@Test
	void noiseHalf() {
		final float[] x = lcg(1, 64 * 64), y = half(x, lcg(2, 64 * 64));
		assertEquals(0.6627112447397715, Ssim.ssim(x, y, 64, 64, 1), TOL);
		assertEquals(13.781189142912575, Psnr.psnr(x, y, 1), TOL);
		assertEquals(0.67014528599847845, Ssim.ssim(x, y, 64, 64, 2), TOL);
		assertEquals(19.801789056192199, Psnr.psnr(x, y, 2), TOL);
	}

	@Test
	void blocksWithLesion() {
		final float[] bx = blocks(3, 64, 64, 8), u = lcg(4, 64 * 64), by = new float[64 * 64];
		for (int i = 0; i < by.length; i++)
			by[i] = (float) ((3.0 * bx[i] + u[i]) / 4);
		for (int r = 20; r < 36; r++)
			for (int c = 24; c < 40; c++)
				by[r * 64 + c] = 0;
		assertEquals(0.65989634473460113, Ssim.ssim(bx, by, 64, 64, 1), TOL);
		assertEquals(14.053241611772723, Psnr.psnr(bx, by, 1), TOL);
	}

	@Test
	void independentNonSquare() {
		// 23 rows x 40 columns: exercises the reflected borders and the interior crop on both axes
		final float[] a = lcg(5, 23 * 40), b = lcg(6, 23 * 40);
		assertEquals(-0.030964407724817733, Ssim.ssim(a, b, 40, 23, 1), TOL);
		assertEquals(7.8496615359530297, Psnr.psnr(a, b, 1), TOL);
	}

	@Test
	void identicalAndVolume() {
		final float[] x = lcg(1, 64 * 64);
		assertEquals(1.0, Ssim.ssim(x, x.clone(), 64, 64, 1), 1e-12);
		assertEquals(Double.POSITIVE_INFINITY, Psnr.psnr(x, x.clone(), 1));
		final float[][] vx = new float[3][], vy = new float[3][];
		for (int z = 0; z < 3; z++) {
			vx[z] = lcg(10 + z, 32 * 32);
			vy[z] = half(vx[z], blocks(20 + z, 32, 32, 4));
		}
		assertEquals(0.69339637231331264, Ssim.ssim(vx, vy, 32, 32, 1), TOL);
		assertEquals(13.694771470870357, Psnr.psnr(vx, vy, 1), TOL);
	}

	@Test
	void windowGeometryAndInputChecks() {
		assertEquals(5, Ssim.RADIUS);
		assertEquals(11, Ssim.WIN_SIZE);
		assertEquals(0, Ssim.reflect(-1, 5));
		assertEquals(1, Ssim.reflect(-2, 5));
		assertEquals(4, Ssim.reflect(5, 5));
		assertEquals(3, Ssim.reflect(6, 5));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(new float[100],
			new float[100], 10, 10, 1));
		assertTrue(e.getMessage().contains("11 x 11"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Psnr.psnr(new float[4], new float[4], 0));
	}
}
