package org.osteocast.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.osteocast.core.Otsu;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;

/**
 * The headless facade of rigidity analysis shared by {@code osteocast
 * rigidity} and the Fiji command "Bone Rigidity (CTRA)": options in, per-slice
 * and summary tables out ({@link Rigidity} does the maths).
 */
public final class RigidityAnalysis {

	private RigidityAnalysis() {}

	/** Settings; NaN slope means the relative mode, NaN threshold Otsu's. */
	public static final class Options {
		public double slope = Double.NaN, intercept = 0;
		public double a = Rigidity.DEFAULT_A_MPA, b = Rigidity.DEFAULT_B, poisson = Rigidity.DEFAULT_POISSON;
		public double threshold = Double.NaN;
		/**
		 * The scan's own grey-to-attenuation map {scale, offset} (attenuation =
		 * offset + scale · grey, from an NRecon log), or null: with it the density
		 * calibration ({@link #slope}, {@link #intercept}) maps attenuation, not
		 * grey values, to BMD, so one phantom calibration serves scans
		 * reconstructed with different grey windows.
		 */
		public double[] attenuation;
		public double drop = Rigidity.DEFAULT_DROP;
		/** Slices of a scan to analyse, 1-based inclusive; {@code last <= 0}: to the end. */
		public int first = 1, last = 0;
		/**
		 * Slice data sets whose VOI starts at the growth plate: the proximal
		 * margin (µm) left out of the minima ({@link Rigidity#PROXIMAL_MARGIN_UM};
		 * 0 = none). A scan's slices are chosen with {@link #first} and {@link #last}.
		 */
		public double marginUm = Rigidity.PROXIMAL_MARGIN_UM;

		public boolean calibrated() {
			return !Double.isNaN(slope);
		}

		public void check() {
			if (!(drop > 0 && drop < 1)) throw new IllegalArgumentException("the drop threshold must be in (0, 1), not " +
				drop);
			if (calibrated() && (slope == 0 || !Double.isFinite(slope) || !Double.isFinite(intercept)))
				throw new IllegalArgumentException("the density calibration needs a finite, non-zero slope and a finite intercept");
			if (!(poisson > -1 && poisson < 0.5)) throw new IllegalArgumentException("Poisson ratio must be in (-1, 0.5)");
			Rigidity.checkMargin(marginUm);
		}
	}

	/** Per-slice CSV columns. */
	public static final List<String> SLICE_COLUMNS = List.of("image", "week", "slice", "ea", "ei_min", "ei_max", "gj",
		"centroid_x_mm", "centroid_y_mm", "theta_rad", "weakest_ei_min");

	/** Summary CSV columns (one row per image and week, plus forecast rows). */
	public static final List<String> SUMMARY_COLUMNS = List.of("image", "week", "source", "min_ea", "min_ea_slice",
		"min_ei_min", "min_ei_min_slice", "min_gj", "min_gj_slice", "drop_from_week1", "samples", "min_ei_min_p05",
		"min_ei_min_p95", "p_drop_above_threshold", "units");

	/** The result: per-slice rows and summary rows (text cells), and how the modulus was set. */
	public static final class Tables {
		public final List<String[]> slices = new ArrayList<>(), summary = new ArrayList<>();
		public final List<String> notes = new ArrayList<>();
		/** The profiles, in summary-row order (for plots). */
		public final List<Rigidity.Profile> profiles = new ArrayList<>();

		/** Writes {@code rigidity_slices.csv} and {@code rigidity_summary.csv} into a folder, atomically. */
		public List<Path> write(final Path dir) throws IOException {
			Files.createDirectories(dir);
			final Path a = dir.resolve("rigidity_slices.csv"), b = dir.resolve("rigidity_summary.csv");
			AtomicFiles.writeString(a, csv(SLICE_COLUMNS, slices));
			AtomicFiles.writeString(b, csv(SUMMARY_COLUMNS, summary));
			return List.of(a, b);
		}

		private static String csv(final List<String> header, final List<String[]> rows) {
			final StringBuilder s = new StringBuilder(Csv.line(header.toArray())).append('\n');
			for (final String[] r : rows)
				s.append(Csv.line((Object[]) r)).append('\n');
			return s.toString();
		}
	}

	/** The planes of a volume as float arrays (z-major). */
	public static <T extends RealType<T>> float[][] planes(final Volume<T> v) {
		final int w = (int) v.width(), h = (int) v.height(), d = (int) v.depth();
		final float[][] p = new float[d][w * h];
		final Cursor<T> c = Views.flatIterable(Views.zeroMin(v.image())).cursor();
		for (int z = 0; z < d; z++)
			for (int i = 0; i < w * h; i++)
				p[z][i] = c.next().getRealFloat();
		return p;
	}

