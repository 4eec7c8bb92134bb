package org.osteocast.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Gaussians;
import org.osteocast.core.Progress;
import org.osteocast.metrics.ImageMetrics;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.model.ModelArchive;

/**
 * The training loop of every {@link ForecastNet}, owned here rather than
 * delegated to {@code EasyTrain.fit} so that it can check cancellation between
 * batches, report progress, keep memory flat and checkpoint every epoch.
 * <ul>
 * <li>Items: a 2-D model trains on slice sequences (one item per slice
 * position of a mouse), a 3-D model on whole VOIs (one item per mouse, its
 * slices in order).</li>
 * <li>Every array of a step lives in a sub-manager closed at the end of the
 * step (not an {@code NDScope}: it would also close the arrays that batch
 * norm and the optimiser hand back to the model's manager); the log records
 * resident memory per epoch to show it stays flat.</li>
 * <li>Reproducible: parameters are initialised after
 * {@code Engine.setRandomSeed(seed)}; batch order, augmentation and the
 * model's noise come from {@link SplittableRandom}s derived from
 * (seed, epoch), so an epoch's randomness does not depend on earlier epochs.
 * With the optimiser states ({@link Adam}, one per parameter group) and
 * batch-norm statistics in the checkpoint, {@code --resume} after a kill
 * continues exactly as an uninterrupted run would (same thread count: CPU
 * kernels are deterministic for a fixed number of intra-op threads,
 * reductions may round differently with another count).</li>
 * <li>Phases: each parameter group is updated after its own loss phase, in
 * order (a GAN: discriminator, then generator); the log records the last
 * phase's reconstruction and KL (or adversarial) terms.</li>
 * <li>Validation after every epoch on the validation mice: the week
 * {@code n_past+1} forecast with the latent at its prior mean (noise 0, so
 * the score is not itself random) and batch norm in inference mode; PSNR,
 * SSIM and MSE per slice, averaged. Early stopping keeps the weights of the
 * epoch with the lowest validation MSE and stops after {@code patience}
 * epochs without improvement.</li>
 * <li>Freed native memory stays in the C heap for the next step
 * ({@link NativeHeap}): fresh pages cost more than the arithmetic on a VM.</li>
 * <li>A model without parameters (persistence, linear extrapolation) is not
 * trained: it is validated once and archived as it is.</li>
 * </ul>
 */
public final class ForecastTrainer {

	private ForecastTrainer() {}

	/** Sample spread (per-pixel SD on the [0, 1] scale) below which the latent counts as unused. */
	public static final double COLLAPSED_SPREAD = 2e-3;

	/** Called after every epoch (for tests and UIs). */
	@FunctionalInterface
	public interface EpochListener {
		void epochDone(TrainingLog.Row row);
	}

	/** What training produced. */
	public static final class Result {
		/** The model trained (its architecture and hyper-parameters; the weights are below). */
		public final ForecastNet net;
		/** Weights of the best epoch (lowest validation MSE; the last epoch without validation mice). */
		public final byte[] bestWeights;
		/** Weights after the last epoch run. */
		public final byte[] lastWeights;
		public final TrainingLog log;
		public final int bestEpoch, epochsRun;
		public final String stopReason;
		public final JsonObject summary;

