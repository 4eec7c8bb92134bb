package org.osteocast.metrics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.VolumeIOException;

/**
 * The rigidity columns of {@code osteocast evaluate}: per mouse and method,
 * the absolute relative error of the forecast's minimum EA, EI_min and GJ over
 * the VOI at the forecast week against the truth's, the worst drop from week
 * 1 ({@link Rigidity#worstDrop}) of both, the probability of a drop above the
 * threshold ({@link RigidityForecast.Result#riskProbability}: the fraction of
 * the model's samples; 0 or 1 for the deterministic baselines), and whether
 * the risk class (probability &gt; 0.5) agrees with the truth's. In the mean
 * rows, {@code risk_auroc}: the AUROC of that probability for the true class
 * over the scored mice (NaN when they are all of one class).
 * <p>
 * The material is the relative mode (uniform modulus over bone; bone above
 * Otsu's threshold of each mouse's week 1): evaluate compares rigidities of
 * the same mouse, whose ratios do not depend on a density calibration or on
 * the pixel size, which comes from {@code slices.json} when present.
 */
public final class RigidityEvaluation {

	/** Column names, appended to the evaluation's. */
	public static final List<String> COLUMNS = List.of("ea_min_rel_err", "ei_min_rel_err", "gj_min_rel_err",
		"rigidity_drop_forecast", "rigidity_drop_truth", "risk_probability", "risk_agrees", "risk_auroc");

	private static final class Scores {
		final String group;
		final double[] err;
		final double dropF, dropT, p;

		Scores(final String group, final double[] err, final double dropF, final double dropT, final double p) {
			this.group = group;
			this.err = err;
			this.dropF = dropF;
			this.dropT = dropT;
			this.p = p;
		}

		boolean trueRisk(final double thr) {
			return dropT > thr;
		}
	}

	private final double threshold;
	private final Map<String, RigidityForecast.Geometry> geometry;
	private final Map<String, List<Scores>> byMethod = new LinkedHashMap<>();
	private final List<String> notes = new ArrayList<>();

	private RigidityEvaluation(final double threshold, final Map<String, RigidityForecast.Geometry> geometry) {
		this.threshold = threshold;
		this.geometry = geometry;
	}

	/** {@link #start(Path, double, double)} with the default proximal margin ({@link Rigidity#PROXIMAL_MARGIN_UM}). */
	public static RigidityEvaluation start(final Path dataRoot, final double dropThreshold) {
		return start(dataRoot, dropThreshold, Rigidity.PROXIMAL_MARGIN_UM);
	}

	/**
	 * For a slice data set (pixel sizes from its {@code slices.json} when
	 * present); minima leave out the slices within {@code marginUm} of the growth
	 * plate's edge ({@link RigidityForecast#geometry(Path, double)}).
	 */
	public static RigidityEvaluation start(final Path dataRoot, final double dropThreshold, final double marginUm) {
		if (!(dropThreshold > 0 && dropThreshold < 1)) throw new IllegalArgumentException(
			"rigidity drop threshold must be in (0, 1), not " + dropThreshold);
		Map<String, RigidityForecast.Geometry> g;
		String note = null;
		try {
			g = RigidityForecast.geometry(dataRoot, marginUm);
		}
		catch (final VolumeIOException e) {
			g = Map.of();
			note = "rigidity: " + e.getMessage() + " (pixel size taken as 1 um; relative errors and drops do not depend on it)";
		}
		final RigidityEvaluation r = new RigidityEvaluation(dropThreshold, g);
		r.notes.add(String.format(Locale.ROOT,
			"rigidity columns: %s; risk = worst drop of min EA, EI_min or GJ from week 1 above %.0f %%", Rigidity.RELATIVE,
			100 * dropThreshold));
		if (note != null) r.notes.add(note);
		else {
			final java.util.TreeSet<Integer> skipped = new java.util.TreeSet<>();
			for (final RigidityForecast.Geometry x : g.values())
				skipped.add(x.proximalSlices);
			if (!skipped.isEmpty() && skipped.last() > 0) r.notes.add(String.format(Locale.ROOT,
				"rigidity minima leave out the VOI's first %s slice(s), within %.3g mm of the growth plate's edge", skipped
					.size() == 1 ? skipped.first() : skipped.first() + "-" + skipped.last(), marginUm / 1000));
		}
		return r;
	}

	/** Notes to print under the table. */
	public List<String> notes() {
		return List.copyOf(notes);
	}

	/** The drop threshold. */
	public double dropThreshold() {
		return threshold;
	}

	/**
	 * Scores one mouse: {@code methods} maps method name → forecast of week
	 * {@code n + 1} (slices × pixels); {@code samples} (possibly empty) are the
	 * samples of the method named {@code sampled}. Returns the cells per method.
	 */
	public Map<String, String[]> mouse(final String mouse, final String group, final Hyperstack h, final int n,
		final Map<String, float[][]> methods, final String sampled, final float[][][] samples)
	{
		final RigidityForecast.Geometry g = geometry.get(mouse);
		final double px = g != null ? g.pixelUm : 1;
		final int skip = g != null ? g.proximalSlices : 0;
		final Rigidity.Material m = RigidityForecast.material(h.planes(0), g, Double.NaN, 0, 0, 0,
			Rigidity.DEFAULT_POISSON);
		final Rigidity.Profile[] weeks = RigidityForecast.weeks(sub(h, n + 1), px, skip, m);
		final Map<String, String[]> out = new LinkedHashMap<>();
		for (final Map.Entry<String, float[][]> e : methods.entrySet()) {
			final RigidityForecast.Result r = RigidityForecast.of(weeks, h.width(), h.height(), n + 1, e.getValue(), e
				.getKey().equals(sampled) ? samples : new float[0][][], px, skip, m, threshold);
			final double[] t = r.weeks[n].minima(), f = r.forecast.minima(), err = new double[3];
			for (int i = 0; i < 3; i++)
				err[i] = t[i] > 0 ? Math.abs(f[i] - t[i]) / t[i] : Double.NaN;
			final Scores s = new Scores(group, err, r.forecastDrop(), r.trueDrop(), r.riskProbability());
			byMethod.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(s);
			out.put(e.getKey(), new String[] { f(err[0], 4), f(err[1], 4), f(err[2], 4), f(s.dropF, 4), f(s.dropT, 4), f(
				s.p, 3), agrees(s), "nan" });
		}
		return out;
	}

