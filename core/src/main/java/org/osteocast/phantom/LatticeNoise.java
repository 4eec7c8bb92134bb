package org.osteocast.phantom;

/**
 * Band-passed 3-D Gaussian noise in anatomy micrometres: white noise on a
 * coarse lattice (one value per lattice node, hashed from the node's integer
 * position, so the field does not depend on the grid's extent or voxel size),
 * a difference of Gaussians on the lattice (removes the large scales that would
 * leave whole regions empty or solid), then a cubic B-spline up to the voxel
 * grid (smooth, so thresholds give smooth surfaces). Cheaper than blurring
 * white noise at full resolution by an order of magnitude, and the same seed
 * gives the same trabecular network at any voxel size.
 */
final class LatticeNoise {

	/** The field on the voxel grid, normalised to zero mean and unit variance. */
	final FloatGrid field;
	/** Root-mean-square gradient magnitude of the normalised field, per µm. */
	final double rmsGradientPerUm;

	private LatticeNoise(final FloatGrid field, final double rmsGradientPerUm) {
		this.field = field;
		this.rmsGradientPerUm = rmsGradientPerUm;
	}

	/**
	 * @param seed hash seed of the lattice values
	 * @param spacingUm lattice spacing in µm per axis (x, y, z); a longer z spacing elongates the
	 *        structures along the bone axis, as metaphyseal trabeculae are
	 * @param sigmaFine fine Gaussian of the difference of Gaussians, in lattice units
	 * @param sigmaCoarse coarse Gaussian, in lattice units (&gt; sigmaFine)
	 * @param nx grid size (voxels)
	 * @param originUm anatomy position of voxel (0, 0, 0) in µm, per axis
	 * @param voxelUm voxel size in µm
	 */
	static LatticeNoise make(final long seed, final double[] spacingUm, final double sigmaFine, final double sigmaCoarse,
		final int nx, final int ny, final int nz, final double[] originUm, final double voxelUm)
	{
		final int[] n = { nx, ny, nz };
		final int[] lo = new int[3];
		final FloatGrid a = lattice(seed, spacingUm, sigmaFine, sigmaCoarse, n, originUm, voxelUm, lo);
		// cubic B-spline up-sampling, one axis at a time
		FloatGrid cur = a;
		for (int d = 0; d < 3; d++)
			cur = upsample(cur, d, n[d], (originUm[d] / spacingUm[d]) - lo[d], voxelUm / spacingUm[d]);
		final FloatGrid f = cur;
		double sum = 0, sum2 = 0;
		for (final float v : f.data) {
			sum += v;
			sum2 += v * (double) v;
		}
		final double mean = sum / f.data.length;
		final double sd = Math.sqrt(Math.max(1e-20, sum2 / f.data.length - mean * mean));
		for (int i = 0; i < f.data.length; i++)
			f.data[i] = (float) ((f.data[i] - mean) / sd);
		// RMS gradient (central differences, interior)
		double g2 = 0;
		long count = 0;
		for (int z = 1; z < nz - 1; z += 2)
			for (int y = 1; y < ny - 1; y += 2)
				for (int x = 1; x < nx - 1; x += 2) {
					final int i = f.index(x, y, z);
					final double gx = (f.data[i + 1] - f.data[i - 1]) * 0.5, gy = (f.data[i + nx] - f.data[i - nx]) * 0.5,
							gz = (f.data[i + nx * ny] - f.data[i - nx * ny]) * 0.5;
					g2 += gx * gx + gy * gy + gz * gz;
					count++;
				}
		final double rms = count > 0 ? Math.sqrt(g2 / count) / voxelUm : 1 / spacingUm[0];
		return new LatticeNoise(f, rms);
	}

