package org.osteocast.register;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.osteocast.io.Volume;

/**
 * The last refinement of a registration whose pyramid ran on reduced copies:
 * the same robust Gauss-Newton step as the finest level, at the scans' own
 * resolution, on a bounded random sample of fixed-scan voxels (the model is
 * elastix's random sampler: up to {@value #SAMPLES} voxels, bounded by the heap,
 * drawn with a fixed seed from the fixed bone mask of the reduced copy dilated
 * by one reduced voxel).
 * <p>
 * Memory stays bounded by the sample: the fixed values and gradients are read
 * at the sampled voxels in one pass through the fixed scan's planes, sorted
 * by plane; for the moving scan each sample keeps a 4 × 4 × 4 patch of
 * voxels around where the current transform maps it (both scans smoothed by
 * the finest level's Gaussian, three taps per axis), read in one pass
 * through the moving planes (samples sorted by plane, through a window of
 * planes). Every iteration then interpolates trilinearly inside the patches;
 * only when the transform carries a sample out of its patch (a step of about
 * a voxel, rare this late) are the patches read again. So each plane of
 * either scan is decoded once per pass, and there are at most
 * {@value #MAX_PASSES} passes over the moving scan. No float copy of a scan is
 * ever made.
 * <p>
 * Why: at a reduction of k the reduced copies locate the bone to a small
 * fraction of k voxels; the full-resolution edges carry the sub-voxel rest.
 */
final class FullResolution {

	/**
	 * Fixed-scan voxels sampled at most. Measured on the 16-bit streaming test
	 * pair reduced by 3: 100,000 samples left the mean bone displacement at
	 * 0.010 voxel against the reduced copy's 0.008 (the reduced copy averages
	 * every voxel of the mask, a sample only some); 400,000 brought it to 0.005.
	 */
	static final int SAMPLES = 400_000;
	/** Below this many samples (a small heap) the step is skipped: too few to improve on the reduced copy. */
	static final int MIN_SAMPLES = 50_000;
	/** Heap bytes one sample needs (its patch, position, values, gradient, residuals and sort keys). */
	static final long BYTES_PER_SAMPLE = 400;
	/** Moving-patch edge in voxels (trilinear interpolation is valid up to a voxel either side of the start). */
	static final int PATCH = 4;
	/** Most passes over the moving scan's planes: the first one and re-reads when samples leave their patches. */
	static final int MAX_PASSES = 4;

	private FullResolution() {}