	/**
	 * Rigidity of a scan (any volume with a voxel size): slices along z, the
	 * grey values calibrated by {@code o.slope}/{@code o.intercept} when given.
	 */
	public static <T extends RealType<T>> Tables scan(final Volume<T> v, final Options o) {
		o.check();
		final double[] vs = v.voxelSizeUm();
		if (Math.abs(vs[0] - vs[1]) > 1e-6 * Math.max(vs[0], vs[1])) throw new IllegalArgumentException(
			"rigidity needs square pixels, but " + v.name() + " has " + vs[0] + " x " + vs[1] + " um");
		final float[][] all = planes(v);
		final int last = o.last <= 0 ? all.length : o.last;
		if (o.first < 1 || last > all.length || o.first > last) throw new IllegalArgumentException("slices " + o.first +
			"-" + last + " are not within the " + all.length + " slices of " + v.name());
		final float[][] p = java.util.Arrays.copyOfRange(all, o.first - 1, last);
		final int w = (int) v.width(), h = (int) v.height();
		final double[] att = o.attenuation != null && o.calibrated() ? o.attenuation : new double[] { 1, 0 };
		final Rigidity.Material m = material(p, o, att[0], att[1], true);
		final Tables t = new Tables();
		if (att != o.attenuation && o.attenuation != null) t.notes.add(
			"the scan's attenuation calibration is not used: relative mode (give --slope to calibrate density)");
		if (att == o.attenuation) t.notes.add(String.format(java.util.Locale.ROOT,
			"grey values to attenuation from the scan's reconstruction log: %.6g + %.6g x grey; BMD = %.6g x attenuation + %.6g",
			att[1], att[0], o.slope, o.intercept));
		t.notes.add("modulus: " + m);
		final Rigidity.Profile pr = Rigidity.profile(p, w, h, vs[0], m);
		int empty = 0;
		for (final Rigidity.Section s : pr.slices)
			if (s.ea == 0) empty++;
		if (empty > 0) t.notes.add(empty + " of slices " + o.first + "-" + last + " hold no bone: their rigidity is 0 " +
			"and so is the minimum; choose the volume of interest (slices) to analyse");
		add(t, v.name(), "", "scan", pr, m, null, null, o.first);
		return t;
	}

	/**
	 * Rigidity of every week of every mouse of a slice data set, and, with a
	 * prediction folder, of each forecast ({@code <mouse>_pred.tif}) and its
	 * samples: the distribution of the minimum EI and P(drop &gt; o.drop) from
	 * week 1. The forecast is of the week after the data's frames when the data
	 * end before it, otherwise of the last frame (the truth).
	 */
	public static Tables dataset(final SliceDataset ds, final Path pred, final Options o) throws IOException {
		o.check();
		final Map<String, RigidityForecast.Geometry> geo = RigidityForecast.geometry(ds.root(), o.marginUm);
		final Map<String, Integer> counts = pred == null ? Map.of() : RigidityForecast.sampleCounts(pred);
		final Map<String, PredictionUncertainty.MouseInfo> predInfo = pred == null ? Map.of() : PredictionUncertainty
			.mice(pred);
		final Tables t = new Tables();
		for (final SliceDataset.Entry e : ds.entries()) {
			final RigidityForecast.Geometry g = geo.get(e.mouse);
			if (g == null) throw new VolumeIOException(ds.root().resolve(RigidityForecast.SLICES_JSON), "has no geometry for mouse " +
				e.mouse);
			final Hyperstack h = e.read();
			final Rigidity.Material m = Double.isNaN(o.threshold) ? RigidityForecast.material(h.planes(0), g, o.slope,
				o.intercept, o.a, o.b, o.poisson) : material(h.planes(0), o, g.hi - g.lo, g.lo, false);
			final int skip = g.proximalSlices;
			t.notes.add(e.mouse + ": pixel " + fmt(g.pixelUm, 3) + " um, modulus " + m + (skip > 0 ? "; minima from slice " +
				(skip + 1) + " on (the first " + skip + " within " + fmt(o.marginUm / 1000, 3) +
					" mm of the growth plate's edge left out)" : ""));
			final Rigidity.Profile[] weeks = RigidityForecast.weeks(h, g.pixelUm, skip, m);
			for (int k = 0; k < weeks.length; k++)
				add(t, e.mouse, Integer.toString(k + 1), "truth", weeks[k], m, weeks[0], null);
			if (pred == null) continue;
			final Path pf = pred.resolve(e.mouse.replaceAll("[^A-Za-z0-9._-]", "_") + "_pred.tif");
			if (!Files.isRegularFile(pf)) {
				t.notes.add(e.mouse + ": no forecast " + pf.getFileName());
				continue;
			}
			final float[][] f = CohortEvaluation.readForecast(pf, h);
			final float[][][] s = RigidityForecast.readSamples(pred.resolve(pf.getFileName().toString().replace(
				"_pred.tif", "_samples.tif")), h, counts.getOrDefault(e.mouse, 0));
			final PredictionUncertainty.MouseInfo info = predInfo.get(e.mouse);
			final int week = info != null && info.observedWeeks > 0 ? info.observedWeeks + 1 : h.frames();
			final RigidityForecast.Result r = RigidityForecast.of(weeks, h.width(), h.height(), week, f, s, g.pixelUm, skip,
				m, o.drop);
			add(t, e.mouse, Integer.toString(week), "forecast", r.forecast, m, weeks[0], r);
		}
		return t;
	}

