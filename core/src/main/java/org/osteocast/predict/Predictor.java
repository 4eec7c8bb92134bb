package org.osteocast.predict;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Otsu;
import org.osteocast.core.Progress;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.Ids;
import org.osteocast.io.contracts.Output;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.engine.Torch;
import org.osteocast.nn.model.ModelArchive;

/**
 * Forecasts week {@code n_past + 1} (and optionally further weeks) from
 * weeks {@code 1..n_past}, as SVG-LP generates: the posterior conditions on
 * the observed weeks, then {@code z} is drawn from the learned prior for each
 * future week; K samples per slice, all slices and samples of a mouse batched
 * together.
 * <p>
 * Batch norm uses its running (training-set) statistics by default, unlike
 * SVG-LP, which generates in training mode: with batch statistics a slice's
 * forecast would depend on which other slices and samples share its batch,
 * so it would change with K, with the batch size and with the number of
 * slices, and a single slice could not be predicted at all.
 * {@link Options#batchStatistics} restores SVG-LP's behaviour.
 * <p>
 * Outputs per mouse (the prediction contract), all with the input's
 * calibration: {@code <mouse>_pred.tif} (slices × frames = predicted weeks,
 * point forecast = per-pixel mean or median of the samples),
 * {@code <mouse>_samples.tif} (frames = samples, week-major when the horizon
 * is above 1) and {@code <mouse>_uncertainty.tif} (two frames per predicted
 * week: the probability that the pixel is bone, and the per-pixel predictive
 * standard deviation). The bone threshold is Otsu's on the observed weeks,
 * recorded with the other settings in {@code prediction.json}.
 * <p>
 * For a model with a per-pixel variance ({@link ForecastNet#pixelVariance()},
 * the T-VAE by default) the predictive distribution of a pixel is a mixture
 * over the K latent samples of Gaussians {@code N(μ_k, σ_k²)}: the samples
 * written are the {@code μ_k} (the futures the latent distinguishes: where a
 * lesion goes), P(bone) is the mixture's mass above the threshold,
 * {@code (1/K) Σ_k P(N(μ_k, σ_k²) > t)}, and the standard deviation is the
 * mixture's, {@code sqrt(Var_k μ_k + mean_k σ_k²)} (the law of total
 * variance), so the map shows both where the latent samples disagree and
 * where the model expects its forecast to be off. Without it, P(bone) is
 * the fraction of samples above the threshold and the SD their spread.
 */
public final class Predictor {

	private Predictor() {}

	/** Prediction settings. */
	public static final class Options {
		public int samples = 8, horizon = 1, batch = 96;
		public long seed = 1;
		public boolean median, batchStatistics;
		/** Arithmetic of the heavy layers (resolved: {@link #resolvePrecision}); default fp32. */
		public Precision precision = Precision.FP32;

		public Options precision(final Precision p) {
			precision = java.util.Objects.requireNonNull(p);
			return this;
		}

		public Options samples(final int k) {
			samples = k;
			return this;
		}

		public Options horizon(final int h) {
			horizon = h;
			return this;
		}

		public Options seed(final long s) {
			seed = s;
			return this;
		}

		public Options median(final boolean m) {
			median = m;
			return this;
		}

		public Options batch(final int b) {
			batch = b;
			return this;
		}

		public Options batchStatistics(final boolean b) {
			batchStatistics = b;
			return this;
		}

		/** Throws for settings out of range. */
		public void check() {
			if (samples < 1 || horizon < 1 || batch < 1) throw new IllegalArgumentException(
				"samples, horizon and batch must be >= 1");
			if (batchStatistics && batch < 2) throw new IllegalArgumentException(
				"batch statistics need at least 2 sequences per batch");
		}

		/** The settings as recorded in prediction.json. */
		public JsonObject toJson() {
			final JsonObject o = new JsonObject();
			o.addProperty("samples", samples);
			o.addProperty("horizon", horizon);
			o.addProperty("seed", seed);
			o.addProperty("point_forecast", median ? "median" : "mean");
			o.addProperty("batch_norm", batchStatistics ? "batch statistics (SVG-LP)" : "running statistics");
			o.addProperty("precision", precision.label());
			return o;
		}
	}

