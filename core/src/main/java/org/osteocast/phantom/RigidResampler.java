package org.osteocast.phantom;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.osteocast.io.Volume;

/**
 * Resamples a moving volume onto a fixed voxel grid through an affine voxel
 * matrix (the {@code moving_to_fixed_voxel_xyz} of the transform-file
 * contract) with trilinear interpolation. Used to check the phantom's ground
 * truth and to draw its montage; a small stand-alone resampler so that the
 * phantom does not depend on the registration package it is meant to test.
 */
public final class RigidResampler {

	private RigidResampler() {}

	/**
	 * For every fixed voxel q, samples the moving volume at
	 * {@code inverse(movingToFixed) · q}; positions outside the moving volume
	 * get {@code outside} (use NaN to mark them).
	 *
	 * @param movingToFixedVoxel 4 × 4 (or 3 × 4) voxel matrix, moving → fixed
	 * @param fixedDims size of the fixed grid (x, y, z)
	 * @return a new float volume with the moving volume's calibration
	 */
	public static <T extends RealType<T>> Volume<FloatType> resample(final Volume<T> moving,
		final double[][] movingToFixedVoxel, final long[] fixedDims, final double outside)
	{
		final double[][] m = new double[4][];
		for (int i = 0; i < 3; i++)
			m[i] = movingToFixedVoxel[i].clone();
		m[3] = new double[] { 0, 0, 0, 1 };
		final double[][] inv = Rigid.invert(m);
		final RandomAccessibleInterval<T> src = Views.zeroMin(moving.image());
		final int sx = Math.toIntExact(src.dimension(0)), sy = Math.toIntExact(src.dimension(1)), sz = Math.toIntExact(src
			.dimension(2));
		// one pass into a flat array, then allocation-free interpolation
		final FloatGrid g = new FloatGrid(sx, sy, sz);
		int j = 0;
		for (final T t : Views.flatIterable(src))
			g.data[j++] = t.getRealFloat();
		final ArrayImg<FloatType, FloatArray> out = ArrayImgs.floats(fixedDims);
		final float[] o = out.update(null).getCurrentStorageArray();
		final int fx = Math.toIntExact(fixedDims[0]), fy = Math.toIntExact(fixedDims[1]), fz = Math.toIntExact(
			fixedDims[2]);
		int i = 0;
		for (int z = 0; z < fz; z++)
			for (int y = 0; y < fy; y++)
				for (int x = 0; x < fx; x++) {
					final double px = inv[0][0] * x + inv[0][1] * y + inv[0][2] * z + inv[0][3];
					final double py = inv[1][0] * x + inv[1][1] * y + inv[1][2] * z + inv[1][3];
					final double pz = inv[2][0] * x + inv[2][1] * y + inv[2][2] * z + inv[2][3];
					o[i++] = px < -0.5 || py < -0.5 || pz < -0.5 || px > sx - 0.5 || py > sy - 0.5 || pz > sz - 0.5
						? (float) outside : g.sample(px, py, pz);
				}
		return new Volume<>(out, moving.voxelSizeUm(), moving.originUm(), moving.name());
	}

	/** Trilinear value at a continuous position, or {@code outside} beyond the grid (half a voxel of slack). */
	static <T extends RealType<T>> double trilinear(final RandomAccess<T> ra, final long nx, final long ny,
		final long nz, double x, double y, double z, final double outside)
	{
		if (x < -0.5 || y < -0.5 || z < -0.5 || x > nx - 0.5 || y > ny - 0.5 || z > nz - 0.5) return outside;
		x = Math.max(0, Math.min(nx - 1, x));
		y = Math.max(0, Math.min(ny - 1, y));
		z = Math.max(0, Math.min(nz - 1, z));
		final long x0 = Math.min((long) x, Math.max(0, nx - 2)), y0 = Math.min((long) y, Math.max(0, ny - 2)),
				z0 = Math.min((long) z, Math.max(0, nz - 2));
		final double fx = x - x0, fy = y - y0, fz = z - z0;
		double s = 0;
		for (int dz = 0; dz < 2; dz++)
			for (int dy = 0; dy < 2; dy++)
				for (int dx = 0; dx < 2; dx++) {
					final double w = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy) * (dz == 0 ? 1 - fz : fz);
					if (w == 0) continue;
					ra.setPosition(Math.min(nx - 1, x0 + dx), 0);
					ra.setPosition(Math.min(ny - 1, y0 + dy), 1);
					ra.setPosition(Math.min(nz - 1, z0 + dz), 2);
					s += w * ra.get().getRealDouble();
				}
		return s;
	}
}