	/**
	 * The difference-of-Gaussians lattice covering a grid of {@code n} voxels
	 * from {@code originUm}; its first node's lattice index goes to {@code lo}.
	 */
	private static FloatGrid lattice(final long seed, final double[] spacingUm, final double sigmaFine,
		final double sigmaCoarse, final int[] n, final double[] originUm, final double voxelUm, final int[] lo)
	{
		final int[] len = new int[3];
		for (int d = 0; d < 3; d++) {
			lo[d] = (int) Math.floor(originUm[d] / spacingUm[d]) - 3;
			final int hi = (int) Math.ceil((originUm[d] + (n[d] - 1) * voxelUm) / spacingUm[d]) + 3;
			len[d] = hi - lo[d] + 1;
		}
		final FloatGrid a = new FloatGrid(len[0], len[1], len[2]);
		for (int k = 0; k < len[2]; k++)
			for (int j = 0; j < len[1]; j++)
				for (int i = 0; i < len[0]; i++) {
					// one hash per node; its two 32-bit halves feed Box-Muller
					final long h = Seeds.mix(seed ^ (i + lo[0]) * 0x9E3779B97F4A7C15L ^ (j + lo[1]) * 0xC2B2AE3D27D4EB4FL ^ (k +
						lo[2]) * 0x165667B19E3779F9L);
					final double u1 = ((h >>> 32) + 0.5) * 0x1.0p-32, u2 = ((h & 0xFFFFFFFFL) + 0.5) * 0x1.0p-32;
					a.data[a.index(i, j, k)] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
				}
		final FloatGrid b = new FloatGrid(len[0], len[1], len[2]);
		System.arraycopy(a.data, 0, b.data, 0, a.data.length);
		a.gaussian(sigmaFine);
		b.gaussian(sigmaCoarse);
		for (int i = 0; i < a.data.length; i++)
			a.data[i] -= b.data[i];
		return a;
	}

	/**
	 * The same field plane by plane, never held whole: each plane is the
	 * B-spline in z of four lattice planes up-sampled in x and y (computed when
	 * first needed, four kept), with the very arithmetic of {@link #make}, so
	 * every value equals the whole field's. Two passes at construction give the
	 * normalisation, the RMS gradient and {@link Streamed#sampled} (every
	 * {@code max(1, n / 50000)}-th value in index order).
	 */
	static Streamed stream(final long seed, final double[] spacingUm, final double sigmaFine, final double sigmaCoarse,
		final int nx, final int ny, final int nz, final double[] originUm, final double voxelUm)
	{
		return new Streamed(seed, spacingUm, sigmaFine, sigmaCoarse, new int[] { nx, ny, nz }, originUm, voxelUm);
	}

	/** A noise field computed plane by plane (see {@link LatticeNoise#stream}). */
	static final class Streamed {
		final int nx, ny, nz;
		/** Root-mean-square gradient magnitude of the normalised field, per µm. */
		final double rmsGradientPerUm;
		/** Every {@code max(1, n / 50000)}-th value of the normalised field in index order (n voxels in all). */
		final float[] sampled;
		private final FloatGrid lattice;
		private final double[] startXY, stepXY;
		private final int[] base;
		private final float[][] w;
		private final float[][] xy;
		private final int[] xyAt;
		private double mean, sd = Double.NaN;

		private Streamed(final long seed, final double[] spacingUm, final double sigmaFine, final double sigmaCoarse,
			final int[] n, final double[] originUm, final double voxelUm)
		{
			nx = n[0];
			ny = n[1];
			nz = n[2];
			final int[] lo = new int[3];
			lattice = lattice(seed, spacingUm, sigmaFine, sigmaCoarse, n, originUm, voxelUm, lo);
			startXY = new double[] { (originUm[0] / spacingUm[0]) - lo[0], (originUm[1] / spacingUm[1]) - lo[1] };
			stepXY = new double[] { voxelUm / spacingUm[0], voxelUm / spacingUm[1] };
			// the z weights of upsample(…, 2, …)
			final double start = (originUm[2] / spacingUm[2]) - lo[2], step = voxelUm / spacingUm[2];
			base = new int[nz];
			w = new float[nz][4];
			bsplineWeights(start, step, base, w);
			xy = new float[4][];
			xyAt = new int[] { -1, -1, -1, -1 };
			double sum = 0, sum2 = 0;
			for (int z = 0; z < nz; z++)
				for (final float v : raw(z)) {
					sum += v;
					sum2 += v * (double) v;
				}
			final long total = (long) nx * ny * nz;
			mean = sum / total;
			sd = Math.sqrt(Math.max(1e-20, sum2 / total - mean * mean));
			// RMS gradient (central differences, interior) and the sampled values, one pass over normalised planes
			final long every = Math.max(1, total / 50000);
			sampled = new float[(int) ((total + every - 1) / every)];
			final long np = (long) nx * ny;
			long next = 0;
			int k = 0;
			double g2 = 0;
			long count = 0;
			float[] prev = null, cur = plane(0);
			for (int z = 0; z < nz; z++) {
				final float[] nextPlane = z + 1 < nz ? plane(z + 1) : null;
				for (; next < (z + 1) * np; next += every)
					sampled[k++] = cur[(int) (next - z * np)];
				if (z >= 1 && z < nz - 1 && (z - 1) % 2 == 0) for (int y = 1; y < ny - 1; y += 2)
					for (int x = 1; x < nx - 1; x += 2) {
						final int i = x + nx * y;
						final double gx = (cur[i + 1] - cur[i - 1]) * 0.5, gy = (cur[i + nx] - cur[i - nx]) * 0.5, gz =
								(nextPlane[i] - prev[i]) * 0.5;
						g2 += gx * gx + gy * gy + gz * gz;
						count++;
					}
				prev = cur;
				cur = nextPlane;
			}
			rmsGradientPerUm = count > 0 ? Math.sqrt(g2 / count) / voxelUm : 1 / spacingUm[0];
		}

