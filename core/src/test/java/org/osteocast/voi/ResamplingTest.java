package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResamplingTest {

	@Test
	void shrinkingAveragesWholeBoxes() {
		final double[] src = { 1, 3, 5, 7, 9, 11 };
		// 3 outputs over [-0.5, 5.5]: pairs
		final Resampling.Kernel k = Resampling.kernel(6, -0.5, 2, 3);
		assertArrayEquals(new double[] { 2, 6, 10 }, k.apply(src), 1e-6);
		// non-integer factor 1.5: first box covers voxel 0 fully and half of voxel 1
		final Resampling.Kernel k15 = Resampling.kernel(6, -0.5, 1.5, 4);
		assertArrayEquals(new double[] { (1 + 0.5 * 3) / 1.5, (0.5 * 3 + 5) / 1.5, (7 + 0.5 * 9) / 1.5, (0.5 * 9 + 11) /
			1.5 }, k15.apply(src), 1e-6);
		for (int i = 0; i < k15.length(); i++) {
			double s = 0;
			for (final float w : k15.weights(i))
				s += w;
			assertEquals(1, s, 1e-6);
		}
	}

	@Test
	void enlargingInterpolatesLinearly() {
		final double[] src = { 0, 10 };
		// 4 outputs over [-0.5, 1.5]: centres at -0.25, 0.25, 0.75, 1.25 (ends clamp to the edge voxel)
		assertArrayEquals(new double[] { 0, 2.5, 7.5, 10 }, Resampling.kernel(2, -0.5, 0.5, 4).apply(src), 1e-6);
	}

	@Test
	void negativeStepRunsBackwards() {
		final double[] src = { 1, 3, 5, 7 };
		assertArrayEquals(new double[] { 6, 2 }, Resampling.kernel(4, 3.5, -2, 2).apply(src), 1e-6);
	}

	@Test
	void boxPrefilterPreventsAliasing() {
		// stripes of period 2 shrunk 4x: an anti-aliased result is flat grey; point sampling would be 0 or 1
		final int w = 64, h = 8;
		final float[] plane = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				plane[y * w + x] = x % 2;
		final Resampling.Kernel kx = Resampling.kernel(w, -0.5, 4, 16), ky = Resampling.kernel(h, -0.5, 1, h);
		final float[] out = Resampling.resample2D(plane, w, h, kx, ky);
		for (final float v : out)
			assertEquals(0.5, v, 1e-6);
	}

	@Test
	void resample2DIsSeparable() {
		final int w = 5, h = 4;
		final float[] plane = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				plane[y * w + x] = 10 * y + x;
		// identity in x, pick rows 1..2 averaged in y
		final float[] out = Resampling.resample2D(plane, w, h, Resampling.kernel(w, -0.5, 1, w), Resampling.kernel(h,
			0.5, 2, 1));
		assertArrayEquals(new float[] { 15, 16, 17, 18, 19 }, out, 1e-5f);
	}
}
