package org.osteocast.voi;

/** Small 2-D binary-mask operations (row-major, x fastest) used by the VOI code. */
final class Masks {

	private Masks() {}

	/** 3x3 dilation. */
	static boolean[] dilate(final boolean[] m, final int w, final int h) {
		final boolean[] out = new boolean[m.length];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				if (!m[y * w + x]) continue;
				for (int dy = -1; dy <= 1; dy++) {
					final int yy = y + dy;
					if (yy < 0 || yy >= h) continue;
					for (int dx = -1; dx <= 1; dx++) {
						final int xx = x + dx;
						if (xx >= 0 && xx < w) out[yy * w + xx] = true;
					}
				}
			}
		return out;
	}

	/** 3x3 erosion (outside the image counts as set, so closing does not eat the border). */
	static boolean[] erode(final boolean[] m, final int w, final int h) {
		final boolean[] out = new boolean[m.length];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				boolean all = true;
				for (int dy = -1; dy <= 1 && all; dy++) {
					final int yy = y + dy;
					if (yy < 0 || yy >= h) continue;
					for (int dx = -1; dx <= 1; dx++) {
						final int xx = x + dx;
						if (xx >= 0 && xx < w && !m[yy * w + xx]) {
							all = false;
							break;
						}
					}
				}
				out[y * w + x] = all;
			}
		return out;
	}

	/** 3x3 closing. */
	static boolean[] close(final boolean[] m, final int w, final int h) {
		return erode(dilate(m, w, h), w, h);
	}

	/** Fills holes: every unset pixel not 4-connected to the border becomes set. */
	static boolean[] fillHoles(final boolean[] m, final int w, final int h) {
		final boolean[] outside = new boolean[m.length];
		final int[] stack = new int[m.length];
		int sp = 0;
		for (int x = 0; x < w; x++) {
			sp = seed(m, outside, stack, sp, x);
			sp = seed(m, outside, stack, sp, (h - 1) * w + x);
		}
		for (int y = 0; y < h; y++) {
			sp = seed(m, outside, stack, sp, y * w);
			sp = seed(m, outside, stack, sp, y * w + w - 1);
		}
		while (sp > 0) {
			final int i = stack[--sp];
			final int x = i % w, y = i / w;
			if (x > 0) sp = seed(m, outside, stack, sp, i - 1);
			if (x < w - 1) sp = seed(m, outside, stack, sp, i + 1);
			if (y > 0) sp = seed(m, outside, stack, sp, i - w);
			if (y < h - 1) sp = seed(m, outside, stack, sp, i + w);
		}
		final boolean[] out = new boolean[m.length];
		for (int i = 0; i < m.length; i++)
			out[i] = !outside[i];
		return out;
	}

	private static int seed(final boolean[] m, final boolean[] outside, final int[] stack, int sp, final int i) {
		if (!m[i] && !outside[i]) {
			outside[i] = true;
			stack[sp++] = i;
		}
		return sp;
	}

	/** The largest 8-connected component of a mask (empty mask: empty result). */
	static boolean[] largestComponent(final boolean[] m, final int w, final int h) {
		final int[] label = new int[m.length];
		final int[] stack = new int[m.length];
		int next = 0, bestLabel = 0, bestSize = 0;
		for (int s = 0; s < m.length; s++) {
			if (!m[s] || label[s] != 0) continue;
			final int lab = ++next;
			int sp = 0, size = 0;
			label[s] = lab;
			stack[sp++] = s;
			while (sp > 0) {
				final int i = stack[--sp];
				size++;
				final int x = i % w, y = i / w;
				for (int dy = -1; dy <= 1; dy++) {
					final int yy = y + dy;
					if (yy < 0 || yy >= h) continue;
					for (int dx = -1; dx <= 1; dx++) {
						final int xx = x + dx;
						if (xx < 0 || xx >= w) continue;
						final int j = yy * w + xx;
						if (m[j] && label[j] == 0) {
							label[j] = lab;
							stack[sp++] = j;
						}
					}
				}
			}
			if (size > bestSize) {
				bestSize = size;
				bestLabel = lab;
			}
		}
		final boolean[] out = new boolean[m.length];
		for (int i = 0; i < m.length; i++)
			out[i] = bestLabel != 0 && label[i] == bestLabel;
		return out;
	}

	/**
	 * 8-connected components of a mask: {@code labels[i]} is 0 outside the mask
	 * and 1 … n inside; {@code sizes[k]} is the pixel count of label k
	 * ({@code sizes[0]} unused).
	 */
	static final class Labels {
		final int[] labels;
		final int[] sizes;

		Labels(final int[] labels, final int[] sizes) {
			this.labels = labels;
			this.sizes = sizes;
		}

		int count() {
			return sizes.length - 1;
		}

		/** The label with the most pixels, or 0 when there is none. */
		int largest() {
			int best = 0;
			for (int k = 1; k < sizes.length; k++)
				if (sizes[k] > (best == 0 ? 0 : sizes[best])) best = k;
			return best;
		}

		boolean[] mask(final int label) {
			final boolean[] m = new boolean[labels.length];
			for (int i = 0; i < m.length; i++)
				m[i] = labels[i] == label;
			return m;
		}
	}

	/** Labels the 8-connected components of a mask (in scan order of their first pixel). */
	static Labels label(final boolean[] m, final int w, final int h) {
		final int[] label = new int[m.length];
		final int[] stack = new int[m.length];
		final java.util.List<Integer> sizes = new java.util.ArrayList<>();
		sizes.add(0);
		int next = 0;
		for (int s = 0; s < m.length; s++) {
			if (!m[s] || label[s] != 0) continue;
			final int lab = ++next;
			int sp = 0, size = 0;
			label[s] = lab;
			stack[sp++] = s;
			while (sp > 0) {
				final int i = stack[--sp];
				size++;
				final int x = i % w, y = i / w;
				for (int dy = -1; dy <= 1; dy++) {
					final int yy = y + dy;
					if (yy < 0 || yy >= h) continue;
					for (int dx = -1; dx <= 1; dx++) {
						final int xx = x + dx;
						if (xx < 0 || xx >= w) continue;
						final int j = yy * w + xx;
						if (m[j] && label[j] == 0) {
							label[j] = lab;
							stack[sp++] = j;
						}
					}
				}
			}
			sizes.add(size);
		}
		final int[] sz = new int[sizes.size()];
		for (int k = 0; k < sz.length; k++)
			sz[k] = sizes.get(k);
		return new Labels(label, sz);
	}
}
