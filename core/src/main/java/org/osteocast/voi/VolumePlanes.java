package org.osteocast.voi;

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

import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.Volume;

/**
 * Reads one z-plane of any {@link Volume} into a {@code float[]} (x fastest).
 * Planar 8-, 16- and 32-bit images (what {@code ImagePlusVolumes.wrap} makes)
 * are read straight from their arrays; anything else through an imglib2 cursor.
 * Working plane by plane keeps memory at one plane per thread even for large
 * scans.
 */
final class VolumePlanes {

	private final RandomAccessibleInterval<? extends RealType<?>> image;
	private final PlanarImg<?, ?> planar;
	private final int width, height, depth;
	private final int kind; // 0 generic, 1 u8, 2 u16, 3 f32
	private final Volume<?> volume;
	private final boolean lazy;

	VolumePlanes(final Volume<?> volume) {
		this.image = volume.image();
		this.volume = volume;
		this.lazy = LazyVolume.isLazy(volume);
		this.width = Math.toIntExact(volume.width());
		this.height = Math.toIntExact(volume.height());
		this.depth = Math.toIntExact(volume.depth());
		final Object t = image.getType();
		boolean zeroMin = true;
		for (int d = 0; d < 3; d++)
			zeroMin &= image.min(d) == 0;
		if (zeroMin && image instanceof PlanarImg) {
			final PlanarImg<?, ?> p = (PlanarImg<?, ?>) image;
			final Object a = p.getPlane(0);
			if (a instanceof ByteArray && t instanceof UnsignedByteType) kind = 1;
			else if (a instanceof ShortArray && t instanceof UnsignedShortType) kind = 2;
			else if (a instanceof FloatArray && t instanceof FloatType) kind = 3;
			else kind = 0;
			planar = kind == 0 ? null : p;
		}
		else {
			kind = 0;
			planar = null;
		}
	}

	int width() {
		return width;
	}

	int height() {
		return height;
	}

	int depth() {
		return depth;
	}

	/** Fills {@code out} (length width*height) with plane z. */
	void read(final int z, final float[] out) {
		if (lazy) {
			readLazy(z, out);
			return;
		}
		switch (kind) {
			case 1: {
				final byte[] a = ((ByteArray) planar.getPlane(z)).getCurrentStorageArray();
				for (int i = 0; i < out.length; i++)
					out[i] = a[i] & 0xff;
				return;
			}
			case 2: {
				final short[] a = ((ShortArray) planar.getPlane(z)).getCurrentStorageArray();
				for (int i = 0; i < out.length; i++)
					out[i] = a[i] & 0xffff;
				return;
			}
			case 3:
				System.arraycopy(((FloatArray) planar.getPlane(z)).getCurrentStorageArray(), 0, out, 0, out.length);
				return;
			default: {
				final RandomAccessibleInterval<? extends RealType<?>> slice = Views.hyperSlice(image, 2, image.min(2) + z);
				final Cursor<? extends RealType<?>> c = Views.flatIterable(slice).cursor();
				int i = 0;
				while (c.hasNext())
					out[i++] = c.next().getRealFloat();
			}
		}
	}

	/** Plane z of a scan read plane by plane on demand, straight from its decoded array. */
	private void readLazy(final int z, final float[] out) {
		final Object a = LazyVolume.plane(volume, z);
		if (a instanceof byte[]) for (int i = 0; i < out.length; i++)
			out[i] = ((byte[]) a)[i] & 0xff;
		else if (a instanceof float[]) System.arraycopy(a, 0, out, 0, out.length);
		else {
			final short[] s = (short[]) a;
			final boolean unsigned = image.getType() instanceof UnsignedShortType;
			for (int i = 0; i < out.length; i++)
				out[i] = unsigned ? s[i] & 0xffff : s[i];
		}
	}

	/** A new array holding plane z. */
	float[] read(final int z) {
		final float[] out = new float[width * height];
		read(z, out);
		return out;
	}
}