	private String agrees(final Scores s) {
		if (Double.isNaN(s.p) || Double.isNaN(s.dropT)) return "nan";
		return (s.p > 0.5) == s.trueRisk(threshold) ? "1" : "0";
	}

	/** The first {@code frames} frames of a hyperstack (a view on the same planes). */
	static Hyperstack sub(final Hyperstack h, final int frames) {
		if (frames >= h.frames()) return h;
		final float[][] p = new float[h.slices() * frames][];
		for (int t = 0; t < frames; t++)
			for (int z = 0; z < h.slices(); z++)
				p[t * h.slices() + z] = h.plane(z, t);
		return new Hyperstack(h.width(), h.height(), h.slices(), frames, p, h.voxelSizeUm(), h.name());
	}

	/** The cells of a method's mean row: mean errors, drops, probability, agreement, and the AUROC. */
	public String[] mean(final String method) {
		final List<Scores> l = byMethod.getOrDefault(method, List.of());
		final double[][] v = new double[7][l.size()];
		for (int i = 0; i < l.size(); i++) {
			final Scores s = l.get(i);
			v[0][i] = s.err[0];
			v[1][i] = s.err[1];
			v[2][i] = s.err[2];
			v[3][i] = s.dropF;
			v[4][i] = s.dropT;
			v[5][i] = s.p;
			v[6][i] = Double.isNaN(s.p) || Double.isNaN(s.dropT) ? Double.NaN : (s.p > 0.5) == s.trueRisk(threshold) ? 1
				: 0;
		}
		return new String[] { f(mean(v[0]), 4), f(mean(v[1]), 4), f(mean(v[2]), 4), f(mean(v[3]), 4), f(mean(v[4]), 4), f(
			mean(v[5]), 3), f(mean(v[6]), 3), f(auroc(method), 4) };
	}

	/** AUROC of the method's risk probability for the true risk class; NaN when one class is empty. */
	public double auroc(final String method) {
		final List<Scores> l = byMethod.getOrDefault(method, List.of());
		final List<Double> pos = new ArrayList<>(), neg = new ArrayList<>();
		for (final Scores s : l)
			if (!Double.isNaN(s.p) && !Double.isNaN(s.dropT)) (s.trueRisk(threshold) ? pos : neg).add(s.p);
		return auroc(pos, neg);
	}

	/** Mann–Whitney AUROC: P(score of a positive &gt; score of a negative), ties 1/2. */
	static double auroc(final List<Double> pos, final List<Double> neg) {
		if (pos.isEmpty() || neg.isEmpty()) return Double.NaN;
		double s = 0;
		for (final double p : pos)
			for (final double q : neg)
				s += p > q ? 1 : p == q ? 0.5 : 0;
		return s / ((double) pos.size() * neg.size());
	}

	/** Mean absolute relative error of the minimum EI_min of a method over the mice of a group (null: all). */
	public double meanEiError(final String method, final String group) {
		double s = 0;
		int n = 0;
		for (final Scores x : byMethod.getOrDefault(method, List.of()))
			if ((group == null || group.equalsIgnoreCase(x.group)) && !Double.isNaN(x.err[1])) {
				s += x.err[1];
				n++;
			}
		return n == 0 ? Double.NaN : s / n;
	}

	/** Number of mice with a true drop above the threshold, and scored, for a method. */
	public int[] classes(final String method) {
		int pos = 0, all = 0;
		for (final Scores s : byMethod.getOrDefault(method, List.of()))
			if (!Double.isNaN(s.dropT)) {
				all++;
				if (s.trueRisk(threshold)) pos++;
			}
		return new int[] { pos, all };
	}

	/** The methods scored, in order. */
	public List<String> methods() {
		return new ArrayList<>(byMethod.keySet());
	}

	/**
	 * One line for the console: the AUROC per method and, on the tumour mice,
	 * the mean relative error of the minimum EI_min per method.
	 */
	public String summary(final String tumourGroup) {
		final StringBuilder b = new StringBuilder("rigidity: ");
		final List<String> ms = methods();
		if (ms.isEmpty()) return b.append("no mice scored").toString();
		final int[] c = classes(ms.get(0));
		b.append(String.format(Locale.ROOT, "%d of %d mice truly drop > %.0f %%; risk AUROC", c[0], c[1], 100 *
			threshold));
		for (final String m : ms)
			b.append(String.format(Locale.ROOT, " %s %s", m, f(auroc(m), 3)));
		b.append("; mean |rel. error| of min EI_min on ").append(tumourGroup).append(" mice:");
		for (final String m : ms)
			b.append(String.format(Locale.ROOT, " %s %s", m, f(meanEiError(m, tumourGroup), 4)));
		return b.toString();
	}

	private static double mean(final double[] v) {
		return CohortEvaluation.mean(v);
	}

	static String f(final double v, final int digits) {
		if (Double.isNaN(v)) return "nan";
		if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
		return String.format(Locale.ROOT, "%." + digits + "f", v);
	}
}
