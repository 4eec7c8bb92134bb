package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.osteocast.io.Volume;

class MorphometryTest {

	@Test
	void distanceTransformIsExactOnAnisotropicVoxels() {
		final Random rnd = new Random(3);
		final int w = 9, h = 7, d = 5;
		final boolean[][] m = new boolean[d][w * h];
		for (int z = 0; z < d; z++)
			for (int i = 0; i < w * h; i++)
				m[z][i] = rnd.nextDouble() < 0.8;
		final double[] vs = { 1.0, 1.5, 2.5 };
		final double[][] dt = LocalThickness.distanceSquared(m, w, h, vs);
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					double best = Double.POSITIVE_INFINITY;
					if (m[z][y * w + x]) {
						// brute force over background voxels, including the frame around the volume
						for (int zz = -1; zz <= d; zz++)
							for (int yy = -1; yy <= h; yy++)
								for (int xx = -1; xx <= w; xx++) {
									final boolean bg = zz < 0 || yy < 0 || xx < 0 || zz >= d || yy >= h || xx >= w || !m[zz][yy * w + xx];
									if (!bg) continue;
									best = Math.min(best, Math.pow((x - xx) * vs[0], 2) + Math.pow((y - yy) * vs[1], 2) + Math.pow((z -
										zz) * vs[2], 2));
								}
					}
					else best = 0;
					assertEquals(best, dt[z][y * w + x], 1e-9, "at " + x + "," + y + "," + z);
				}
	}

	/** A tube (the cortex) of known wall thickness around an axis along z; optionally a hole in its wall. */
	private static Volume<FloatType> tube(final double rOut, final double wall, final boolean hole) {
		final int n = 64, d = 12;
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(n, n, d);
		final Cursor<FloatType> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			final double dx = c.getDoublePosition(0) - 31.5, dy = c.getDoublePosition(1) - 31.5;
			final double r = Math.hypot(dx, dy);
			boolean bone = r <= rOut && r > rOut - wall;
			if (hole && dx > 0 && Math.abs(dy) < 5) bone = false;
			c.get().set(bone ? 1000 : 100);
		}
		return Volume.of(img, 10, "tube");
	}

	@Test
	void tubeWallThicknessVolumeFractionAndPerforation() {
		final Morphometry.Result r = Morphometry.measure(tube(24, 6, false), Double.NaN);
		assertTrue(r.threshold > 100 && r.threshold < 1000);
		// cortical thickness by rays ~ 6 voxels = 60 um (digitisation: +-1 voxel)
		assertEquals(60, r.corticalThicknessUm, 10);
		// BoneJ-style mean local thickness of a 6-voxel wall is close to the wall thickness
		assertEquals(60, r.meanThicknessUm, 15);
		// BV/TV = ring area / disc area
		assertEquals((24 * 24 - 18 * 18) / (24.0 * 24), r.bvTv, 0.05);
		assertEquals(0, r.perforatedSlices);
		final Morphometry.Result p = Morphometry.measure(tube(24, 6, true), Double.NaN);
		assertEquals(12, p.perforatedSlices, "every slice has the gap");
		assertTrue(p.perforatedRayFraction > 0.02, "rays through the gap: " + p.perforatedRayFraction);
		// the envelope stays closed over a 10-voxel gap: TV barely changes
		assertEquals(r.tissueVolumeMm3, p.tissueVolumeMm3, 0.1 * r.tissueVolumeMm3);
	}
}
