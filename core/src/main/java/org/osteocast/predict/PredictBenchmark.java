package org.osteocast.predict;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.osteocast.core.Cancellation;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;

/**
 * Wall time of {@link Predictor#predict} for one mouse (a volume of
 * {@code slices} slices, its {@code n_past} observed weeks random in [0, 1])
 * with a freshly initialised 2-D T-VAE: the forecast's cost does not depend
 * on the weights' values.
 */
public final class PredictBenchmark {

	private PredictBenchmark() {}

	/**
	 * Seconds per volume: the median of {@code repeats} timed predictions
	 * after one untimed one (warm-up), each of {@code samples} samples, in
	 * {@code precision}.
	 *
	 * @return the sorted timings (seconds), median at {@code [repeats / 2]}
	 */
	public static double[] secondsPerVolume(final TvaeConfig cfg, final int slices, final int samples,
		final int repeats, final Precision precision, final Device device)
	{
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(1);
		final int s = cfg.imageSize, n = cfg.nPast;
		final SplittableRandom r = new SplittableRandom(1);
		final float[][] planes = new float[slices * n][s * s];
		for (final float[] p : planes)
			for (int i = 0; i < p.length; i++)
				p[i] = (float) r.nextDouble();
		final Hyperstack observed = new Hyperstack(s, s, slices, n, planes, new double[] { 1, 1, 1 }, "bench");
		final Predictor.Options o = new Predictor.Options().samples(samples).precision(precision);
		try (NDManager m = NDManager.newBaseManager(device)) {
			final Tvae model = new Tvae(cfg);
			model.initialize(m);
			Predictor.predict(model, m, observed, o, 1, Cancellation.NEVER);
			final double[] t = new double[repeats];
			for (int i = 0; i < repeats; i++) {
				final long t0 = System.nanoTime();
				Predictor.predict(model, m, observed, o, 1, Cancellation.NEVER);
				t[i] = (System.nanoTime() - t0) / 1e9;
			}
			Arrays.sort(t);
			return t;
		}
	}
}
