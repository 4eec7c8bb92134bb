package org.osteocast.nn;

import java.util.SplittableRandom;

/** Small synthetic volumes for the 3-D models' tests. */
public final class TestVolumes {

	private TestVolumes() {}

	/** A bright sphere that grows by one voxel of radius per week, on a dim background; (B, T, 1, D, S, S). */
	public static float[] growingSphere(final int b, final int t, final int d, final int s, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] a = new float[b * t * d * s * s];
		for (int i = 0; i < b; i++) {
			final double cz = d / 2.0 + r.nextDouble() - 0.5, cy = s / 2.0 + r.nextDouble() * 2 - 1, cx = s / 2.0 + r
				.nextDouble() * 2 - 1;
			for (int w = 0; w < t; w++)
				for (int z = 0; z < d; z++)
					for (int y = 0; y < s; y++)
						for (int x = 0; x < s; x++) {
							final double rr = Math.sqrt((z - cz) * (z - cz) + (y - cy) * (y - cy) + (x - cx) * (x - cx));
							a[(((i * t + w) * d + z) * s + y) * s + x] = rr < 2 + w ? 0.9f : 0.1f;
						}
		}
		return a;
	}
}