	/**
	 * The precision {@code predict} and {@code evaluate} use for a request
	 * ({@code auto}, {@code fp32}, {@code bf16}; null = auto): {@code auto} is
	 * the precision the model was trained in where this machine's own
	 * {@code auto} ({@link Precision#resolve}) would use bf16, else fp32 (one
	 * line to {@code log} saying why); an explicit choice is taken as asked.
	 * On a GPU {@code auto} is fp32 ({@link Precision#onDevice}).
	 */
	public static Precision resolvePrecision(final String request, final Device device, final ModelArchive archive,
		final Precision.CpuFeatures cpu, final java.util.function.Consumer<String> log)
	{
		final String onDevice = Precision.onDevice(request, device, log);
		final String r = onDevice == null ? "auto" : onDevice.trim().toLowerCase(java.util.Locale.ROOT);
		final boolean layers = archive.architecture().equals(org.osteocast.nn.tvae.TvaeConfig.ARCHITECTURE);
		if (!r.equals("auto")) return Precision.resolve(r, layers, archive.architecture(), cpu, log);
		if (archive.trainedPrecision() != Precision.BF16) return Precision.FP32;
		return Precision.resolve("auto", layers, archive.architecture(), cpu, log);
	}

	/** One mouse's forecast. */
	public static final class Forecast {
		/** Point forecast: slices × horizon frames. */
		public final Hyperstack pred;
		/** Samples: slices × (horizon × K) frames, frame {@code h K + k}. */
		public final Hyperstack samples;
		/** Per predicted week: P(bone) then standard deviation: slices × 2·horizon frames. */
		public final Hyperstack uncertainty;
		/** Otsu threshold on the observed weeks. */
		public final double boneThreshold;

		Forecast(final Hyperstack pred, final Hyperstack samples, final Hyperstack uncertainty, final double t) {
			this.pred = pred;
			this.samples = samples;
			this.uncertainty = uncertainty;
			this.boneThreshold = t;
		}

		/** The first {@code nPast} weeks of {@code observed} followed by the forecast weeks: frames = weeks. */
		public Hyperstack withObserved(final Hyperstack observed, final int nPast) {
			final Hyperstack h = new Hyperstack(pred.width(), pred.height(), pred.slices(), nPast + pred.frames(), observed
				.voxelSizeUm(), observed.name() + " + forecast");
			for (int t = 0; t < h.frames(); t++)
				for (int z = 0; z < h.slices(); z++)
					System.arraycopy(t < nPast ? observed.plane(z, t) : pred.plane(z, t - nPast), 0, h.plane(z, t), 0, h.width() *
						h.height());
			return h;
		}
	}

