package org.osteocast.phantom;

import java.util.concurrent.atomic.AtomicLongArray;

import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

/**
 * A week's scan, ideal image and lesion mask as volumes whose planes are
 * computed when the writer asks for them: the same values as the whole arrays
 * of {@link PhantomGenerator} (the same sampling, rings, per-slice noise and
 * rounding, plane by plane), without holding them. Used when a scan would take
 * more than {@link VolumeIO#LAZY_FRACTION} of the free heap as floats.
 */
final class StreamedScans {

	private StreamedScans() {}

	/**
	 * System property that makes every scan stream ({@code always}) whatever
	 * its size: how a test compares the two paths on a small cohort.
	 */
	static final String PROPERTY = "osteocast.phantom.stream";

	/** Whether a mouse's scans are large enough to be streamed rather than held. */
	static boolean large(final MouseModel m) {
		if ("always".equals(System.getProperty(PROPERTY))) return true;
		final Runtime rt = Runtime.getRuntime();
		final double free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		return 4.0 * m.nx * m.ny * m.nz > VolumeIO.LAZY_FRACTION * free;
	}

	/** The scanned week: the blurred canonical grey through {@code c}, rings and noise as configured, 16-bit. */
	@SuppressWarnings("unchecked")
	static Volume<UnsignedShortType> scan(final FloatGrid grey, final double[][] c, final MouseModel m, final int week,
		final String name)
	{
		final boolean inside = PhantomGenerator.inside(grey, c, m.nx, m.ny, m.nz);
		final float[] rings = m.p.rings() ? PhantomGenerator.ringPlane(m, week) : null;
		return (Volume<UnsignedShortType>) LazyVolume.computed(dims(m), new UnsignedShortType(), z -> {
			final float[] plane = new float[m.nx * m.ny];
			PhantomGenerator.samplePlane(grey, c, m.nx, m.ny, z, inside, plane, 0);
			if (rings != null) for (int j = 0; j < plane.length; j++)
				plane[j] += rings[j];
			if (m.p.noiseSd() > 0) PhantomGenerator.addNoise(plane, 0, m, week, z);
			return shorts(plane);
		}, 2, voxel(m), new double[3], name);
	}

	/** The noise-free image of a week on week 1's grid, 16-bit. */
	@SuppressWarnings("unchecked")
	static Volume<UnsignedShortType> ideal(final FloatGrid grey, final double[][] c, final MouseModel m,
		final String name)
	{
		final boolean inside = PhantomGenerator.inside(grey, c, m.nx, m.ny, m.nz);
		return (Volume<UnsignedShortType>) LazyVolume.computed(dims(m), new UnsignedShortType(), z -> {
			final float[] plane = new float[m.nx * m.ny];
			PhantomGenerator.samplePlane(grey, c, m.nx, m.ny, z, inside, plane, 0);
			return shorts(plane);
		}, 2, voxel(m), new double[3], name);
	}

	/**
	 * The lesion mask on week 1's grid (lesion fraction ≥ 0.5), 8-bit, or all
	 * zero without a lesion; {@code counts[z]} receives plane z's lesion voxels.
	 */
	@SuppressWarnings("unchecked")
	static Volume<UnsignedByteType> lesion(final FloatGrid lesion, final double[][] c, final MouseModel m,
		final String name, final AtomicLongArray counts)
	{
		final boolean inside = lesion != null && PhantomGenerator.inside(lesion, c, m.nx, m.ny, m.nz);
		return (Volume<UnsignedByteType>) LazyVolume.computed(dims(m), new UnsignedByteType(), z -> {
			final byte[] b = new byte[m.nx * m.ny];
			if (lesion == null) return b;
			final float[] plane = new float[m.nx * m.ny];
			PhantomGenerator.samplePlane(lesion, c, m.nx, m.ny, z, inside, plane, 0);
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
