package org.osteocast.phantom;

/**
 * A dense 3-D float array, x fastest ({@code index = (z * ny + y) * nx + x}),
 * with the two operations the generator needs on it: trilinear sampling with
 * clamped borders and a separable Gaussian blur. A flat {@code float[]} instead
 * of an imglib2 image because these loops run hundreds of millions of times
 * per cohort and must stay allocation-free.
 */
final class FloatGrid {

	final int nx, ny, nz;
	final float[] data;

	FloatGrid(final int nx, final int ny, final int nz) {
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.data = new float[Math.multiplyExact(Math.multiplyExact(nx, ny), nz)];
	}

	int index(final int x, final int y, final int z) {
		return (z * ny + y) * nx + x;
	}

	/** Trilinear interpolation at a continuous index position; positions outside are clamped to the border. */
	float sample(double x, double y, double z) {
		x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
		y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
		z = z < 0 ? 0 : z > nz - 1 ? nz - 1 : z;
		int x0 = (int) x, y0 = (int) y, z0 = (int) z;
		if (x0 == nx - 1 && nx > 1) x0--;
		if (y0 == ny - 1 && ny > 1) y0--;
		if (z0 == nz - 1 && nz > 1) z0--;
		final double fx = x - x0, fy = y - y0, fz = z - z0;
		final int dx = nx > 1 ? 1 : 0, dy = ny > 1 ? nx : 0, dz = nz > 1 ? nx * ny : 0;
		final int i = (z0 * ny + y0) * nx + x0;
		final float[] d = data;
		final double c00 = d[i] + fx * (d[i + dx] - d[i]);
		final double c10 = d[i + dy] + fx * (d[i + dy + dx] - d[i + dy]);
		final double c01 = d[i + dz] + fx * (d[i + dz + dx] - d[i + dz]);
		final double c11 = d[i + dz + dy] + fx * (d[i + dz + dy + dx] - d[i + dz + dy]);
		final double c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
		return (float) (c0 + fz * (c1 - c0));
	}

	/**
	 * Trilinear interpolation without border handling: the caller guarantees
	 * 0 ≤ x &lt; nx − 1 (and likewise y, z), e.g. because the sampled region's
	 * corners are inside and the grid is convex.
	 */
	float sampleInside(final double x, final double y, final double z) {
		final int x0 = (int) x, y0 = (int) y, z0 = (int) z;
		final float fx = (float) (x - x0), fy = (float) (y - y0), fz = (float) (z - z0);
		final int sy = nx, sz = nx * ny;
		final int i = (z0 * ny + y0) * nx + x0;
		final float[] d = data;
		final float c00 = d[i] + fx * (d[i + 1] - d[i]);
		final float c10 = d[i + sy] + fx * (d[i + sy + 1] - d[i + sy]);
		final float c01 = d[i + sz] + fx * (d[i + sz + 1] - d[i + sz]);
		final float c11 = d[i + sz + sy] + fx * (d[i + sz + sy + 1] - d[i + sz + sy]);
		final float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
		return c0 + fz * (c1 - c0);
	}

	/**
	 * Blurs in place with an isotropic Gaussian of the given sigma (in voxels),
	 * clamping at the borders; sigma ≤ 0.05 does nothing.
	 */
	void gaussian(final double sigma) {
		gaussian(sigma, 1);
	}

	/**
	 * {@link #gaussian(double)} on up to {@code threads} threads: x and y
	 * passes plane by plane, the z pass row by row (each through an (x, z) slab
	 * buffer), so no full copy of the grid is needed and the result does not
	 * depend on the thread count.
	 */
	void gaussian(final double sigma, final int threads) {
		if (!(sigma > 0.05)) return;
		final float[] k = kernel(sigma);
		final int r = k.length / 2;
		final int np = nx * ny;
		Slices.run(nz, threads, z -> blurPlaneXY(data, z * np, nx, ny, k));
		Slices.run(ny, threads, y -> {
			// z: the (x, z) slab of row y, convolved along z with whole x-runs
			final float[] slab = new float[nx * nz], out = new float[nx];
			for (int z = 0; z < nz; z++)
				System.arraycopy(data, z * np + y * nx, slab, z * nx, nx);
			for (int z = 0; z < nz; z++) {
				java.util.Arrays.fill(out, 0f);
				for (int j = -r; j <= r; j++) {
					final int zs = Math.min(nz - 1, Math.max(0, z + j));
					final float w = k[j + r];
					final int s = zs * nx;
					for (int x = 0; x < nx; x++)
						out[x] += w * slab[s + x];
				}
				System.arraycopy(out, 0, data, z * np + y * nx, nx);
			}
		});
	}

	/** The x and y passes of {@link #gaussian(double, int)} on the nx × ny plane of {@code data} from {@code off}, in place. */
	static void blurPlaneXY(final float[] data, final int off, final int nx, final int ny, final float[] k) {
		final int r = k.length / 2, np = nx * ny;
		final float[] line = new float[nx + 2 * r];
		for (int y = 0; y < ny; y++)
			convolveLine(data, off + y * nx, 1, nx, k, line);
		// y: accumulate whole rows within the plane
		final float[] plane = new float[np];
		for (int y = 0; y < ny; y++)
			for (int j = -r; j <= r; j++) {
				final int ys = Math.min(ny - 1, Math.max(0, y + j));
				final float w = k[j + r];
				final int src = off + ys * nx, dst = y * nx;
				for (int x = 0; x < nx; x++)
					plane[dst + x] += w * data[src + x];
			}
		System.arraycopy(plane, 0, data, off, np);
	}

	private static void convolveLine(final float[] d, final int start, final int stride, final int n, final float[] k,
		final float[] line)
	{
		final int r = k.length / 2;
		for (int i = -r; i < n + r; i++)
			line[i + r] = d[start + stride * Math.min(n - 1, Math.max(0, i))];
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int j = 0; j < k.length; j++)
				s += k[j] * line[i + j];
			d[start + stride * i] = (float) s;
		}
	}

	/** A normalised Gaussian kernel of radius ceil(3 sigma). */
	static float[] kernel(final double sigma) {
		final int r = Math.max(1, (int) Math.ceil(3 * sigma));
		final float[] k = new float[2 * r + 1];
		double sum = 0;
		for (int i = -r; i <= r; i++)
			sum += Math.exp(-0.5 * i * i / (sigma * sigma));
		for (int i = -r; i <= r; i++)
			k[i + r] = (float) (Math.exp(-0.5 * i * i / (sigma * sigma)) / sum);
		return k;
	}
}
