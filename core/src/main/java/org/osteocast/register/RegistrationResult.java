package org.osteocast.register;

import java.util.Locale;

import org.osteocast.io.contracts.TransformFile;

/**
 * The outcome of one rigid registration: the transform (voxel and µm), how
 * well it fits, and whether it can be trusted (with the reason when not).
 * Immutable; {@link #withReliability} gives a copy with a new verdict (a
 * cohort can overrule a pair that looks fine alone but is an outlier).
 */
public final class RegistrationResult implements java.io.Serializable {

	private static final long serialVersionUID = 1L;

	private final double[][] movingToFixedVoxel;
	private final double[][] movingToFixedUm;
	private final double[] movingVoxelUm, fixedVoxelUm;
	private final double metric, initialMetric, ncc, dice, overlap;
	private final boolean converged;
	private final int iterations;
	private final String initialisation;
	private final boolean reliable;
	private final String reason;
	private final double seconds;
	private final double[] translationUm;
	/** The pair's own moving → fixed µm matrix (differs from the output matrix only once composed with a reference). */
	private final double[][] pairUm;
	private final double[][] pairVoxel;

	RegistrationResult(final double[][] movingToFixedVoxel, final double[] movingVoxelUm, final double[] fixedVoxelUm,
		final double[] translationUm, final double metric, final double initialMetric, final double ncc,
		final double dice, final double overlap, final boolean converged, final int iterations,
		final String initialisation, final boolean reliable, final String reason, final double seconds)
	{
		this.movingToFixedVoxel = RigidTransforms.copy(movingToFixedVoxel);
		this.movingVoxelUm = movingVoxelUm.clone();
		this.fixedVoxelUm = fixedVoxelUm.clone();
		this.movingToFixedUm = RigidTransforms.voxelToUm(movingToFixedVoxel, movingVoxelUm, fixedVoxelUm);
		this.pairUm = this.movingToFixedUm;
		this.pairVoxel = this.movingToFixedVoxel;
		this.translationUm = translationUm.clone();
		this.metric = metric;
		this.initialMetric = initialMetric;
		this.ncc = ncc;
		this.dice = dice;
		this.overlap = overlap;
		this.converged = converged;
		this.iterations = iterations;
		this.initialisation = initialisation;
		this.reliable = reliable;
		this.reason = reason == null ? "" : reason;
		this.seconds = seconds;
	}

	/** A copy with another reliability verdict. */
	public RegistrationResult withReliability(final boolean ok, final String why) {
		return new RegistrationResult(this, ok, why);
	}

	private RegistrationResult(final RegistrationResult pair, final RegistrationResult onto) {
		this.movingToFixedVoxel = RigidTransforms.multiply(onto.movingToFixedVoxel, pair.movingToFixedVoxel);
		this.movingVoxelUm = pair.movingVoxelUm.clone();
		this.fixedVoxelUm = onto.fixedVoxelUm.clone();
		this.movingToFixedUm = RigidTransforms.voxelToUm(movingToFixedVoxel, movingVoxelUm, fixedVoxelUm);
		this.pairUm = pair.pairUm;
		this.pairVoxel = pair.pairVoxel;
		this.translationUm = pair.translationUm.clone();
		this.metric = pair.metric;
		this.initialMetric = pair.initialMetric;
		this.ncc = pair.ncc;
		this.dice = pair.dice;
		this.overlap = pair.overlap;
		this.converged = pair.converged;
		this.iterations = pair.iterations;
		this.initialisation = pair.initialisation;
		final boolean ok = pair.reliable && onto.reliable;
		this.reliable = ok;
		this.reason = ok ? "" : !pair.reliable ? pair.reason : "first week to reference: " + onto.reason;
		this.seconds = pair.seconds;
	}

	private RegistrationResult(final RegistrationResult r, final boolean ok, final String why) {
		this.movingToFixedVoxel = r.movingToFixedVoxel;
		this.movingVoxelUm = r.movingVoxelUm;
		this.fixedVoxelUm = r.fixedVoxelUm;
		this.movingToFixedUm = r.movingToFixedUm;
		this.pairUm = r.pairUm;
		this.pairVoxel = r.pairVoxel;
		this.translationUm = r.translationUm;
		this.metric = r.metric;
		this.initialMetric = r.initialMetric;
		this.ncc = r.ncc;
		this.dice = r.dice;
		this.overlap = r.overlap;
		this.converged = r.converged;
		this.iterations = r.iterations;
		this.initialisation = r.initialisation;
		this.reliable = ok;
		this.reason = why == null ? "" : why;
		this.seconds = r.seconds;
	}