	/** Plane counts of one full-resolution step (tests bound them). */
	static final class Report {
		/** Samples drawn; passes over the moving scan; planes decoded from the fixed and the moving scan. */
		int samples, passes;
		long fixedPlanes, movingPlanes;

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d samples, %d moving passes, %d fixed and %d moving planes read", samples,
				passes, fixedPlanes, movingPlanes);
		}
	}

	/**
	 * Refines {@code coarse} at full resolution; returns its transform
	 * unchanged (with zero iterations) when there is nothing to sample.
	 */
	static RigidRegistration.Fit refine(final RigidRegistration.Run run, final RigidRegistration.Plan plan,
		final RigidRegistration.Fit coarse)
	{
		final Volume<?> fixedScan = run.scans[0], movingScan = run.scans[1];
		run.progress.status("registering " + run.what + ": refining at full resolution on sampled voxels");
		final PlaneSource fs = PlaneSource.of(fixedScan), ms = PlaneSource.of(movingScan);
		final long[] idx = draw(run, plan, fs);
		final Report report = new Report();
		run.fullResolution = report;
		report.samples = idx.length;
		if (idx.length == 0) return new RigidRegistration.Fit(coarse.transform, 0, coarse.converged);
		final Sampled lv = new Sampled(fs, ms, idx, run.origVsF, run.origVsM, plan.centre, taps(run.p
			.finestSigmaVoxels()));
		run.cancel.check();
		final RigidRegistration.Fit fit = run.optimise(lv, coarse.transform, run.p.maxIterations(), true, false);
		report.passes = lv.passes;
		report.fixedPlanes = fs.planesRead();
		report.movingPlanes = ms.planesRead();
		return fit;
	}

	/**
	 * The sampled fixed voxels as flat full-resolution indices, sorted: a
	 * voxel of the dilated reduced bone mask drawn uniformly, then a voxel of
	 * the full-resolution cell it stands for.
	 */
	private static long[] draw(final RigidRegistration.Run run, final RigidRegistration.Plan plan,
		final PlaneSource fs)
	{
		final FloatGrid g = run.fixed;
		final byte[] mask = plan.boneF.clone();
		RigidRegistration.dilate(mask, g.nx, g.ny, g.nz, 1);
		int count = 0;
		for (final byte b : mask)
			count += b;
		if (count == 0) return new long[0];
		final int[] k = new int[3];
		for (int d = 0; d < 3; d++)
			k[d] = Math.max(1, (int) Math.round(g.vs[d] / run.origVsF[d]));
		final SplittableRandom rnd = new SplittableRandom(run.p.seed() * 131 + 7);
		final int budget = samples(run.p.heapBytes());
		if (budget < MIN_SAMPLES) return new long[0];
		// never more samples than full-resolution voxels under the mask
		final int n = (int) Math.min(budget, (long) count * k[0] * k[1] * k[2]);
		final int[] ranks = new int[n];
		for (int s = 0; s < n; s++)
			ranks[s] = rnd.nextInt(count);
		Arrays.sort(ranks);
		final long[] idx = new long[n];
		final long plane = (long) fs.nx * fs.ny;
		int s = 0, rank = 0;
		for (int i = 0; i < mask.length && s < n; i++) {
			if (mask[i] == 0) continue;
			while (s < n && ranks[s] == rank) {
				final int rx = i % g.nx, ry = (i / g.nx) % g.ny, rz = i / (g.nx * g.ny);
				final int x = cell(rx, k[0], fs.nx, rnd), y = cell(ry, k[1], fs.ny, rnd), z = cell(rz, k[2], fs.nz, rnd);
				idx[s++] = x + (long) fs.nx * y + plane * z;
			}
			rank++;
		}
		Arrays.sort(idx);
		return idx;
	}

	/** The sample size for a heap of {@code heapBytes}: {@link #SAMPLES}, or what an eighth of the heap holds. */
	static int samples(final long heapBytes) {
		return (int) Math.min(SAMPLES, heapBytes / 8 / BYTES_PER_SAMPLE);
	}

	/**
	 * The three taps of a Gaussian of {@code sigma} voxels (the finest level's
	 * smoothing; at 0.5 voxel the taps beyond ±1 hold 0.05 % of the weight).
	 */
	static float[] taps(final double sigma) {
		if (sigma <= 0.05) return new float[] { 0, 1, 0 };
		final double e = Math.exp(-0.5 / (sigma * sigma));
		return new float[] { (float) (e / (1 + 2 * e)), (float) (1 / (1 + 2 * e)), (float) (e / (1 + 2 * e)) };
	}

	/**
	 * The {@code size}³ cube at (x0, y0, z0) of {@code src} smoothed by the
	 * three taps {@code w} per axis, into {@code out} from {@code off}: reads
	 * the (size + 2)³ raw cube around it, clamped at the scan's faces
	 * ({@code clamp}) or NaN beyond them.
	 */
	static void smoothed(final PlaneSource src, final int x0, final int y0, final int z0, final int size,
		final float[] w, final boolean clamp, final float[] out, final int off)
	{
		final int e = size + 2;
		final float[] raw = new float[e * e * e], a = new float[size * e * e], b = new float[size * size * e];
		for (int dz = 0, j = 0; dz < e; dz++) {
			int z = z0 - 1 + dz;
			if (clamp) z = Math.max(0, Math.min(src.nz - 1, z));
			for (int dy = 0; dy < e; dy++) {
				int y = y0 - 1 + dy;
				if (clamp) y = Math.max(0, Math.min(src.ny - 1, y));
				for (int dx = 0; dx < e; dx++, j++) {
					int x = x0 - 1 + dx;
					if (clamp) x = Math.max(0, Math.min(src.nx - 1, x));
					raw[j] = x >= 0 && y >= 0 && z >= 0 && x < src.nx && y < src.ny && z < src.nz ? src.get(x + src.nx * y,
						z) : Float.NaN;
				}
			}
		}
		// x, then y, then z: e³ → size·e² → size²·e → size³
		for (int i = 0, j = 0; i < e * e; i++)
			for (int x = 0; x < size; x++, j++) {
				final int r = i * e + x;
				a[j] = w[0] * raw[r] + w[1] * raw[r + 1] + w[2] * raw[r + 2];
			}
		for (int z = 0, j = 0; z < e; z++)
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++, j++) {
					final int r = x + size * (y + e * z);
					b[j] = w[0] * a[r] + w[1] * a[r + size] + w[2] * a[r + 2 * size];
				}
		final int pl = size * size;
		for (int z = 0, j = off; z < size; z++)
			for (int i = 0; i < pl; i++, j++) {
				final int r = i + pl * z;
				out[j] = w[0] * b[r] + w[1] * b[r + pl] + w[2] * b[r + 2 * pl];
			}
	}

	/** A full-resolution coordinate of the cell centred on k·r (the reduction's voxel centres). */
	private static int cell(final int r, final int k, final int n, final SplittableRandom rnd) {
		final int c = k * r + (k > 1 ? rnd.nextInt(k) - (k - 1) / 2 : 0);
		return Math.max(0, Math.min(n - 1, c));
	}

	/** The full-resolution samples: fixed values and gradients at sampled voxels, moving values from patches. */
	static final class Sampled extends RigidRegistration.Level {
		private final PlaneSource moving;
		private final double[] movingVs;
		/** Each sample's patch: its origin (moving voxel) and its PATCH³ raw values (NaN outside the scan). */
		private final int[] ox, oy, oz;
		private final float[] patch, taps;
		int passes;

		Sampled(final PlaneSource fs, final PlaneSource ms, final long[] idx, final double[] fixedVs,
			final double[] movingVs, final double[] centre, final float[] taps)
		{
			super(idx.length, centre, Math.min(fixedVs[0], Math.min(fixedVs[1], fixedVs[2])), radius(fs, idx, fixedVs,
				centre));
			this.moving = ms;
			this.movingVs = movingVs.clone();
			this.taps = taps.clone();
			ox = new int[n];
			oy = new int[n];
			oz = new int[n];
			patch = new float[n * PATCH * PATCH * PATCH];
			Arrays.fill(ox, Integer.MIN_VALUE / 2);
			final long plane = (long) fs.nx * fs.ny;
			// idx is sorted: the planes are visited in order, z - 2 … z + 2 stay in the source's window;
			// value and central-difference gradient of the smoothed scan (as at the finest level)
			final float[] c = new float[27];
			for (int s = 0; s < n; s++) {
				final int x = (int) (idx[s] % fs.nx), y = (int) ((idx[s] / fs.nx) % fs.ny), z = (int) (idx[s] / plane);
				px[s] = (float) (x * fixedVs[0] - centre[0]);
				py[s] = (float) (y * fixedVs[1] - centre[1]);
				pz[s] = (float) (z * fixedVs[2] - centre[2]);
				smoothed(fs, x - 1, y - 1, z - 1, 3, taps, true, c, 0);
				fv[s] = c[13];
				gx[s] = diff(c[12], c[14], x, fs.nx, fixedVs[0]);
				gy[s] = diff(c[10], c[16], y, fs.ny, fixedVs[1]);
				gz[s] = diff(c[4], c[22], z, fs.nz, fixedVs[2]);
			}
		}

		/** Central difference of the neighbours a (below) and b (above), one-sided at the faces (clamped there). */
		private static float diff(final float a, final float b, final int c, final int len, final double vs) {
			if (len < 2) return 0;
			final int span = (c > 0 ? 1 : 0) + (c < len - 1 ? 1 : 0);
			return (float) ((b - a) / (span * vs));
		}

		private static double radius(final PlaneSource fs, final long[] idx, final double[] vs, final double[] c) {
			double r2 = 0;
			final long plane = (long) fs.nx * fs.ny;
			for (final long i : idx) {
				final double x = (i % fs.nx) * vs[0] - c[0], y = ((i / fs.nx) % fs.ny) * vs[1] - c[1], z = (i / plane) *
					vs[2] - c[2];
				r2 += x * x + y * y + z * z;
			}
			return idx.length > 0 ? Math.sqrt(r2 / idx.length) : 0;
		}

		@Override
		float[] residuals(final double[][] t, final RigidRegistration.Run run) {
			final double[][] a = map(t);
			final float[] r = new float[n];
			final boolean[] stale = new boolean[1];
			interpolate(a, r, run, stale);
			if (stale[0] && passes < MAX_PASSES) {
				read(a);
				interpolate(a, r, run, stale);
			}
			return r;
		}

		/** Sample position (relative to the centre, µm) → moving voxel index. */
		private double[][] map(final double[][] t) {
			return RigidTransforms.multiply(RigidRegistration.diag(1 / movingVs[0], 1 / movingVs[1], 1 / movingVs[2]),
				RigidTransforms.multiply(t, RigidTransforms.about(RigidTransforms.rotation(new double[3]), new double[3],
					centre)));
		}

		private void interpolate(final double[][] a, final float[] r, final RigidRegistration.Run run,
			final boolean[] stale)
		{
			stale[0] = false;
			final float gain = (float) run.gain, offset = (float) run.offset;
			final int mx = moving.nx, my = moving.ny, mz = moving.nz;
			FloatGrid.parallelFor(run.pool, n, (lo, hi) -> {
				boolean out = false;
				for (int s = lo; s < hi; s++) {
					final double x = px[s], y = py[s], z = pz[s];
					final double qx = a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3];
					final double qy = a[1][0] * x + a[1][1] * y + a[1][2] * z + a[1][3];
					final double qz = a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3];
					if (!(qx >= 0 && qy >= 0 && qz >= 0 && qx <= mx - 1 && qy <= my - 1 && qz <= mz - 1)) {
						r[s] = Float.NaN;
						continue;
					}
					final double lx = qx - ox[s], ly = qy - oy[s], lz = qz - oz[s];
					if (!(lx >= 0 && ly >= 0 && lz >= 0 && lx <= PATCH - 1 && ly <= PATCH - 1 && lz <= PATCH - 1)) {
						out = true;
						r[s] = Float.NaN;
						continue;
					}
					r[s] = gain * trilinear(s, lx, ly, lz) + offset - fv[s];
				}
				if (out) stale[0] = true;
			});
		}

		private float trilinear(final int s, final double lx, final double ly, final double lz) {
			final int ix = Math.min(PATCH - 2, (int) lx), iy = Math.min(PATCH - 2, (int) ly), iz = Math.min(PATCH - 2,
				(int) lz);
			final float fx = (float) (lx - ix), fy = (float) (ly - iy), fz = (float) (lz - iz);
			final int b = s * PATCH * PATCH * PATCH + ix + PATCH * (iy + PATCH * iz);
			final int sy = PATCH, sz = PATCH * PATCH;
			final float c00 = patch[b] + fx * (patch[b + 1] - patch[b]);
			final float c10 = patch[b + sy] + fx * (patch[b + sy + 1] - patch[b + sy]);
			final float c01 = patch[b + sz] + fx * (patch[b + sz + 1] - patch[b + sz]);
			final float c11 = patch[b + sz + sy] + fx * (patch[b + sz + sy + 1] - patch[b + sz + sy]);
			final float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
			return c0 + fz * (c1 - c0);
		}

		/**
		 * Reads every sample's patch around its position under the voxel map
		 * {@code a}: samples in order of their patch's first plane, so the
		 * planes pass through the moving source's window once.
		 */
		private void read(final double[][] a) {
			passes++;
			final long[] order = new long[n];
			for (int s = 0; s < n; s++) {
				final double x = px[s], y = py[s], z = pz[s];
				ox[s] = (int) Math.floor(a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3]) - (PATCH / 2 - 1);
				oy[s] = (int) Math.floor(a[1][0] * x + a[1][1] * y + a[1][2] * z + a[1][3]) - (PATCH / 2 - 1);
				final double qz = a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3];
				oz[s] = (int) Math.max(Integer.MIN_VALUE / 4, Math.min(Integer.MAX_VALUE / 4, Math.floor(qz) - (PATCH / 2
					- 1)));
				order[s] = ((long) oz[s] << 32) | s;
			}
			Arrays.sort(order);
			for (final long o : order) {
				final int s = (int) o;
				smoothed(moving, ox[s], oy[s], oz[s], PATCH, taps, false, patch, s * PATCH * PATCH * PATCH);
			}
		}
	}
}
