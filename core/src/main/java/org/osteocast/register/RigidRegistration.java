package org.osteocast.register;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Otsu;
import org.osteocast.core.Parallel;
import org.osteocast.core.Progress;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.Volume;

/**
 * Intensity-based rigid (6 degrees of freedom) 3-D registration of one scan
 * ("moving", e.g. week k) onto another ("fixed", e.g. week 1).
 *
 * <h2>Method</h2>
 * <ul>
 * <li><b>Physical space.</b> Everything runs in micrometres
 * ({@code index · voxel size}), so scans with different (even anisotropic)
 * voxel sizes register directly; the result is converted to the voxel-index
 * matrix of the transform contract at the end.</li>
 * <li><b>Pyramid.</b> Both scans are Gaussian-smoothed and subsampled per
 * level ({@link RegistrationParameters#levels()}, halving the fixed scan's
 * smallest voxel size per level; sigma = half the shrink factor, as in
 * elastix's smoothing pyramid). Scans above {@link RegistrationParameters#maxVoxels()}
 * (or the heap) run the pyramid on reduced copies built while streaming, and
 * the transform is refined last at the scans' own resolution on a random
 * sample of voxels ({@link FullResolution}).</li>
 * <li><b>Start.</b> Candidates: the identity, the centre-of-mass shift, and the
 * four proper rotations that map the fixed bone's principal axes onto the
 * moving bone's (the sign of an eigenvector is arbitrary, so all sign
 * combinations with determinant +1 are tried). Bone = above the Otsu
 * threshold of each scan. Each candidate is refined briefly at the coarsest
 * level and the one with the best robust metric wins — this copes with
 * arbitrary initial misalignment, including 180° flips.</li>
 * <li><b>Metric.</b> Sum of squared differences, but only over the fixed
 * scan's bone mask dilated by a margin, and robust: residuals are weighted
 * by Tukey's biweight with a scale of 1.4826 × the median absolute residual,
 * but at least {@link #SCALE_FLOOR} × the bone contrast (Huber at the
 * coarsest level, where the start may still be far off).
 * <i>Why:</i> between weeks osteolytic lesions dissolve bone, so a part of the
 * fixed bone has no counterpart in the moving scan. Plain SSD (or
 * correlation) over the whole image would pull the bone towards the hole;
 * with the biweight those residuals (far beyond the noise) get zero weight
 * and the remaining, unchanged bone decides. The mask keeps the soft tissue,
 * the bed and the field-of-view edges (which also change) out of the sum.
 * Grey values of the moving scan are first mapped linearly onto the fixed
 * scan's by the means of their Otsu classes, so a scanner calibration drift
 * does not masquerade as misalignment (normalised correlation would achieve
 * that too but is not robust to the lesion).</li>
 * <li><b>Optimiser.</b> Levenberg-Marquardt-damped Gauss-Newton on the
 * analytic gradient in the inverse-compositional form: the Jacobian uses the
 * fixed scan's gradient at the fixed sample positions, so it is computed once
 * per level, and each iteration costs one trilinear pass over the samples.
 * Parameters are a rotation vector about the fixed bone's centre and a
 * translation in µm. Compared with a derivative-free optimiser (BOBYQA,
 * Powell) it converges in a handful of iterations to the exact optimum of the
 * sampled metric.</li>
 * <li><b>Verdict.</b> {@link #assess} flags a result unreliable from evidence
 * in the data: see its documentation.</li>
 * </ul>
 * Multi-threaded via {@link RegistrationParameters#threads()}; progress and
 * cancellation are honoured between iterations and levels.
 */
public final class RigidRegistration {

	/** Tukey biweight tuning constant (95 % efficiency under Gaussian noise). */
	static final double TUKEY_C = 4.685;
	/** Huber tuning constant (95 % efficiency under Gaussian noise). */
	static final double HUBER_K = 1.345;
	/**
	 * Floor of the robust scale as a fraction of the fixed scan's bone contrast
	 * (difference of its Otsu class means): with it the biweight rejects
	 * residuals beyond about half the contrast — bone where the other scan has
	 * none, i.e. a lesion — but keeps the edge residuals of partial-volume and
	 * interpolation differences that carry the alignment. The median absolute
	 * residual alone is set by the flat regions' noise and would reject those
	 * edges (measured: 0.16 instead of 0.06 voxel on a small partial-overlap pair).
	 */
	static final double SCALE_FLOOR = 0.1;
	/** Below this fraction of the fixed bone inside the moving scan, too little is shared to trust the fit. */
	public static final double MIN_OVERLAP = 0.5;
	/** Below this Dice of the Otsu bone masks, fixed and registered bone do not coincide. */
	public static final double MIN_DICE = 0.5;
	/** A result whose metric exceeds the identity's by this factor is worse than not registering at all. */
	public static final double WORSE_THAN_IDENTITY = 1.1;
	/** A metric (normalised MSD) of 1 means the registered scan explains nothing of the fixed one. */
	public static final double MAX_METRIC = 1.0;

	private RigidRegistration() {}

	/**
	 * Registers {@code moving} onto {@code fixed}.
	 *
	 * @param fixed the reference scan (week 1, or the reference tibia); its
	 *          bone defines the metric mask
	 * @param moving the scan to align; any real pixel type, any voxel size
	 * @return the transform (moving → fixed) and its quality; never null
	 * @throws IllegalArgumentException if a scan is empty or too large
	 * @throws Cancellation.CancelledException if cancelled
	 */
	public static RegistrationResult register(final Volume<?> fixed, final Volume<?> moving,
		final RegistrationParameters p, final Progress progress, final Cancellation cancel)
	{
		final long t0 = System.nanoTime();
		progress.status("registering " + moving.name() + " to " + fixed.name() + ": reading");
		final FloatGrid f = grid(fixed, p.maxVoxels(), p.heapBytes(), p.threads());
		cancel.check();
		final FloatGrid m = grid(moving, p.maxVoxels(), p.heapBytes(), p.threads());
		// a reduced working copy gets a last refinement on sampled voxels of the scans themselves
		final boolean reduced = f.size() < fixed.width() * fixed.height() * fixed.depth() || m.size() < moving.width() *
			moving.height() * moving.depth();
		return register(f, m, fixed.voxelSizeUm(), moving.voxelSizeUm(), p, progress, cancel, moving.name() + " to " +
			fixed.name(), t0, reduced ? new Volume<?>[] { fixed, moving } : null);
	}

