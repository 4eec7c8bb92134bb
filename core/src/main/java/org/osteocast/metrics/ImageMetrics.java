package org.osteocast.metrics;

/**
 * Full-reference image metrics on 2-D float images with data range 1 (the
 * slice-sequence contract's [0, 1]). The data range is fixed, never taken
 * from the pixel values or type.
 * <p>
 * SSIM follows Wang et al. 2004 as scikit-image computes it with
 * {@code gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=1}: an 11 × 11 Gaussian window (σ 1.5, truncated at 3.5σ),
 * K1 = 0.01, K2 = 0.03, and the mean of the SSIM map over the pixels whose
 * window lies inside the image (scikit-image crops the same border).
 */
public final class ImageMetrics {

	private ImageMetrics() {}

	/** Data range of the slice-sequence images. */
	public static final double DATA_RANGE = 1.0;

	/** Mean squared error. */
	public static double mse(final float[] a, final float[] b, final int w, final int h) {
		check(a, b, w, h);
		double s = 0;
		for (int i = 0; i < w * h; i++) {
			final double d = a[i] - b[i];
			s += d * d;
		}
		return s / (w * h);
	}

	/** Peak signal-to-noise ratio in dB for data range 1; +∞ for identical images. */
	public static double psnr(final float[] a, final float[] b, final int w, final int h) {
		final double m = mse(a, b, w, h);
		return m == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(DATA_RANGE * DATA_RANGE / m);
	}

	/** Mean structural similarity (see the class description); images must be at least 11 × 11. */
	public static double ssim(final float[] a, final float[] b, final int w, final int h) {
		check(a, b, w, h);
		final double sigma = 1.5;
		final int r = (int) (3.5 * sigma + 0.5); // 5: an 11 × 11 window, as scikit-image
		if (w < 2 * r + 1 || h < 2 * r + 1) throw new IllegalArgumentException("SSIM needs images of at least " + (2 *
			r + 1) + " x " + (2 * r + 1) + ", not " + w + " x " + h);
		final double[] k = new double[2 * r + 1];
		double ks = 0;
		for (int i = -r; i <= r; i++)
			ks += k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
		for (int i = 0; i < k.length; i++)
			k[i] /= ks;
		final int ow = w - 2 * r, oh = h - 2 * r;
		// separable filtering of a, b, a², b², ab: rows first (valid in x), then columns (valid in y)
		final double[][] rows = new double[5][ow * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < ow; x++) {
				double ma = 0, mb = 0, aa = 0, bb = 0, ab = 0;
				for (int j = 0; j < k.length; j++) {
					final int i = y * w + x + j;
					final double va = a[i], vb = b[i], kj = k[j];
					ma += kj * va;
					mb += kj * vb;
					aa += kj * va * va;
					bb += kj * vb * vb;
					ab += kj * va * vb;
				}
				final int o = y * ow + x;
				rows[0][o] = ma;
				rows[1][o] = mb;
				rows[2][o] = aa;
				rows[3][o] = bb;
				rows[4][o] = ab;
			}
		final double c1 = Math.pow(0.01 * DATA_RANGE, 2), c2 = Math.pow(0.03 * DATA_RANGE, 2);
		double sum = 0;
		for (int y = 0; y < oh; y++)
			for (int x = 0; x < ow; x++) {
				final double[] f = new double[5];
				for (int j = 0; j < k.length; j++) {
					final int i = (y + j) * ow + x;
					for (int c = 0; c < 5; c++)
						f[c] += k[j] * rows[c][i];
				}
				final double mx = f[0], my = f[1];
				final double vx = f[2] - mx * mx, vy = f[3] - my * my, cxy = f[4] - mx * my;
				sum += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
			}
		return sum / (ow * oh);
	}

	private static void check(final float[] a, final float[] b, final int w, final int h) {
		if (a.length != w * h || b.length != w * h) throw new IllegalArgumentException("images must both hold " + w +
			" x " + h + " pixels, got " + a.length + " and " + b.length);
	}
}
