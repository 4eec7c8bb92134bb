package org.osteocast.metrics;

/**
 * Peak signal-to-noise ratio, {@code 10 log10(R² / MSE)}, as scikit-image's
 * {@code peak_signal_noise_ratio(image_true, image_test, data_range=R)}.
 * <p>
 * A volume's PSNR can be taken two ways, and papers differ:
 * {@link #perSlice(float[][], float[][], double)} is the mean over slices of
 * each slice's PSNR (as video-prediction code such as SVG and PredRNN
 * averages it per frame, and as the T-VAE paper scores 2-D slices; the
 * {@code psnr_db} column of the evaluation), and
 * {@link #psnr(float[][], float[][], double)} pools the squared error over
 * every voxel first (scikit-image on the 3-D array; {@code psnr_volume_db}).
 * By Jensen's inequality the per-slice mean is at least the pooled value.
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

	/**
	 * The mean over slices of each slice's PSNR in dB, as video-prediction
	 * papers report it per frame ({@code np.mean([peak_signal_noise_ratio(t[z],
	 * p[z], data_range=R) for z in ...])}); +∞ when any slice is identical.
	 */
	public static double perSlice(final float[][] truth, final float[][] test, final double dataRange) {
		check(truth.length, test.length);
		double s = 0;
		for (int z = 0; z < truth.length; z++)
			s += psnr(truth[z], test[z], dataRange);
		return s / truth.length;
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
