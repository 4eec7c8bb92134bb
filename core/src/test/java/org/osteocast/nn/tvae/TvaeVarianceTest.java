package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;

import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.train.Adam;

/** The T-VAE's per-pixel variance output: its shape and start, and that it learns where forecasts miss. */
class TvaeVarianceTest {

	static final TvaeConfig CFG = TvaeConfig.builder().optImageSize(16).optNf(16).optGDim(8).optZDim(3).optRnnSize(16)
		.optPixelVariance(true).build();

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	@Test
	void startsAtTheOffsetAndLeavesTheForecastAsItIs() {
		Engine.getInstance().setRandomSeed(4);
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae net = new Tvae(CFG);
			net.initialize(m);
			assertTrue(net.pixelVariance());
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray obs = m.randomUniform(0, 1, new Shape(2, 3, 1, 16, 16));
			final NDArray eps = m.randomNormal(new Shape(2, net.forecastNoise(2)));
			final NDList d = net.forecastDistribution(ps, obs, eps, 2, false);
			assertEquals(2, d.size());
			assertEquals(new Shape(2, 2, 1, 16, 16), d.get(0).getShape());
			assertEquals(new Shape(2, 2, 1, 16, 16), d.get(1).getShape());
			assertArrayEquals(net.forecast(ps, obs, eps, 2, false).toFloatArray(), d.get(0).toFloatArray(), 1e-6f);
			// the last layer starts at zero: the variance starts at e^offset everywhere, the forecast at persistence
			final float v0 = (float) Math.exp(ConvDecoder.LOGVAR_OFFSET);
			for (final float v : d.get(1).toFloatArray())
				assertEquals(v0, v, 1e-6f);
			assertArrayEquals(obs.get(":, 2:3").toFloatArray(), d.get(0).get(":, 0:1").toFloatArray(), 1e-6f);
		}
	}

	@Test
	void withoutVarianceTheModelIsSvgLpsAndOldArchivesReadSo() {
		final TvaeConfig none = CFG.toBuilder().optPixelVariance(false).build();
		assertFalse(none.pixelVariance);
		Engine.getInstance().setRandomSeed(4);
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae net = new Tvae(none);
			net.initialize(m);
			assertEquals(1, net.forecastDistribution(new ParameterStore(m, false), m.zeros(new Shape(1, 3, 1, 16, 16)),
				null, 1, false).size());
		}
		// an archive written before the variance head existed has no pixel_variance: it must read as false
		final JsonObject old = CFG.toJson();
		old.remove("pixel_variance");
		assertFalse(ForecastNets.fromArchive(TvaeConfig.ARCHITECTURE, old).pixelVariance());
		// while a new model without the key gets the default (on)
		assertTrue(TvaeConfig.fromJson(old).pixelVariance);
		assertTrue(ForecastNets.fromArchive(TvaeConfig.ARCHITECTURE, CFG.toJson()).pixelVariance());
	}

	/**
	 * Weeks 2-4 are week 1 plus fresh noise (SD 0.1) on the left half and week
	 * 1 itself on the right: the variance must follow the forecast's expected
	 * squared error (its bias² + 0.1² on the left) and be far smaller on the
	 * right.
	 */
	@Test
	void learnsTheExpectedSquaredErrorWhereTheFutureIsNoisy() {
		Engine.getInstance().setRandomSeed(8);
		final int b = 4, s = 16, px = s * s;
		final SplittableRandom r = new SplittableRandom(5);
		final float[] base = new float[px];
		for (int i = 0; i < px; i++)
			base[i] = 0.35f + 0.3f * (float) r.nextDouble();
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae net = new Tvae(CFG);
			net.initialize(m);
			final Adam adam = new Adam(net.parameterGroups().get(0), m, 2e-2, 0.9, 0.999);
			final ParameterStore ps = new ParameterStore(m, false);
			for (int step = 0; step < 200; step++)
				try (NDManager sub = m.newSubManager()) {
					final float[] seq = new float[b * 4 * px];
					for (int n = 0; n < b; n++)
						for (int t = 0; t < 4; t++)
							for (int i = 0; i < px; i++)
								seq[(n * 4 + t) * px + i] = base[i] + (t > 0 && i % s < s / 2 ? (float) (0.1 * gaussian(r)) : 0);
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						gc.backward(net.loss(0, ps, sub.create(seq, new Shape(b, 4, 1, s, s)), sub.randomNormal(new Shape(b,
							net.trainNoise())), 1).total);
					}
					adam.step();
				}
			final float[] obs = new float[3 * px];
			for (int t = 0; t < 3; t++)
				System.arraycopy(base, 0, obs, t * px, px);
			final NDList d = net.forecastDistribution(ps, m.create(obs, new Shape(1, 3, 1, s, s)), null, 1, false);
			final float[] mu = d.get(0).toFloatArray(), var = d.get(1).toFloatArray();
			// the forecast's expected squared error per pixel: its bias against week 1, plus the noise's 0.1² on the left
			double left = 0, right = 0, errLeft = 0;
			for (int i = 0; i < px; i++) {
				final double bias = mu[i] - base[i];
				if (i % s < s / 2) {
					left += var[i] / (px / 2.0);
					errLeft += (bias * bias + 0.01) / (px / 2.0);
				}
				else right += var[i] / (px / 2.0);
			}
			assertTrue(left > errLeft / 2 && left < errLeft * 2, "variance where the weeks are noisy: " + left +
				", expected squared error there " + errLeft);
			assertTrue(left > 10 * right, "noisy " + left + " vs quiet " + right);
		}
	}

	private static double gaussian(final SplittableRandom r) {
		return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
	}
}
