package org.osteocast.predict;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Hyperstack;
import org.osteocast.io.SliceDataset;
import org.osteocast.metrics.ImageMetrics;
import org.osteocast.nn.EngineSetup;
import org.osteocast.nn.Tvae;
import org.osteocast.nn.TvaeConfig;
import org.osteocast.train.ModelArchive;
import org.osteocast.train.SequenceSet;
import org.osteocast.train.SyntheticCohort;
import org.osteocast.train.TrainConfig;
import org.osteocast.train.TvaeTrainer;

/**
 * The quality benchmark (not a unit test: it trains for minutes). Makes a
 * synthetic cohort, trains within a time budget, forecasts the test mice and
 * compares the point forecast with persistence (week 3 copied) in PSNR, SSIM,
 * and MSE on the pixels that truly change between weeks 3 and 4 (|Δ| above
 * 5 robust noise standard deviations of Δ, σ = 1.4826·MAD: data-driven).
 * <p>
 * {@code java -cp … org.osteocast.predict.QualityRun DIR [mice=24] [minutes=25] [nf=16] [threads=1] [output=sigmoid|residual_logit]}
 */
public final class QualityRun {

	public static void main(final String... a) throws Exception {
		final Path dir = Path.of(a[0]);
		final int mice = a.length > 1 ? Integer.parseInt(a[1]) : 24;
		final double minutes = a.length > 2 ? Double.parseDouble(a[2]) : 25;
		final int nf = a.length > 3 ? Integer.parseInt(a[3]) : 16;
		EngineSetup.intraOpThreads(a.length > 4 ? Integer.parseInt(a[4]) : 1);
		final SliceDataset data = Files.exists(dir.resolve("data/cohort.csv")) ? SliceDataset.open(dir.resolve("data"))
			: SyntheticCohort.write(dir.resolve("data"), mice, 48, 64, 4, 2026, 6, 6);
		final TvaeConfig cfg = TvaeConfig.builder().optNf(nf).optOutput(TvaeConfig.Output.parse(a.length > 5 ? a[5]
			: "sigmoid")).build();
		final TrainConfig tc = TrainConfig.builder().optMinutes(minutes).optSeed(1).optPatience(15).build();
		final SequenceSet train = SequenceSet.load(data, SliceDataset.Split.TRAIN, 64, 4, Cancellation.NEVER);
		final SequenceSet val = SequenceSet.load(data, SliceDataset.Split.VAL, 64, 4, Cancellation.NEVER);
		final Path model = dir.resolve("tvae.zip");
		final TvaeTrainer.Result r = TvaeTrainer.train(train, val, cfg, tc, Device.cpu(), dir.resolve("tvae.zip.ckpt"),
			true, Progress.NONE, Cancellation.NEVER, null, System.out);
		ModelArchive.write(model, cfg, r.bestWeights, r.summary, r.log);
		System.out.println(r.stopReason + ", best epoch " + r.bestEpoch);
		final ModelArchive archive = ModelArchive.read(model);
		double[] sumT = new double[3], sumP = new double[3];
		int n = 0, nc = 0;
		long changed = 0;
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae t = archive.load(m);
			for (final SliceDataset.Entry e : data.entries(SliceDataset.Split.TEST)) {
				final Hyperstack h = e.read();
				final Predictor.Forecast f = Predictor.predict(t, m, h, new Predictor.Options().samples(8).batch(96), 7,
					Cancellation.NEVER);
				// robust noise level of the week-3 → week-4 difference over the whole mouse
				final List<Float> diffs = new ArrayList<>();
				for (int z = 0; z < h.slices(); z++) {
					final float[] w3 = h.plane(z, 2), w4 = h.plane(z, 3);
					for (int i = 0; i < w3.length; i++)
						diffs.add(w4[i] - w3[i]);
				}
				final double thr = 5 * 1.4826 * mad(diffs);
				for (int z = 0; z < h.slices(); z++) {
					final float[] w3 = h.plane(z, 2), w4 = h.plane(z, 3), p = f.pred.plane(z, 0);
					sumT[0] += ImageMetrics.psnr(p, w4, 64, 64);
					sumP[0] += ImageMetrics.psnr(w3, w4, 64, 64);
					sumT[1] += ImageMetrics.ssim(p, w4, 64, 64);
					sumP[1] += ImageMetrics.ssim(w3, w4, 64, 64);
					n++;
					for (int i = 0; i < w4.length; i++)
						if (Math.abs(w4[i] - w3[i]) > thr) {
							sumT[2] += (p[i] - w4[i]) * (p[i] - w4[i]);
							sumP[2] += (w3[i] - w4[i]) * (w3[i] - w4[i]);
							changed++;
						}
				}
				nc++;
			}
		}
		System.out.println(String.format(Locale.ROOT,
			"test mice %d, slices %d: T-VAE PSNR %.3f SSIM %.4f changed-pixel MSE %.5f | persistence PSNR %.3f SSIM %.4f changed-pixel MSE %.5f (%d changed pixels)",
			nc, n, sumT[0] / n, sumT[1] / n, sumT[2] / Math.max(1, changed), sumP[0] / n, sumP[1] / n, sumP[2] / Math.max(1,
				changed), changed));
	}

	static double mad(final List<Float> v) {
		final float[] a = new float[v.size()];
		for (int i = 0; i < a.length; i++)
			a[i] = v.get(i);
		Arrays.sort(a);
		final double med = a[a.length / 2];
		for (int i = 0; i < a.length; i++)
			a[i] = (float) Math.abs(a[i] - med);
		Arrays.sort(a);
		return a[a.length / 2];
	}
}
