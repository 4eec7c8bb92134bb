package org.osteocast.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.AtomicFiles;
import org.osteocast.io.VolumeIOException;
import org.osteocast.metrics.ImageMetrics;
import org.osteocast.nn.EngineSetup;
import org.osteocast.nn.Tvae;
import org.osteocast.nn.TvaeConfig;
import org.osteocast.nn.TvaeLoss;

/**
 * The T-VAE training loop, owned here rather than delegated to
 * {@code EasyTrain.fit} so that it can check cancellation between batches,
 * report progress, keep memory flat and checkpoint every epoch.
 * <ul>
 * <li>Every array of a step lives in a sub-manager closed at the end of the
 * step (not an {@code NDScope}: it would also close the arrays that batch
 * norm and the optimiser hand back to the model's manager); the log records
 * resident memory per epoch to show it stays flat.</li>
 * <li>Reproducible: parameters are initialised after
 * {@code Engine.setRandomSeed(seed)}; batch order, augmentation and the
 * reparameterisation noise come from {@link SplittableRandom}s derived from
 * (seed, epoch), so an epoch's randomness does not depend on earlier epochs.
 * With the optimiser state ({@link Adam}) and batch-norm statistics in the
 * checkpoint, {@code --resume} after a kill continues exactly as an
 * uninterrupted run would (same thread count: CPU kernels are deterministic
 * for a fixed number of intra-op threads, reductions may round differently
 * with another count).</li>
 * <li>Teacher forcing as SVG-LP: the posterior sees the true frame at every
 * step ({@link Tvae#forward}).</li>
 * <li>Validation after every epoch on the validation mice: the week
 * {@code n_past+1} forecast with the latent at its prior mean (noise 0, so
 * the score is not itself random) and batch norm in inference mode; PSNR,
 * SSIM and MSE. Early stopping keeps the weights of the epoch with the lowest
 * validation MSE and stops after {@code patience} epochs without
 * improvement.</li>
 * </ul>
 */
public final class TvaeTrainer {

	private TvaeTrainer() {}

	/** Called after every epoch (for tests and UIs). */
	@FunctionalInterface
	public interface EpochListener {
		void epochDone(TrainingLog.Row row);
	}

	/** What training produced. */
	public static final class Result {
		public final TvaeConfig config;
		/** Weights of the best epoch (lowest validation MSE; the last epoch without validation mice). */
		public final byte[] bestWeights;
		/** Weights after the last epoch run. */
		public final byte[] lastWeights;
		public final TrainingLog log;
		public final int bestEpoch, epochsRun;
		public final String stopReason;
		public final JsonObject summary;

		Result(final TvaeConfig config, final byte[] bestWeights, final byte[] lastWeights, final TrainingLog log,
			final int bestEpoch, final int epochsRun, final String stopReason, final JsonObject summary)
		{
			this.config = config;
			this.bestWeights = bestWeights;
			this.lastWeights = lastWeights;
			this.log = log;
			this.bestEpoch = bestEpoch;
			this.epochsRun = epochsRun;
			this.stopReason = stopReason;
			this.summary = summary;
		}
	}

