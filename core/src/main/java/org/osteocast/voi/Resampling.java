package org.osteocast.voi;

/**
 * Separable 1-D resampling with anti-aliasing, the building block of the VOI
 * cut (along z) and of the in-plane crop-and-resize.
 * <p>
 * Coordinates are in source voxel units, voxel {@code i} centred at {@code i}
 * and covering {@code [i - 0.5, i + 0.5]}. Output sample {@code k} covers the
 * interval {@code [start + k * step, start + (k + 1) * step]}. When an output
 * sample is wider than a source voxel ({@code |step| > 1}, shrinking) its value
 * is the exact area average of the source voxels it overlaps (a box
 * pre-filter, so fine trabeculae do not alias into moiré); otherwise
 * (enlarging or same size) it is the linear interpolation at its centre.
 * Samples that reach past the ends use the edge voxel (callers check that the
 * region lies inside the image; the clamp only absorbs half-voxel overhangs).
 */
public final class Resampling {

	private Resampling() {}

	/** Sparse weights: output sample k = sum_j weight[k][j] * source[index[k][j]]. */
	public static final class Kernel {
		final int[][] index;
		final float[][] weight;

		Kernel(final int[][] index, final float[][] weight) {
			this.index = index;
			this.weight = weight;
		}

		/** Number of output samples. */
		public int length() {
			return index.length;
		}

		/** Source indices used by output sample k (a copy). */
		public int[] indices(final int k) {
			return index[k].clone();
		}

		/** Weights of output sample k (a copy; they sum to 1). */
		public float[] weights(final int k) {
			return weight[k].clone();
		}

		/** Applies the kernel to a 1-D array. */
		public double[] apply(final double[] source) {
			final double[] out = new double[index.length];
			for (int k = 0; k < out.length; k++) {
				double s = 0;
				for (int j = 0; j < index[k].length; j++)
					s += weight[k][j] * source[index[k][j]];
				out[k] = s;
			}
			return out;
		}
	}

	/**
	 * Weights for {@code outLength} samples over {@code [start, start + outLength * step]}.
	 *
	 * @param srcLength source samples (≥ 1)
	 * @param start start of the first output interval, in source voxel units
	 * @param step signed width of one output sample in source voxel units (≠ 0)
	 */
	public static Kernel kernel(final int srcLength, final double start, final double step, final int outLength) {
		if (srcLength < 1 || outLength < 1 || step == 0 || !Double.isFinite(step) || !Double.isFinite(start))
			throw new IllegalArgumentException("bad resampling: src " + srcLength + ", start " + start + ", step " + step +
				", out " + outLength);
		final int[][] idx = new int[outLength][];
		final float[][] w = new float[outLength][];
		final double width = Math.abs(step);
		for (int k = 0; k < outLength; k++) {
			final double e0 = start + k * step, e1 = start + (k + 1) * step;
			final double a = Math.min(e0, e1), b = Math.max(e0, e1);
			if (width > 1) {
				final int i0 = (int) Math.floor(a + 0.5), i1 = (int) Math.floor(b + 0.5);
				final double[] acc = new double[srcLength];
				int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
				for (int i = i0; i <= i1; i++) {
					final double ov = Math.min(b, i + 0.5) - Math.max(a, i - 0.5);
					if (ov <= 0) continue;
					final int c = clamp(i, srcLength);
					acc[c] += ov / width;
					lo = Math.min(lo, c);
					hi = Math.max(hi, c);
				}
				pack(acc, lo, hi, idx, w, k);
			}
			else {
				final double c = 0.5 * (a + b);
				final int i0 = (int) Math.floor(c);
				final double f = c - i0;
				final int p = clamp(i0, srcLength), q = clamp(i0 + 1, srcLength);
				if (p == q || f == 0) {
					idx[k] = new int[] { f == 0 ? p : q };
					w[k] = new float[] { 1f };
				}
				else {
					idx[k] = new int[] { p, q };
					w[k] = new float[] { (float) (1 - f), (float) f };
				}
			}
		}
		return new Kernel(idx, w);
	}

	private static void pack(final double[] acc, final int lo, final int hi, final int[][] idx, final float[][] w,
		final int k)
	{
		int n = 0;
		for (int i = lo; i <= hi; i++)
			if (acc[i] > 0) n++;
		idx[k] = new int[n];
		w[k] = new float[n];
		int j = 0;
		for (int i = lo; i <= hi; i++)
			if (acc[i] > 0) {
				idx[k][j] = i;
				w[k][j++] = (float) acc[i];
			}
	}

	private static int clamp(final int i, final int n) {
		return i < 0 ? 0 : i >= n ? n - 1 : i;
	}

	/**
	 * Resamples a 2-D plane (row-major, x fastest) with separable kernels:
	 * {@code kx} over x (source length {@code width}), {@code ky} over y.
	 *
	 * @return a new plane of {@code kx.length() * ky.length()} pixels
	 */
	public static float[] resample2D(final float[] plane, final int width, final int height, final Kernel kx,
		final Kernel ky)
	{
		final int ow = kx.length(), oh = ky.length();
		// rows needed by ky only
		final boolean[] needed = new boolean[height];
		for (final int[] r : ky.index)
			for (final int y : r)
				needed[y] = true;
		final float[][] rows = new float[height][];
		for (int y = 0; y < height; y++) {
			if (!needed[y]) continue;
			final float[] row = new float[ow];
			final int off = y * width;
			for (int k = 0; k < ow; k++) {
				double s = 0;
				final int[] ix = kx.index[k];
				final float[] wx = kx.weight[k];
				for (int j = 0; j < ix.length; j++)
					s += wx[j] * plane[off + ix[j]];
				row[k] = (float) s;
			}
			rows[y] = row;
		}
		final float[] out = new float[ow * oh];
		for (int k = 0; k < oh; k++) {
			final int[] iy = ky.index[k];
			final float[] wy = ky.weight[k];
			for (int x = 0; x < ow; x++) {
				double s = 0;
				for (int j = 0; j < iy.length; j++)
					s += wy[j] * rows[iy[j]][x];
				out[k * ow + x] = (float) s;
			}
		}
		return out;
	}
}
