package org.osteocast.register;

import java.util.concurrent.ExecutorService;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.planar.PlanarImgFactory;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.osteocast.core.Parallel;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.Volume;

/**
 * Resamples a scan onto another scan's grid through a rigid (or any affine)
 * voxel transform, with trilinear interpolation.
 * <p>
 * Hand-written over a flat float copy rather than
 * {@code RealViews.affine(Views.interpolate(...))}: it is several times faster
 * for whole volumes and parallelises by slices without per-thread accessors.
 */
public final class Resampler {

	private Resampler() {}

	/**
	 * The moving scan on the fixed scan's grid: output voxel x shows moving
	 * position {@code movingToFixedVoxel⁻¹ · x}. Voxels that map outside the
	 * moving scan are 0. The result has the moving scan's pixel type (values
	 * rounded for integer types; trilinear values never leave the input's
	 * range), the fixed scan's dimensions and calibration, and the moving
	 * scan's name. It is a new planar image owned by the caller.
	 *
	 * @param movingToFixedVoxel 4 × 4 (or 3 × 4) voxel-index matrix, moving → fixed
	 * @param fixedGrid only its dimensions, voxel size and origin are used
	 */
	public static <T extends RealType<T>> Volume<T> resample(final Volume<T> moving,
		final double[][] movingToFixedVoxel, final Volume<?> fixedGrid)
	{
		return resample(moving, movingToFixedVoxel, fixedGrid, Parallel.threads());
	}

	/** As {@link #resample(Volume, double[][], Volume)} with an explicit thread count. */
	public static <T extends RealType<T>> Volume<T> resample(final Volume<T> moving,
		final double[][] movingToFixedVoxel, final Volume<?> fixedGrid, final int threads)
	{
		return resample(moving, movingToFixedVoxel, fixedGrid, threads, Runtime.getRuntime().maxMemory());
	}

	/**
	 * As {@link #resample(Volume, double[][], Volume, int)}; a scan read plane
	 * by plane is resampled through a window sized from {@code heapBytes}, the
	 * heap this registration may use ({@link RegistrationParameters#heapBytes}).
	 */
	public static <T extends RealType<T>> Volume<T> resample(final Volume<T> moving,
		final double[][] movingToFixedVoxel, final Volume<?> fixedGrid, final int threads, final long heapBytes)
	{
		if (LazyVolume.isLazy(moving)) return lazy(moving, movingToFixedVoxel, fixedGrid, threads, heapBytes);
		final PlaneSource m = PlaneSource.of(moving);
		final T type = moving.type().createVariable();
		final Img<T> out = create(type, fixedGrid.dimensions());
		final double[][] full = RigidTransforms.copy(movingToFixedVoxel.length == 4 ? movingToFixedVoxel
			: new double[][] { movingToFixedVoxel[0], movingToFixedVoxel[1], movingToFixedVoxel[2], { 0, 0, 0, 1 } });
		final double[][] a = RigidTransforms.invert(full);
		final int nx = Math.toIntExact(fixedGrid.width()), ny = Math.toIntExact(fixedGrid.height()), nz = Math
			.toIntExact(fixedGrid.depth());
		final boolean integer = !(type instanceof FloatType) && type.getMaxValue() - type.getMinValue() < 1e10;
		final double lo = type.getMinValue(), hi = type.getMaxValue();
		// plane by plane: each thread computes one output plane into a float buffer, then writes it
		final ExecutorService pool = threads > 1 && nz > 1 ? Parallel.pool("resample", threads) : null;
		try {
			FloatGrid.parallelFor(pool, nz, (z0, z1) -> {
				final float[] buf = new float[nx * ny];
				for (int z = z0; z < z1; z++) {
					for (int y = 0, i = 0; y < ny; y++) {
						final double bx = a[0][1] * y + a[0][2] * z + a[0][3];
						final double by = a[1][1] * y + a[1][2] * z + a[1][3];
						final double bz = a[2][1] * y + a[2][2] * z + a[2][3];
						for (int x = 0; x < nx; x++, i++) {
							final float v = m.sample(a[0][0] * x + bx, a[1][0] * x + by, a[2][0] * x + bz);
							buf[i] = Float.isNaN(v) ? 0 : v;
						}
					}
					final Cursor<T> c = Views.flatIterable(Views.hyperSlice(out, 2, z)).cursor();
					for (int i = 0; c.hasNext(); i++) {
						double v = buf[i];
						if (integer) v = Math.max(lo, Math.min(hi, Math.round(v)));
						c.next().setReal(v);
					}
				}
			});
		}
		finally {
			if (pool != null) pool.shutdownNow();
		}
		return new Volume<>(out, fixedGrid.voxelSizeUm(), fixedGrid.originUm(), moving.name());
	}

