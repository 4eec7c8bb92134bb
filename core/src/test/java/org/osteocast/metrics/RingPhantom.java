package org.osteocast.metrics;

import java.util.Random;

/**
 * 2-D slices of a bone cross-section for metric tests: a cortical ring
 * (radii 19-24 px) around marrow with a few trabecular dots, on 64 x 64
 * pixels, values in [0, 1]. Week k ≥ 2 loses bone in a disc of radius 3 (k − 1)
 * centred on the cortex at (53, 32) in slices 4..11: a lytic lesion that
 * perforates the cortex.
 */
final class RingPhantom {

	static final int W = 64, H = 64, SLICES = 16;

	static float[][] week(final int week, final double noise, final long seed) {
		final Random rnd = new Random(seed * 31 + week);
		final float[][] v = new float[SLICES][W * H];
		final double lesion = 3.0 * (week - 1);
		for (int z = 0; z < SLICES; z++)
			for (int y = 0; y < H; y++)
				for (int x = 0; x < W; x++) {
					final double r = Math.hypot(x - 32, y - 32);
					double val = r < 24 ? (r >= 19 ? 0.8 : 0.2) : 0.05;
					if (r < 16 && ((x / 4 + y / 4 + z / 4) % 5 == 0)) val = 0.8; // trabeculae
					if (z >= 4 && z < 12 && Math.hypot(x - 53, y - 32) < lesion && val > 0.5) val = 0.2;
					val += noise * rnd.nextGaussian();
					v[z][y * W + x] = (float) Math.max(0, Math.min(1, val));
				}
		return v;
	}
}
