package org.osteocast.phantom;

/**
 * One tumour focus: where the injected cells settle in the marrow, when the
 * osteolytic lesion starts, and how it grows. Time is in weeks after the
 * intratibial injection (the scan of week k is taken at time k).
 * <p>
 * The lesion radius follows a logistic law, r(t) = rMax / (1 + (rMax/r0 − 1)
 * e^{−g (t − onset)}) for t ≥ onset: small and accelerating at first, as
 * osteolytic metastases are, then slowing as the marrow cavity fills. Ahead
 * of the lesion edge lies a resorption front of width {@link #frontUm()} in
 * which trabeculae are thinned (osteoclasts work ahead of the tumour); the
 * front appears {@link #leadWeeks()} weeks before onset, growing from nothing,
 * so most lesions have a visible precursor. A 'hard' focus has no lead time and
 * an onset within the last week: it appears only in the last scan.
 */
public final class Focus {

	final double cx, cy, cz;
	final double onset, lead, r0, rMax, growth, front, edgeThinning, cortexLag, elongation, roughnessUm;
	final double[][] waves; // [j] = {kx, ky, kz, phase, amplitude}
	final boolean hard;

	Focus(final double cx, final double cy, final double cz, final double onset, final double lead, final double r0,
		final double rMax, final double growth, final double front, final double edgeThinning, final double cortexLag,
		final double elongation, final double roughnessUm, final double[][] waves, final boolean hard)
	{
		this.cx = cx;
		this.cy = cy;
		this.cz = cz;
		this.onset = onset;
		this.lead = lead;
		this.r0 = r0;
		this.rMax = rMax;
		this.growth = growth;
		this.front = front;
		this.edgeThinning = edgeThinning;
		this.cortexLag = cortexLag;
		this.elongation = elongation;
		this.roughnessUm = roughnessUm;
		this.waves = waves;
		this.hard = hard;
	}

	/** Lesion radius in µm at time t (weeks after injection); 0 before onset. */
	public double radiusUm(final double t) {
		if (t < onset) return 0;
		return rMax / (1 + (rMax / r0 - 1) * Math.exp(-growth * (t - onset)));
	}

	/**
	 * Strength of the resorption front in [0, 1] at time t: 0 before
	 * {@code onset − lead}, rising linearly to 1 at onset, 1 afterwards.
	 */
	public double frontStrength(final double t) {
		if (t >= onset) return 1;
		if (lead <= 0 || t <= onset - lead) return 0;
		return (t - (onset - lead)) / lead;
	}

	/**
	 * Multiplier (0 … 1) of the trabecular thickness at a point whose
	 * normalised lesion distance is {@code rho} µm (see {@link #distanceUm}):
	 * 1 far away, {@link #edgeThinning()} at the lesion edge, a linear ramp
	 * across the front. Inside the lesion the caller removes bone entirely.
	 */
	public double thinning(final double rho, final double t) {
		return thinning(rho, t, edgeThinning);
	}

	/** Cortical bone loses less density ahead of the edge (porosity, not removal): at most this fraction. */
	static final double CORTEX_EDGE_THINNING = 0.7;

	/** {@link #thinning(double, double)} with a given multiplier at the edge. */
	double thinning(final double rho, final double t, final double edgeThinning) {
		final double a = frontStrength(t);
		if (a <= 0) return 1;
		final double r = radiusUm(t), w = front * a;
		if (w <= 0 || rho >= r + w) return 1;
		final double x = Math.max(0, (rho - r) / w);
		return 1 - a * (1 - edgeThinning) * (1 - x);
	}

	/**
	 * The normalised distance of a point from the focus in µm: Euclidean with
	 * the z axis shrunk by the elongation (lesions spread along the marrow
	 * cavity), divided by the smooth boundary modulation 1 + δ(direction), minus
	 * a small roughness term (texture value × roughness) so that the boundary
	 * follows the trabecular texture. A point is inside the lesion when this is
	 * below {@link #radiusUm(double)}.
	 */
	double distanceUm(final double x, final double y, final double z, final double texture) {
		final double dx = x - cx, dy = y - cy, dz = (z - cz) / elongation;
		final double dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
		if (dist < 1e-9) return -roughnessUm * texture;
		final double ux = dx / dist, uy = dy / dist, uz = dz / dist;
		double delta = 0;
		for (final double[] w : waves)
			delta += w[4] * Math.cos(w[0] * ux + w[1] * uy + w[2] * uz + w[3]);
		return dist / (1 + delta) - roughnessUm * texture;
	}

	/** A radius beyond which the focus has no effect at time t (for bounding boxes), in µm of true distance. */
	double reachUm(final double t) {
		double amp = 0;
		for (final double[] w : waves)
			amp += Math.abs(w[4]);
		return (radiusUm(t) + front + 3 * roughnessUm) * (1 + amp) * Math.max(1, elongation) + 1;
	}

	/** Centre in anatomy µm (x, y, z). */
	public double[] centreUm() {
		return new double[] { cx, cy, cz };
	}

	/** Onset in weeks after injection. */
	public double onsetWeek() {
		return onset;
	}

	/** How many weeks before onset the resorption front (the precursor) starts. */
	public double leadWeeks() {
		return lead;
	}

	/** Initial radius at onset, µm. */
	public double initialRadiusUm() {
		return r0;
	}

	/** Asymptotic radius, µm. */
	public double maxRadiusUm() {
		return rMax;
	}

	/** Logistic growth rate per week. */
	public double growthPerWeek() {
		return growth;
	}

	/** Width of the resorption front ahead of the edge, µm. */
	public double frontUm() {
		return front;
	}

	/** Trabecular thickness multiplier right at the lesion edge. */
	public double edgeThinning() {
		return edgeThinning;
	}

	/** How far the cortical erosion lags behind the lesion edge, µm. */
	public double cortexLagUm() {
		return cortexLag;
	}

	/** Whether this focus appears only in the last week, without a precursor. */
	public boolean hard() {
		return hard;
	}
}
