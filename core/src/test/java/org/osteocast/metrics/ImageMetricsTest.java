package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** PSNR and SSIM on cases with known answers. */
class ImageMetricsTest {

	@Test
	void psnrOfAConstantOffset() {
		final float[] a = new float[16 * 16], b = new float[a.length];
		for (int i = 0; i < a.length; i++) {
			a[i] = 0.5f;
			b[i] = 0.6f;
		}
		assertEquals(0.01, ImageMetrics.mse(a, b, 16, 16), 1e-7);
		assertEquals(20, ImageMetrics.psnr(a, b, 16, 16), 1e-4); // 10 log10(1 / 0.01)
		assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, a, 16, 16));
	}

	@Test
	void ssimIdentityAndConstantImagesFollowTheFormula() {
		final Random r = new Random(1);
		final float[] a = new float[32 * 32];
		for (int i = 0; i < a.length; i++)
			a[i] = r.nextFloat();
		assertEquals(1, ImageMetrics.ssim(a, a, 32, 32), 1e-9);
		// two constant images μx, μy: SSIM = (2 μx μy + C1) / (μx² + μy² + C1) (variances are 0)
		final float[] x = new float[20 * 20], y = new float[20 * 20];
		java.util.Arrays.fill(x, 0.3f);
		java.util.Arrays.fill(y, 0.5f);
		final double c1 = 1e-4;
		assertEquals((2 * 0.3 * 0.5 + c1) / (0.09 + 0.25 + c1), ImageMetrics.ssim(x, y, 20, 20), 1e-6);
		// noise lowers SSIM
		final float[] n = a.clone();
		for (int i = 0; i < n.length; i++)
			n[i] += 0.2f * (float) r.nextGaussian();
		final double s = ImageMetrics.ssim(a, n, 32, 32);
		assertTrue(s < 0.9 && s > 0, "ssim " + s);
		assertThrows(IllegalArgumentException.class, () -> ImageMetrics.ssim(new float[100], new float[100], 10, 10));
	}
}