	/**
	 * The material of a scan ({@code scan}: its bone threshold is the mineral
	 * threshold of {@link Otsu#boneThreshold}, which finds bone above soft tissue
	 * in a scan that also holds air) or of normalised VOI slices (Otsu's
	 * threshold, as the other metrics); an explicit {@code o.threshold} wins.
	 * Values v map to grey = greyOffset + greyScale · v for the calibration.
	 */
	private static Rigidity.Material material(final float[][] p, final Options o, final double greyScale,
		final double greyOffset, final boolean scan)
	{
		final double thr = !Double.isNaN(o.threshold) ? o.threshold : scan ? mineralThreshold(p) : LesionMetrics.otsu(p);
		if (o.calibrated()) return Rigidity.Material.calibrated(o.slope * greyScale, o.slope * greyOffset + o.intercept,
			o.a, o.b, o.poisson, thr);
		return Rigidity.Material.relative(p, thr, o.poisson);
	}

	/** {@link Otsu#boneThreshold} of the planes (256 bins between their min and max). */
	static double mineralThreshold(final float[][] p) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final float[] q : p)
			for (final float v : q) {
				if (v < lo) lo = v;
				if (v > hi) hi = v;
			}
		if (!(hi > lo)) return lo;
		final long[] h = new long[Otsu.BINS];
		for (final float[] q : p)
			Otsu.accumulate(q, lo, hi, h);
		return Otsu.boneThreshold(h, lo, hi);
	}

	private static void add(final Tables t, final String image, final String week, final String source,
		final Rigidity.Profile p, final Rigidity.Material m, final Rigidity.Profile week1,
		final RigidityForecast.Result r)
	{
		add(t, image, week, source, p, m, week1, r, 1);
	}

	private static void add(final Tables t, final String image, final String week, final String source,
		final Rigidity.Profile p, final Rigidity.Material m, final Rigidity.Profile week1,
		final RigidityForecast.Result r, final int firstSlice)
	{
		final int weakest = p.weakest(1);
		if (!"forecast".equals(source)) for (int z = 0; z < p.slices.length; z++) {
			final Rigidity.Section s = p.slices[z];
			t.slices.add(new String[] { image, week, Integer.toString(z + firstSlice), g(s.ea), g(s.eiMin), g(s.eiMax), g(s.gj), fmt(
				s.cx, 4), fmt(s.cy, 4), fmt(s.theta, 4), z == weakest ? "1" : "0" });
		}
		final String[] u = m.units();
		final double drop = week1 == null ? Double.NaN : Rigidity.worstDrop(week1, p);
		t.summary.add(new String[] { image, week, source, g(p.min(0)), Integer.toString(p.weakest(0) + firstSlice), g(p.min(1)),
			Integer.toString(weakest + firstSlice), g(p.min(3)), Integer.toString(p.weakest(3) + firstSlice), fmt(drop, 4), r == null ? "0"
				: Integer.toString(r.sampleMinima.length), r == null ? "nan" : g(r.samplePercentile(1, 5)), r == null ? "nan"
					: g(r.samplePercentile(1, 95)), r == null ? "nan" : fmt(r.riskProbability(), 3), (m.calibrated ? ""
						: "relative ") + "EA " + u[0] + ", EI and GJ " + u[1] });
		t.profiles.add(p);
	}

	static String g(final double v) {
		return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.6g", v);
	}

	static String fmt(final double v, final int digits) {
		return RigidityEvaluation.f(v, digits);
	}
}
