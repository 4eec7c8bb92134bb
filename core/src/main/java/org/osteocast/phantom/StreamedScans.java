package org.osteocast.phantom;

import java.util.concurrent.atomic.AtomicLongArray;

import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.Volume;

/**
 * A week's scan, ideal image and lesion mask as volumes whose planes are
 * computed when the writer asks for them: the same values as the whole arrays
 * of {@link PhantomGenerator} (the same sampling, rings, per-slice noise and
 * rounding, plane by plane), without holding them or the canonical fields:
 * those are rendered plane by plane too ({@link CanonicalPlanes}). Used when
 * a mouse would not fit the heap otherwise (see {@link #large}).
 */
final class StreamedScans {

	private StreamedScans() {}

	/**
	 * System property that makes every scan stream ({@code always}) whatever
	 * its size: how a test compares the two paths on a small cohort.
	 */
	static final String PROPERTY = "osteocast.phantom.stream";

	/**
	 * Whether a mouse's scans are large enough to be streamed rather than held:
	 * held, a mouse needs about 20 bytes per voxel of its canonical grid (five
	 * float fields) and 12 per scan voxel; streamed when that exceeds half the
	 * free heap shared by {@code concurrent} mice.
	 */
	static boolean large(final MouseModel m, final long canonicalVoxels, final int concurrent) {
		if ("always".equals(System.getProperty(PROPERTY))) return true;
		final Runtime rt = Runtime.getRuntime();
		final double free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		final double held = 20.0 * canonicalVoxels + 12.0 * m.nx * m.ny * m.nz;
		return held * Math.max(1, concurrent) > 0.5 * free;
	}

	/** The scanned week: the blurred canonical grey through {@code c}, rings and noise as configured, 16-bit. */
	@SuppressWarnings("unchecked")
	static Volume<UnsignedShortType> scan(final CanonicalPlanes grey, final double[][] c, final MouseModel m,
		final int week, final String name)
	{
		final boolean inside = grey.inside(c, m.nx, m.ny, m.nz);
		final float[] rings = m.p.rings() ? PhantomGenerator.ringPlane(m, week) : null;
		return (Volume<UnsignedShortType>) LazyVolume.computed(dims(m), new UnsignedShortType(), z -> {
			final float[] plane = new float[m.nx * m.ny];
			synchronized (grey) {
				grey.samplePlane(true, c, m.nx, m.ny, z, inside, plane, 0);
			}
			if (rings != null) for (int j = 0; j < plane.length; j++)
				plane[j] += rings[j];
			if (m.p.noiseSd() > 0) PhantomGenerator.addNoise(plane, 0, m, week, z);
			return shorts(plane);
		}, 2, voxel(m), new double[3], name);
	}

	/** The noise-free image of a week on week 1's grid, 16-bit. */
	@SuppressWarnings("unchecked")
	static Volume<UnsignedShortType> ideal(final CanonicalPlanes grey, final double[][] c, final MouseModel m,
		final String name)
	{
		final boolean inside = grey.inside(c, m.nx, m.ny, m.nz);
		return (Volume<UnsignedShortType>) LazyVolume.computed(dims(m), new UnsignedShortType(), z -> {
			final float[] plane = new float[m.nx * m.ny];
			synchronized (grey) {
				grey.samplePlane(true, c, m.nx, m.ny, z, inside, plane, 0);
			}
			return shorts(plane);
		}, 2, voxel(m), new double[3], name);
	}

	/**
	 * The lesion mask on week 1's grid (lesion fraction ≥ 0.5), 8-bit (all
	 * zero without a lesion: the field is zero); {@code counts[z]} receives
	 * plane z's lesion voxels.
	 */
	@SuppressWarnings("unchecked")
	static Volume<UnsignedByteType> lesion(final CanonicalPlanes fields, final double[][] c, final MouseModel m,
		final String name, final AtomicLongArray counts)
	{
		final boolean inside = fields.inside(c, m.nx, m.ny, m.nz);
		return (Volume<UnsignedByteType>) LazyVolume.computed(dims(m), new UnsignedByteType(), z -> {
			final byte[] b = new byte[m.nx * m.ny];
			final float[] plane = new float[m.nx * m.ny];
			synchronized (fields) {
				fields.samplePlane(false, c, m.nx, m.ny, z, inside, plane, 0);
			}
			long n = 0;
			for (int j = 0; j < plane.length; j++)
				if (plane[j] >= 0.5f) {
					b[j] = 1;
					n++;
				}
			counts.set(z, n);
			return b;
		}, 2, voxel(m), new double[3], name);
	}

	private static short[] shorts(final float[] plane) {
		final short[] s = new short[plane.length];
		for (int j = 0; j < s.length; j++)
			s[j] = PhantomGenerator.toShort(plane[j]);
		return s;
	}

	private static long[] dims(final MouseModel m) {
		return new long[] { m.nx, m.ny, m.nz };
	}

	private static double[] voxel(final MouseModel m) {
		return new double[] { m.v, m.v, m.v };
	}
}