	/**
	 * Forecasts one mouse with a loaded model.
	 *
	 * @param observed a hyperstack with at least {@code n_past} frames (the first {@code n_past} are used)
	 * @param mouseSeed seed for this mouse's noise
	 */
	public static Forecast predict(final ForecastNet model, final NDManager manager, final Hyperstack observed,
		final Options o, final long mouseSeed, final Cancellation cancel)
	{
		o.check();
		final int s = model.imageSize(), n = model.nPast(), px = s * s, zs = observed.slices(), hz = o.horizon;
		// a deterministic model's samples would all be equal: one is enough
		final int k = model.stochastic() ? o.samples : 1;
		checkMemory(zs, k, hz, px, model.pixelVariance());
		if (observed.width() != s || observed.height() != s) throw new IllegalArgumentException("slices are " + observed
			.width() + " x " + observed.height() + ", the model expects " + s + " x " + s);
		if (observed.frames() < n) throw new IllegalArgumentException("the model needs " + n + " observed weeks, got " +
			observed.frames());
		final boolean volume = model.spatialDims() == 3;
		if (volume && zs != model.depth()) throw new IllegalArgumentException("the volume has " + zs +
			" slices; the 3-D model takes " + model.depth());
		// a row is one (slice, sample) sequence, or for a 3-D model one sample of the whole volume
		final int d = volume ? zs : 1, rows = (volume ? 1 : zs) * k;
		final float[][][] out = new float[hz][zs * k][]; // [week][slice * K + sample]
		final boolean pixVar = model.pixelVariance();
		final float[][][] var = pixVar ? new float[hz][zs * k][] : null; // the model's per-pixel variance, likewise
		// noise per row, drawn up front: results do not depend on the batch size
		final SplittableRandom rnd = new SplittableRandom(mouseSeed);
		final int nn = model.forecastNoise(hz);
		final float[][] noise = new float[rows][];
		for (int r = 0; r < rows; r++)
			noise[r] = org.osteocast.core.Gaussians.sample(rnd, nn);
		final int batch = batchRows(volume, o.batch, k);
		final ParameterStore ps = new ParameterStore(manager, false);
		try (Torch.GradMode noGrad = Torch.gradMode(false); Precision.Scope p = Precision.scope(o.precision)) {
			for (int from = 0; from < rows; from += batch) {
				cancel.check();
				final int b = Math.min(batch, rows - from);
				// rows of one slice (or of the volume) share their observed weeks: the model encodes them once
				final int repeats = volume ? b : from % k == 0 && b % k == 0 ? k : 1, unique = b / repeats;
				final float[] obs = new float[unique * n * d * px];
				final float[] eps = new float[b * nn];
				for (int u = 0; u < unique; u++) {
					final int r = from + u * repeats;
					for (int w = 0; w < n; w++)
						for (int zz = 0; zz < d; zz++)
							System.arraycopy(observed.plane(volume ? zz : r / k, w), 0, obs, ((u * n + w) * d + zz) * px, px);
				}
				for (int i = 0; i < b; i++)
					System.arraycopy(noise[from + i], 0, eps, i * nn, nn);
				final float[] pred, pv;
				try (NDManager sub = manager.newSubManager()) {
					final NDArray x = sub.create(obs, volume ? new Shape(unique, n, 1, d, s, s) : new Shape(unique, n, 1, s,
						s));
					final NDArray e = nn > 0 ? sub.create(eps, new Shape(b, nn)) : null;
					final ai.djl.ndarray.NDList f = model.forecastDistribution(ps, x, e, hz, o.batchStatistics, repeats);
					pred = f.get(0).toFloatArray();
					pv = pixVar ? f.get(1).toFloatArray() : null;
				}
				for (int i = 0; i < b; i++) {
					final int r = from + i;
					for (int h = 0; h < hz; h++)
						for (int zz = 0; zz < d; zz++) {
							final int slot = volume ? zz * k + r : r;
							final int off = ((i * hz + h) * d + zz) * px;
							out[h][slot] = Arrays.copyOfRange(pred, off, off + px);
							if (pixVar) var[h][slot] = Arrays.copyOfRange(pv, off, off + px);
						}
				}
			}
		}
		final List<float[]> obsPlanes = new ArrayList<>();
		for (int w = 0; w < n; w++)
			for (int z = 0; z < zs; z++)
				obsPlanes.add(observed.plane(z, w));
		final double thr = Otsu.threshold(obsPlanes.toArray(new float[0][]));
		final double[] vox = observed.voxelSizeUm();
		final String name = observed.name();
		final Hyperstack pred = new Hyperstack(s, s, zs, hz, vox, name + " forecast");
		final Hyperstack samples = new Hyperstack(s, s, zs, hz * k, vox, name + " samples");
		final Hyperstack unc = new Hyperstack(s, s, zs, 2 * hz, vox, name + " uncertainty");
		final float[] vals = new float[k];
		for (int h = 0; h < hz; h++)
			for (int z = 0; z < zs; z++) {
				final float[] p = pred.plane(z, h), pb = unc.plane(z, 2 * h), sd = unc.plane(z, 2 * h + 1);
				for (int j = 0; j < k; j++)
					System.arraycopy(out[h][z * k + j], 0, samples.plane(z, h * k + j), 0, px);
				for (int i = 0; i < px; i++) {
					double sum = 0, sq = 0, bone = 0, pixelVar = 0;
					for (int j = 0; j < k; j++) {
						final float v = out[h][z * k + j][i];
						vals[j] = v;
						sum += v;
						sq += v * (double) v;
						if (pixVar) {
							final double vj = var[h][z * k + j][i];
							pixelVar += vj;
							bone += vj > 0 ? org.osteocast.core.Gaussians.upperTail((thr - v) / Math.sqrt(vj)) : v > thr ? 1 : 0;
						}
						else if (v > thr) bone++;
					}
					final double mean = sum / k;
					p[i] = o.median ? median(vals) : (float) mean;
					pb[i] = (float) (bone / k);
					// law of total variance: the spread of the samples' means plus their mean variance
					sd[i] = (float) Math.sqrt(Math.max(0, sq / k - mean * mean) + pixelVar / k);
				}
			}
		return new Forecast(pred, samples, unc, thr);
	}