		/** Plane z of the normalised field (a new array). */
		float[] plane(final int z) {
			final float[] p = raw(z);
			for (int i = 0; i < p.length; i++)
				p[i] = (float) ((p[i] - mean) / sd);
			return p;
		}

		/** Plane z before normalisation: upsample(…, 2, …) of the x-y up-sampled lattice planes. */
		private float[] raw(final int z) {
			final float[] out = new float[nx * ny];
			for (int j = 0; j < 4; j++) {
				final float wj = w[z][j];
				final float[] src = xyPlane(Math.min(lattice.nz - 1, Math.max(0, base[z] + j)));
				for (int x = 0; x < out.length; x++)
					out[x] += wj * src[x];
			}
			return out;
		}

		/** Lattice plane k up-sampled in x then y (as upsample(…, 0 and 1, …) do it for every plane); four kept. */
		private synchronized float[] xyPlane(final int k) {
			final int slot = Math.floorMod(k, 4);
			if (xyAt[slot] != k) {
				final FloatGrid one = new FloatGrid(lattice.nx, lattice.ny, 1);
				System.arraycopy(lattice.data, k * lattice.nx * lattice.ny, one.data, 0, one.data.length);
				xy[slot] = upsample(upsample(one, 0, nx, startXY[0], stepXY[0]), 1, ny, startXY[1], stepXY[1]).data;
				xyAt[slot] = k;
			}
			return xy[slot];
		}
	}

	/**
	 * The cubic B-spline's four weights (and the first of the four lattice
	 * indices) for sample i at lattice position {@code start + i * step}.
	 */
	private static void bsplineWeights(final double start, final double step, final int[] base, final float[][] w) {
		for (int i = 0; i < base.length; i++) {
			final double u = start + i * step;
			final int f = (int) Math.floor(u);
			final double t = u - f;
			base[i] = f - 1;
			w[i][0] = (float) ((1 - t) * (1 - t) * (1 - t) / 6);
			w[i][1] = (float) ((3 * t * t * t - 6 * t * t + 4) / 6);
			w[i][2] = (float) ((-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6);
			w[i][3] = (float) (t * t * t / 6);
		}
	}

	/** Resamples axis d to n samples at lattice positions start + i * step with a cubic B-spline. */
	private static FloatGrid upsample(final FloatGrid g, final int d, final int n, final double start,
		final double step)
	{
		final int[] dims = { g.nx, g.ny, g.nz };
		final int len = dims[d];
		dims[d] = n;
		final FloatGrid out = new FloatGrid(dims[0], dims[1], dims[2]);
		final int[] base = new int[n];
		final float[][] w = new float[n][4];
		bsplineWeights(start, step, base, w);
		if (d == 0) {
			for (int row = 0; row < g.ny * g.nz; row++) {
				final int src = row * g.nx, dst = row * out.nx;
				for (int i = 0; i < n; i++) {
					double s = 0;
					for (int j = 0; j < 4; j++)
						s += w[i][j] * g.data[src + Math.min(len - 1, Math.max(0, base[i] + j))];
					out.data[dst + i] = (float) s;
				}
			}
		}
		else {
			// y: rows within each plane; z: whole planes. Both accumulate contiguous runs.
			final int run = d == 1 ? g.nx : g.nx * g.ny;
			final int outer = d == 1 ? g.nz : 1;
			for (int o = 0; o < outer; o++) {
				final int srcBase = o * g.nx * g.ny, dstBase = o * out.nx * out.ny;
				for (int i = 0; i < n; i++) {
					final int dst = dstBase + i * run;
					for (int j = 0; j < 4; j++) {
						final float wj = w[i][j];
						final int src = srcBase + Math.min(len - 1, Math.max(0, base[i] + j)) * run;
						for (int x = 0; x < run; x++)
							out.data[dst + x] += wj * g.data[src + x];
					}
				}
			}
		}
		return out;
	}
}
