package org.osteocast.mesh;

import java.util.Arrays;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * Iso-surface extraction by marching tetrahedra: each voxel cube (8 samples) is
 * split into six tetrahedra around its main diagonal, and each tetrahedron that
 * the iso-level crosses contributes one or two triangles with vertices
 * interpolated linearly along its edges. Neighbouring cubes split their shared
 * faces the same way, so the surface is closed (watertight) wherever it does
 * not leave the volume; padding with a border below the level closes it there
 * too. Compared with marching cubes it needs no case tables and has no
 * ambiguous faces, at the cost of about twice as many triangles.
 * <p>
 * Coordinates are in physical units: voxel index × voxel size (µm).
 */
public final class MarchingTetrahedra {

	private MarchingTetrahedra() {}

	/** Cube corner offsets (x, y, z) for corners 0..7. */
	private static final int[][] CORNER = { { 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 0 }, { 0, 1, 0 }, { 0, 0, 1 },
		{ 1, 0, 1 }, { 1, 1, 1 }, { 0, 1, 1 } };

	/** Six tetrahedra sharing the diagonal 0–6 (a consistent split of every cube). */
	private static final int[][] TETS = { { 0, 5, 1, 6 }, { 0, 1, 2, 6 }, { 0, 2, 3, 6 }, { 0, 3, 7, 6 },
		{ 0, 7, 4, 6 }, { 0, 4, 5, 6 } };

	/**
	 * Extracts the surface {@code value = level}; inside is {@code value > level}.
	 * Voxels outside the image count as below the level, so objects touching the
	 * border are closed.
	 *
	 * @param voxelSize physical size of a voxel (x, y, z)
	 */
	public static <T extends RealType<T>> Mesh extract(final RandomAccessibleInterval<T> image, final double level,
		final double[] voxelSize)
	{
		final int w = (int) image.dimension(0), h = (int) image.dimension(1), d = (int) image.dimension(2);
		final long[] min = image.minAsLongArray();
		// two padded z-planes of samples, so the cube loop reads arrays only
		final int pw = w + 2, ph = h + 2;
		float[] below = new float[pw * ph], above = new float[pw * ph];
		// beyond the border: the image's minimum if it is background, so a binary
		// mask's surface lies half-way between samples there as everywhere else
		final float outside = (float) Math.min(level - 1e-3, minimum(image));
		final RandomAccess<T> ra = image.randomAccess();
		final Mesh mesh = new Mesh();
		fillPlane(ra, min, w, h, d, -1, below, outside);
		final float[] v = new float[8];
		final double[][] p = new double[8][3];
		for (int z = -1; z < d; z++) {
			fillPlane(ra, min, w, h, d, z + 1, above, outside);
			for (int y = -1; y < h; y++)
				for (int x = -1; x < w; x++) {
					int inside = 0;
					for (int c = 0; c < 8; c++) {
						final int cx = x + CORNER[c][0] + 1, cy = y + CORNER[c][1] + 1;
						v[c] = (CORNER[c][2] == 0 ? below : above)[cy * pw + cx];
						if (v[c] > level) inside++;
					}
					if (inside == 0 || inside == 8) continue;
					for (int c = 0; c < 8; c++) {
						p[c][0] = (x + CORNER[c][0]) * voxelSize[0];
						p[c][1] = (y + CORNER[c][1]) * voxelSize[1];
						p[c][2] = (z + CORNER[c][2]) * voxelSize[2];
					}
					for (final int[] t : TETS)
						tetrahedron(mesh, level, t, v, p);
				}
			final float[] tmp = below;
			below = above;
			above = tmp;
		}
		return mesh;
	}

	private static <T extends RealType<T>> double minimum(final RandomAccessibleInterval<T> image) {
		double m = Double.POSITIVE_INFINITY;
		for (final T t : net.imglib2.view.Views.iterable(image))
			m = Math.min(m, t.getRealDouble());
		return m;
	}

