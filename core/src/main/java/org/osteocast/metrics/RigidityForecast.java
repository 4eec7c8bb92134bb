package org.osteocast.metrics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.VolumeIOException;

/**
 * Fracture risk of a forecast: the rigidity ({@link Rigidity}) of every true
 * week of a mouse's slice sequence, of the point forecast and of each of its
 * K samples, and the probability that the minimum rigidity at the forecast
 * week has dropped by more than a threshold (default
 * {@value Rigidity#DEFAULT_DROP}) from week 1: the fraction of samples whose
 * worst drop ({@link Rigidity#worstDrop}) exceeds it.
 * <p>
 * Slice data are normalised to [0, 1] by one intensity window
 * ({@code slices.json}: {@code window.lo}, {@code window.hi}); the pixel size
 * is the VOI's crop side over the slice size ({@code geometry.crop_side_um /
 * geometry.size}). With a density calibration (grey → BMD) the normalised
 * values are mapped back to grey values first; without one, the relative mode
 * (uniform modulus over bone) is used with the bone threshold of the existing
 * metrics (Otsu's threshold of week 1, {@link LesionMetrics}).
 */
public final class RigidityForecast {

	private RigidityForecast() {}

	/** Name of the slice data set's record. */
	public static final String SLICES_JSON = "slices.json";

	/** What {@code slices.json} says about one mouse. */
	public static final class Geometry {
		/** In-plane pixel size of the 64 × 64 slices (µm). */
		public final double pixelUm;
		/** Grey values mapped to 0 and 1. */
		public final double lo, hi;
		/**
		 * Slices at the VOI's proximal start (slice 0 on) left out of the minimum
		 * search ({@link Rigidity#PROXIMAL_MARGIN_UM}); 0 unless the VOI starts at
		 * the growth plate.
		 */
		public final int proximalSlices;

		public Geometry(final double pixelUm, final double lo, final double hi) {
			this(pixelUm, lo, hi, 0);
		}

		public Geometry(final double pixelUm, final double lo, final double hi, final int proximalSlices) {
			this.pixelUm = pixelUm;
			this.lo = lo;
			this.hi = hi;
			this.proximalSlices = proximalSlices;
		}
	}

	/**
	 * {@link #geometry(Path, double)} with the default proximal margin
	 * ({@link Rigidity#PROXIMAL_MARGIN_UM}).
	 */
	public static Map<String, Geometry> geometry(final Path dataRoot) throws VolumeIOException {
		return geometry(dataRoot, Rigidity.PROXIMAL_MARGIN_UM);
	}

	/**
	 * Reads {@code slices.json} of a slice data set: per mouse, the pixel size,
	 * the intensity window and, where the VOI starts at the growth plate, the
	 * number of its first slices that lie within {@code marginUm} of the plate's
	 * edge (less the data set's {@code --offset-mm}, which already moved the VOI
	 * away from it). A VOI that starts at the tibia–fibula junction or at a
	 * manual slice has no margin.
	 *
	 * @throws VolumeIOException when the file is missing or lacks the geometry
	 */
	public static Map<String, Geometry> geometry(final Path dataRoot, final double marginUm)
		throws VolumeIOException
	{
		final Path f = dataRoot.resolve(SLICES_JSON);
		if (!Files.isRegularFile(f)) throw new VolumeIOException(f,
			"missing: rigidity needs the VOI geometry (pixel size) of the slice data set; give the pixel size instead");
		try {
			final JsonObject r = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
			final JsonObject w = r.getAsJsonObject("window");
			final double lo = w.get("lo").getAsDouble(), hi = w.get("hi").getAsDouble();
			final JsonObject opt = r.has("options") ? r.getAsJsonObject("options") : null;
			final double offsetUm = opt != null && opt.has("offset_mm") ? 1000 * opt.get("offset_mm").getAsDouble() : 0;
			final Map<String, Geometry> out = new HashMap<>();
			for (final JsonElement e : r.getAsJsonArray("mice")) {
				final JsonObject m = e.getAsJsonObject();
				final JsonObject g = m.getAsJsonObject("geometry");
				final double px = g.get("crop_side_um").getAsDouble() / g.get("size").getAsDouble();
				if (!(px > 0)) throw new VolumeIOException(f, "mouse " + m.get("mouse").getAsString() +
					": crop_side_um / size is not a positive pixel size");
				int margin = 0;
				final double left = marginUm - offsetUm;
				if (left > 0 && g.has("voi_start_method") && g.get("voi_start_method").getAsString().equals("growth plate") &&
					g.has("voi_thickness_um") && g.has("slices"))
					margin = Rigidity.marginSlices(left, g.get("voi_thickness_um").getAsDouble() / g.get("slices").getAsInt());
				out.put(m.get("mouse").getAsString(), new Geometry(px, lo, hi, margin));
			}
			return out;
		}
		catch (final IOException | RuntimeException e) {
			if (e instanceof VolumeIOException) throw (VolumeIOException) e;
			throw new VolumeIOException(f, "cannot read the window and VOI geometry: " + e.getMessage());
		}
	}

