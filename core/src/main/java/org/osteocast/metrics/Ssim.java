package org.osteocast.metrics;

/**
 * Structural similarity (Wang et al. 2004) exactly as scikit-image's
 * {@code structural_similarity(x, y, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=R)} on 2-D images: local moments
 * from a separable Gaussian filter (σ = 1.5, truncated at 3.5 σ, so radius
 * {@code int(3.5 · 1.5 + 0.5) = 5} and window 11, weights normalised, borders
 * by half-sample reflection as scipy's {@code mode='reflect'}), K1 = 0.01,
 * K2 = 0.03, population (not sample) covariances, and the mean SSIM taken over
 * the interior only: skimage crops {@code (win_size - 1) / 2 = 5} pixels from
 * every side before averaging.
 * <p>
 * A volume's SSIM is the mean of its slices' SSIM (the model predicts 2-D
 * slices; a 3-D Gaussian would mix neighbouring VOI slices 44 µm apart).
 * Images smaller than the window (11 × 11) are rejected, as skimage does.
 */
public final class Ssim {

	public static final double SIGMA = 1.5, TRUNCATE = 3.5, K1 = 0.01, K2 = 0.03;
	/** Filter radius, computed as scipy does: {@code int(truncate * sigma + 0.5)}. */
	public static final int RADIUS = (int) (TRUNCATE * SIGMA + 0.5);
	/** skimage's {@code win_size} for Gaussian weights: {@code 2 * radius + 1}. */
	public static final int WIN_SIZE = 2 * RADIUS + 1;

	private static final double[] KERNEL = kernel();

	private Ssim() {}

	private static double[] kernel() {
		final double[] k = new double[2 * RADIUS + 1];
		double s = 0;
		for (int i = -RADIUS; i <= RADIUS; i++) {
			k[i + RADIUS] = Math.exp(-0.5 * i * i / (SIGMA * SIGMA));
			s += k[i + RADIUS];
		}
		for (int i = 0; i < k.length; i++)
			k[i] /= s;
		return k;
	}

	/** Mean SSIM of two 2-D images (row-major, x fastest) over the interior. */
	public static double ssim(final float[] x, final float[] y, final int width, final int height,
		final double dataRange)
	{
		final double[] map = map(x, y, width, height, dataRange);
		final int pad = (WIN_SIZE - 1) / 2;
		double s = 0;
		long n = 0;
		for (int r = pad; r < height - pad; r++)
			for (int c = pad; c < width - pad; c++) {
				s += map[r * width + c];
				n++;
			}
		return s / n;
	}

	/** Mean of the slices' SSIM of two volumes given as planes. */
	public static double ssim(final float[][] x, final float[][] y, final int width, final int height,
		final double dataRange)
	{
		Psnr.check(x.length, y.length);
		double s = 0;
		for (int z = 0; z < x.length; z++)
			s += ssim(x[z], y[z], width, height, dataRange);
		return s / x.length;
	}

	/** The full SSIM map (same size as the inputs, border values included). */
	public static double[] map(final float[] x, final float[] y, final int width, final int height,
		final double dataRange)
	{
		if (x.length != width * height || y.length != width * height) throw new IllegalArgumentException(
			"images must both be " + width + " x " + height);
		if (width < WIN_SIZE || height < WIN_SIZE) throw new IllegalArgumentException("SSIM needs images of at least " +
			WIN_SIZE + " x " + WIN_SIZE + " pixels, not " + width + " x " + height);
		if (!(dataRange > 0)) throw new IllegalArgumentException("data range must be positive, not " + dataRange);
		final int n = width * height;
		final double[] xd = new double[n], yd = new double[n], xx = new double[n], yy = new double[n], xy = new double[n];
		for (int i = 0; i < n; i++) {
			xd[i] = x[i];
			yd[i] = y[i];
			xx[i] = xd[i] * xd[i];
			yy[i] = yd[i] * yd[i];
			xy[i] = xd[i] * yd[i];
		}
		final double[] ux = gauss(xd, width, height), uy = gauss(yd, width, height), uxx = gauss(xx, width, height),
				uyy = gauss(yy, width, height), uxy = gauss(xy, width, height);
		final double c1 = (K1 * dataRange) * (K1 * dataRange), c2 = (K2 * dataRange) * (K2 * dataRange);
		final double[] s = new double[n];
		for (int i = 0; i < n; i++) {
			final double vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], vxy = uxy[i] - ux[i] * uy[i];
			final double a1 = 2 * ux[i] * uy[i] + c1, a2 = 2 * vxy + c2;
			final double b1 = ux[i] * ux[i] + uy[i] * uy[i] + c1, b2 = vx + vy + c2;
			s[i] = a1 * a2 / (b1 * b2);
		}
		return s;
	}

	/** Separable Gaussian (axis 0 = rows first, as scipy), half-sample reflection at the borders. */
	static double[] gauss(final double[] in, final int w, final int h) {
		final double[] tmp = new double[in.length], out = new double[in.length];
		// along y (numpy axis 0)
		for (int r = 0; r < h; r++)
			for (int c = 0; c < w; c++) {
				double s = 0;
				for (int k = -RADIUS; k <= RADIUS; k++)
					s += KERNEL[k + RADIUS] * in[reflect(r + k, h) * w + c];
				tmp[r * w + c] = s;
			}
		// along x (numpy axis 1)
		for (int r = 0; r < h; r++)
			for (int c = 0; c < w; c++) {
				double s = 0;
				for (int k = -RADIUS; k <= RADIUS; k++)
					s += KERNEL[k + RADIUS] * tmp[r * w + reflect(c + k, w)];
				out[r * w + c] = s;
			}
		return out;
	}

	/** scipy.ndimage 'reflect' (d c b a | a b c d | d c b a), for any offset. */
	static int reflect(int i, final int n) {
		if (n == 1) return 0;
		final int period = 2 * n;
		i %= period;
		if (i < 0) i += period;
		return i < n ? i : period - 1 - i;
	}
}