	/**
	 * The resampled scan as a {@link LazyVolume} whose planes are computed when
	 * read (in z order by a writer): the moving scan is read through a bounded
	 * window of planes and the result is never whole in memory. Values as in
	 * the eager path.
	 */
	@SuppressWarnings("unchecked")
	static <T extends RealType<T>> Volume<T> lazy(final Volume<T> moving, final double[][] movingToFixedVoxel,
		final Volume<?> fixedGrid, final int threads, final long heapBytes)
	{
		final PlaneSource m = PlaneSource.lazy(moving, PlaneSource.windowBytes(heapBytes));
		final T type = moving.type().createVariable();
		final double[][] full = RigidTransforms.copy(movingToFixedVoxel.length == 4 ? movingToFixedVoxel
			: new double[][] { movingToFixedVoxel[0], movingToFixedVoxel[1], movingToFixedVoxel[2], { 0, 0, 0, 1 } });
		final double[][] a = RigidTransforms.invert(full);
		final int nx = Math.toIntExact(fixedGrid.width()), ny = Math.toIntExact(fixedGrid.height());
		final boolean isFloat = type instanceof FloatType || !(type.getMaxValue() - type.getMinValue() < 1e10) ||
			!(type instanceof UnsignedByteType || type instanceof UnsignedShortType || type instanceof ShortType);
		final double lo = type.getMinValue(), hi = type.getMaxValue();
		final LazyVolume.PlaneReader planes = z -> {
			final float[] buf = new float[nx * ny];
			final int rows = Math.max(1, Math.min(ny, threads * 4));
			Parallel.forEach("resample", rows, threads, b -> {
				final int y0 = (int) ((long) ny * b / rows), y1 = (int) ((long) ny * (b + 1) / rows);
				for (int y = y0; y < y1; y++) {
					final double bx = a[0][1] * y + a[0][2] * z + a[0][3];
					final double by = a[1][1] * y + a[1][2] * z + a[1][3];
					final double bz = a[2][1] * y + a[2][2] * z + a[2][3];
					for (int x = 0, i = y * nx; x < nx; x++, i++) {
						final float v = m.sample(a[0][0] * x + bx, a[1][0] * x + by, a[2][0] * x + bz);
						buf[i] = Float.isNaN(v) ? 0 : v;
					}
				}
			});
			if (isFloat) return buf;
			if (type instanceof UnsignedByteType) {
				final byte[] o = new byte[buf.length];
				for (int i = 0; i < o.length; i++)
					o[i] = (byte) Math.max(lo, Math.min(hi, Math.round(buf[i])));
				return o;
			}
			final short[] o = new short[buf.length];
			for (int i = 0; i < o.length; i++)
				o[i] = (short) Math.max(lo, Math.min(hi, Math.round(buf[i])));
			return o;
		};
		return (Volume<T>) LazyVolume.computed(fixedGrid.dimensions(), type, planes, 4, fixedGrid.voxelSizeUm(),
			fixedGrid.originUm(), moving.name());
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static <T extends RealType<T>> Img<T> create(final T type, final long[] dims) {
		if (type instanceof NativeType) return new PlanarImgFactory((NativeType) type).create(dims);
		throw new IllegalArgumentException("cannot create an image of pixel type " + type.getClass().getSimpleName());
	}
}
