package org.osteocast.register.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.core.Parallel;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.register.RigidTransforms;
import org.osteocast.io.Volume;

/**
 * Bone-like test volumes with a known rigid motion between two "weeks", for
 * the registration's tests and benchmark: a hollow tube with a triangular-ish
 * cross-section (a tibia's diaphysis) that flares towards one end, capped
 * ends, trabecular-like blobs in the flared end, a thin tilted rod beside it
 * (a fibula), Gaussian noise, and in the second week an optional spherical
 * lesion that dissolves a chunk of bone.
 * <p>
 * Both weeks are rendered analytically from the same continuous phantom
 * (partial-volume edges one voxel wide), the second one through the true
 * transform, so the moving scan is not an interpolated copy of the fixed one
 * (which would favour trilinear registration).
 */
public final class SyntheticBone {

	private SyntheticBone() {}

	/** Grey value of soft tissue / background and of bone. */
	public static final float BACKGROUND = 100, BONE = 1000;

	/** Two weeks and the true moving → fixed voxel matrix. */
	public static final class Pair {
		public final Volume<FloatType> fixed, moving;
		public final double[][] movingToFixedVoxel;

		Pair(final Volume<FloatType> fixed, final Volume<FloatType> moving, final double[][] m2f) {
			this.fixed = fixed;
			this.moving = moving;
			this.movingToFixedVoxel = m2f;
		}
	}

	/** A streamed pair: two 16-bit volumes rendered plane by plane when read, and the true moving → fixed voxel matrix. */
	public static final class StreamedPair {
		public final Volume<?> fixed, moving;
		public final double[][] movingToFixedVoxel;

		StreamedPair(final Volume<?> fixed, final Volume<?> moving, final double[][] m2f) {
			this.fixed = fixed;
			this.moving = moving;
			this.movingToFixedVoxel = m2f;
		}
	}

	/** What to generate. Fields are public for brevity; defaults give a 64 × 64 × 80 pair. */
	public static final class Spec {
		public int nx = 64, ny = 64, nz = 80;
		public double fixedVoxelUm = 10, movingVoxelUm = 10;
		/** Largest rotation about each axis (degrees) and shift along each axis (fixed voxels). */
		public double maxRotationDeg = 5, maxShiftVoxels = 5;
		/** Lesion radius in fixed voxels (0: none). */
		public double lesionRadiusVoxels = 0;
		/** Noise standard deviation as a fraction of the bone contrast. */
		public double noise = 0.05;
		/** Moving scan dimensions as a fraction of the fixed (1: same field of view in µm). */
		public double movingFieldOfView = 1;
	}

	/** Generates a pair: the bone and the rigid motion both drawn from {@code seed}. */
	public static Pair pair(final Spec s, final long seed) {
		return pair(s, seed, seed);
	}

