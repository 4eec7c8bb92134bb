package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

public class SliceClassesTest {

	public static final int S = 32;

	/** A ring of bone (radius 6..10) with a hole of {@code hole} pixels' side punched at its right edge. */
	public static float[] ring(final int hole, final double noise, final long seed) {
		final java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
		final float[] v = new float[S * S];
		for (int y = 0; y < S; y++)
			for (int x = 0; x < S; x++) {
				final double d = Math.hypot(x - 15.5, y - 15.5);
				final boolean bone = d >= 6 && d <= 10 && !(x >= 24 && x < 24 + hole && Math.abs(y - 15.5) < hole / 2.0);
				v[y * S + x] = (float) Math.min(1, Math.max(0, (bone ? 0.8 : 0.1) + noise * (r.nextDouble() - 0.5)));
			}
		return v;
	}

	@Test
	void classifiesEmergenceProgressionStableAndControl() {
		// slices: 0 control, 1 emergence (hole only in week 4), 2 progression (hole grows), 3 stable (hole stays)
		final int[][] holes = { { 0, 0, 0, 0 }, { 0, 0, 0, 5 }, { 0, 3, 4, 7 }, { 0, 4, 4, 4 } };
		final float[][][] weeks = new float[4][holes.length][];
		for (int t = 0; t < 4; t++)
			for (int z = 0; z < holes.length; z++)
				weeks[t][z] = ring(holes[z][t], 0.1, 31L * t + z);
		assertArrayEquals(new SliceClasses.Kind[] { SliceClasses.Kind.CONTROL, SliceClasses.Kind.EMERGENCE,
			SliceClasses.Kind.PROGRESSION, SliceClasses.Kind.STABLE }, SliceClasses.classify(weeks, 3, S, S));
		// with only two observed weeks the target is week 3: slice 1 is a control, slice 3 an emergence
		final SliceClasses.Kind[] two = SliceClasses.classify(weeks, 2, S, S);
		assertEquals(SliceClasses.Kind.CONTROL, two[1]);
		assertEquals(SliceClasses.Kind.STABLE, two[3]);
		assertThrows(IllegalArgumentException.class, () -> SliceClasses.classify(weeks, 4, S, S));
	}

	@Test
	void isolatedPixelsAreNotALesion() {
		final boolean[][] m = new boolean[1][S * S];
		for (int i = 0; i < 40; i++)
			m[0][(3 * i % S) * S + (7 * i) % S] = i % 2 == 0; // scattered single pixels
		assertEquals(0, SliceClasses.lesionPixels(m, S, S)[0]);
		for (int y = 10; y < 13; y++)
			for (int x = 10; x < 13; x++)
				m[0][y * S + x] = true;
		// a 3 × 3 block: every pixel has at least two 4-neighbours in it
		assertEquals(9, SliceClasses.lesionPixels(m, S, S)[0]);
		assertEquals(8, SliceClasses.minPixels(64 * 64));
	}
}
