package org.osteocast.register;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.osteocast.core.Parallel;
import org.osteocast.io.Volume;

/**
 * A 3-D float image in one flat array (x fastest, then y, then z) with its
 * voxel size in µm: the working representation of the registration.
 * <p>
 * Why not imglib2 views: the optimiser samples the moving image millions of
 * times per iteration; a hand-written trilinear lookup on a flat
 * {@code float[]} is several times faster than
 * {@code RealViews.affine(Views.interpolate(...))} with a
 * {@code NLinearInterpolatorFactory} (no per-sample object access, no bounds
 * dispatch), and it lets each thread sample independently without
 * {@code RealRandomAccess} copies.
 */
public final class FloatGrid {

	public final float[] data;
	public final int nx, ny, nz;
	/** Voxel size (x, y, z) in µm. */
	public final double[] vs;

	FloatGrid(final float[] data, final int nx, final int ny, final int nz, final double[] vs) {
		if ((long) nx * ny * nz != data.length) throw new IllegalArgumentException("size mismatch");
		this.data = data;
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.vs = vs.clone();
	}

	long size() {
		return data.length;
	}

	int[] dims() {
		return new int[] { nx, ny, nz };
	}

	/** A float copy of any volume; planar 8/16/32-bit images are read plane by plane (fast path). */
	public static FloatGrid of(final Volume<?> v) {
		return copy(v.image(), v.voxelSizeUm());
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static FloatGrid copy(final RandomAccessibleInterval img, final double[] vs) {
		final long[] d = new long[3];
		img.dimensions(d);
		final long n = d[0] * d[1] * d[2];
		if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("volume too large for registration (" + d[0] +
			"x" + d[1] + "x" + d[2] + " voxels; at most 2^31 are supported)");
		final int nx = (int) d[0], ny = (int) d[1], nz = (int) d[2];
		final float[] out = new float[(int) n];
		final int plane = nx * ny;
		boolean zeroMin = true;
		for (int i = 0; i < 3; i++)
			zeroMin &= img.min(i) == 0;
		if (zeroMin && img instanceof PlanarImg) {
			final PlanarImg<?, ?> p = (PlanarImg<?, ?>) img;
			final Object t = img.getType();
			final Object first = p.getPlane(0);
			if (first instanceof ByteArray && t instanceof UnsignedByteType) {
				for (int z = 0; z < nz; z++) {
					final byte[] a = ((ByteArray) p.getPlane(z)).getCurrentStorageArray();
					for (int i = 0, o = z * plane; i < plane; i++)
						out[o + i] = a[i] & 0xff;
				}
				return new FloatGrid(out, nx, ny, nz, vs);
			}
			if (first instanceof ShortArray && t instanceof UnsignedShortType) {
				for (int z = 0; z < nz; z++) {
					final short[] a = ((ShortArray) p.getPlane(z)).getCurrentStorageArray();
					for (int i = 0, o = z * plane; i < plane; i++)
						out[o + i] = a[i] & 0xffff;
				}
				return new FloatGrid(out, nx, ny, nz, vs);
			}
			if (first instanceof FloatArray && t instanceof FloatType) {
				for (int z = 0; z < nz; z++)
					System.arraycopy(((FloatArray) p.getPlane(z)).getCurrentStorageArray(), 0, out, z * plane, plane);
				return new FloatGrid(out, nx, ny, nz, vs);
			}
		}
		final Cursor<? extends RealType<?>> c = Views.flatIterable((RandomAccessibleInterval<? extends RealType<?>>) Views
			.zeroMin(img)).cursor();
		for (int i = 0; c.hasNext(); i++)
			out[i] = c.next().getRealFloat();
		return new FloatGrid(out, nx, ny, nz, vs);
	}

	/**
	 * Trilinear value at the voxel-index position (x, y, z); positions outside
	 * [0, n-1] in any axis give NaN (the caller decides what "outside" means).
	 */
	float sample(final double x, final double y, final double z) {
		if (!(x >= 0 && y >= 0 && z >= 0 && x <= nx - 1 && y <= ny - 1 && z <= nz - 1)) return Float.NaN;
		int ix = (int) x, iy = (int) y, iz = (int) z;
		if (ix >= nx - 1) ix = Math.max(0, nx - 2);
		if (iy >= ny - 1) iy = Math.max(0, ny - 2);
		if (iz >= nz - 1) iz = Math.max(0, nz - 2);
		final float fx = (float) (x - ix), fy = (float) (y - iy), fz = (float) (z - iz);
		final int sx = nx > 1 ? 1 : 0, sy = ny > 1 ? nx : 0, sz = nz > 1 ? nx * ny : 0;
		final int i = ix + nx * (iy + ny * iz);
		final float[] d = data;
		final float c00 = d[i] + fx * (d[i + sx] - d[i]);
		final float c10 = d[i + sy] + fx * (d[i + sy + sx] - d[i + sy]);
		final float c01 = d[i + sz] + fx * (d[i + sz + sx] - d[i + sz]);
		final float c11 = d[i + sz + sy] + fx * (d[i + sz + sy + sx] - d[i + sz + sy]);
		final float c0 = c00 + fy * (c10 - c00);
		final float c1 = c01 + fy * (c11 - c01);
		return c0 + fz * (c1 - c0);
	}

	/**
	 * Gaussian smoothing with per-axis sigma (in voxels of this grid) followed by
	 * keeping every {@code f[d]}-th voxel: the pyramid step. Voxel i of the
	 * result sits exactly on voxel {@code f·i} of this grid (no half-voxel
	 * shift), so level coordinates are {@code index · f · voxelSize} µm.
	 * Separable, parallel over lines, borders clamped.
	 */
	FloatGrid smoothDownsample(final double[] sigma, final int[] f, final ExecutorService pool) {
		FloatGrid g = this;
		for (int axis = 0; axis < 3; axis++)
			g = g.pass(axis, sigma[axis], f[axis], pool);
		final double[] v = new double[3];
		for (int d = 0; d < 3; d++)
			v[d] = vs[d] * f[d];
		return new FloatGrid(g.data, g.nx, g.ny, g.nz, v);
	}

	/** One separable pass along {@code axis}: smooth, then subsample by {@code f}. */
	private FloatGrid pass(final int axis, final double sigma, final int f, final ExecutorService pool) {
		if (sigma <= 0.05 && f == 1) return this;
		final int[] n = dims();
		final int len = n[axis];
		final int outLen = (len - 1) / f + 1;
		final int[] m = n.clone();
		m[axis] = outLen;
		final float[] kernel = kernel(sigma);
		final int r = kernel.length / 2;
		final float[] out = new float[m[0] * m[1] * m[2]];
		final int stride = axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
		final int outStride = axis == 0 ? 1 : axis == 1 ? m[0] : m[0] * m[1];
		// enumerate lines by the two other axes
		final int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
		final int lines = n[a1] * n[a2];
		final int[] st = { 1, nx, nx * ny };
		final int[] ost = { 1, m[0], m[0] * m[1] };
		parallelFor(pool, lines, (lo, hi) -> {
			final float[] line = new float[len];
			for (int l = lo; l < hi; l++) {
				final int i1 = l % n[a1], i2 = l / n[a1];
				final int base = i1 * st[a1] + i2 * st[a2];
				final int obase = i1 * ost[a1] + i2 * ost[a2];
				for (int i = 0; i < len; i++)
					line[i] = data[base + i * stride];
				for (int o = 0; o < outLen; o++) {
					final int c = o * f;
					float s = 0;
					if (c - r >= 0 && c + r < len) {
						for (int k = -r; k <= r; k++)
							s += kernel[k + r] * line[c + k];
					}
					else {
						for (int k = -r; k <= r; k++) {
							int p = c + k;
							if (p < 0) p = 0;
							else if (p >= len) p = len - 1;
							s += kernel[k + r] * line[p];
						}
					}
					out[obase + o * outStride] = s;
				}
			}
		});
		return new FloatGrid(out, m[0], m[1], m[2], vs);
	}

	static float[] kernel(final double sigma) {
		if (sigma <= 0.05) return new float[] { 1 };
		final int r = Math.max(1, (int) Math.ceil(3 * sigma));
		final float[] k = new float[2 * r + 1];
		double sum = 0;
		for (int i = -r; i <= r; i++)
			sum += k[i + r] = (float) Math.exp(-0.5 * i * i / (sigma * sigma));
		for (int i = 0; i < k.length; i++)
			k[i] /= sum;
		return k;
	}

	/** A loop body over [lo, hi). */
	@FunctionalInterface
	interface Range {
		void run(int lo, int hi);
	}

	/** Runs {@code body} over [0, n) in up to 64 chunks on {@code pool} (inline without a pool or for tiny n). */
	static void parallelFor(final ExecutorService pool, final int n, final Range body) {
		if (pool == null || n < 64) {
			body.run(0, n);
			return;
		}
		final int chunks = Math.min(n, 64);
		final List<Future<?>> fs = new ArrayList<>();
		for (int c = 0; c < chunks; c++) {
			final int lo = (int) ((long) n * c / chunks), hi = (int) ((long) n * (c + 1) / chunks);
			fs.add(pool.submit(() -> body.run(lo, hi)));
		}
		join(fs);
	}

	static void join(final List<Future<?>> fs) {
		Parallel.join(fs);
	}
}
