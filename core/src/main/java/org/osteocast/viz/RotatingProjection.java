package org.osteocast.viz;

/**
 * A rotating brightest-point projection of an RGB volume about its y axis, like
 * ImageJ's "3D Project..." but usable headless: for each view angle, each
 * output pixel shows the brightest voxel along the viewing ray (nearest-
 * neighbour sampling, anisotropic voxels honoured).
 */
public final class RotatingProjection {

	private RotatingProjection() {}

	/**
	 * @param planes ARGB planes (z), each {@code w * h}
	 * @param voxel voxel size (x, y, z), any unit
	 * @param views number of views over 360°
	 * @return ARGB frames, each {@code size * h} where {@code size} is returned in {@code outWidth[0]}
	 */
	public static int[][] project(final int[][] planes, final int w, final int h, final double[] voxel, final int views,
		final int[] outWidth)
	{
		final int d = planes.length;
		// work in units of the x voxel size
		final double sz = voxel[2] / voxel[0];
		final double cx = (w - 1) / 2.0, cz = (d - 1) * sz / 2.0;
		final double radius = Math.hypot(w / 2.0, d * sz / 2.0);
		final int size = (int) Math.ceil(2 * radius) + 1;
		outWidth[0] = size;
		final int[][] frames = new int[views][size * h];
		for (int v = 0; v < views; v++) {
			final double a = 2 * Math.PI * v / views, ca = Math.cos(a), sa = Math.sin(a);
			final int[] out = frames[v];
			for (int u = 0; u < size; u++) {
				final double du = u - radius;
				final int[] best = new int[h];
				final int[] bestLum = new int[h];
				java.util.Arrays.fill(bestLum, -1);
				for (double t = -radius; t <= radius; t += 0.5) {
					final double x = cx + du * ca - t * sa, zz = cz + du * sa + t * ca;
					final int xi = (int) Math.round(x), zi = (int) Math.round(zz / sz);
					if (xi < 0 || xi >= w || zi < 0 || zi >= d) continue;
					final int[] plane = planes[zi];
					for (int y = 0; y < h; y++) {
						final int p = plane[y * w + xi];
						final int lum = (p >> 16 & 255) * 3 + (p >> 8 & 255) * 6 + (p & 255);
						if (lum > bestLum[y]) {
							bestLum[y] = lum;
							best[y] = p;
						}
					}
				}
				for (int y = 0; y < h; y++)
					out[y * size + u] = bestLum[y] < 0 ? 0xff000000 : best[y];
			}
		}
		return frames;
	}
}