	/**
	 * Trains a model.
	 *
	 * @param val validation sequences (may be empty: then no early stopping)
	 * @param checkpoint written atomically after every epoch; {@code null} = none
	 * @param resume continue from {@code checkpoint} when it exists
	 * @param out where to print one line per epoch ({@code null} = nowhere)
	 */
	public static Result train(final SequenceSet train, final SequenceSet val, final TvaeConfig cfg,
		final TrainConfig tc, final Device device, final Path checkpoint, final boolean resume, final Progress progress,
		final Cancellation cancel, final EpochListener listener, final PrintStream out) throws IOException
	{
		final int weeks = cfg.nPast + 1;
		if (train.count() < 2) throw new IllegalArgumentException("need at least 2 training sequences, have " + train
			.count() + " (are any mice marked split=train?)");
		if (train.weeks() < weeks || train.size() != cfg.imageSize) throw new IllegalArgumentException(
			"training sequences are " + train.weeks() + " weeks of " + train.size() + " px; the model needs " + weeks +
				" of " + cfg.imageSize);
		EngineSetup.engine();
		final long start = System.nanoTime();
		Engine.getInstance().setRandomSeed((int) (tc.seed ^ (tc.seed >>> 32)));
		try (NDManager manager = NDManager.newBaseManager(device)) {
			final Tvae model = new Tvae(cfg);
			model.initialize(manager);
			final Adam adam = new Adam(model.getParameters(), manager, tc.lr, tc.beta1, tc.beta2);
			final State st = new State();
			if (resume && checkpoint != null && Files.isRegularFile(checkpoint)) {
				loadCheckpoint(checkpoint, cfg, tc, model, adam, manager, st);
				if (out != null) out.println("resuming from " + checkpoint + " after epoch " + st.epochsDone);
			}
			else st.best = ModelArchive.parameters(model);
			final int batch = Math.min(tc.batch, train.count());
			int nb = train.count() / batch + (train.count() % batch >= 2 ? 1 : 0);
			if (tc.maxBatches > 0) nb = Math.min(nb, tc.maxBatches);
			final long totalSteps = (long) nb * tc.epochs;
			if (out != null) out.println(String.format(Locale.ROOT,
				"training %s on %s: %d train sequences, %d validation, batch %d, %d batches/epoch, threads %s",
				TvaeConfig.ARCHITECTURE, device, train.count(), val.count(), batch, nb, System.getProperty(
					"ai.djl.pytorch.num_threads", "?")));
			String stop = "reached " + tc.epochs + " epochs";
			double slowestEpoch = 0;
			final ParameterStore ps = new ParameterStore(manager, false);
			for (int epoch = st.epochsDone + 1; epoch <= tc.epochs; epoch++) {
				final long t0 = System.nanoTime();
				final SplittableRandom rnd = new SplittableRandom(tc.seed * 0x9E3779B97F4A7C15L + epoch);
				final int[] order = permutation(train.count(), rnd);
				final double beta = tc.klAnnealEpochs > 0 ? cfg.beta * Math.min(1, epoch / (double) tc.klAnnealEpochs)
					: cfg.beta;
				final Accumulator acc = new Accumulator(cfg.zDim);
				for (int bi = 0; bi < nb; bi++) {
					cancel.check();
					final int from = bi * batch, b = Math.min(batch, train.count() - from);
					step(model, ps, manager, adam, train, order, from, b, cfg, tc, beta, rnd, acc);
					progress.progress((long) (epoch - 1) * nb + bi + 1, totalSteps);
				}
				final double[] v = val.count() > 0 ? validate(model, ps, manager, val, cfg, batch, cancel) : new double[] {
					Double.NaN, Double.NaN, Double.NaN };
				final double secs = (System.nanoTime() - t0) / 1e9;
				slowestEpoch = Math.max(slowestEpoch, secs);
				final TrainingLog.Row row = new TrainingLog.Row(epoch, acc.recon / acc.batches, acc.kl / acc.batches, beta,
					v[0], v[1], v[2], acc.activeUnits(), acc.klPerDim(), secs, rssMb());
				st.log.add(row);
				st.skipped += acc.skipped;
				if (acc.skipped > 0 && out != null) out.println("warning: " + acc.skipped +
					" step(s) skipped for non-finite gradients in epoch " + epoch);
				st.epochsDone = epoch;
				st.seconds += secs;
				final boolean improved = val.count() == 0 || v[2] < st.bestScore;
				if (improved) {
					st.bestScore = val.count() == 0 ? Double.NaN : v[2];
					st.bestEpoch = epoch;
					st.best = ModelArchive.parameters(model);
					st.bad = 0;
				}
				else st.bad++;
				if (checkpoint != null) writeCheckpoint(checkpoint, cfg, tc, model, adam, st);
				final String msg = String.format(Locale.ROOT,
					"epoch %d/%d recon %.5f kl %.3f val PSNR %.2f SSIM %.4f MSE %.6f AU %d/%d %.1fs RSS %.0f MB%s", epoch,
					tc.epochs, row.recon, row.kl, row.valPsnr, row.valSsim, row.valMse, row.activeUnits, cfg.zDim, secs,
					row.rssMb, improved && val.count() > 0 ? " *" : "");
				progress.status(msg);
				if (out != null) out.println(msg);
				if (listener != null) listener.epochDone(row);
				if (val.count() > 0 && st.bad >= tc.patience) {
					stop = "early stopping: no validation improvement for " + tc.patience + " epochs";
					break;
				}
				final double elapsedMin = (System.nanoTime() - start) / 60e9;
				if (tc.minutes > 0 && epoch < tc.epochs && elapsedMin + slowestEpoch / 60 > tc.minutes) {
					stop = String.format(Locale.ROOT, "time budget of %.1f min reached", tc.minutes);
					break;
				}
			}
			final JsonObject summary = new JsonObject();
			summary.add("settings", tc.toJson());
			summary.addProperty("epochs_run", st.epochsDone);
			summary.addProperty("best_epoch", st.bestEpoch);
			summary.addProperty("best_val_mse", st.bestScore);
			summary.addProperty("stop_reason", stop);
			summary.addProperty("train_sequences", train.count());
			summary.addProperty("val_sequences", val.count());
			summary.addProperty("seconds", st.seconds);
			summary.addProperty("skipped_steps_non_finite", st.skipped);
			summary.addProperty("device", device.toString());
			summary.addProperty("early_stopping_metric", "val_mse (week n_past+1, latent at prior mean, BN inference)");
			if (!st.log.rows().isEmpty()) {
				final TrainingLog.Row last = st.log.rows().get(st.log.rows().size() - 1);
				summary.addProperty("final_recon", last.recon);
				summary.addProperty("final_kl", last.kl);
			}
			return new Result(cfg, st.best, ModelArchive.parameters(model), st.log, st.bestEpoch, st.epochsDone, stop,
				summary);
		}
	}

