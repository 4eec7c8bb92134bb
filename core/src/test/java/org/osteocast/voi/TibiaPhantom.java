package org.osteocast.voi;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.io.Volume;

/**
 * A small synthetic mouse tibia for tests, built in micrometres so it can be
 * sampled at any voxel size and in either orientation. Along the long axis,
 * measured from the proximal end of the scan: soft tissue (0-200 µm), the
 * epiphysis (a shell with dense trabecular blobs, 200-600 µm), the growth
 * plate (cartilage: a dark band with only a thin peripheral ring,
 * {@value #PLATE_START_UM}-{@value #PLATE_END_UM} µm), the metaphysis (thin
 * cortex with trabecular blobs thinning out distally) and the diaphysis (a
 * tube whose wall thickens distally). Later weeks carry a growing lytic lesion
 * on the cortex of the metaphysis.
 */
final class TibiaPhantom {

	static final double PLATE_START_UM = 600, PLATE_END_UM = 680, LENGTH_UM = 3400;
	static final double BONE = 1.0, SOFT = 0.1, MARROW = 0.15, CARTILAGE = 0.2;

	double[] voxelUm = { 20, 20, 20 };
	int width = 48, height = 48;
	double lengthUm = LENGTH_UM;
	boolean flipped = false;
	/** Bone centre offset from the image centre (µm). */
	double offsetXUm = 40, offsetYUm = -20;
	double noise = 0.03;
	/** Radius of the leg (soft tissue) around the bone, µm; air (value {@link #air}) outside. Infinite: no air. */
	double legRadiusUm = Double.POSITIVE_INFINITY;
	double air = -0.4;
	long seed = 1;

	/** Number of slices. */
	int depth() {
		return (int) Math.round(lengthUm / voxelUm[2]);
	}

	/** Continuous slice coordinate (slice i centred at i) of a position along the bone (µm from the proximal end). */
	double sliceOf(final double um) {
		final double s = um / voxelUm[2] - 0.5;
		return flipped ? depth() - 1 - s : s;
	}

	double centreXUm() {
		return width * voxelUm[0] / 2 + offsetXUm;
	}

	double centreYUm() {
		return height * voxelUm[1] / 2 + offsetYUm;
	}

	static double radius(final double z) {
		if (z < PLATE_END_UM) return 380;
		if (z < 1600) return 380 - 130 * (z - PLATE_END_UM) / (1600 - PLATE_END_UM);
		return 250;
	}

	static double wall(final double z) {
		if (z >= PLATE_START_UM && z < PLATE_END_UM) return 22;
		if (z < 1600) return 45;
		return 45 + 80 * (z - 1600) / (LENGTH_UM - 1600);
	}

	/** Week {@code week} (1-based): week 1 intact, later weeks with a growing lesion. */
	Volume<FloatType> week(final int week) {
		final int d = depth();
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(width, height, d);
		final float[] a = img.update(null).getCurrentStorageArray();
		final double cx = centreXUm(), cy = centreYUm();
		final List<double[]> blobs = blobs();
		final double lesionR = week <= 1 ? 0 : 120 * (week - 1);
		final double[] lesion = { cx + 300, cy, 1000 };
		final Random noiseRnd = new Random(seed * 1000 + week);
		for (int i = 0; i < d; i++) {
			final double z = (flipped ? d - 1 - i + 0.5 : i + 0.5) * voxelUm[2];
			final double r = radius(z), wl = wall(z);
			for (int y = 0; y < height; y++)
				for (int x = 0; x < width; x++) {
					final double px = (x + 0.5) * voxelUm[0], py = (y + 0.5) * voxelUm[1];
					final double rr = Math.hypot(px - cx, py - cy);
					double v = rr > legRadiusUm ? air : SOFT;
					if (z >= 200 && rr < r) {
						if (rr >= r - wl) v = BONE;
						else if (z >= PLATE_START_UM && z < PLATE_END_UM) v = CARTILAGE;
						else v = MARROW;
					}
					a[(i * height + y) * width + x] = (float) v;
				}
		}
		// trabecular blobs (inside the cortex only)
		for (final double[] b : blobs) {
			final double br = b[3];
			final int x0 = (int) Math.floor((b[0] - br) / voxelUm[0]), x1 = (int) Math.ceil((b[0] + br) / voxelUm[0]);
			final int y0 = (int) Math.floor((b[1] - br) / voxelUm[1]), y1 = (int) Math.ceil((b[1] + br) / voxelUm[1]);
			final int z0 = (int) Math.floor((b[2] - br) / voxelUm[2]), z1 = (int) Math.ceil((b[2] + br) / voxelUm[2]);
			for (int zz = Math.max(0, z0); zz <= Math.min(d - 1, z1); zz++)
				for (int y = Math.max(0, y0); y <= Math.min(height - 1, y1); y++)
					for (int x = Math.max(0, x0); x <= Math.min(width - 1, x1); x++) {
						final double px = (x + 0.5) * voxelUm[0], py = (y + 0.5) * voxelUm[1], pz = (zz + 0.5) * voxelUm[2];
						if (sq(px - b[0]) + sq(py - b[1]) + sq(pz - b[2]) > br * br) continue;
						if (pz >= PLATE_START_UM && pz < PLATE_END_UM) continue; // cartilage stays free of mineral
						final int i = flipped ? d - 1 - zz : zz;
						a[(i * height + y) * width + x] = (float) BONE;
					}
		}
		for (int i = 0; i < d; i++) {
			final double z = (flipped ? d - 1 - i + 0.5 : i + 0.5) * voxelUm[2];
			for (int y = 0; y < height; y++)
				for (int x = 0; x < width; x++) {
					final int k = (i * height + y) * width + x;
					final double px = (x + 0.5) * voxelUm[0], py = (y + 0.5) * voxelUm[1];
					if (lesionR > 0 && sq(px - lesion[0]) + sq(py - lesion[1]) + sq(z - lesion[2]) < lesionR * lesionR &&
						a[k] == BONE) a[k] = (float) MARROW;
					a[k] += (float) (noise * noiseRnd.nextGaussian());
				}
		}
		return new Volume<>(img, voxelUm.clone(), new double[3], "phantom w" + week);
	}

	private static double sq(final double v) {
		return v * v;
	}

	/** Trabecular blobs {x, y, z, r} in µm, z from the proximal end; the same for every week. */
	List<double[]> blobs() {
		final Random rnd = new Random(seed);
		final List<double[]> out = new ArrayList<>();
		final double cx = centreXUm(), cy = centreYUm();
		// epiphysis: dense
		for (int i = 0; i < 90; i++)
			out.add(blob(rnd, cx, cy, 230 + rnd.nextDouble() * (PLATE_START_UM - 280)));
		// metaphysis: density falling off with distance from the plate
		for (int i = 0; i < 260; i++) {
			final double z = PLATE_END_UM + 15 + -350 * Math.log(1 - 0.95 * rnd.nextDouble());
			if (z < 1700) out.add(blob(rnd, cx, cy, z));
		}
		return out;
	}

	private static double[] blob(final Random rnd, final double cx, final double cy, final double z) {
		final double r = radius(z) - wall(z) - 30;
		final double a = rnd.nextDouble() * 2 * Math.PI, rho = r * Math.sqrt(rnd.nextDouble());
		return new double[] { cx + rho * Math.cos(a), cy + rho * Math.sin(a), z, 30 + 15 * rnd.nextDouble() };
	}
}
