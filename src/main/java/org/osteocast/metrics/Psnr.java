package org.osteocast.metrics;

/**
 * Peak signal-to-noise ratio, {@code 10 log10(R² / MSE)}, as scikit-image's
 * {@code peak_signal_noise_ratio(image_true, image_test, data_range=R)}.
 * <p>
 * The data range R is always given explicitly (default 1 for the [0, 1]
 * slice sequences): taking it from the pixel type, as some tools do for
 * integers, makes no sense for float CT data. Sums run in double precision.
 */
public final class Psnr {

	/** The data range of normalised slice sequences. */
	public static final double DEFAULT_RANGE = 1;

	private Psnr() {}

	/** Mean squared error between two arrays of equal length. */
	public static double mse(final float[] truth, final float[] test) {
		check(truth.length, test.length);
		double s = 0;
		for (int i = 0; i < truth.length; i++) {
			final double d = (double) truth[i] - test[i];
			s += d * d;
		}
		return s / truth.length;
	}

	/** Mean squared error over all voxels of two volumes given as planes of equal size. */
	public static double mse(final float[][] truth, final float[][] test) {
		check(truth.length, test.length);
		double s = 0;
		long n = 0;
		for (int z = 0; z < truth.length; z++) {
			check(truth[z].length, test[z].length);
			for (int i = 0; i < truth[z].length; i++) {
				final double d = (double) truth[z][i] - test[z][i];
				s += d * d;
			}
			n += truth[z].length;
		}
		return s / n;
	}

	/** PSNR in dB of one image (or any array); +∞ for identical inputs. */
	public static double psnr(final float[] truth, final float[] test, final double dataRange) {
		return fromMse(mse(truth, test), dataRange);
	}

	/** PSNR in dB over all voxels of a volume (one MSE over the whole volume, as skimage on a 3-D array). */
	public static double psnr(final float[][] truth, final float[][] test, final double dataRange) {
		return fromMse(mse(truth, test), dataRange);
	}

	/** {@code 10 log10(R² / mse)}. */
	public static double fromMse(final double mse, final double dataRange) {
		if (!(dataRange > 0)) throw new IllegalArgumentException("data range must be positive, not " + dataRange);
		return 10 * Math.log10(dataRange * dataRange / mse);
	}

	static void check(final int a, final int b) {
		if (a != b) throw new IllegalArgumentException("sizes differ: " + a + " vs " + b);
		if (a == 0) throw new IllegalArgumentException("empty input");
	}
}
