package org.osteocast.voi;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.io.Volume;

/** Small volume edits for VOI tests: flips, crops and side-by-side or stacked compositions of phantom scans. */
final class TestVolumes {

	private TestVolumes() {}

	static float[] values(final Volume<?> v) {
		final VolumePlanes vp = new VolumePlanes(v);
		final int np = vp.width() * vp.height();
		final float[] out = new float[np * vp.depth()];
		for (int z = 0; z < vp.depth(); z++)
			System.arraycopy(vp.read(z), 0, out, z * np, np);
		return out;
	}

	static Volume<FloatType> of(final float[] data, final int w, final int h, final int d, final Volume<?> like,
		final String name)
	{
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(data, w, h, d);
		return new Volume<>(img, like.voxelSizeUm(), new double[3], name);
	}

	/** The volume upside down (slice z becomes d − 1 − z). */
	static Volume<FloatType> flipZ(final Volume<?> v) {
		final int w = (int) v.width(), h = (int) v.height(), d = (int) v.depth(), np = w * h;
		final float[] a = values(v), b = new float[a.length];
		for (int z = 0; z < d; z++)
			System.arraycopy(a, z * np, b, (d - 1 - z) * np, np);
		return of(b, w, h, d, v, v.name());
	}

	/** The sub-volume x0 … x0+w−1, y0 …, z0 …. */
	static Volume<FloatType> crop(final Volume<?> v, final int x0, final int y0, final int z0, final int w,
		final int h, final int d)
	{
		final int sw = (int) v.width(), sh = (int) v.height();
		final float[] a = values(v), b = new float[w * h * d];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				System.arraycopy(a, ((z + z0) * sh + y + y0) * sw + x0, b, (z * h + y) * w, w);
		return of(b, w, h, d, v, v.name());
	}
}