	/**
	 * Generates a pair of the bone drawn from {@code boneSeed} with the motion
	 * (and noise) drawn from {@code motionSeed}: several pairs with one
	 * {@code boneSeed} are later weeks of the same mouse.
	 */
	public static Pair pair(final Spec s, final long boneSeed, final long motionSeed) {
		final Phantom ph = new Phantom(s.nx, s.ny, s.nz, new SplittableRandom(boneSeed));
		final SplittableRandom rnd = new SplittableRandom(motionSeed * 1_000_003L + 17);
		final long seed = motionSeed;
		// truth in µm about the fixed volume's centre: x_f = R (x_m - c) + c + t
		final double r = Math.toRadians(s.maxRotationDeg);
		final double[][] rot = RigidTransforms.eulerXyz(uniform(rnd, r), uniform(rnd, r), uniform(rnd, r));
		final double[] t = { uniform(rnd, s.maxShiftVoxels) * s.fixedVoxelUm, uniform(rnd, s.maxShiftVoxels) *
			s.fixedVoxelUm, uniform(rnd, s.maxShiftVoxels) * s.fixedVoxelUm };
		final double[] c = { (s.nx - 1) * s.fixedVoxelUm / 2, (s.ny - 1) * s.fixedVoxelUm / 2, (s.nz - 1) *
			s.fixedVoxelUm / 2 };
		final double[][] m2fUm = RigidTransforms.about(rot, c, t);
		final double[] vsF = { s.fixedVoxelUm, s.fixedVoxelUm, s.fixedVoxelUm };
		final double[] vsM = { s.movingVoxelUm, s.movingVoxelUm, s.movingVoxelUm };
		final double[][] m2fVox = RigidTransforms.umToVoxel(m2fUm, vsM, vsF);
		final int mx = (int) Math.round(s.nx * s.fixedVoxelUm / s.movingVoxelUm * s.movingFieldOfView);
		final int my = (int) Math.round(s.ny * s.fixedVoxelUm / s.movingVoxelUm * s.movingFieldOfView);
		final int mz = (int) Math.round(s.nz * s.fixedVoxelUm / s.movingVoxelUm * s.movingFieldOfView);
		final double[] lesion = ph.lesionCentre();
		final Volume<FloatType> fixed = render(ph, s.nx, s.ny, s.nz, RigidTransforms.identity(), null, 0, s.noise,
			vsF, new SplittableRandom(boneSeed * 7 + 1), "week1");
		final Volume<FloatType> moving = render(ph, mx, my, mz, m2fVox, lesion, s.lesionRadiusVoxels, s.noise, vsM,
			new SplittableRandom(seed * 7 + 2), "week2");
		return new Pair(fixed, moving, m2fVox);
	}

	/** Grey value added to every voxel of a streamed 16-bit pair, so noise never clips at 0. */
	public static final int STREAMED_OFFSET = 1000;

