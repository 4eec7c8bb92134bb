package org.osteocast.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;

/**
 * Test data: a slice-sequence data set of synthetic mice. Each mouse has a
 * bright trabecular-like texture (smoothed random field, thresholded) inside
 * a cortical ring, and a dark lesion (a ball cut by the slices) that grows
 * week by week, so the change from week 3 to week 4 is predictable from the
 * earlier weeks and persistence can be beaten. Small per-week noise.
 */
public final class SyntheticCohort {

	private SyntheticCohort() {}

	/** Writes {@code mice} hyperstacks and cohort.csv into {@code dir}; splits cycle train,train,...,val,test. */
	public static SliceDataset write(final Path dir, final int mice, final int slices, final int size,
		final int weeks, final long seed, final int valEvery, final int testEvery) throws IOException
	{
		final List<SliceDataset.Entry> entries = new ArrayList<>();
		for (int m = 0; m < mice; m++) {
			final String id = String.format("m%02d", m + 1);
			final Hyperstack h = mouse(size, slices, weeks, seed * 1000 + m, id);
			final Path f = dir.resolve(id + ".tif");
			h.write(f);
			final SliceDataset.Split split = testEvery > 0 && m % testEvery == testEvery - 1 ? SliceDataset.Split.TEST
				: valEvery > 0 && m % valEvery == valEvery - 2 ? SliceDataset.Split.VAL : SliceDataset.Split.TRAIN;
			entries.add(new SliceDataset.Entry(id, f.toAbsolutePath(), m % 2 == 0 ? "tumour" : "control", split));
		}
		final SliceDataset d = new SliceDataset(dir.toAbsolutePath(), entries);
		d.writeManifest();
		return SliceDataset.open(dir);
	}

	/** One mouse. */
	public static Hyperstack mouse(final int size, final int slices, final int weeks, final long seed,
		final String name)
	{
		final SplittableRandom r = new SplittableRandom(seed);
		final Hyperstack h = new Hyperstack(size, size, slices, weeks, new double[] { 10.5, 10.5, 43.75 }, name);
		// texture: a smoothed random 3-D field, shared by all weeks (the bone does not move)
		final float[] field = new float[size * size * slices];
		for (int i = 0; i < field.length; i++)
			field[i] = (float) r.nextGaussian();
		smooth(field, size, slices, 2);
		final double cx = size * (0.4 + 0.2 * r.nextDouble()), cy = size * (0.4 + 0.2 * r.nextDouble());
		final double cortexR = size * (0.36 + 0.06 * r.nextDouble());
		final double lx = cx + size * 0.2 * (r.nextDouble() - 0.5), ly = cy + size * 0.2 * (r.nextDouble() - 0.5);
		final double lz = slices * (0.3 + 0.4 * r.nextDouble());
		final double r0 = size * (0.05 + 0.05 * r.nextDouble()), growth = size * (0.04 + 0.04 * r.nextDouble());
		for (int t = 0; t < weeks; t++) {
			final double lr = r0 + growth * t;
			for (int z = 0; z < slices; z++) {
				final float[] p = h.plane(z, t);
				final double dz = (z - lz) * 0.6;
				for (int y = 0; y < size; y++)
					for (int x = 0; x < size; x++) {
						final double d = Math.hypot(x - cx, y - cy);
						final int i = y * size + x;
						double v = 0.08;
						if (Math.abs(d - cortexR) < size * 0.04) v = 0.85;
						else if (d < cortexR) v = field[(z * size + y) * size + x] > 0.15 ? 0.7 : 0.15;
						final double dl = Math.sqrt((x - lx) * (x - lx) + (y - ly) * (y - ly) + dz * dz);
						if (dl < lr) v = Math.min(v, 0.12);
						v += 0.02 * r.nextGaussian();
						p[i] = (float) Math.min(1, Math.max(0, v));
					}
			}
		}
		return h;
	}

	private static void smooth(final float[] f, final int n, final int slices, final int passes) {
		final float[] tmp = new float[f.length];
		for (int p = 0; p < passes; p++)
			for (int axis = 0; axis < 3; axis++) {
				for (int z = 0; z < slices; z++)
					for (int y = 0; y < n; y++)
						for (int x = 0; x < n; x++) {
							double s = 0;
							int c = 0;
							for (int d = -1; d <= 1; d++) {
								final int xx = axis == 0 ? x + d : x, yy = axis == 1 ? y + d : y, zz = axis == 2 ? z + d : z;
								if (xx < 0 || yy < 0 || zz < 0 || xx >= n || yy >= n || zz >= slices) continue;
								s += f[(zz * n + yy) * n + xx];
								c++;
							}
							tmp[(z * n + y) * n + x] = (float) (s / c);
						}
				System.arraycopy(tmp, 0, f, 0, f.length);
			}
	}
}