	private static <T extends RealType<T>> void fillPlane(final RandomAccess<T> ra, final long[] min, final int w,
		final int h, final int d, final int z, final float[] plane, final float outside)
	{
		Arrays.fill(plane, outside);
		if (z < 0 || z >= d) return;
		final int pw = w + 2;
		for (int y = 0; y < h; y++) {
			ra.setPosition(new long[] { min[0], min[1] + y, min[2] + z });
			for (int x = 0; x < w; x++) {
				plane[(y + 1) * pw + x + 1] = ra.get().getRealFloat();
				ra.fwd(0);
			}
		}
	}

	/** Emits the triangles of one tetrahedron (corner indices {@code t} into the cube). */
	private static void tetrahedron(final Mesh mesh, final double level, final int[] t, final float[] v,
		final double[][] p)
	{
		int mask = 0;
		for (int i = 0; i < 4; i++)
			if (v[t[i]] > level) mask |= 1 << i;
		if (mask == 0 || mask == 15) return;
		final int insideCount = Integer.bitCount(mask);
		if (insideCount == 1 || insideCount == 3) {
			// one corner differs from the other three: one triangle around it
			final int lone = insideCount == 1 ? Integer.numberOfTrailingZeros(mask) : Integer.numberOfTrailingZeros(~mask &
				15);
			final int[] others = new int[3];
			for (int i = 0, k = 0; i < 4; i++)
				if (i != lone) others[k++] = i;
			final double[] a = cut(level, t[lone], t[others[0]], v, p), b = cut(level, t[lone], t[others[1]], v, p), c = cut(
				level, t[lone], t[others[2]], v, p);
			orient(mesh, a, b, c, p[t[lone]], insideCount == 1);
		}
		else {
			// two inside, two outside: a quad, as two triangles
			final int[] in = new int[2], out = new int[2];
			for (int i = 0, ki = 0, ko = 0; i < 4; i++)
				if ((mask & (1 << i)) != 0) in[ki++] = i;
				else out[ko++] = i;
			final double[] q0 = cut(level, t[in[0]], t[out[0]], v, p), q1 = cut(level, t[in[0]], t[out[1]], v, p),
					q2 = cut(level, t[in[1]], t[out[1]], v, p), q3 = cut(level, t[in[1]], t[out[0]], v, p);
			final double[] insidePoint = mid(p[t[in[0]]], p[t[in[1]]]);
			orient(mesh, q0, q1, q2, insidePoint, true);
			orient(mesh, q0, q2, q3, insidePoint, true);
		}
	}

	private static double[] mid(final double[] a, final double[] b) {
		return new double[] { (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2 };
	}

	/** The point on edge (i, j) where the interpolated value equals the level. */
	private static double[] cut(final double level, final int i0, final int j0, final float[] v, final double[][] p) {
		// interpolate in a canonical direction so that the cubes and tetrahedra sharing
		// this edge compute bit-identical vertices (the mesh stays watertight)
		final boolean swap = compare(p[i0], p[j0]) > 0;
		final int i = swap ? j0 : i0, j = swap ? i0 : j0;
		final double f = (level - v[i]) / (v[j] - v[i]);
		return new double[] { p[i][0] + f * (p[j][0] - p[i][0]), p[i][1] + f * (p[j][1] - p[i][1]), p[i][2] + f * (p[j][2] -
			p[i][2]) };
	}

	private static int compare(final double[] a, final double[] b) {
		for (int k = 2; k >= 0; k--) {
			final int c = Double.compare(a[k], b[k]);
			if (c != 0) return c;
		}
		return 0;
	}

	/**
	 * Adds triangle (a, b, c) with its normal pointing away from the inside:
	 * {@code reference} is a point inside when {@code referenceInside}, else outside.
	 */
	private static void orient(final Mesh mesh, final double[] a, final double[] b, final double[] c,
		final double[] reference, final boolean referenceInside)
	{
		final double ux = b[0] - a[0], uy = b[1] - a[1], uz = b[2] - a[2];
		final double vx = c[0] - a[0], vy = c[1] - a[1], vz = c[2] - a[2];
		final double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
		final double dot = nx * (reference[0] - a[0]) + ny * (reference[1] - a[1]) + nz * (reference[2] - a[2]);
		final boolean pointsToReference = dot > 0;
		// outward normal: away from an inside reference, towards an outside one
		if (pointsToReference == referenceInside) mesh.add(a, c, b);
		else mesh.add(a, b, c);
	}
}
