package org.osteocast.register.bench;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.osteocast.io.Volume;

/** A float copy of a (small) volume in one flat array, x fastest, with its voxel size in µm: the benchmarks' fixtures. */
final class Grid {

	final float[] data;
	final int nx, ny, nz;
	final double[] vs;

	Grid(final float[] data, final int nx, final int ny, final int nz, final double[] vs) {
		if ((long) nx * ny * nz != data.length) throw new IllegalArgumentException("size mismatch");
		this.data = data;
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.vs = vs.clone();
	}

	/** A float copy of a volume that fits in one array. */
	static Grid of(final Volume<?> v) {
		final int nx = Math.toIntExact(v.width()), ny = Math.toIntExact(v.height()), nz = Math.toIntExact(v.depth());
		final float[] d = new float[Math.multiplyExact(nx * ny, nz)];
		final Cursor<? extends RealType<?>> c = Views.flatIterable(Views.zeroMin(v.image())).cursor();
		for (int i = 0; c.hasNext(); i++)
			d[i] = c.next().getRealFloat();
		return new Grid(d, nx, ny, nz, v.voxelSizeUm());
	}
}
