package org.osteocast.register;

import org.osteocast.core.Parallel;

/**
 * Settings of {@link RigidRegistration}: immutable, with {@code with*} copies.
 * The defaults are what the command line uses; each one is justified where it
 * is declared.
 */
public final class RegistrationParameters {

	private int levels = 3;
	private int maxIterations = 40;
	private double marginVoxels = 2;
	private double finestSigmaVoxels = 0.5;
	private int maxSamples = 600_000;
	private double toleranceVoxels = 0.005;
	private boolean principalAxes = true;
	private boolean intensityMatching = true;
	private int threads = Parallel.threads();
	private long seed = 42;
	private long maxVoxels = 64L << 20;
	private long heapBytes; // 0: the whole Java heap

	/** The defaults (3 levels, principal-axes start, robust metric, all threads). */
	public static RegistrationParameters defaults() {
		return new RegistrationParameters();
	}

	private RegistrationParameters copy() {
		final RegistrationParameters p = new RegistrationParameters();
		p.levels = levels;
		p.maxIterations = maxIterations;
		p.marginVoxels = marginVoxels;
		p.finestSigmaVoxels = finestSigmaVoxels;
		p.maxSamples = maxSamples;
		p.toleranceVoxels = toleranceVoxels;
		p.principalAxes = principalAxes;
		p.intensityMatching = intensityMatching;
		p.threads = threads;
		p.seed = seed;
		p.maxVoxels = maxVoxels;
		p.heapBytes = heapBytes;
		return p;
	}

	/**
	 * Pyramid levels (≥ 1). Three halvings bring a 250-voxel scan to ~32
	 * voxels, where a 10-voxel misalignment is ~1 voxel: inside the
	 * Gauss-Newton basin. Fewer levels are used when the scan is too small.
	 */
	public int levels() {
		return levels;
	}

	public RegistrationParameters withLevels(final int n) {
		if (n < 1 || n > 8) throw new IllegalArgumentException("levels must be 1..8, got " + n);
		final RegistrationParameters p = copy();
		p.levels = n;
		return p;
	}

	/** Gauss-Newton iterations per level (each one full pass over the samples); it usually stops after 5–15. */
	public int maxIterations() {
		return maxIterations;
	}

	public RegistrationParameters withMaxIterations(final int n) {
		if (n < 1) throw new IllegalArgumentException("maxIterations must be >= 1");
		final RegistrationParameters p = copy();
		p.maxIterations = n;
		return p;
	}

	/**
	 * Dilation of the fixed scan's bone mask, in voxels of each level: the
	 * metric needs the bone's edges on both sides (that is where the gradient
	 * lives), but not the soft tissue far away, whose contents change between
	 * weeks.
	 */
	public double marginVoxels() {
		return marginVoxels;
	}

	public RegistrationParameters withMarginVoxels(final double m) {
		if (!(m >= 0)) throw new IllegalArgumentException("margin must be >= 0");
		final RegistrationParameters p = copy();
		p.marginVoxels = m;
		return p;
	}

	/** Gaussian sigma (voxels) at full resolution: tames detector noise in the gradient without blurring trabeculae away. */
	public double finestSigmaVoxels() {
		return finestSigmaVoxels;
	}

	public RegistrationParameters withFinestSigmaVoxels(final double s) {
		if (!(s >= 0)) throw new IllegalArgumentException("sigma must be >= 0");
		final RegistrationParameters p = copy();
		p.finestSigmaVoxels = s;
		return p;
	}

	/**
	 * Most metric samples at full resolution (a seeded random subset of the
	 * mask beyond that; a quarter of it at the coarser levels). Six parameters are over-determined a thousand times by far fewer,
	 * so this bounds the time on large scans without costing accuracy.
	 */
	public int maxSamples() {
		return maxSamples;
	}

	public RegistrationParameters withMaxSamples(final int n) {
		if (n < 100) throw new IllegalArgumentException("maxSamples must be >= 100");
		final RegistrationParameters p = copy();
		p.maxSamples = n;
		return p;
	}

	/** Stop a level when the last step moved no bone voxel by more than this (in voxels of the level). */
	public double toleranceVoxels() {
		return toleranceVoxels;
	}

	public RegistrationParameters withToleranceVoxels(final double t) {
		if (!(t > 0)) throw new IllegalArgumentException("tolerance must be > 0");
		final RegistrationParameters p = copy();
		p.toleranceVoxels = t;
		return p;
	}

	/** Try centre-of-mass and principal-axes starts (with their sign flips) besides the identity. */
	public boolean principalAxes() {
		return principalAxes;
	}

	public RegistrationParameters withPrincipalAxes(final boolean on) {
		final RegistrationParameters p = copy();
		p.principalAxes = on;
		return p;
	}

	/**
	 * Map the moving scan's grey values linearly onto the fixed scan's, by the
	 * means of the two Otsu classes (background, bone) of each scan; off, the
	 * grey values are compared as they are.
	 */
	public boolean intensityMatching() {
		return intensityMatching;
	}

	public RegistrationParameters withIntensityMatching(final boolean on) {
		final RegistrationParameters p = copy();
		p.intensityMatching = on;
		return p;
	}

	/** Worker threads (default {@link Parallel#threads()}). */
	public int threads() {
		return threads;
	}

	public RegistrationParameters withThreads(final int n) {
		if (n < 1) throw new IllegalArgumentException("threads must be >= 1");
		final RegistrationParameters p = copy();
		p.threads = n;
		return p;
	}

	/** Seed of the sample subset (results are deterministic for a seed). */
	public long seed() {
		return seed;
	}

	public RegistrationParameters withSeed(final long s) {
		final RegistrationParameters p = copy();
		p.seed = s;
		return p;
	}

	/**
	 * Largest scan (voxels) registered at full resolution; a larger one is
	 * first reduced by the smallest integer factor that fits (default 64 Mi
	 * voxels, 256 MB as floats). Bounds the memory for very large scans.
	 */
	public long maxVoxels() {
		return maxVoxels;
	}

	public RegistrationParameters withMaxVoxels(final long n) {
		if (n < 4096) throw new IllegalArgumentException("maxVoxels must be >= 4096");
		final RegistrationParameters p = copy();
		p.maxVoxels = n;
		return p;
	}

	/**
	 * The Java heap this registration may fill (bytes): by default the whole
	 * heap ({@code -Xmx}). Its working copies, full-resolution samples and
	 * resampling window are sized from it, so registrations that run side by
	 * side in one JVM (Spark tasks of one executor) each get their share
	 * instead of all sizing themselves for the whole heap. Less heap means
	 * more reduced working copies on very large scans, so results equal those
	 * of another run given the same heap.
	 */
	public long heapBytes() {
		return heapBytes > 0 ? heapBytes : Runtime.getRuntime().maxMemory();
	}

	public RegistrationParameters withHeapBytes(final long bytes) {
		if (bytes < 64L << 20) throw new IllegalArgumentException("a registration needs at least 64 MB of heap, not " +
			bytes + " bytes");
		final RegistrationParameters p = copy();
		p.heapBytes = bytes;
		return p;
	}

	@Override
	public String toString() {
		return "levels=" + levels + " maxIterations=" + maxIterations + " margin=" + marginVoxels + " sigma0=" +
			finestSigmaVoxels + " maxSamples=" + maxSamples + " tol=" + toleranceVoxels + " principalAxes=" +
			principalAxes + " intensityMatching=" + intensityMatching + " threads=" + threads + " seed=" + seed +
			" maxVoxels=" + maxVoxels + (heapBytes > 0 ? " heapBytes=" + heapBytes : "");
	}
}