		Result(final ForecastNet net, final byte[] bestWeights, final byte[] lastWeights, final TrainingLog log,
			final int bestEpoch, final int epochsRun, final String stopReason, final JsonObject summary)
		{
			this.net = net;
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
	 * @param net a freshly created model (not initialised: this initialises it after seeding the engine)
	 * @param val validation sequences (may be empty: then no early stopping)
	 * @param checkpoint written atomically after every epoch; {@code null} = none
	 * @param resume continue from {@code checkpoint} when it exists
	 * @param out where to print one line per epoch ({@code null} = nowhere)
	 */
	public static Result train(final SequenceSet train, final SequenceSet val, final ForecastNet net,
		final TrainConfig tc, final Device device, final Path checkpoint, final boolean resume, final Progress progress,
		final Cancellation cancel, final EpochListener listener, final PrintStream out) throws IOException
	{
		// freed C memory is kept for reuse during the training only: a Fiji session gets it back afterwards
		try (NativeHeap.Scope heap = NativeHeap.keepFreedMemory(); Precision.Scope p = Precision.scope(tc.precision)) {
			return trainKeepingHeap(train, val, net, tc, device, checkpoint, resume, progress, cancel, listener, out);
		}
	}

	private static Result trainKeepingHeap(final SequenceSet train, final SequenceSet val, final ForecastNet net,
		final TrainConfig tc, final Device device, final Path checkpoint, final boolean resume, final Progress progress,
		final Cancellation cancel, final EpochListener listener, final PrintStream out) throws IOException
	{
		final int weeks = net.nPast() + 1;
		if (train.weeks() < weeks || train.size() != net.imageSize()) throw new IllegalArgumentException(
			"training sequences are " + train.weeks() + " weeks of " + train.size() + " px; the model needs " + weeks +
				" of " + net.imageSize());
		final int[][] items = items(train, net), valItems = items(val, net);
		final boolean trainable;
		EngineSetup.engine();
		final long start = System.nanoTime();
		Engine.getInstance().setRandomSeed((int) (tc.seed ^ (tc.seed >>> 32)));
		try (NDManager manager = NDManager.newBaseManager(device)) {
			net.initialize(manager);
			final List<PairList<String, Parameter>> groups = net.parameterGroups();
			trainable = !groups.isEmpty();
			if (trainable && items.length < 2) throw new IllegalArgumentException("need at least 2 training " + (net
				.spatialDims() == 3 ? "mice" : "sequences") + ", have " + items.length +
				" (are any mice marked split=train?)");
			final List<Adam> adams = new ArrayList<>();
			for (final PairList<String, Parameter> g : groups)
				adams.add(new Adam(g, manager, tc.lr, tc.beta1, tc.beta2, tc.weightDecay));
			final State st = new State();
			if (trainable && resume && checkpoint != null && Files.isRegularFile(checkpoint)) {
				Checkpoint.load(checkpoint, net, tc, adams, manager, st);
				if (out != null) out.println("resuming from " + checkpoint + " after epoch " + st.epochsDone);
			}
			else st.best = ModelArchive.parameters(net);
			final int batch = Math.max(1, Math.min(tc.batch, items.length));
			// slice classes (2-D models): counted always, balanced with --emergence-ratio
			final EmergenceSampler sampler = net.spatialDims() == 2 && trainable ? EmergenceSampler.of(train, net.nPast(),
				tc.emergenceRatio) : null;
			if (sampler != null && out != null) out.println(sampler.describe());
			int nb = items.length / batch + (items.length % batch >= Math.min(2, batch) ? 1 : 0);
			if (tc.maxBatches > 0) nb = Math.min(nb, tc.maxBatches);
			final int epochs = trainable ? tc.epochs : 0;
			final long totalSteps = Math.max(1, (long) nb * epochs);
			if (out != null) out.println(String.format(Locale.ROOT,
				"training %s on %s: %d train %s, %d validation, batch %d, %d batches/epoch, threads %s, precision %s", net
					.architecture(), device, items.length, net.spatialDims() == 3 ? "volumes" : "sequences", valItems.length,
				batch, nb, System.getProperty("ai.djl.pytorch.num_threads", "?"), tc.precision.label()));
			String stop = trainable ? "reached " + tc.epochs + " epochs" : net.architecture() +
				" has no parameters: nothing to train";
			double slowestEpoch = 0;
			final JsonObject hp = net.hyperParameters();
			final double betaMax = hp.has("beta") ? hp.get("beta").getAsDouble() : 0;
			final ParameterStore ps = new ParameterStore(manager, false);
			if (!trainable && valItems.length > 0) {
				final double[] v = validate(net, ps, manager, val, valItems, batch, cancel);
				st.bestScore = v[2];
				if (out != null) out.println(String.format(Locale.ROOT, "validation PSNR %.2f SSIM %.4f MSE %.6f", v[0],
					v[1], v[2]));
			}
			for (int epoch = st.epochsDone + 1; epoch <= epochs; epoch++) {
				final long t0 = System.nanoTime();
				final SplittableRandom rnd = new SplittableRandom(tc.seed * 0x9E3779B97F4A7C15L + epoch);
				final int[] order = sampler == null ? permutation(items.length, rnd) : sampler.order(rnd);
				final double beta = tc.klAnnealEpochs > 0 ? Math.min(1, epoch / (double) tc.klAnnealEpochs) : 1;
				final Accumulator acc = new Accumulator();
				for (int bi = 0; bi < nb; bi++) {
					cancel.check();
					final int from = bi * batch, b = Math.min(batch, items.length - from);
					final double scale = tc.schedule.factor((long) (epoch - 1) * nb + bi, totalSteps);
					for (final Adam a : adams)
						a.lrScale(scale);
					step(net, ps, manager, adams, train, items, order, from, b, tc, beta, rnd, acc);
					progress.progress((long) (epoch - 1) * nb + bi + 1, totalSteps);
				}
				final double[] v = valItems.length > 0 ? validate(net, ps, manager, val, valItems, batch, cancel)
					: new double[] { Double.NaN, Double.NaN, Double.NaN, Double.NaN };
				final double secs = (System.nanoTime() - t0) / 1e9;
				slowestEpoch = Math.max(slowestEpoch, secs);
				final TrainingLog.Row row = new TrainingLog.Row(epoch, acc.recon / acc.batches, acc.kl / acc.batches, beta *
					betaMax,
					v[0], v[1], v[2], acc.activeUnits(), acc.klPerDim(), secs, rssMb(), v[3]);
				st.log.add(row);
				st.skipped += acc.skipped;
				if (acc.skipped > 0 && out != null) out.println("warning: " + acc.skipped +
					" step(s) skipped for non-finite gradients in epoch " + epoch);
				st.epochsDone = epoch;
				st.seconds += secs;
				final boolean improved = valItems.length == 0 || v[2] < st.bestScore;
				if (improved) {
					st.bestScore = valItems.length == 0 ? Double.NaN : v[2];
					st.bestEpoch = epoch;
					st.best = ModelArchive.parameters(net);
					st.bad = 0;
				}
				else st.bad++;
				if (checkpoint != null) Checkpoint.write(checkpoint, net, tc, adams, st);
				final String msg = String.format(Locale.ROOT,
					"epoch %d/%d recon %.5f kl %.3f val PSNR %.2f SSIM %.4f MSE %.6f%s AU %d/%d %.1fs RSS %.0f MB%s", epoch,
					tc.epochs, row.recon, row.kl, row.valPsnr, row.valSsim, row.valMse, Double.isNaN(row.valSpread) ? ""
						: String.format(Locale.ROOT, " spread %.4f", row.valSpread), row.activeUnits, row.klPerDim.length, secs,
					row.rssMb, improved && valItems.length > 0 ? " *" : "");
				progress.status(msg);
				if (out != null) out.println(msg);
				if (listener != null) listener.epochDone(row);
				// collapse: the samples hardly differ (spread below 0.2 % of the grey range), whatever the
				// active-unit count says (posterior means may vary while the decoder ignores z)
				if (!st.warnedCollapse && epoch >= 3 && row.klPerDim.length > 0 && row.valSpread < COLLAPSED_SPREAD) {
					st.warnedCollapse = true;
					final String w = String.format(Locale.ROOT,
						"warning: the latent is hardly used (sample spread %.2g on the validation slices, %d active units): samples will barely differ%s; try --free-bits or a smaller --beta",
						row.valSpread, row.activeUnits, net.pixelVariance()
							? " (the uncertainty map still has the model's per-pixel variance)"
							: " and the uncertainty map carries little information");
					progress.status(w);
					if (out != null) out.println(w);
				}
				if (valItems.length > 0 && st.bad >= tc.patience) {
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
			summary.addProperty(net.spatialDims() == 3 ? "train_volumes" : "train_sequences", items.length);
			summary.addProperty(net.spatialDims() == 3 ? "val_volumes" : "val_sequences", valItems.length);
			summary.addProperty("seconds", st.seconds);
			summary.addProperty("skipped_steps_non_finite", st.skipped);
			summary.addProperty("device", device.toString());
			if (sampler != null) summary.add("slice_classes", sampler.toJson());
			summary.addProperty("early_stopping_metric", "val_mse (week n_past+1, latent at prior mean, BN inference)");
			if (!st.log.rows().isEmpty()) {
				final TrainingLog.Row last = st.log.rows().get(st.log.rows().size() - 1);
				summary.addProperty("final_recon", last.recon);
				summary.addProperty("final_kl", last.kl);
			}
			return new Result(net, st.best, ModelArchive.parameters(net), st.log, st.bestEpoch, st.epochsDone, stop,
				summary);
		}
	}

	/**
	 * The training items of a set: for a 2-D model one per sequence
	 * ({@code {index}}), for a 3-D model one per mouse (its sequences' indices
	 * in slice order), checked against the model's depth.
	 */
	static int[][] items(final SequenceSet set, final ForecastNet net) {
		if (net.spatialDims() != 3) {
			final int[][] it = new int[set.count()][];
			for (int i = 0; i < it.length; i++)
				it[i] = new int[] { i };
			return it;
		}
		final Map<String, List<Integer>> byMouse = new LinkedHashMap<>();
		for (int i = 0; i < set.count(); i++)
			byMouse.computeIfAbsent(set.sequences().get(i).mouse, k -> new ArrayList<>()).add(i);
		final int[][] it = new int[byMouse.size()][];
		int j = 0;
		for (final Map.Entry<String, List<Integer>> e : byMouse.entrySet()) {
			final List<Integer> l = e.getValue();
			l.sort((a, b) -> Integer.compare(set.sequences().get(a).slice, set.sequences().get(b).slice));
			if (l.size() != net.depth()) throw new IllegalArgumentException("mouse " + e.getKey() + " has " + l.size() +
				" slices; the 3-D model takes volumes of " + net.depth());
			it[j++] = l.stream().mapToInt(Integer::intValue).toArray();
		}
		return it;
	}

	/** The array shape of {@code b} items of {@code t} weeks. */
	static Shape shape(final ForecastNet net, final int b, final int t) {
		final int s = net.imageSize();
		return net.spatialDims() == 3 ? new Shape(b, t, 1, net.depth(), s, s) : new Shape(b, t, 1, s, s);
	}

	/** Mutable loop state that the checkpoint carries. */
	static final class State {
		int epochsDone, bestEpoch, bad, skipped;
		boolean warnedCollapse;
		double bestScore = Double.POSITIVE_INFINITY, seconds;
		byte[] best;
		TrainingLog log = new TrainingLog();
	}

	/** Per-epoch sums: losses, KL per dimension, posterior-mean moments (active units). */
	static final class Accumulator {
		double recon, kl;
		int batches, skipped;
		double[] klDim = new double[0], muSum = new double[0], muSq = new double[0];
		long muCount;

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

		void add(final ForecastNet.Loss l) {
			recon += l.recon.getFloat();
			if (l.kl != null) kl += l.kl.getFloat();
			if (l.klPerDim != null) {
				final float[] kd = l.klPerDim.toFloatArray();
				if (klDim.length != kd.length) klDim = new double[kd.length];
				for (int i = 0; i < kd.length; i++)
					klDim[i] += kd[i];
			}
			if (l.posteriorMean != null) {
				final int z = (int) l.posteriorMean.getShape().get(l.posteriorMean.getShape().dimension() - 1);
				if (muSum.length != z) {
					muSum = new double[z];
					muSq = new double[z];
				}
				final float[] mu = l.posteriorMean.toFloatArray();
				for (int i = 0; i < mu.length; i++) {
					muSum[i % z] += mu[i];
					muSq[i % z] += mu[i] * (double) mu[i];
				}
				muCount += mu.length / z;
			}
			batches++;
		}
	}

	private static void step(final ForecastNet net, final ParameterStore ps, final NDManager manager,
		final List<Adam> adams, final SequenceSet set, final int[][] items, final int[] order, final int from,
		final int b, final TrainConfig tc, final double beta, final SplittableRandom rnd, final Accumulator acc)
	{
		final int s = net.imageSize(), t = net.nPast() + 1, px = s * s;
		final int d = items[0].length;
		final float[] data = new float[b * t * d * px];
		final float[][] aug = new float[t][px];
		final boolean augment = tc.minCrop < 1 || tc.flips;
		for (int i = 0; i < b; i++) {
			final int[] item = items[order[from + i]];
			final double[] draw = augment ? Augment.draw(s, tc.minCrop, tc.flips, rnd) : null;
			for (int k = 0; k < d; k++) {
				final float[][] f = set.sequences().get(item[k]).frames;
				final float[][] src = f.length == t ? f : java.util.Arrays.copyOf(f, t);
				if (augment) Augment.apply(src, s, draw, aug);
				for (int w = 0; w < t; w++)
					System.arraycopy(augment ? aug[w] : src[w], 0, data, ((i * t + w) * d + k) * px, px);
			}
		}
		final int nn = net.trainNoise();
		final float[] eps = nn > 0 ? Gaussians.sample(rnd, b * nn) : null;
		ForecastNet.Loss last = null;
		try (NDManager sub = manager.newSubManager()) {
			final NDArray seq = sub.create(data, shape(net, b, t));
			final NDArray e = eps == null ? null : sub.create(eps, new Shape(b, nn));
			boolean finite = true;
			for (int phase = 0; phase < adams.size(); phase++) {
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					last = net.loss(phase, ps, seq, e, beta);
					gc.backward(last.total);
				}
				finite &= adams.get(phase).step();
			}
			if (!finite) acc.skipped++;
			acc.add(last);
		}
	}

	/**
	 * Returns {PSNR, SSIM, MSE, spread} means over the validation slices
	 * (forecast of week {@code n_past+1} with the latent at its mean; spread:
	 * per-pixel standard deviation over latent samples, NaN for deterministic
	 * models).
	 */
	static double[] validate(final ForecastNet net, final ParameterStore ps, final NDManager manager,
		final SequenceSet val, final int[][] items, final int batch, final Cancellation cancel)
	{
		final int s = net.imageSize(), n = net.nPast(), px = s * s, d = items[0].length;
		final int perBatch = Math.max(1, net.spatialDims() == 3 ? Math.min(batch, 2) : batch);
		double psnr = 0, ssim = 0, mse = 0, spread = 0;
		int count = 0;
		final int nn = net.stochastic() ? net.forecastNoise(1) : 0;
		// fixed noise: the spread is comparable from epoch to epoch
		final SplittableRandom rnd = new SplittableRandom(0x5EEDL);
		for (int from = 0; from < items.length; from += perBatch) {
			cancel.check();
			final int b = Math.min(perBatch, items.length - from);
			final float[] obs = new float[b * n * d * px];
			for (int i = 0; i < b; i++)
				for (int k = 0; k < d; k++)
					for (int w = 0; w < n; w++)
						System.arraycopy(val.sequences().get(items[from + i][k]).frames[w], 0, obs, ((i * n + w) * d + k) * px,
							px);
			final float[] pred, s1, s2;
			try (NDManager sub = manager.newSubManager()) {
				final NDArray o = sub.create(obs, shape(net, b, n));
				pred = net.forecast(ps, o, null, 1, false).toFloatArray();
				if (nn > 0) {
					s1 = net.forecast(ps, o, sub.create(Gaussians.sample(rnd, b * nn), new Shape(b, nn)), 1, false).toFloatArray();
					s2 = net.forecast(ps, o, sub.create(Gaussians.sample(rnd, b * nn), new Shape(b, nn)), 1, false).toFloatArray();
				}
				else s1 = s2 = null;
			}
			if (s1 != null) {
				double sum = 0;
				for (int i = 0; i < s1.length; i++)
					sum += Math.abs(s1[i] - s2[i]);
				// E|a - b| = 2σ/√π for two normal samples: σ ≈ mean|a - b|·√π/2 (summed per slice here)
				spread += sum * Math.sqrt(Math.PI) / 2 / px;
			}
			for (int i = 0; i < b; i++)
				for (int k = 0; k < d; k++) {
					final float[] p = java.util.Arrays.copyOfRange(pred, (i * d + k) * px, (i * d + k + 1) * px);
					final float[] truth = val.sequences().get(items[from + i][k]).frames[n];
					final double m = ImageMetrics.mse(p, truth, s, s);
					mse += m;
					psnr += 10 * Math.log10(1 / Math.max(m, 1e-10));
					ssim += ImageMetrics.ssim(p, truth, s, s);
					count++;
				}
		}
		return new double[] { psnr / count, ssim / count, mse / count, nn > 0 ? spread / count : Double.NaN };
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
}