	/** The message when a forecast would not fit the Java heap (tests assert on its start). */
	public static final String TOO_BIG = "too many samples for the Java heap: ";

	/**
	 * Rows per forward pass: at most {@code requested}; for slices a multiple of
	 * the samples where it can be, so that each slice's rows share one pass
	 * (and one encoding of its observed weeks); a 3-D model's volume 2 rows at
	 * most.
	 */
	static int batchRows(final boolean volume, final int requested, final int samples) {
		if (volume) return Math.min(requested, 2);
		return requested >= samples ? requested / samples * samples : requested;
	}

	/**
	 * Refuses a forecast whose arrays (samples, their variances, the written
	 * stacks) would not fit the Java heap, before allocating them.
	 */
	static void checkMemory(final int slices, final int k, final int horizon, final int px, final boolean pixVar) {
		final double bytes = 4.0 * px * slices * horizon * ((double) k * (pixVar ? 3 : 2) + 3);
		final Runtime rt = Runtime.getRuntime();
		final double free = VolumeIO.freeHeap(bytes / 0.8);
		if (bytes > 0.8 * free || (double) slices * k > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(TOO_BIG + String.format(Locale.ROOT,
			"%d sample(s) of %d slice(s) x %d week(s) need about %.1f GB, and %.1f GB of the %.1f GB heap are free; " +
				"use fewer --samples or a larger heap (OSTEOCAST_XMX, e.g. %dg)", k, slices, horizon, bytes / 1e9, free / 1e9,
			rt.maxMemory() / 1e9, (long) Math.ceil((bytes / 0.8 + rt.maxMemory() - free) / 1e9)));
	}

	private static float median(final float[] v) {
		final float[] c = v.clone();
		Arrays.sort(c);
		final int m = c.length / 2;
		return c.length % 2 == 1 ? c[m] : 0.5f * (c[m - 1] + c[m]);
	}

	/**
	 * Predicts every mouse of {@code data} in the chosen splits (all when
	 * {@code splits} is empty) and writes the contract's files into
	 * {@code outDir}, plus {@code prediction.json}.
	 *
	 * @return the mice predicted
	 */
	public static List<String> run(final ModelArchive archive, final SliceDataset data,
		final List<SliceDataset.Split> splits, final Path outDir, final Options o, final Device device,
		final Progress progress, final Cancellation cancel, final PrintStream log) throws IOException
	{
		return run(archive, data, splits, outDir, false, o, device, progress, cancel, log);
	}

	/**
	 * As {@link #run(ModelArchive, SliceDataset, List, Path, Options, Device, Progress, Cancellation, PrintStream)};
	 * the output folder appears whole or not at all ({@link Output}) and is
	 * replaced as a whole with {@code overwrite}. {@code prediction.json}
	 * records the provenance that {@code evaluate} checks: the model archive
	 * and its SHA-256, the data set, the split, the observed and forecast
	 * weeks, and each input hyperstack's SHA-256.
	 */
	public static List<String> run(final ModelArchive archive, final SliceDataset data,
		final List<SliceDataset.Split> splits, final Path outDir, final boolean overwrite, final Options o,
		final Device device, final Progress progress, final Cancellation cancel, final PrintStream log)
		throws IOException
	{
		o.check();
		final List<SliceDataset.Entry> mice = new ArrayList<>();
		for (final SliceDataset.Entry e : data.entries())
			if (splits.isEmpty() || splits.contains(e.split)) mice.add(e);
		if (mice.isEmpty()) throw new IllegalArgumentException("no mice in split(s) " + splits + " of " + data.root());
		final List<Path> inputs = new ArrayList<>();
		for (final SliceDataset.Entry e : data.entries())
			inputs.add(e.image);
		inputs.add(archive.file());
		try (Output out = Output.folder(outDir, overwrite, inputs)) {
			final List<String> done = write(archive, data, splits, mice, out.dir(), o, device, progress, cancel, log);
			out.commit();
			return done;
		}
	}

	/**
	 * Forecasts one hyperstack (frames = observed weeks) with a model archive:
	 * the archive's input checks, finite inputs, then {@link #predict}.
	 */
	public static Forecast predict(final ModelArchive archive, final Hyperstack observed, final Options o,
		final Device device, final Cancellation cancel) throws IOException
	{
		archive.checkInputSize(observed.width() == observed.height() ? observed.width() : -1, null);
		if (observed.frames() < archive.nPast()) throw new IllegalArgumentException(observed.name() + " has " + observed
			.frames() + " weeks; the model conditions on " + archive.nPast());
		final String bad = nonFinite(observed, archive.nPast());
		if (bad != null) throw new IllegalArgumentException(observed.name() + ": " + bad +
			" are not finite (NaN or infinity); forecasts need finite values in [0, 1], as training does");
		EngineSetup.engine();
		try (NDManager manager = NDManager.newBaseManager(device)) {
			return predict(archive.load(manager), manager, observed, o, o.seed, cancel);
		}
	}

	/** The voxels of a hyperstack that are not finite (NaN or infinite), as "N voxels (first: week w, slice z)"; null if none. */
	static String nonFinite(final Hyperstack h, final int frames) {
		long n = 0;
		String first = null;
		for (int t = 0; t < frames; t++)
			for (int z = 0; z < h.slices(); z++)
				for (final float v : h.plane(z, t))
					if (!Float.isFinite(v)) {
						if (n++ == 0) first = "week " + (t + 1) + ", slice " + (z + 1);
					}
		return n == 0 ? null : n + " voxel(s) (first: " + first + ")";
	}

	private static List<String> write(final ModelArchive archive, final SliceDataset data,
		final List<SliceDataset.Split> splits, final List<SliceDataset.Entry> mice, final Path outDir, final Options o,
		final Device device, final Progress progress, final Cancellation cancel, final PrintStream log)
		throws IOException
	{
		EngineSetup.engine();
		final JsonArray arr = new JsonArray();
		final List<String> done = new ArrayList<>();
		final JsonObject summary;
		try (NDManager manager = NDManager.newBaseManager(device)) {
			final ForecastNet model = archive.load(manager);
			summary = summary(archive, data, splits, o, device, model);
			int i = 0;
			for (final SliceDataset.Entry e : mice) {
				cancel.check();
				progress.status("predicting " + e.mouse);
				arr.add(predictMouse(archive, model, manager, e, o, outDir, cancel, log));
				done.add(e.mouse);
				progress.progress(++i, mice.size());
			}
		}
		writeSummary(summary, arr, outDir);
		return done;
	}

	/**
	 * The head of {@code prediction.json} (everything but the mice), as
	 * {@link #run} writes it: for engines that forecast mice apart (the Spark
	 * module) and join them with {@link #writeSummary}.
	 */
	public static JsonObject summary(final ModelArchive archive, final SliceDataset data,
		final List<SliceDataset.Split> splits, final Options o, final Device device, final ForecastNet model)
		throws IOException
	{
		final JsonObject summary = new JsonObject();
		summary.addProperty("model", archive.file().toAbsolutePath().toString());
		summary.addProperty("model_sha256", ModelArchive.sha256(archive.file()));
		summary.addProperty("data", data.root().toAbsolutePath().toString());
		final JsonArray sp = new JsonArray();
		for (final SliceDataset.Split x : splits)
			sp.add(x.label());
		if (splits.isEmpty()) sp.add("all");
		summary.add("splits", sp);
		summary.addProperty("observed_weeks", archive.nPast());
		final JsonArray fw = new JsonArray();
		for (int h = 1; h <= o.horizon; h++)
			fw.add(archive.nPast() + h);
		summary.add("forecast_weeks", fw);
		summary.add("settings", o.toJson());
		summary.addProperty("device", device.toString());
		summary.addProperty("architecture", archive.architecture());
		if (!archive.stochastic()) summary.addProperty("note", archive.architecture() +
			" is deterministic: one sample per slice, P(bone) is 0 or 1 and the standard deviation 0");
		summary.addProperty("uncertainty", model.pixelVariance()
			? "P(bone) and SD of the mixture over samples of the model's per-pixel Gaussians (samples = their means)"
			: "P(bone) = fraction of samples above the threshold, SD = spread of the samples");
		return summary;
	}

	/** Writes {@code prediction.json}: the head and the mice' records, in the data set's order. */
	public static void writeSummary(final JsonObject summary, final JsonArray mice, final Path outDir)
		throws IOException
	{
		final JsonObject s = summary.deepCopy();
		s.add("mice", mice);
		AtomicFiles.writeString(outDir.resolve("prediction.json"), new GsonBuilder().setPrettyPrinting().create().toJson(
			s));
	}

	/**
	 * Forecasts one mouse of a data set, as {@link #run} does, and writes its
	 * {@code <mouse>_pred.tif}, {@code _samples.tif} and {@code _uncertainty.tif}
	 * into {@code outDir}; returns its record for {@code prediction.json}. The
	 * noise is seeded per mouse, so the result does not depend on which other
	 * mice are forecast, nor where.
	 */
	public static JsonObject predictMouse(final ModelArchive archive, final ForecastNet model,
		final NDManager manager, final SliceDataset.Entry e, final Options o, final Path outDir,
		final Cancellation cancel, final PrintStream log) throws IOException
	{
		final Hyperstack h = e.read();
		archive.checkInputSize(h.width() == h.height() ? h.width() : -1, e.image);
		if (h.frames() < archive.nPast()) throw new VolumeIOException(e.image, "has " + h.frames() +
			" weeks; the model conditions on " + archive.nPast());
		final String bad = nonFinite(h, archive.nPast());
		if (bad != null) throw new VolumeIOException(e.image, "mouse " + e.mouse + ": " + bad +
			" are not finite (NaN or infinity); forecasts need finite values in [0, 1], as training does");
		final Forecast f = predict(model, manager, h, o, o.seed * 0x9E3779B97F4A7C15L + e.mouse.hashCode(), cancel);
		final String badOut = nonFinite(f.pred, f.pred.frames());
		if (badOut != null) throw new VolumeIOException(archive.file(), "the forecast of mouse " + e.mouse + " has " +
			badOut.replace("week ", "predicted frame ") + " that are not finite: the model is damaged or its training diverged");
		f.pred.write(outDir.resolve(Ids.check("mouse", e.mouse) + "_pred.tif"));
		f.samples.write(outDir.resolve(e.mouse + "_samples.tif"));
		f.uncertainty.write(outDir.resolve(e.mouse + "_uncertainty.tif"));
		final JsonObject m = new JsonObject();
		m.addProperty("mouse", e.mouse);
		m.addProperty("input", e.image.toString());
		m.addProperty("input_sha256", ModelArchive.sha256(e.image));
		m.addProperty("split", e.split.label());
		m.addProperty("observed_weeks", archive.nPast());
		m.addProperty("bone_threshold_otsu", f.boneThreshold);
		m.addProperty("samples", f.samples.frames() / o.horizon);
		if (log != null) log.println(String.format(Locale.ROOT, "%s: %d slices, %d samples, bone threshold %.4f",
			e.mouse, h.slices(), f.samples.frames() / o.horizon, f.boneThreshold));
		return m;
	}
}