	/**
	 * The material for normalised slices of one mouse: calibrated when
	 * {@code slope} is finite (BMD = slope · grey + intercept, grey = lo + v ·
	 * (hi − lo)), else relative; the bone threshold is Otsu's threshold of
	 * {@code week1} in both cases.
	 */
	public static Rigidity.Material material(final float[][] week1, final Geometry g, final double slope,
		final double intercept, final double a, final double b, final double poisson)
	{
		if (Double.isNaN(slope)) return Rigidity.Material.relative(week1, LesionMetrics.otsu(week1), poisson);
		if (g == null) throw new IllegalArgumentException(
			"a density calibration of normalised slices needs their intensity window (slices.json)");
		return Rigidity.Material.calibrated(slope * (g.hi - g.lo), slope * g.lo + intercept, a, b, poisson,
			LesionMetrics.otsu(week1));
	}

	/** One mouse's rigidity over weeks and its forecast. Arrays of minima are {EA, EI_min, GJ}. */
	public static final class Result {
		/** Every true week's profile (index = week − 1). */
		public final Rigidity.Profile[] weeks;
		/** The point forecast's profile (null when none). */
		public final Rigidity.Profile forecast;
		/** Each sample's VOI minima, [sample][EA, EI_min, GJ]. */
		public final double[][] sampleMinima;
		/** The forecast week (1-based). */
		public final int forecastWeek;
		/** The drop threshold used. */
		public final double dropThreshold;

		Result(final Rigidity.Profile[] weeks, final Rigidity.Profile forecast, final double[][] sampleMinima,
			final int forecastWeek, final double dropThreshold)
		{
			this.weeks = weeks;
			this.forecast = forecast;
			this.sampleMinima = sampleMinima;
			this.forecastWeek = forecastWeek;
			this.dropThreshold = dropThreshold;
		}

		/** The worst drop of the truth at the forecast week; NaN when that week is not in the data. */
		public double trueDrop() {
			return forecastWeek <= weeks.length ? Rigidity.worstDrop(weeks[0], weeks[forecastWeek - 1]) : Double.NaN;
		}

		/** The worst drop of the point forecast. */
		public double forecastDrop() {
			return forecast == null ? Double.NaN : Rigidity.worstDrop(weeks[0], forecast);
		}

		/** The worst drop of each sample. */
		public double[] sampleDrops() {
			final double[] ref = weeks[0].minima(), d = new double[sampleMinima.length];
			for (int k = 0; k < d.length; k++)
				d[k] = Rigidity.worstDrop(ref, sampleMinima[k]);
			return d;
		}

		/**
		 * P(drop &gt; threshold): the fraction of samples above it; without samples,
		 * 0 or 1 from the point forecast.
		 */
		public double riskProbability() {
			final double[] d = sampleDrops();
			if (d.length == 0) {
				final double f = forecastDrop();
				return Double.isNaN(f) ? Double.NaN : f > dropThreshold ? 1 : 0;
			}
			int n = 0;
			for (final double x : d)
				if (x > dropThreshold) n++;
			return n / (double) d.length;
		}

		/** Percentiles (linear between order statistics) of the samples' minimum of column c (0 EA, 1 EI_min, 2 GJ). */
		public double samplePercentile(final int c, final double pct) {
			if (sampleMinima.length == 0) return Double.NaN;
			final double[] v = new double[sampleMinima.length];
			for (int k = 0; k < v.length; k++)
				v[k] = sampleMinima[k][c];
			Arrays.sort(v);
			final double pos = pct / 100 * (v.length - 1);
			final int i = (int) Math.floor(pos);
			return i >= v.length - 1 ? v[v.length - 1] : v[i] + (pos - i) * (v[i + 1] - v[i]);
		}
	}

	/** {@link #of(Hyperstack, int, float[][], float[][][], double, int, Rigidity.Material, double)} with no proximal margin. */
	public static Result of(final Hyperstack h, final int forecastWeek, final float[][] forecast,
		final float[][][] samples, final double pixelUm, final Rigidity.Material m, final double dropThreshold)
	{
		return of(h, forecastWeek, forecast, samples, pixelUm, 0, m, dropThreshold);
	}