	/**
	 * This pair's transform followed by {@code onto} (week k → week 1, then
	 * week 1 → reference): the output matrix maps this moving scan into
	 * {@code onto}'s fixed scan, while rotation, translation and the quality
	 * figures stay this pair's own. Unreliable if either step is.
	 */
	public RegistrationResult composedWith(final RegistrationResult onto) {
		return new RegistrationResult(this, onto);
	}

	/** Whether the output matrix is a composition (week k → week 1 → reference). */
	public boolean composed() {
		return pairVoxel != movingToFixedVoxel;
	}

	/** Moving → fixed voxel-index matrix, 4 × 4 (a copy). */
	public double[][] movingToFixedVoxel() {
		return RigidTransforms.copy(movingToFixedVoxel);
	}

	/** Moving → fixed µm matrix, 4 × 4 (a copy). */
	public double[][] movingToFixedUm() {
		return RigidTransforms.copy(movingToFixedUm);
	}

	/** Total rotation angle of the pair (moving → its fixed scan) in degrees. */
	public double rotationDeg() {
		return RigidTransforms.rotationAngleDeg(pairUm);
	}

	/** Euler angles (x, y, z; {@code R = Rz·Ry·Rx}) of the pair's moving → fixed rotation, degrees. */
	public double[] eulerXyzDeg() {
		return RigidTransforms.eulerXyzDeg(pairUm);
	}

	/** How far (µm) the anatomy at the fixed scan's bone centre moved between the scans (moving → fixed). */
	public double[] translationUm() {
		return translationUm.clone();
	}

	/** Length of {@link #translationUm()}. */
	public double translationLengthUm() {
		return Math.sqrt(translationUm[0] * translationUm[0] + translationUm[1] * translationUm[1] + translationUm[2] *
			translationUm[2]);
	}

	/**
	 * Final metric: mean squared difference between the fixed scan and the
	 * (grey-value matched) registered scan over the dilated bone mask, divided
	 * by the fixed scan's variance there (0 = identical, 1 = no better than a
	 * constant image).
	 */
	public double metric() {
		return metric;
	}

	/** The same metric for the identity transform (before registration). */
	public double initialMetric() {
		return initialMetric;
	}

	/** Pearson correlation of fixed and registered grey values over the mask. */
	public double ncc() {
		return ncc;
	}

	/** Dice overlap of the two scans' Otsu bone masks after registration (within the common field of view). */
	public double dice() {
		return dice;
	}

	/** Fraction of the fixed scan's dilated bone mask that lies inside the registered moving scan. */
	public double overlap() {
		return overlap;
	}

	/** Whether the finest level converged before its iteration cap. */
	public boolean converged() {
		return converged;
	}

	/** Gauss-Newton iterations over all levels. */
	public int iterations() {
		return iterations;
	}

	/** Which start won ("identity", "centre of mass", "principal axes ±±"). */
	public String initialisation() {
		return initialisation;
	}

	public boolean reliable() {
		return reliable;
	}

	/** Why the pair is unreliable ("" when reliable). */
	public String reason() {
		return reason;
	}

	/** Wall time of the registration in seconds. */
	public double seconds() {
		return seconds;
	}

	/** The transform-file contract with this result's extra fields. */
	public TransformFile toTransformFile() {
		final TransformFile f = TransformFile.fromVoxelMatrix(movingToFixedVoxel, movingVoxelUm, fixedVoxelUm, metric);
		f.with("metric_name", "normalised mean squared difference over the dilated bone mask");
		f.with("rotation_deg", rotationDeg());
		f.with("euler_xyz_deg", eulerXyzDeg());
		f.with("translation_um", translationUm);
		f.with("initial_metric", initialMetric);
		f.with("ncc", ncc);
		f.with("dice", dice);
		f.with("overlap", overlap);
		f.with("converged", converged);
		f.with("iterations", iterations);
		f.with("initialisation", initialisation);
		f.with("reliable", reliable);
		f.with("reason", reason);
		if (composed()) f.with("pair_moving_to_fixed_voxel_xyz", pairVoxel);
		return f;
	}

	@Override
	public String toString() {
		final double[] t = translationUm;
		return String.format(Locale.ROOT,
			"rotation %.3f deg, translation (%.1f, %.1f, %.1f) um, metric %.4f (identity %.4f), ncc %.3f, dice %.3f, overlap %.2f, %s, %d iterations, %.2f s, %s",
			rotationDeg(), t[0], t[1], t[2], metric, initialMetric, ncc, dice, overlap, converged ? "converged"
				: "not converged", iterations, seconds, reliable ? "reliable" : "UNRELIABLE: " + reason);
	}
}
