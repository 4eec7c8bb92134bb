package org.osteocast.metrics;

/** 2-D binary-mask helpers (row-major, x fastest) for the lesion metrics. */
final class Masks2D {

	private Masks2D() {}

	/** 3 × 3 closing (dilation then erosion; outside the image counts as set for the erosion). */
	static boolean[] close(final boolean[] m, final int w, final int h) {
		final boolean[] d = new boolean[m.length];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (m[y * w + x]) for (int dy = -1; dy <= 1; dy++)
					for (int dx = -1; dx <= 1; dx++) {
						final int xx = x + dx, yy = y + dy;
						if (xx >= 0 && xx < w && yy >= 0 && yy < h) d[yy * w + xx] = true;
					}
		final boolean[] e = new boolean[m.length];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				boolean all = true;
				for (int dy = -1; dy <= 1 && all; dy++)
					for (int dx = -1; dx <= 1 && all; dx++) {
						final int xx = x + dx, yy = y + dy;
						if (xx >= 0 && xx < w && yy >= 0 && yy < h && !d[yy * w + xx]) all = false;
					}
				e[y * w + x] = all;
			}
		return e;
	}

	/** Unset pixels 4-connected to the image border. */
	static boolean[] outside(final boolean[] m, final int w, final int h) {
		final boolean[] out = new boolean[m.length];
		final int[] stack = new int[m.length];
		int sp = 0;
		for (int i = 0; i < m.length; i++) {
			final int x = i % w, y = i / w;
			if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && !m[i] && !out[i]) {
				out[i] = true;
				stack[sp++] = i;
			}
		}
		while (sp > 0) {
			final int i = stack[--sp];
			final int x = i % w, y = i / w;
			final int[] nb = { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1 };
			for (final int j : nb)
				if (j >= 0 && !m[j] && !out[j]) {
					out[j] = true;
					stack[sp++] = j;
				}
		}
		return out;
	}

	/** Holes filled: everything not 4-connected to the border through unset pixels. */
	static boolean[] fillHoles(final boolean[] m, final int w, final int h) {
		final boolean[] o = outside(m, w, h);
		final boolean[] f = new boolean[m.length];
		for (int i = 0; i < m.length; i++)
			f[i] = !o[i];
		return f;
	}
}