	/**
	 * @param h the mouse's slice sequence (every true week it has)
	 * @param forecastWeek the week the forecast is for (1-based)
	 * @param forecast the point forecast (or null)
	 * @param samples the samples (each slices × pixels; may be empty)
	 * @param proximalSlices slices at the VOI's start (slice 0 on) left out of
	 *          every minimum ({@link Geometry#proximalSlices})
	 */
	public static Result of(final Hyperstack h, final int forecastWeek, final float[][] forecast,
		final float[][][] samples, final double pixelUm, final int proximalSlices, final Rigidity.Material m,
		final double dropThreshold)
	{
		return of(weeks(h, pixelUm, proximalSlices, m), h.width(), h.height(), forecastWeek, forecast, samples, pixelUm,
			proximalSlices, m, dropThreshold);
	}

	/**
	 * The profile of every true week of {@code h} (index = week − 1), each
	 * searched below {@code proximalSlices}: computed once, they serve the truth's
	 * rows and every forecast of the mouse ({@link #of(Rigidity.Profile[], int,
	 * int, int, float[][], float[][][], double, int, Rigidity.Material, double)}).
	 */
	public static Rigidity.Profile[] weeks(final Hyperstack h, final double pixelUm, final int proximalSlices,
		final Rigidity.Material m)
	{
		final Rigidity.Profile[] weeks = new Rigidity.Profile[h.frames()];
		for (int t = 0; t < weeks.length; t++)
			weeks[t] = Rigidity.profile(h.planes(t), h.width(), h.height(), pixelUm, m).fromSlice(proximalSlices);
		return weeks;
	}

	/**
	 * As {@link #of(Hyperstack, int, float[][], float[][][], double, int,
	 * Rigidity.Material, double)}, with the true weeks' profiles already made
	 * ({@link #weeks}) for slices of {@code width × height} pixels.
	 */
	public static Result of(final Rigidity.Profile[] weeks, final int width, final int height, final int forecastWeek,
		final float[][] forecast, final float[][][] samples, final double pixelUm, final int proximalSlices,
		final Rigidity.Material m, final double dropThreshold)
	{
		final Rigidity.Profile f = forecast == null ? null : Rigidity.profile(forecast, width, height, pixelUm, m)
			.fromSlice(proximalSlices);
		final double[][] sm = new double[samples.length][];
		for (int k = 0; k < samples.length; k++)
			sm[k] = Rigidity.profile(samples[k], width, height, pixelUm, m).fromSlice(proximalSlices).minima();
		return new Result(weeks, f, sm, forecastWeek, dropThreshold);
	}

	/**
	 * The samples of {@code <mouse>_samples.tif} for the first forecast week:
	 * its first {@code k} frames (all when {@code k <= 0}); empty when the file
	 * does not exist.
	 */
	public static float[][][] readSamples(final Path file, final Hyperstack truth, final int k)
		throws VolumeIOException
	{
		if (!Files.isRegularFile(file)) return new float[0][][];
		final Hyperstack s = Hyperstack.read(file);
		if (s.width() != truth.width() || s.height() != truth.height() || s.slices() != truth.slices())
			throw new VolumeIOException(file, "is " + s.width() + " x " + s.height() + " x " + s.slices() +
				" but the data set's slices are " + truth.width() + " x " + truth.height() + " x " + truth.slices());
		final int n = k > 0 ? Math.min(k, s.frames()) : s.frames();
		final float[][][] out = new float[n][][];
		for (int t = 0; t < n; t++)
			out[t] = s.planes(t);
		return out;
	}

	/** The samples per mouse from {@code prediction.json} (absent: 0 = all frames). */
	public static Map<String, Integer> sampleCounts(final Path predictionDir) {
		final Map<String, Integer> out = new HashMap<>();
		final Path f = predictionDir.resolve(PredictionUncertainty.PREDICTION_JSON);
		if (!Files.isRegularFile(f)) return out;
		try {
			final JsonObject r = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
			if (!r.has("mice")) return out;
			for (final JsonElement e : r.getAsJsonArray("mice")) {
				final JsonObject m = e.getAsJsonObject();
				if (m.has("samples") && m.has("mouse")) out.put(m.get("mouse").getAsString(), m.get("samples").getAsInt());
			}
		}
		catch (final IOException | RuntimeException e) {
			// an unreadable record: use every frame of the samples file
		}
		return out;
	}
}
