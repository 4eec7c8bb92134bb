package org.osteocast.register;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
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
 * Read access to a volume's voxels plane by plane without a float copy of the
 * whole volume: planar 8-, 16- and 32-bit images are read from their own
 * arrays (a 16-bit scan of 10⁹ voxels would need 4 GB more as floats); a
 * {@link LazyVolume} is read from its file on demand, keeping at most
 * {@link #capacity} planes (the least recently loaded go first), so any loop
 * whose planes of interest move through z holds a bounded window; other
 * images are copied plane by plane into float planes.
 */
final class PlaneSource {

	private static final int BYTE = 0, SHORT = 1, FLOAT = 2, SIGNED = 3;
	/**
	 * Memory of the plane window of a lazy source that samples a rotated scan
	 * (the resampling), in bytes: at most a fifth of the heap a registration
	 * may use ({@link RegistrationParameters#heapBytes}), and 768 MB. Sources
	 * that go through z in order keep the smallest window (see {@link #lazy}).
	 */
	static long windowBytes(final long heapBytes) {
		return Math.min(768L << 20, heapBytes / 5);
	}
	final int nx, ny, nz;
	private final int kind;
	private final Object[] planes;
	/** Lazy sources only: the volume read on demand, the load order and the window capacity in planes. */
	private final Volume<?> lazy;
	private final ArrayDeque<Integer> loaded = new ArrayDeque<>();
	final int capacity;
	private long loads;

	private PlaneSource(final int nx, final int ny, final int nz, final int kind, final Object[] planes) {
		this(nx, ny, nz, kind, planes, null, nz);
	}

	private PlaneSource(final int nx, final int ny, final int nz, final int kind, final Object[] planes,
		final Volume<?> lazy, final int capacity)
	{
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.kind = kind;
		this.planes = planes;
		this.lazy = lazy;
		this.capacity = capacity;
	}

	/** A lazy source holding at most {@code windowBytes} of planes (and never fewer than 16: enough for a z-ordered pass). */
	static PlaneSource lazy(final Volume<?> v, final long windowBytes) {
		final Object t = v.type();
		final int kind = t instanceof UnsignedByteType ? BYTE : t instanceof UnsignedShortType ? SHORT
			: t instanceof ShortType ? SIGNED : FLOAT;
		final int nx = Math.toIntExact(v.width()), ny = Math.toIntExact(v.height()), nz = Math.toIntExact(v.depth());
		final long planeBytes = (long) nx * ny * (kind == BYTE ? 1 : kind == FLOAT ? 4 : 2);
		final int cap = (int) Math.max(16, Math.min(nz, windowBytes / planeBytes));
		return new PlaneSource(nx, ny, nz, kind, new Object[nz], v, cap);
	}

	/** Planes read from the file so far (lazy sources; 0 otherwise). */
	long planesRead() {
		synchronized (loaded) {
			return loads;
		}
	}

	/** Plane z's array: resident, or read into the window (evicting the oldest plane beyond the capacity). */
	private Object array(final int z) {
		final Object p = planes[z];
		return p != null ? p : load(z);
	}

	private Object load(final int z) {
		synchronized (loaded) {
			final Object q = planes[z];
			if (q != null) return q;
			final Object p;
			try {
				p = LazyVolume.readPlane(lazy, z);
			}
			catch (final IOException e) {
				throw new UncheckedIOException(e);
			}
			while (loaded.size() >= capacity)
				planes[loaded.removeFirst()] = null;
			planes[z] = p;
			loaded.addLast(z);
			loads++;
			return p;
		}
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	static PlaneSource of(final Volume<?> v) {
		if (LazyVolume.isLazy(v)) return lazy(v, 0);
		final RandomAccessibleInterval img = v.image();
		final int nx = Math.toIntExact(v.width()), ny = Math.toIntExact(v.height()), nz = Math.toIntExact(v.depth());
		boolean zeroMin = true;
		for (int d = 0; d < 3; d++)
			zeroMin &= img.min(d) == 0;
		if (zeroMin && img instanceof PlanarImg) {
			final PlanarImg<?, ?> p = (PlanarImg<?, ?>) img;
			final Object t = img.getType(), first = p.getPlane(0);
			final Object[] planes = new Object[nz];
			if (first instanceof ByteArray && t instanceof UnsignedByteType) {
				for (int z = 0; z < nz; z++)
					planes[z] = ((ByteArray) p.getPlane(z)).getCurrentStorageArray();
				return new PlaneSource(nx, ny, nz, BYTE, planes);
			}
			if (first instanceof ShortArray && t instanceof UnsignedShortType) {
				for (int z = 0; z < nz; z++)
					planes[z] = ((ShortArray) p.getPlane(z)).getCurrentStorageArray();
				return new PlaneSource(nx, ny, nz, SHORT, planes);
			}
			if (first instanceof FloatArray && t instanceof FloatType) {
				for (int z = 0; z < nz; z++)
					planes[z] = ((FloatArray) p.getPlane(z)).getCurrentStorageArray();
				return new PlaneSource(nx, ny, nz, FLOAT, planes);
			}
		}
		final Object[] planes = new Object[nz];
		final RandomAccessibleInterval<? extends RealType<?>> zm = Views.zeroMin(img);
		for (int z = 0; z < nz; z++) {
			final float[] a = new float[nx * ny];
			final Cursor<? extends RealType<?>> c = Views.flatIterable(Views.hyperSlice(zm, 2, z)).cursor();
			for (int i = 0; c.hasNext(); i++)
				a[i] = c.next().getRealFloat();
			planes[z] = a;
		}
		return new PlaneSource(nx, ny, nz, FLOAT, planes);
	}

	/** Voxel value at plane index {@code i = x + nx·y} of plane z. */
	float get(final int i, final int z) {
		final Object p = array(z);
		switch (kind) {
			case BYTE:
				return ((byte[]) p)[i] & 0xff;
			case SHORT:
				return ((short[]) p)[i] & 0xffff;
			case SIGNED:
				return ((short[]) p)[i];
			default:
				return ((float[]) p)[i];
		}
	}

	/** Plane z as floats (a new array). */
	float[] plane(final int z) {
		final Object p = array(z);
		final float[] a = new float[nx * ny];
		switch (kind) {
			case BYTE:
				for (int i = 0; i < a.length; i++)
					a[i] = ((byte[]) p)[i] & 0xff;
				break;
			case SHORT:
				for (int i = 0; i < a.length; i++)
					a[i] = ((short[]) p)[i] & 0xffff;
				break;
			case SIGNED:
				for (int i = 0; i < a.length; i++)
					a[i] = ((short[]) p)[i];
				break;
			default:
				System.arraycopy(p, 0, a, 0, a.length);
		}
		return a;
	}

	/** Trilinear value at a voxel position; NaN outside [0, n-1]. */
	float sample(final double x, final double y, final double z) {
		if (!(x >= 0 && y >= 0 && z >= 0 && x <= nx - 1 && y <= ny - 1 && z <= nz - 1)) return Float.NaN;
		int ix = (int) x, iy = (int) y, iz = (int) z;
		if (ix >= nx - 1) ix = Math.max(0, nx - 2);
		if (iy >= ny - 1) iy = Math.max(0, ny - 2);
		if (iz >= nz - 1) iz = Math.max(0, nz - 2);
		final float fx = (float) (x - ix), fy = (float) (y - iy), fz = (float) (z - iz);
		final int sx = nx > 1 ? 1 : 0, sy = ny > 1 ? nx : 0;
		final int z1 = nz > 1 ? iz + 1 : iz;
		final int i = ix + nx * iy;
		final float a00 = get(i, iz), a01 = get(i + sx, iz), a10 = get(i + sy, iz), a11 = get(i + sy + sx, iz);
		final float b00 = get(i, z1), b01 = get(i + sx, z1), b10 = get(i + sy, z1), b11 = get(i + sy + sx, z1);
		final float c00 = a00 + fx * (a01 - a00), c10 = a10 + fx * (a11 - a10);
		final float c01 = b00 + fx * (b01 - b00), c11 = b10 + fx * (b11 - b10);
		final float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
		return c0 + fz * (c1 - c0);
	}

	/** As {@link #reduce(int, double[], int)} on one thread. */
	FloatGrid reduce(final int k, final double[] vs) {
		return reduce(k, vs, 1);
	}

	/**
	 * A float grid reduced by the integer factor k per axis: voxel i of the
	 * result is the triangle-filtered (weights k − |d|, the anti-alias filter
	 * of decimation by k) value centred exactly on voxel k·i, so µm positions
	 * stay {@code index · voxelSize}. Each input plane is read once and reduced
	 * in x and y (on {@code threads} threads, a block of planes at a time), then
	 * the planes are summed in z in a fixed order, so the result does not depend
	 * on the thread count. Never a full float copy.
	 */
	FloatGrid reduce(final int k, final double[] vs, final int threads) {
		if (k <= 1) {
			final float[] all = new float[Math.multiplyExact(nx * ny, nz)];
			for (int z = 0; z < nz; z++)
				System.arraycopy(plane(z), 0, all, z * nx * ny, nx * ny);
			return new FloatGrid(all, nx, ny, nz, vs);
		}
		final int mx = (nx - 1) / k + 1, my = (ny - 1) / k + 1, mz = (nz - 1) / k + 1;
		final float[] out = new float[Math.multiplyExact(mx * my, mz)];
		final float[] w = new float[2 * k - 1];
		float sum = 0;
		for (int d = -(k - 1); d <= k - 1; d++)
			sum += w[d + k - 1] = k - Math.abs(d);
		for (int i = 0; i < w.length; i++)
			w[i] /= sum;
		final int block = Math.max(1, 32 / k);
		for (int o0 = 0; o0 < mz; o0 += block) {
			final int o1 = Math.min(mz, o0 + block);
			final int z0 = Math.max(0, o0 * k - (k - 1)), z1 = Math.min(nz - 1, (o1 - 1) * k + (k - 1));
			final float[][] small = new float[z1 - z0 + 1][];
			Parallel.forEach("reduce", small.length, threads, j -> small[j] = reduceXY(z0 + j, k, w, mx, my));
			for (int oz = o0; oz < o1; oz++) {
				final int o = oz * mx * my;
				for (int d = -(k - 1); d <= k - 1; d++) {
					final int z = Math.max(0, Math.min(nz - 1, oz * k + d));
					final float wz = w[d + k - 1];
					final float[] sm = small[z - z0];
					for (int i = 0; i < sm.length; i++)
						out[o + i] += wz * sm[i];
				}
			}
		}
		return new FloatGrid(out, mx, my, mz, new double[] { vs[0] * k, vs[1] * k, vs[2] * k });
	}

	/** Plane z filtered and decimated by k in x, then in y (mx × my). */
	private float[] reduceXY(final int z, final int k, final float[] w, final int mx, final int my) {
		final float[] f = plane(z);
		final float[] rowX = new float[mx * ny], small = new float[mx * my];
		for (int y = 0; y < ny; y++)
			for (int ox = 0; ox < mx; ox++) {
				float s = 0;
				for (int e = -(k - 1); e <= k - 1; e++) {
					final int x = Math.max(0, Math.min(nx - 1, ox * k + e));
					s += w[e + k - 1] * f[x + nx * y];
				}
				rowX[ox + mx * y] = s;
			}
		for (int oy = 0; oy < my; oy++)
			for (int ox = 0; ox < mx; ox++) {
				float s = 0;
				for (int e = -(k - 1); e <= k - 1; e++) {
					final int y = Math.max(0, Math.min(ny - 1, oy * k + e));
					s += w[e + k - 1] * rowX[ox + mx * y];
				}
				small[ox + mx * oy] = s;
			}
		return small;
	}
}