	/**
	 * The working float grid of a scan: a plain copy, or — above
	 * {@code maxVoxels} — a copy reduced by the smallest integer factor that
	 * fits (anti-alias filtered, centred on the kept voxels, see
	 * {@link PlaneSource#reduce}). Why: two float copies of a 10⁹-voxel scan
	 * would need 8 GB; at a reduction of k the registration is still accurate to
	 * a small fraction of k voxels.
	 */
	static FloatGrid grid(final Volume<?> v, final long maxVoxels) {
		return grid(v, maxVoxels, 1);
	}

	/** As {@link #grid(Volume, long)} on {@code threads} threads. */
	static FloatGrid grid(final Volume<?> v, final long maxVoxels, final int threads) {
		return grid(v, maxVoxels, Runtime.getRuntime().maxMemory(), threads);
	}

	/**
	 * As {@link #grid(Volume, long, int)}, with the working copy also bounded by the
	 * heap: a registration holds about ten float arrays of a grid's size (two
	 * scans, a pyramid level of each, masks and samples), and these may take
	 * {@value #GRID_HEAP_PERCENT} % of the heap (the rest is for the scans' plane
	 * caches, the full-resolution samples and the resampling window), so a grid
	 * gets at most {@code heapBytes · 0.6 / }{@value #HEAP_BYTES_PER_VOXEL} voxels.
	 */
	static FloatGrid grid(final Volume<?> v, final long maxVoxels, final long heapBytes, final int threads) {
		return reduce(v, Math.min(maxVoxels, Math.max(4096, heapBytes / 100 * GRID_HEAP_PERCENT / HEAP_BYTES_PER_VOXEL)),
			threads);
	}

	/**
	 * Share of the heap the working copies may fill. Why not all of it: two
	 * registrations side by side in a 4 GB Spark executor, each given 2 GB,
	 * ran out of heap with copies sized for their whole share.
	 */
	static final long GRID_HEAP_PERCENT = 60;

	/** Heap bytes a registration needs per voxel of one working grid (see {@link #grid(Volume, long, long, int)}). */
	static final long HEAP_BYTES_PER_VOXEL = 40;

	private static FloatGrid reduce(final Volume<?> v, final long maxVoxels, final int threads) {
		final long n = v.width() * v.height() * v.depth();
		int k = 1;
		while (n / ((long) k * k * k) > maxVoxels)
			k++;
		return k == 1 && !LazyVolume.isLazy(v) ? FloatGrid.of(v) : PlaneSource.of(v).reduce(k, v.voxelSizeUm(), threads);
	}

	static RegistrationResult register(final FloatGrid fixed, final FloatGrid moving, final double[] fixedVoxelUm,
		final double[] movingVoxelUm, final RegistrationParameters p, final Progress progress, final Cancellation cancel,
		final String what, final long t0)
	{
		return register(fixed, moving, fixedVoxelUm, movingVoxelUm, p, progress, cancel, what, t0, null);
	}

	/**
	 * As above; with {@code scans} (the fixed and the moving scan whose reduced
	 * copies the grids are) the transform is refined last at the scans' own
	 * resolution on sampled voxels ({@link FullResolution}).
	 */
	static RegistrationResult register(final FloatGrid fixed, final FloatGrid moving, final double[] fixedVoxelUm,
		final double[] movingVoxelUm, final RegistrationParameters p, final Progress progress, final Cancellation cancel,
		final String what, final long t0, final Volume<?>[] scans)
	{
		final ExecutorService pool = p.threads() > 1 ? Parallel.pool("register", p.threads()) : null;
		try {
			final Run run = new Run(fixed, moving, p, progress, cancel, pool, what);
			run.origVsF = fixedVoxelUm.clone();
			run.origVsM = movingVoxelUm.clone();
			run.scans = scans;
			return run.run(t0);
		}
		finally {
			if (pool != null) pool.shutdownNow();
		}
	}

	/** Centre of mass (µm) and covariance (µm²) of the voxels above {@code thr}; null if none. */
	static double[][] moments(final FloatGrid g, final double thr) {
		double n = 0, sx = 0, sy = 0, sz = 0, xx = 0, yy = 0, zz = 0, xy = 0, xz = 0, yz = 0;
		for (int z = 0, i = 0; z < g.nz; z++) {
			final double pz = z * g.vs[2];
			for (int y = 0; y < g.ny; y++) {
				final double py = y * g.vs[1];
				for (int x = 0; x < g.nx; x++, i++) {
					if (!(g.data[i] > thr)) continue;
					final double px = x * g.vs[0];
					n++;
					sx += px;
					sy += py;
					sz += pz;
					xx += px * px;
					yy += py * py;
					zz += pz * pz;
					xy += px * py;
					xz += px * pz;
					yz += py * pz;
				}
			}
		}
		if (n < 1) return null;
		final double mx = sx / n, my = sy / n, mz = sz / n;
		return new double[][] { { mx, my, mz }, { xx / n - mx * mx, xy / n - mx * my, xz / n - mx * mz }, { xy / n - mx *
			my, yy / n - my * my, yz / n - my * mz }, { xz / n - mx * mz, yz / n - my * mz, zz / n - mz * mz }, { n } };
	}

