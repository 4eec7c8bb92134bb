package org.osteocast.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Local thickness (Hildebrand &amp; Rüegsegger 1997, as in BoneJ's
 * "Thickness"): the diameter of the largest sphere that fits inside the
 * structure and contains the voxel. Built on the exact Euclidean distance
 * transform with anisotropic voxels (Felzenszwalb &amp; Huttenlocher's
 * separable algorithm), then every ridge sphere is painted, largest value wins.
 */
public final class LocalThickness {

	private LocalThickness() {}

	/**
	 * @param mask foreground per plane (planes z, index y * w + x)
	 * @param voxel voxel size (x, y, z) in µm
	 * @return local thickness in µm (0 outside the mask)
	 */
	public static float[][] compute(final boolean[][] mask, final int w, final int h, final double[] voxel) {
		final int d = mask.length;
		final double[][] dt = distanceSquared(mask, w, h, voxel);
		// ridge: voxels whose distance is not exceeded by any 26-neighbour's
		final List<int[]> ridge = new ArrayList<>();
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					final double v = dt[z][y * w + x];
					if (v <= 0) continue;
					boolean max = true;
					for (int dz = -1; dz <= 1 && max; dz++)
						for (int dy = -1; dy <= 1 && max; dy++)
							for (int dx = -1; dx <= 1 && max; dx++) {
								final int xx = x + dx, yy = y + dy, zz = z + dz;
								if ((dx | dy | dz) == 0 || xx < 0 || yy < 0 || zz < 0 || xx >= w || yy >= h || zz >= d) continue;
								if (dt[zz][yy * w + xx] > v) max = false;
							}
					if (max) ridge.add(new int[] { x, y, z });
				}
		final float[][] out = new float[d][w * h];
		for (final int[] p : ridge) {
			final double r2 = dt[p[2]][p[1] * w + p[0]], r = Math.sqrt(r2);
			final float diameter = (float) (2 * r);
			final int rx = (int) Math.ceil(r / voxel[0]), ry = (int) Math.ceil(r / voxel[1]), rz = (int) Math.ceil(r /
				voxel[2]);
			for (int dz = -rz; dz <= rz; dz++) {
				final int z = p[2] + dz;
				if (z < 0 || z >= d) continue;
				final double ez = dz * voxel[2];
				for (int dy = -ry; dy <= ry; dy++) {
					final int y = p[1] + dy;
					if (y < 0 || y >= h) continue;
					final double ey = dy * voxel[1];
					for (int dx = -rx; dx <= rx; dx++) {
						final int x = p[0] + dx;
						if (x < 0 || x >= w) continue;
						final double ex = dx * voxel[0];
						final int i = y * w + x;
						if (ex * ex + ey * ey + ez * ez < r2 && mask[z][i] && out[z][i] < diameter) out[z][i] = diameter;
					}
				}
			}
		}
		return out;
	}

	/**
	 * Squared Euclidean distance (µm²) from each foreground voxel to the nearest
	 * background voxel; voxels beyond the volume count as background.
	 */
	public static double[][] distanceSquared(final boolean[][] mask, final int w, final int h, final double[] voxel) {
		final int d = mask.length;
		final double inf = 1e30;
		final double[][] f = new double[d][w * h];
		for (int z = 0; z < d; z++)
			for (int i = 0; i < w * h; i++)
				f[z][i] = mask[z][i] ? inf : 0;
		final int n = Math.max(w, Math.max(h, d)) + 2;
		final double[] line = new double[n], out = new double[n];
		final int[] v = new int[n];
		final double[] zb = new double[n + 1];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++)
					line[x + 1] = f[z][y * w + x];
				line[0] = line[w + 1] = 0;
				transform(line, w + 2, voxel[0], out, v, zb);
				for (int x = 0; x < w; x++)
					f[z][y * w + x] = out[x + 1];
			}
		for (int z = 0; z < d; z++)
			for (int x = 0; x < w; x++) {
				for (int y = 0; y < h; y++)
					line[y + 1] = f[z][y * w + x];
				line[0] = line[h + 1] = 0;
				transform(line, h + 2, voxel[1], out, v, zb);
				for (int y = 0; y < h; y++)
					f[z][y * w + x] = out[y + 1];
			}
		for (int i = 0; i < w * h; i++) {
			for (int z = 0; z < d; z++)
				line[z + 1] = f[z][i];
			line[0] = line[d + 1] = 0;
			transform(line, d + 2, voxel[2], out, v, zb);
			for (int z = 0; z < d; z++)
				f[z][i] = out[z + 1];
		}
		return f;
	}

	/** 1-D squared distance transform of sampled function f with sample spacing s (lower envelope of parabolas). */
	private static void transform(final double[] f, final int n, final double s, final double[] out, final int[] v,
		final double[] z)
	{
		// lower envelope of the parabolas of finite samples (f[0] = 0 is always finite)
		int k = 0;
		v[0] = 0;
		z[0] = Double.NEGATIVE_INFINITY;
		z[1] = Double.POSITIVE_INFINITY;
		for (int q = 1; q < n; q++) {
			if (f[q] >= 1e29) continue; // an infinite parabola never touches the envelope
			double sx;
			while (true) {
				final double pq = q * s, pv = v[k] * s;
				sx = ((f[q] + pq * pq) - (f[v[k]] + pv * pv)) / (2 * (pq - pv));
				if (sx <= z[k] && k > 0) k--;
				else break;
			}
			if (sx <= z[k]) { // k == 0 and the new parabola is below everywhere
				v[0] = q;
				z[0] = Double.NEGATIVE_INFINITY;
				z[1] = Double.POSITIVE_INFINITY;
				continue;
			}
			k++;
			v[k] = q;
			z[k] = sx;
			z[k + 1] = Double.POSITIVE_INFINITY;
		}
		k = 0;
		for (int q = 0; q < n; q++) {
			while (z[k + 1] < q * s)
				k++;
			final double dq = (q - v[k]) * s;
			out[q] = dq * dq + f[v[k]];
		}
	}
}