	/** Mutable loop state that the checkpoint carries. */
	static final class State {
		int epochsDone, bestEpoch, bad, skipped;
		double bestScore = Double.POSITIVE_INFINITY, seconds;
		byte[] best;
		TrainingLog log = new TrainingLog();
	}

	/** Per-epoch sums: losses, KL per dimension, posterior-mean moments (active units). */
	static final class Accumulator {
		double recon, kl;
		int batches, skipped;
		final double[] klDim, muSum, muSq;
		long muCount;

		Accumulator(final int z) {
			klDim = new double[z];
			muSum = new double[z];
			muSq = new double[z];
		}

		double[] klPerDim() {
			final double[] d = klDim.clone();
			for (int i = 0; i < d.length; i++)
				d[i] /= Math.max(1, batches);
			return d;
		}

		/** Units whose posterior mean varies across the data by more than 0.01 (Burda et al. 2016). */
		int activeUnits() {
			int n = 0;
			for (int i = 0; i < muSum.length; i++) {
				final double m = muSum[i] / muCount, var = muSq[i] / muCount - m * m;
				if (var > 0.01) n++;
			}
			return n;
		}
	}

	private static void step(final Tvae model, final ParameterStore ps, final NDManager manager, final Adam adam,
		final SequenceSet set, final int[] order, final int from, final int b, final TvaeConfig cfg,
		final TrainConfig tc, final double beta, final SplittableRandom rnd, final Accumulator acc)
	{
		final int s = cfg.imageSize, t = cfg.nPast + 1, px = s * s;
		final float[] data = new float[b * t * px];
		final float[][] aug = new float[t][px];
		for (int i = 0; i < b; i++) {
			final float[][] f = set.sequences().get(order[from + i]).frames;
			final float[][] src = f.length == t ? f : java.util.Arrays.copyOf(f, t);
			if (tc.minCrop < 1 || tc.flips) {
				Augment.apply(src, s, tc.minCrop, tc.flips, rnd, aug);
				for (int w = 0; w < t; w++)
					System.arraycopy(aug[w], 0, data, (i * t + w) * px, px);
			}
			else for (int w = 0; w < t; w++)
				System.arraycopy(src[w], 0, data, (i * t + w) * px, px);
		}
		final float[] eps = gaussian(rnd, (t - 1) * b * cfg.zDim);
		try (NDManager sub = manager.newSubManager()) {
			final NDArray seq = sub.create(data, new Shape(b, t, 1, s, s));
			final NDArray e = sub.create(eps, new Shape(t - 1, b, cfg.zDim));
			final NDArray weights = TvaeLoss.edgeWeights(seq.get(":, 0"), cfg.lambda, cfg.sigma);
			final TvaeLoss.Parts parts;
			final NDList outs;
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				outs = model.forward(ps, new NDList(seq, e), true);
				parts = TvaeLoss.compute(outs.get(0), seq.get(":, 1:"), weights, outs.get(1), outs.get(2), outs.get(3), outs
					.get(4), beta, cfg.freeBits);
				gc.backward(parts.total);
			}
			if (!adam.step()) acc.skipped++;
			acc.recon += parts.recon.getFloat();
			acc.kl += parts.kl.getFloat();
			final float[] kd = parts.klPerDim.toFloatArray();
			for (int i = 0; i < kd.length; i++)
				acc.klDim[i] += kd[i];
			final float[] mu = outs.get(1).toFloatArray();
			for (int i = 0; i < mu.length; i++) {
				acc.muSum[i % cfg.zDim] += mu[i];
				acc.muSq[i % cfg.zDim] += mu[i] * (double) mu[i];
			}
			acc.muCount += mu.length / cfg.zDim;
			acc.batches++;
		}
	}

	/** Returns {PSNR, SSIM, MSE} means over the validation sequences. */
	static double[] validate(final Tvae model, final ParameterStore ps, final NDManager manager, final SequenceSet val,
		final TvaeConfig cfg, final int batch, final Cancellation cancel)
	{
		final int s = cfg.imageSize, n = cfg.nPast, px = s * s;
		double psnr = 0, ssim = 0, mse = 0;
		for (int from = 0; from < val.count(); from += batch) {
			cancel.check();
			final int b = Math.min(batch, val.count() - from);
			final float[] obs = new float[b * n * px];
			for (int i = 0; i < b; i++)
				for (int w = 0; w < n; w++)
					System.arraycopy(val.sequences().get(from + i).frames[w], 0, obs, (i * n + w) * px, px);
			final float[] pred;
			try (NDManager sub = manager.newSubManager()) {
				final NDArray o = sub.create(obs, new Shape(b, n, 1, s, s));
				pred = model.generate(ps, o, sub.zeros(new Shape(Math.max(0, n - 1), b, cfg.zDim)), sub.zeros(new Shape(1, b,
					cfg.zDim)), false).toFloatArray();
			}
			for (int i = 0; i < b; i++) {
				final float[] p = java.util.Arrays.copyOfRange(pred, i * px, (i + 1) * px);
				final float[] truth = val.sequences().get(from + i).frames[n];
				final double m = ImageMetrics.mse(p, truth, s, s);
				mse += m;
				psnr += 10 * Math.log10(1 / Math.max(m, 1e-10));
				ssim += ImageMetrics.ssim(p, truth, s, s);
			}
		}
		final int c = val.count();
		return new double[] { psnr / c, ssim / c, mse / c };
	}

	static int[] permutation(final int n, final SplittableRandom rnd) {
		final int[] p = new int[n];
		for (int i = 0; i < n; i++)
			p[i] = i;
		for (int i = n - 1; i > 0; i--) {
			final int j = rnd.nextInt(i + 1), x = p[i];
			p[i] = p[j];
			p[j] = x;
		}
		return p;
	}

	/** Standard normal numbers (Box–Muller) from a seeded generator. */
	public static float[] gaussian(final SplittableRandom rnd, final int n) {
		final float[] g = new float[n];
		for (int i = 0; i < n; i += 2) {
			final double u1 = 1 - rnd.nextDouble(), u2 = rnd.nextDouble();
			final double r = Math.sqrt(-2 * Math.log(u1));
			g[i] = (float) (r * Math.cos(2 * Math.PI * u2));
			if (i + 1 < n) g[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
		}
		return g;
	}

	/** Resident memory of this process in MB (Linux /proc/self/status VmRSS; NaN elsewhere). */
	public static double rssMb() {
		try {
			for (final String l : Files.readAllLines(Path.of("/proc/self/status")))
				if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
		}
		catch (final IOException | RuntimeException e) {
			// not Linux
		}
		return Double.NaN;
	}

	// ---- checkpoint: a zip of state.json, weights.params, best.params, adam.bin, training_log.csv ----

	private static void writeCheckpoint(final Path file, final TvaeConfig cfg, final TrainConfig tc, final Tvae model,
		final Adam adam, final State st) throws IOException
	{
		final JsonObject j = new JsonObject();
		j.addProperty("kind", "osteocast-checkpoint");
		j.add("hyper_parameters", cfg.toJson());
		j.add("training", tc.toJson());
		j.addProperty("epochs_done", st.epochsDone);
		j.addProperty("best_epoch", st.bestEpoch);
		j.addProperty("best_score", st.bestScore);
		j.addProperty("bad_epochs", st.bad);
		j.addProperty("seconds", st.seconds);
		final ByteArrayOutputStream ab = new ByteArrayOutputStream();
		try (DataOutputStream d = new DataOutputStream(ab)) {
			adam.save(d);
		}
		final byte[] weights = ModelArchive.parameters(model);
		AtomicFiles.writeStream(file, os -> {
			try (ZipOutputStream z = new ZipOutputStream(os)) {
				put(z, "state.json", j.toString().getBytes(StandardCharsets.UTF_8));
				put(z, "weights.params", weights);
				put(z, "best.params", st.best);
				put(z, "adam.bin", ab.toByteArray());
				put(z, "training_log.csv", st.log.csv().getBytes(StandardCharsets.UTF_8));
			}
		});
	}

	private static void put(final ZipOutputStream z, final String name, final byte[] data) throws IOException {
		z.putNextEntry(new ZipEntry(name));
		z.write(data);
		z.closeEntry();
	}

	private static void loadCheckpoint(final Path file, final TvaeConfig cfg, final TrainConfig tc, final Tvae model,
		final Adam adam, final NDManager manager, final State st) throws IOException
	{
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final JsonObject j = JsonParser.parseString(new String(read(zip, "state.json", file),
				StandardCharsets.UTF_8)).getAsJsonObject();
			if (!cfg.toJson().equals(j.getAsJsonObject("hyper_parameters"))) throw new VolumeIOException(file,
				"checkpoint was written for other model settings " + j.getAsJsonObject("hyper_parameters") +
					"; resume with the same options, or start afresh without --resume");
			final JsonObject t = j.getAsJsonObject("training");
			if (t.get("seed").getAsLong() != tc.seed || t.get("batch").getAsInt() != tc.batch || t.get("lr")
				.getAsDouble() != tc.lr) throw new VolumeIOException(file,
					"checkpoint was written with another seed, batch or learning rate (" + t + ")");
			try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(read(zip, "weights.params", file)))) {
				model.loadParameters(manager, in);
			}
			catch (final MalformedModelException e) {
				throw new VolumeIOException(file, "checkpoint weights do not fit the model: " + e.getMessage(), e);
			}
			// DJL's Parameter.load makes fresh arrays without gradients: re-attach them for training
			for (final var p : model.getParameters())
				if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
			try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(read(zip, "adam.bin", file)))) {
				adam.load(in);
			}
			st.best = read(zip, "best.params", file);
			st.log = TrainingLog.parse(new String(read(zip, "training_log.csv", file), StandardCharsets.UTF_8));
			st.epochsDone = j.get("epochs_done").getAsInt();
			st.bestEpoch = j.get("best_epoch").getAsInt();
			st.bestScore = j.get("best_score").getAsDouble();
			st.bad = j.get("bad_epochs").getAsInt();
			st.seconds = j.get("seconds").getAsDouble();
		}
		catch (final java.util.zip.ZipException e) {
			throw new VolumeIOException(file, "checkpoint is not readable (truncated?): " + e.getMessage(), e);
		}
	}

	private static byte[] read(final ZipFile zip, final String name, final Path file) throws IOException {
		final ZipEntry e = zip.getEntry(name);
		if (e == null) throw new VolumeIOException(file, "checkpoint lacks " + name);
		try (InputStream in = zip.getInputStream(e)) {
			return in.readAllBytes();
		}
	}
}