	/**
	 * The pair of {@link #pair(Spec, long)} (same phantom and motion, moving
	 * field of view as the fixed one), streamed: two 16-bit volumes whose planes
	 * are rendered when read (grey + {@value #STREAMED_OFFSET}, rounded), so a
	 * pair of any size is written plane by plane without being held. The noise
	 * is drawn per row (not in one sequence), so values differ from
	 * {@link #pair}'s, not the statistics.
	 */
	public static StreamedPair streamed(final Spec s, final long seed, final int threads) {
		final Phantom ph = new Phantom(s.nx, s.ny, s.nz, new SplittableRandom(seed));
		final SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + 17);
		final double r = Math.toRadians(s.maxRotationDeg);
		final double[][] rot = RigidTransforms.eulerXyz(uniform(rnd, r), uniform(rnd, r), uniform(rnd, r));
		final double[] t = { uniform(rnd, s.maxShiftVoxels) * s.fixedVoxelUm, uniform(rnd, s.maxShiftVoxels) *
			s.fixedVoxelUm, uniform(rnd, s.maxShiftVoxels) * s.fixedVoxelUm };
		final double[] c = { (s.nx - 1) * s.fixedVoxelUm / 2, (s.ny - 1) * s.fixedVoxelUm / 2, (s.nz - 1) *
			s.fixedVoxelUm / 2 };
		final double[] vs = { s.fixedVoxelUm, s.fixedVoxelUm, s.fixedVoxelUm };
		final double[][] m2fVox = RigidTransforms.umToVoxel(RigidTransforms.about(rot, c, t), vs, vs);
		final long[] dims = { s.nx, s.ny, s.nz };
		final double sigma = s.noise * (BONE - BACKGROUND);
		final Volume<?> fixed = LazyVolume.computed(dims, new UnsignedShortType(), planes(ph, s, RigidTransforms
			.identity(), null, 0, sigma, seed * 7 + 1, threads), 4, vs, new double[3], "week1");
		final Volume<?> moving = LazyVolume.computed(dims, new UnsignedShortType(), planes(ph, s, m2fVox, ph
			.lesionCentre(), s.lesionRadiusVoxels, sigma, seed * 7 + 2, threads), 4, vs, new double[3], "week2");
		return new StreamedPair(fixed, moving, m2fVox);
	}

	/** Plane z of a streamed scan: the phantom through {@code m}, blobs, lesion, per-row noise, as 16-bit. */
	private static LazyVolume.PlaneReader planes(final Phantom ph, final Spec s, final double[][] m,
		final double[] lesion, final double lesionR, final double sigma, final long seed, final int threads)
	{
		final int nx = s.nx, ny = s.ny, nz = s.nz;
		// each blob's bounding box in the grid, bucketed by plane
		final double[][] inv = RigidTransforms.invert(m);
		final double scale = Math.sqrt(m[0][0] * m[0][0] + m[1][0] * m[1][0] + m[2][0] * m[2][0]);
		final List<List<double[]>> byPlane = new ArrayList<>();
		for (int z = 0; z < nz; z++)
			byPlane.add(new ArrayList<>());
		for (final double[] b : ph.blobs) {
			final double[] c = RigidTransforms.apply(inv, b);
			final double rg = (b[3] + 1.5) / scale;
			final double[] box = { c[0], c[1], rg };
			for (int z = (int) Math.max(0, Math.floor(c[2] - rg)); z <= Math.min(nz - 1, Math.ceil(c[2] + rg)); z++)
				byPlane.get(z).add(new double[] { box[0], box[1], box[2], b[0], b[1], b[2], b[3] });
		}
		return z -> {
			final short[] out = new short[nx * ny];
			final int blocks = Math.min(ny, 4 * threads);
			Parallel.forEach("synthetic", blocks, threads, blk -> {
				final int y0 = (int) ((long) ny * blk / blocks), y1 = (int) ((long) ny * (blk + 1) / blocks);
				final float[] occ = new float[nx * (y1 - y0)];
				for (int y = y0, i = 0; y < y1; y++)
					for (int x = 0; x < nx; x++, i++)
						occ[i] = (float) ph.shell(m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3], m[1][0] * x + m[1][1] * y +
							m[1][2] * z + m[1][3], m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3]);
				for (final double[] b : byPlane.get(z))
					for (int y = (int) Math.max(y0, Math.floor(b[1] - b[2])); y <= Math.min(y1 - 1, Math.ceil(b[1] + b[2])); y++)
						for (int x = (int) Math.max(0, Math.floor(b[0] - b[2])); x <= Math.min(nx - 1, Math.ceil(b[0] + b[2])); x++) {
							final double qx = m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3] - b[3];
							final double qy = m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3] - b[4];
							final double qz = m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3] - b[5];
							final double o = ramp(Math.sqrt(qx * qx + qy * qy + qz * qz) - b[6]);
							final int i = x + nx * (y - y0);
							if (o > occ[i]) occ[i] = (float) o;
						}
				for (int y = y0, i = 0; y < y1; y++) {
					final SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + (long) z * 65_537L + y);
					for (int x = 0; x < nx; x++, i++) {
						double o = occ[i];
						if (lesion != null && lesionR > 0) {
							final double qx = m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3] - lesion[0];
							final double qy = m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3] - lesion[1];
							final double qz = m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3] - lesion[2];
							o *= 1 - ramp(Math.sqrt(qx * qx + qy * qy + qz * qz) - lesionR);
						}
						final double v = STREAMED_OFFSET + BACKGROUND + (BONE - BACKGROUND) * o + sigma * gauss(rnd);
						out[x + nx * y] = (short) Math.max(0, Math.min(65535, Math.round(v)));
					}
				}
			});
			return out;
		};
	}

	/** A volume of pure Gaussian noise around the phantom's mean grey value (a scan that cannot be registered). */
	public static Volume<FloatType> noise(final int nx, final int ny, final int nz, final double voxelUm,
		final long seed)
	{
		final SplittableRandom rnd = new SplittableRandom(seed);
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(nx, ny, nz);
		final float[] d = img.update(null).getCurrentStorageArray();
		for (int i = 0; i < d.length; i++)
			d[i] = (float) (BACKGROUND + (BONE - BACKGROUND) * (0.3 + 0.3 * gauss(rnd)));
		return Volume.of(img, voxelUm, "noise");
	}

	private static double uniform(final SplittableRandom rnd, final double a) {
		return (2 * rnd.nextDouble() - 1) * a;
	}

	private static double gauss(final SplittableRandom rnd) {
		double u;
		do
			u = rnd.nextDouble();
		while (u <= 0);
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
	}

	/**
	 * Renders the phantom on a grid whose voxel p shows phantom point
	 * {@code toPhantom · p} (phantom coordinates = fixed voxel indices).
	 */
	private static Volume<FloatType> render(final Phantom ph, final int nx, final int ny, final int nz,
		final double[][] toPhantom, final double[] lesion, final double lesionR, final double noise,
		final double[] vs, final SplittableRandom rnd, final String name)
	{
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(nx, ny, nz);
		final float[] occ = img.update(null).getCurrentStorageArray();
		final double[][] m = toPhantom;
		final double[] q = new double[3];
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					q[0] = m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3];
					q[1] = m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3];
					q[2] = m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3];
					occ[i] = (float) ph.shell(q[0], q[1], q[2]);
				}
		// blobs: visit each blob's bounding box in the target grid
		final double[][] inv = RigidTransforms.invert(toPhantom);
		for (final double[] b : ph.blobs) {
			final double[] c = RigidTransforms.apply(inv, b);
			final double rr = b[3] + 1.5;
			// the grid's voxel size relative to the phantom's (rigid: column norms)
			final double scale = Math.sqrt(m[0][0] * m[0][0] + m[1][0] * m[1][0] + m[2][0] * m[2][0]);
			final double rg = rr / scale;
			for (int z = (int) Math.max(0, Math.floor(c[2] - rg)); z <= Math.min(nz - 1, Math.ceil(c[2] + rg)); z++)
				for (int y = (int) Math.max(0, Math.floor(c[1] - rg)); y <= Math.min(ny - 1, Math.ceil(c[1] + rg)); y++)
					for (int x = (int) Math.max(0, Math.floor(c[0] - rg)); x <= Math.min(nx - 1, Math.ceil(c[0] + rg)); x++) {
						final double qx = m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3] - b[0];
						final double qy = m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3] - b[1];
						final double qz = m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3] - b[2];
						final double o = ramp(Math.sqrt(qx * qx + qy * qy + qz * qz) - b[3]);
						final int i = x + nx * (y + ny * z);
						if (o > occ[i]) occ[i] = (float) o;
					}
		}
		if (lesion != null && lesionR > 0) {
			for (int z = 0, i = 0; z < nz; z++)
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++, i++) {
						final double qx = m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3] - lesion[0];
						final double qy = m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3] - lesion[1];
						final double qz = m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3] - lesion[2];
						occ[i] *= (float) (1 - ramp(Math.sqrt(qx * qx + qy * qy + qz * qz) - lesionR));
					}
		}
		final double sigma = noise * (BONE - BACKGROUND);
		for (int i = 0; i < occ.length; i++)
			occ[i] = (float) (BACKGROUND + (BONE - BACKGROUND) * occ[i] + sigma * gauss(rnd));
		return new Volume<>(img, vs, new double[3], name);
	}

	/** Occupancy of a point at signed distance d (voxels) from a surface: a one-voxel partial-volume ramp. */
	private static double ramp(final double d) {
		return d <= -0.5 ? 1 : d >= 0.5 ? 0 : 0.5 - d;
	}

	/** The continuous phantom, in fixed voxel coordinates. */
	private static final class Phantom {
		final double cx, cy, r0, th, z0, z1, flareStart, phase, drift;
		final double[] rodA, rodB;
		final double rodR;
		final List<double[]> blobs = new ArrayList<>();

		Phantom(final int nx, final int ny, final int nz, final SplittableRandom rnd) {
			cx = (nx - 1) / 2.0 + (rnd.nextDouble() - 0.5) * 2;
			cy = (ny - 1) / 2.0 + (rnd.nextDouble() - 0.5) * 2;
			r0 = 0.2 * Math.min(nx, ny);
			th = Math.max(1.5, 0.2 * r0);
			z0 = 0.1 * nz;
			z1 = 0.9 * nz;
			flareStart = 0.6 * nz;
			phase = rnd.nextDouble() * 2 * Math.PI;
			drift = 0.04 * r0;
			rodR = Math.max(1.2, 0.15 * r0);
			rodA = new double[] { cx + 1.9 * r0, cy + 0.4 * r0, 0.15 * nz };
			rodB = new double[] { cx + 1.5 * r0, cy + 0.2 * r0, 0.65 * nz };
			// trabecular blobs in the flared end
			final int count = (int) Math.round(0.35 * r0 * r0 * (z1 - flareStart) / 8);
			for (int k = 0; k < count; k++) {
				final double z = flareStart + rnd.nextDouble() * (z1 - flareStart - 1);
				final double a = rnd.nextDouble() * 2 * Math.PI;
				final double inner = outer(a, z) - th;
				final double rho = Math.sqrt(rnd.nextDouble()) * inner;
				final double[] ctr = centre(z);
				blobs.add(new double[] { ctr[0] + rho * Math.cos(a), ctr[1] + rho * Math.sin(a), z, 0.8 + rnd
					.nextDouble() * 1.2 });
			}
		}

		double[] centre(final double z) {
			return new double[] { cx + drift * Math.sin(z / 17.0), cy + drift * Math.cos(z / 23.0) };
		}

		double outer(final double a, final double z) {
			final double flare = z > flareStart ? (z - flareStart) / (z1 - flareStart) : 0;
			return r0 * (1 + 0.18 * Math.cos(3 * a + phase)) * (1 + 0.45 * flare * flare);
		}

		/** A point in the lateral cortex of the flared end, where lesions start. */
		double[] lesionCentre() {
			final double z = flareStart + 0.5 * (z1 - flareStart);
			final double a = phase;
			final double[] c = centre(z);
			final double r = outer(a, z) - th / 2;
			return new double[] { c[0] + r * Math.cos(a), c[1] + r * Math.sin(a), z };
		}

		/** Occupancy of cortex (tube + end caps) and rod at (x, y, z). */
		double shell(final double x, final double y, final double z) {
			double occ = 0;
			if (z > z0 - 1 && z < z1 + 1) {
				final double[] c = centre(z);
				final double dx = x - c[0], dy = y - c[1];
				final double rho = Math.sqrt(dx * dx + dy * dy);
				final double a = Math.atan2(dy, dx);
				final double ro = outer(a, z);
				final double wall = Math.min(ramp(rho - ro), ramp(ro - th - rho));
				final double solidEnd = Math.min(ramp(rho - ro), Math.max(ramp(z - (z0 + th)), ramp(z1 - th - z)));
				final double inZ = Math.min(ramp(z0 - z), ramp(z - z1));
				occ = Math.min(inZ, Math.max(wall, solidEnd));
			}
			// rod: distance to the segment A-B
			final double ux = rodB[0] - rodA[0], uy = rodB[1] - rodA[1], uz = rodB[2] - rodA[2];
			final double len2 = ux * ux + uy * uy + uz * uz;
			double s = ((x - rodA[0]) * ux + (y - rodA[1]) * uy + (z - rodA[2]) * uz) / len2;
			s = Math.max(0, Math.min(1, s));
			final double ex = x - rodA[0] - s * ux, ey = y - rodA[1] - s * uy, ez = z - rodA[2] - s * uz;
			final double rod = ramp(Math.sqrt(ex * ex + ey * ey + ez * ez) - rodR);
			return Math.max(occ, rod);
		}
	}
}