	/** Eigenvectors (columns, by decreasing eigenvalue) of a 3 × 3 covariance, as a proper rotation. */
	static double[][] principalAxes(final double[][] m) {
		final RealMatrix c = new Array2DRowRealMatrix(new double[][] { m[1], m[2], m[3] });
		final EigenDecomposition e = new EigenDecomposition(c);
		final double[] ev = e.getRealEigenvalues();
		final Integer[] order = { 0, 1, 2 };
		Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
		final double[][] r = new double[3][3];
		for (int k = 0; k < 3; k++) {
			final double[] v = e.getEigenvector(order[k]).toArray();
			for (int i = 0; i < 3; i++)
				r[i][k] = v[i];
		}
		final double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] *
			r[2][0]) + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
		if (det < 0) for (int i = 0; i < 3; i++)
			r[i][2] = -r[i][2];
		return r;
	}

	/** One registration: the state shared by the levels. */
	static final class Run {
		final FloatGrid fixed, moving;
		final RegistrationParameters p;
		final Progress progress;
		final Cancellation cancel;
		final ExecutorService pool;
		final String what;
		double gain = 1, offset = 0, contrast;
		double thrF, thrM;
		long totalUnits, doneUnits;
		/** The scans' own voxel sizes (the grids may be reduced copies). */
		double[] origVsF, origVsM;
		/** Bone moments (centre, covariance, count) of each scan; the moving one null without bone. */
		double[][] momF, momM;
		/** The scans at their own resolution when the grids are reduced copies (then refined on sampled voxels); else null. */
		Volume<?>[] scans;
		/** The full-resolution step of the last run, null without one (tests read its plane counts). */
		FullResolution.Report fullResolution;

		Run(final FloatGrid fixed, final FloatGrid moving, final RegistrationParameters p, final Progress progress,
			final Cancellation cancel, final ExecutorService pool, final String what)
		{
			this.fixed = fixed;
			this.moving = moving;
			this.p = p;
			this.progress = progress;
			this.cancel = cancel;
			this.pool = pool;
			this.what = what;
		}

		RegistrationResult run(final long t0) {
			cancel.check();
			calibrate();
			final Plan plan = plan();
			final Start start = start(plan);
			cancel.check();
			Fit fit = refine(plan, start.fit.transform);
			cancel.check();
			if (scans != null) {
				final Fit coarse = fit;
				fit = FullResolution.refine(this, plan, coarse);
				fit = new Fit(fit.transform, coarse.iterations + fit.iterations, coarse.converged && fit.converged);
			}
			cancel.check();
			return finish(plan, fit, start.name, start.fit.iterations + fit.iterations, t0);
		}

		/** Otsu classes of both scans: thresholds, bone contrast, the grey-value map and the bone moments. */
		void calibrate() {
			final double[] of = Otsu.classes(fixed.data), om = Otsu.classes(moving.data);
			thrF = of[0];
			thrM = om[0];
			contrast = of[2] - of[1];
			if (p.intensityMatching() && om[2] - om[1] > 0 && contrast > 0) {
				gain = contrast / (om[2] - om[1]);
				offset = of[1] - gain * om[1];
			}
			momF = moments(fixed, thrF);
			momM = moments(moving, thrM);
			if (momF == null || !(contrast > 0)) throw new IllegalArgumentException(what +
				": the fixed scan is constant (no bone to register to)");
		}

		/** The pyramid: as many of the requested levels as the fixed scan allows, the coarsest one built. */
		Plan plan() {
			final double base = Math.min(fixed.vs[0], Math.min(fixed.vs[1], fixed.vs[2]));
			int levels = p.levels();
			while (levels > 1 && !fitsLevel(fixed, base * (1 << (levels - 1)))) levels--;
			totalUnits = (long) levels * p.maxIterations() + 1;
			final Plan plan = new Plan(levels, base, mask(fixed, thrF), momF[0]);
			plan.lv[levels - 1] = level(levels - 1, base, plan.boneF, plan.centre);
			return plan;
		}

		/**
		 * Candidate starts: the identity, the centre-of-mass shift and the four
		 * proper rotations of the principal axes (all with the principal-axes
		 * option off: the identity alone).
		 */
		void candidates(final double[] centre, final List<double[][]> starts, final List<String> names) {
			starts.add(RigidTransforms.identity());
			names.add("identity");
			if (!p.principalAxes() || momM == null) return;
			final double[] shift = { momM[0][0] - centre[0], momM[0][1] - centre[1], momM[0][2] - centre[2] };
			starts.add(RigidTransforms.about(RigidTransforms.rotation(new double[3]), centre, shift));
			names.add("centre of mass");
			final double[][] ef = principalAxes(momF), em = principalAxes(momM);
			final int[][] signs = { { 1, 1, 1 }, { 1, -1, -1 }, { -1, 1, -1 }, { -1, -1, 1 } };
			for (final int[] sg : signs) {
				final double[][] es = new double[3][3];
				for (int i = 0; i < 3; i++)
					for (int k = 0; k < 3; k++)
						es[i][k] = em[i][k] * sg[k];
				final double[][] efT = new double[3][3];
				for (int i = 0; i < 3; i++)
					for (int k = 0; k < 3; k++)
						efT[i][k] = ef[k][i];
				starts.add(RigidTransforms.about(RigidTransforms.mul3(es, efT), centre, shift));
				names.add("principal axes " + (sg[0] > 0 ? "+" : "-") + (sg[1] > 0 ? "+" : "-") + (sg[2] > 0 ? "+" : "-"));
			}
		}

		/**
		 * Refines each candidate briefly at the coarsest level; the best metric
		 * over the common field of view wins, among the starts that keep at least
		 * half as much of the fixed bone in view as the best one does (a start
		 * that pushes the bone out of the moving scan must not win by having
		 * fewer samples to explain).
		 */
		Start start(final Plan plan) {
			final List<double[][]> starts = new ArrayList<>();
			final List<String> names = new ArrayList<>();
			candidates(plan.centre, starts, names);
			progress.status("registering " + what + ": choosing the start among " + starts.size());
			final Level top = plan.lv[plan.levels - 1];
			final double[][] fits = new double[starts.size()][];
			final Fit[] fitted = new Fit[starts.size()];
			int iterations = 0;
			double maxInside = 0;
			for (int c = 0; c < starts.size(); c++) {
				cancel.check();
				fitted[c] = optimise(top, starts.get(c), Math.min(10, p.maxIterations()), false, false);
				iterations += fitted[c].iterations;
				fits[c] = top.score(fitted[c].transform, this);
				maxInside = Math.max(maxInside, fits[c][1]);
			}
			int bestIdx = 0;
			for (int c = 1; c < starts.size(); c++)
				if (fits[c][1] >= 0.5 * maxInside && (fits[bestIdx][1] < 0.5 * maxInside || fits[c][0] < fits[bestIdx][0] -
					1e-9)) bestIdx = c;
			return new Start(names.get(bestIdx), new Fit(fitted[bestIdx].transform, iterations, false));
		}

		/** Gauss-Newton from the coarsest level to the finest; the result converged if the finest level did. */
		Fit refine(final Plan plan, final double[][] from) {
			double[][] t = from;
			boolean converged = false;
			int iterations = 0;
			final int levels = plan.levels;
			for (int l = levels - 1; l >= 0; l--) {
				cancel.check();
				if (plan.lv[l] == null) plan.lv[l] = level(l, plan.base, plan.boneF, plan.centre);
				progress.status(String.format(Locale.ROOT, "registering %s: level %d of %d (%d samples)", what, levels - l,
					levels, plan.lv[l].n));
				final Fit fit = optimise(plan.lv[l], t, p.maxIterations(), l < levels - 1, true);
				t = fit.transform;
				iterations += fit.iterations;
				converged = fit.converged;
				doneUnits = (long) (levels - l) * p.maxIterations();
				progress.progress(doneUnits, totalUnits);
				if (l > 0) plan.lv[l] = null; // free this level's samples
			}
			return new Fit(t, iterations, converged);
		}

		/** The result: the transform in the contract's voxel form, its quality and the verdict. */
		RegistrationResult finish(final Plan plan, final Fit fit, final String startName, final int iterations,
			final long t0)
		{
			final double[][] t = fit.transform;
			final Level fine = plan.lv[0];
			final double[] q = fine.quality(t, this);
			final double[] qi = fine.quality(RigidTransforms.identity(), this);
			final double dice = dice(t);
			// fixed µm -> moving µm is t; moving -> fixed in µm is its inverse
			final double[][] m2fUm = RigidTransforms.invert(t);
			final double[][] m2fVox = RigidTransforms.umToVoxel(m2fUm, origVsM, origVsF);
			final double[] at = RigidTransforms.apply(t, plan.centre);
			final double[] back = RigidTransforms.apply(m2fUm, at);
			final double[] trans = { back[0] - at[0], back[1] - at[1], back[2] - at[2] };
			final double[] extent = { fixed.nx * fixed.vs[0], fixed.ny * fixed.vs[1], fixed.nz * fixed.vs[2] };
			final String reason = assess(q[0], qi[0], dice, q[2], fit.converged, trans, extent, momM != null);
			progress.progress(totalUnits, totalUnits);
			return new RegistrationResult(m2fVox, origVsM, origVsF, trans, q[0], qi[0], q[1], dice, q[2], fit.converged,
				iterations, startName, reason.isEmpty(), reason, (System.nanoTime() - t0) / 1e9);
		}
		boolean fitsLevel(final FloatGrid g, final double target) {
			final int[] n = g.dims();
			for (int d = 0; d < 3; d++) {
				final int f = Math.max(1, (int) Math.round(target / g.vs[d]));
				if (f > 1 && (n[d] - 1) / f + 1 < 16) return false;
			}
			return true;
		}

		/** Builds level {@code l}: smoothed, subsampled scans and the fixed-scan samples with their gradients. */
		Level level(final int l, final double base, final byte[] boneF, final double[] centre) {
			final double target = base * (1 << l);
			final FloatGrid fl = shrink(fixed, target, l);
			final FloatGrid ml = shrink(moving, target, l);
			final int[] ff = factors(fixed, target);
			// level mask: full-resolution bone voxels mapped to their nearest level voxel, then dilated
			final int nx = fl.nx, ny = fl.ny, nz = fl.nz;
			final byte[] mk = new byte[nx * ny * nz];
			for (int z = 0, i = 0; z < fixed.nz; z++) {
				final int lz = Math.min(nz - 1, (z + ff[2] / 2) / ff[2]);
				for (int y = 0; y < fixed.ny; y++) {
					final int ly = Math.min(ny - 1, (y + ff[1] / 2) / ff[1]);
					for (int x = 0; x < fixed.nx; x++, i++)
						if (boneF[i] != 0) mk[Math.min(nx - 1, (x + ff[0] / 2) / ff[0]) + nx * (ly + ny * lz)] = 1;
				}
			}
			final int r = (int) Math.ceil(p.marginVoxels());
			dilate(mk, nx, ny, nz, r);
			int count = 0;
			for (final byte b : mk)
				count += b;
			// coarser levels only bring the transform into the finest level's basin: a quarter of the samples do
			final int cap = l == 0 ? p.maxSamples() : Math.max(100, p.maxSamples() / 4);
			final double keep = count > cap ? cap / (double) count : 1;
			final SplittableRandom rnd = new SplittableRandom(p.seed() * 31 + l);
			final int[] idx = new int[count];
			int n = 0;
			for (int i = 0; i < mk.length; i++)
				if (mk[i] != 0 && (keep >= 1 || rnd.nextDouble() < keep)) idx[n++] = i;
			return new Level(fl, ml, Arrays.copyOf(idx, n), centre, target);
		}

		FloatGrid shrink(final FloatGrid g, final double target, final int l) {
			final int[] f = factors(g, target);
			final double[] sigma = new double[3];
			for (int d = 0; d < 3; d++)
				sigma[d] = l == 0 ? p.finestSigmaVoxels() * Math.max(1, target / g.vs[d]) : 0.5 * target / g.vs[d];
			return g.smoothDownsample(sigma, f, pool);
		}

		int[] factors(final FloatGrid g, final double target) {
			final int[] f = new int[3];
			final int[] n = g.dims();
			for (int d = 0; d < 3; d++)
				f[d] = Math.max(1, Math.min(Math.max(1, n[d] / 8), (int) Math.round(target / g.vs[d])));
			return f;
		}

		/** Dice of the Otsu bone masks (fixed vs registered moving, each with its own threshold) over the common field of view. */
		double dice(final double[][] t) {
			final double[][] v = RigidTransforms.multiply(diag(1 / moving.vs[0], 1 / moving.vs[1], 1 / moving.vs[2]),
				RigidTransforms.multiply(t, diag(fixed.vs[0], fixed.vs[1], fixed.vs[2])));
			final long[][] parts = new long[fixed.nz][3];
			FloatGrid.parallelFor(pool, fixed.nz, (lo, hi) -> {
				for (int z = lo; z < hi; z++) {
					long ab = 0, na = 0, nb = 0;
					for (int y = 0; y < fixed.ny; y++) {
						int i = fixed.nx * (y + fixed.ny * z);
						for (int x = 0; x < fixed.nx; x++, i++) {
							final double ux = v[0][0] * x + v[0][1] * y + v[0][2] * z + v[0][3];
							final double uy = v[1][0] * x + v[1][1] * y + v[1][2] * z + v[1][3];
							final double uz = v[2][0] * x + v[2][1] * y + v[2][2] * z + v[2][3];
							final float mv = moving.sample(ux, uy, uz);
							if (Float.isNaN(mv)) continue;
							final boolean fa = fixed.data[i] > thrF, mb = mv > thrM;
							if (fa) na++;
							if (mb) nb++;
							if (fa && mb) ab++;
						}
					}
					parts[z][0] = ab;
					parts[z][1] = na;
					parts[z][2] = nb;
				}
			});
			long ab = 0, na = 0, nb = 0;
			for (final long[] q : parts) {
				ab += q[0];
				na += q[1];
				nb += q[2];
			}
			return na + nb == 0 ? 0 : 2.0 * ab / (na + nb);
		}

		/** Damped Gauss-Newton (inverse compositional) at one level, starting from {@code start}. */
		Fit optimise(final Level lv, final double[][] start, final int maxIter, final boolean tukey,
			final boolean report)
		{
			double[][] t = start;
			float[] r = lv.residuals(t, this);
			double lambda = 1e-4;
			final double tol = p.toleranceVoxels() * lv.voxelUm;
			boolean converged = false;
			int it = 0;
			for (; it < maxIter; it++) {
				cancel.check();
				final double scale = lv.scale(r, this);
				final double cost = lv.cost(r, scale, tukey);
				final double[] sys = lv.normalEquations(r, scale, tukey, this);
				boolean accepted = false;
				double step = 0;
				for (int tries = 0; tries < 8 && !accepted; tries++) {
					final double[] d = solve(sys, lambda);
					if (d == null) {
						lambda *= 10;
						continue;
					}
					final double[][] w = RigidTransforms.about(RigidTransforms.rotation(new double[] { d[0], d[1], d[2] }),
						lv.centre, new double[] { d[3], d[4], d[5] });
					final double[][] tn = RigidTransforms.multiply(t, RigidTransforms.invert(w));
					final float[] rn = lv.residuals(tn, this);
					final double cn = lv.cost(rn, scale, tukey);
					if (cn <= cost) {
						accepted = true;
						t = tn;
						r = rn;
						lambda = Math.max(1e-7, lambda / 10);
						step = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) * lv.radius + Math.sqrt(d[3] * d[3] + d[4] *
							d[4] + d[5] * d[5]);
					}
					else lambda *= 10;
				}
				if (report) {
					doneUnits++;
					progress.progress(Math.min(doneUnits, totalUnits - 1), totalUnits);
				}
				if (!accepted || step < tol) {
					// no descent left (the damped step cannot lower the cost) or the step is negligible
					converged = true;
					it++;
					break;
				}
			}
			return new Fit(t, it, converged);
		}
	}

	static double[][] diag(final double a, final double b, final double c) {
		return new double[][] { { a, 0, 0, 0 }, { 0, b, 0, 0 }, { 0, 0, c, 0 }, { 0, 0, 0, 1 } };
	}

	/**
	 * Why a registration cannot be trusted, or "" when it can. Evidence, in
	 * order: the moving scan has no bone above its Otsu threshold; less than
	 * {@link #MIN_OVERLAP} of the fixed bone mask lies inside the moving scan
	 * (the fit rests on too little shared anatomy); the metric is ≥
	 * {@link #MAX_METRIC} (the registered scan predicts the fixed one no better
	 * than a constant, as for unrelated images); the Otsu bone masks overlap
	 * with a Dice below {@link #MIN_DICE} (a lesion removes a part of the bone,
	 * but half of it cannot vanish between weekly scans); the finest level did
	 * not converge; the bone centre moved by more than half the fixed field of
	 * view (the transform ran to the edge of what the scans can show).
	 * Cohort-level outliers are judged by {@link CohortRegistration}.
	 */
	static String assess(final double metric, final double initialMetric, final double dice, final double overlap,
		final boolean converged, final double[] trans, final double[] extentUm, final boolean movingHasBone)
	{
		final List<String> why = new ArrayList<>();
		if (!movingHasBone) why.add("the moving scan has no bone above its Otsu threshold");
		if (metric > WORSE_THAN_IDENTITY * initialMetric) why.add(String.format(Locale.ROOT,
			"the result fits worse than no registration (metric %.3f vs %.3f)", metric, initialMetric));
		if (!(overlap >= MIN_OVERLAP)) why.add(String.format(Locale.ROOT,
			"only %.0f%% of the fixed bone lies inside the moving scan", 100 * overlap));
		if (!(metric < MAX_METRIC)) why.add(String.format(Locale.ROOT,
			"the registered scan does not explain the fixed one (normalised MSD %.2f)", metric));
		if (!(dice >= MIN_DICE)) why.add(String.format(Locale.ROOT, "bone masks overlap poorly (Dice %.2f)", dice));
		if (!converged) why.add("the optimiser did not converge");
		final double len = Math.sqrt(trans[0] * trans[0] + trans[1] * trans[1] + trans[2] * trans[2]);
		final double half = 0.5 * Math.sqrt(extentUm[0] * extentUm[0] + extentUm[1] * extentUm[1] + extentUm[2] *
			extentUm[2]);
		if (len > half) why.add(String.format(Locale.ROOT,
			"translation %.0f um exceeds half the field of view (%.0f um)", len, half));
		return String.join("; ", why);
	}

	/** Solves {@code (H + λ diag H) d = g} for the 6 × 6 system packed in {@code sys} (H row-major, then g). */
	static double[] solve(final double[] sys, final double lambda) {
		final double[][] a = new double[6][7];
		for (int i = 0; i < 6; i++) {
			for (int j = 0; j < 6; j++)
				a[i][j] = sys[i * 6 + j];
			a[i][i] *= 1 + lambda;
			a[i][6] = sys[36 + i];
		}
		for (int c = 0; c < 6; c++) {
			int piv = c;
			for (int r = c + 1; r < 6; r++)
				if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
			if (!(Math.abs(a[piv][c]) > 1e-300)) return null;
			final double[] tmp = a[c];
			a[c] = a[piv];
			a[piv] = tmp;
			for (int r = c + 1; r < 6; r++) {
				final double f = a[r][c] / a[c][c];
				for (int k = c; k < 7; k++)
					a[r][k] -= f * a[c][k];
			}
		}
		final double[] x = new double[6];
		for (int r = 5; r >= 0; r--) {
			double s = a[r][6];
			for (int k = r + 1; k < 6; k++)
				s -= a[r][k] * x[k];
			x[r] = s / a[r][r];
			if (!Double.isFinite(x[r])) return null;
		}
		return x;
	}

	/** Separable cube dilation of a 0/1 mask by r voxels. */
	static void dilate(final byte[] m, final int nx, final int ny, final int nz, final int r) {
		if (r <= 0) return;
		final int[] n = { nx, ny, nz };
		final int[] st = { 1, nx, nx * ny };
		for (int axis = 0; axis < 3; axis++) {
			final int len = n[axis], s = st[axis];
			final int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
			final byte[] line = new byte[len];
			for (int i2 = 0; i2 < n[a2]; i2++)
				for (int i1 = 0; i1 < n[a1]; i1++) {
					final int base = i1 * st[a1] + i2 * st[a2];
					for (int i = 0; i < len; i++)
						line[i] = m[base + i * s];
					int last = -1_000_000;
					final int[] near = new int[len];
					for (int i = 0; i < len; i++) {
						if (line[i] != 0) last = i;
						near[i] = i - last;
					}
					last = 1_000_000;
					for (int i = len - 1; i >= 0; i--) {
						if (line[i] != 0) last = i;
						m[base + i * s] = (byte) (Math.min(near[i], last - i) <= r ? 1 : 0);
					}
				}
		}
	}

	static byte[] mask(final FloatGrid g, final double thr) {
		final byte[] m = new byte[g.data.length];
		for (int i = 0; i < m.length; i++)
			if (g.data[i] > thr) m[i] = 1;
		return m;
	}

	/** The pyramid of one registration: its levels (built when needed), the fixed bone mask and centre. */
	static final class Plan {
		final int levels;
		final double base;
		final byte[] boneF;
		final double[] centre;
		final Level[] lv;

		Plan(final int levels, final double base, final byte[] boneF, final double[] centre) {
			this.levels = levels;
			this.base = base;
			this.boneF = boneF;
			this.centre = centre;
			this.lv = new Level[levels];
		}
	}

	/** The chosen start: its name and its brief fit at the coarsest level (iterations of all candidates). */
	static final class Start {
		final String name;
		final Fit fit;

		Start(final String name, final Fit fit) {
			this.name = name;
			this.fit = fit;
		}
	}

	/** An optimiser outcome. */
	static final class Fit {
		final double[][] transform;
		final int iterations;
		final boolean converged;

		Fit(final double[][] transform, final int iterations, final boolean converged) {
			this.transform = transform;
			this.iterations = iterations;
			this.converged = converged;
		}
	}

	/** One pyramid level: the scans at that resolution and the fixed-scan samples (positions, values, gradients). */
	static class Level {
		final FloatGrid fixed, moving;
		final int n;
		final float[] px, py, pz, fv, gx, gy, gz;
		final double[] centre;
		final double radius, voxelUm;

		/** Samples filled in by a subclass, which also supplies the residuals (no grids). */
		Level(final int n, final double[] centre, final double voxelUm, final double radius) {
			this.fixed = null;
			this.moving = null;
			this.centre = centre.clone();
			this.n = n;
			this.voxelUm = voxelUm;
			this.radius = radius;
			px = new float[n];
			py = new float[n];
			pz = new float[n];
			fv = new float[n];
			gx = new float[n];
			gy = new float[n];
			gz = new float[n];
		}

		Level(final FloatGrid fixed, final FloatGrid moving, final int[] idx, final double[] centre, final double target) {
			this.fixed = fixed;
			this.moving = moving;
			this.centre = centre.clone();
			this.n = idx.length;
			this.voxelUm = Math.max(target, Math.min(fixed.vs[0], Math.min(fixed.vs[1], fixed.vs[2])));
			px = new float[n];
			py = new float[n];
			pz = new float[n];
			fv = new float[n];
			gx = new float[n];
			gy = new float[n];
			gz = new float[n];
			final int nx = fixed.nx, ny = fixed.ny, nz = fixed.nz, plane = nx * ny;
			final float[] d = fixed.data;
			double r2 = 0;
			for (int s = 0; s < n; s++) {
				final int i = idx[s];
				final int x = i % nx, y = (i / nx) % ny, z = i / plane;
				// positions relative to the centre keep float precision
				px[s] = (float) (x * fixed.vs[0] - centre[0]);
				py[s] = (float) (y * fixed.vs[1] - centre[1]);
				pz[s] = (float) (z * fixed.vs[2] - centre[2]);
				fv[s] = d[i];
				gx[s] = diff(d, i, x, nx, 1, fixed.vs[0]);
				gy[s] = diff(d, i, y, ny, nx, fixed.vs[1]);
				gz[s] = diff(d, i, z, nz, plane, fixed.vs[2]);
				r2 += px[s] * px[s] + py[s] * py[s] + pz[s] * pz[s];
			}
			radius = n > 0 ? Math.sqrt(r2 / n) : 0;
		}

		private static float diff(final float[] d, final int i, final int c, final int len, final int stride,
			final double vs)
		{
			if (len < 2) return 0;
			if (c == 0) return (float) ((d[i + stride] - d[i]) / vs);
			if (c == len - 1) return (float) ((d[i] - d[i - stride]) / vs);
			return (float) ((d[i + stride] - d[i - stride]) / (2 * vs));
		}

		/** Residuals (gain · moving(T x) + offset − fixed) at the samples; NaN outside the moving scan. */
		float[] residuals(final double[][] t, final Run run) {
			final float[] r = new float[n];
			// sample position (relative to centre, µm) -> moving level voxel index
			final double[][] a = RigidTransforms.multiply(diag(1 / moving.vs[0], 1 / moving.vs[1], 1 / moving.vs[2]),
				RigidTransforms.multiply(t, RigidTransforms.about(RigidTransforms.rotation(new double[3]), new double[3],
					centre)));
			final double a00 = a[0][0], a01 = a[0][1], a02 = a[0][2], a03 = a[0][3], a10 = a[1][0], a11 = a[1][1],
					a12 = a[1][2], a13 = a[1][3], a20 = a[2][0], a21 = a[2][1], a22 = a[2][2], a23 = a[2][3];
			final float gain = (float) run.gain, offset = (float) run.offset;
			FloatGrid.parallelFor(run.pool, n, (lo, hi) -> {
				for (int s = lo; s < hi; s++) {
					final double x = px[s], y = py[s], z = pz[s];
					final float m = moving.sample(a00 * x + a01 * y + a02 * z + a03, a10 * x + a11 * y + a12 * z + a13, a20 *
						x + a21 * y + a22 * z + a23);
					r[s] = gain * m + offset - fv[s];
				}
			});
			return r;
		}

		/** Robust scale: 1.4826 × median |r| (on up to 65 536 samples), floored at {@link #SCALE_FLOOR} × the fixed scan's bone contrast. */
		double scale(final float[] r, final Run run) {
			final int step = Math.max(1, n / 65536);
			final float[] a = new float[(n + step - 1) / step];
			int k = 0;
			for (int s = 0; s < n; s += step)
				if (!Float.isNaN(r[s])) a[k++] = Math.abs(r[s]);
			final double floor = SCALE_FLOOR * run.contrast;
			if (k == 0) return Math.max(floor, 1e-12);
			Arrays.sort(a, 0, k);
			return Math.max(floor, 1.4826 * a[k / 2]);
		}

		/** Mean robust loss, normalised to [0, 1] per sample; samples outside the moving scan count as full outliers. */
		double cost(final float[] r, final double scale, final boolean tukey) {
			final double c = TUKEY_C * scale, k = HUBER_K * scale;
			final double huberMax = k * c - 0.5 * k * k;
			double sum = 0;
			for (int s = 0; s < n; s++) {
				final float v = r[s];
				if (Float.isNaN(v)) {
					sum += 1;
					continue;
				}
				final double a = Math.abs(v);
				if (tukey) {
					if (a >= c) sum += 1;
					else {
						final double u = 1 - (a / c) * (a / c);
						sum += 1 - u * u * u;
					}
				}
				else {
					final double rho = a <= k ? 0.5 * a * a : a >= c ? huberMax : k * a - 0.5 * k * k;
					sum += rho / huberMax;
				}
			}
			return n > 0 ? sum / n : 1;
		}

		/**
		 * Score for comparing starts: {mean Tukey loss over the samples inside
		 * the moving scan, with a common, generous scale (residuals beyond the
		 * fixed scan's bone contrast are outliers); fraction of samples inside}.
		 */
		double[] score(final double[][] t, final Run run) {
			final float[] r = residuals(t, run);
			int in = 0;
			for (final float v : r)
				if (!Float.isNaN(v)) in++;
			if (in == 0) return new double[] { 1, 0 };
			final double all = cost(r, run.contrast / TUKEY_C, true);
			// cost() counts outside samples as 1: remove them to get the mean over the inside
			return new double[] { (all * n - (n - in)) / in, in / (double) n };
		}

		/** The weighted normal equations: H (6 × 6, row-major) then g (6). */
		double[] normalEquations(final float[] r, final double scale, final boolean tukey, final Run run) {
			final int chunks = Math.min(64, Math.max(1, n / 4096));
			final double[][] part = new double[chunks][];
			final List<Future<?>> fs = new ArrayList<>();
			for (int ch = 0; ch < chunks; ch++) {
				final int lo = (int) ((long) n * ch / chunks), hi = (int) ((long) n * (ch + 1) / chunks), at = ch;
				final Runnable job = () -> part[at] = accumulate(r, lo, hi, scale, tukey);
				if (run.pool == null) job.run();
				else fs.add(run.pool.submit(job));
			}
			FloatGrid.join(fs);
			final double[] tot = new double[27];
			for (final double[] q : part)
				for (int i = 0; i < 27; i++)
					tot[i] += q[i];
			final double[] sys = new double[42];
			int u = 0;
			for (int i = 0; i < 6; i++)
				for (int j = i; j < 6; j++) {
					sys[i * 6 + j] = tot[u];
					sys[j * 6 + i] = tot[u];
					u++;
				}
			System.arraycopy(tot, 21, sys, 36, 6);
			return sys;
		}

		/**
		 * The robust weights' sums over samples [lo, hi): the upper triangle of
		 * JᵀWJ (21, row by row) then JᵀWr (6). J's rows are (p × ∇f, ∇f): the
		 * rotation vector's and the translation's derivatives.
		 */
		private double[] accumulate(final float[] r, final int lo, final int hi, final double scale,
			final boolean tukey)
		{
			final double c = TUKEY_C * scale, k = HUBER_K * scale;
			double h00 = 0, h01 = 0, h02 = 0, h03 = 0, h04 = 0, h05 = 0, h11 = 0, h12 = 0, h13 = 0, h14 = 0, h15 = 0,
					h22 = 0, h23 = 0, h24 = 0, h25 = 0, h33 = 0, h34 = 0, h35 = 0, h44 = 0, h45 = 0, h55 = 0;
			double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0;
			for (int s = lo; s < hi; s++) {
				final float v = r[s];
				if (Float.isNaN(v)) continue;
				final double w = weight(Math.abs(v), c, k, tukey);
				if (w == 0) continue;
				final double x = px[s], y = py[s], z = pz[s], ex = gx[s], ey = gy[s], ez = gz[s];
				final double j0 = y * ez - z * ey, j1 = z * ex - x * ez, j2 = x * ey - y * ex;
				final double wj0 = w * j0, wj1 = w * j1, wj2 = w * j2, wj3 = w * ex, wj4 = w * ey, wj5 = w * ez;
				h00 += wj0 * j0;
				h01 += wj0 * j1;
				h02 += wj0 * j2;
				h03 += wj0 * ex;
				h04 += wj0 * ey;
				h05 += wj0 * ez;
				h11 += wj1 * j1;
				h12 += wj1 * j2;
				h13 += wj1 * ex;
				h14 += wj1 * ey;
				h15 += wj1 * ez;
				h22 += wj2 * j2;
				h23 += wj2 * ex;
				h24 += wj2 * ey;
				h25 += wj2 * ez;
				h33 += wj3 * ex;
				h34 += wj3 * ey;
				h35 += wj3 * ez;
				h44 += wj4 * ey;
				h45 += wj4 * ez;
				h55 += wj5 * ez;
				b0 += wj0 * v;
				b1 += wj1 * v;
				b2 += wj2 * v;
				b3 += wj3 * v;
				b4 += wj4 * v;
				b5 += wj5 * v;
			}
			return new double[] { h00, h01, h02, h03, h04, h05, h11, h12, h13, h14, h15, h22, h23, h24, h25, h33, h34,
				h35, h44, h45, h55, b0, b1, b2, b3, b4, b5 };
		}

		/** Weight of a residual of size a: Tukey's biweight (0 beyond c) or Huber's (1 up to k, then k / a). */
		private static double weight(final double a, final double c, final double k, final boolean tukey) {
			if (!tukey) return a <= k ? 1 : k / a;
			if (a >= c) return 0;
			final double u = 1 - (a / c) * (a / c);
			return u * u;
		}

		/** {normalised MSD, Pearson correlation, fraction of samples inside the moving scan} for transform t. */
		double[] quality(final double[][] t, final Run run) {
			final float[] r = residuals(t, run);
			double sf = 0, sff = 0, sm = 0, smm = 0, sfm = 0, srr = 0;
			long in = 0;
			for (int s = 0; s < n; s++) {
				if (Float.isNaN(r[s])) continue;
				final double f = fv[s], m = r[s] + f;
				in++;
				sf += f;
				sff += f * f;
				sm += m;
				smm += m * m;
				sfm += f * m;
				srr += (double) r[s] * r[s];
			}
			if (in < 2) return new double[] { Double.POSITIVE_INFINITY, 0, 0 };
			final double vf = sff / in - (sf / in) * (sf / in), vm = smm / in - (sm / in) * (sm / in);
			final double cov = sfm / in - (sf / in) * (sm / in);
			final double nmsd = vf > 0 ? (srr / in) / vf : Double.POSITIVE_INFINITY;
			final double ncc = vf > 0 && vm > 0 ? cov / Math.sqrt(vf * vm) : 0;
			return new double[] { nmsd, ncc, in / (double) n };
		}
	}
}
