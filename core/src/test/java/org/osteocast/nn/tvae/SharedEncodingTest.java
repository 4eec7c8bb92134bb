package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;

/**
 * Forecasting several latent samples of one observed sequence encodes the
 * observed weeks once: the result equals the forecast of the repeated rows.
 */
class SharedEncodingTest {

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	@Test
	void repeatRowsKeepsEachRowsCopiesTogether() {
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray x = m.create(new float[] { 1, 2, 3, 4, 5, 6 }, new Shape(3, 2));
			final NDArray r = ForecastNet.repeatRows(x, 2);
			assertEquals(new Shape(6, 2), r.getShape());
			assertArrayEquals(new float[] { 1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6 }, r.toFloatArray());
			assertEquals(x, ForecastNet.repeatRows(x, 1));
			assertThrows(IllegalArgumentException.class, () -> ForecastNet.repeatRows(x, 0));
		}
	}

	@Test
	void sharedEncodingEqualsRepeatedRows() {
		for (final boolean pixelVariance : new boolean[] { false, true })
			for (final boolean batchStatistics : new boolean[] { false, true })
				check(new Tvae(TvaeConfig.builder().optImageSize(16).optNf(4).optGDim(8).optZDim(3).optRnnSize(16)
					.optPixelVariance(pixelVariance).build()), new Shape(2, 3, 1, 16, 16), batchStatistics,
					"2-D, pixel variance " + pixelVariance + ", batch statistics " + batchStatistics);
	}

	@Test
	void sharedEncodingEqualsRepeatedRowsIn3d() {
		check(new Tvae3d(Tvae3dTest.tiny(Tvae3dConfig.Style.UNET, 8)), new Shape(1, 3, 1, 8, 16, 16), false, "3-D U-Net");
	}

	private static void check(final AbstractTvae<?> net, final Shape observed, final boolean batchStatistics,
		final String what)
	{
		Engine.getInstance().setRandomSeed(8);
		try (NDManager m = NDManager.newBaseManager()) {
			net.initialize(m);
			// away from the start (persistence, whatever the latent), so that samples differ
			for (final Pair<String, Parameter> p : net.getParameters()) {
				final NDArray w = p.getValue().getArray();
				w.addi(m.randomNormal(0, 0.2f, w.getShape(), w.getDataType()));
			}
			final ParameterStore ps = new ParameterStore(m, false);
			final int k = 3, horizon = 2; // horizon 2: the first forecast week is encoded again
			final long b = observed.get(0);
			final NDArray obs = m.randomUniform(0, 1, observed);
			final NDArray eps = m.randomNormal(new Shape(b * k, net.forecastNoise(horizon)));
			final NDList shared = net.forecastDistribution(ps, obs, eps, horizon, batchStatistics, k);
			final NDList repeated = net.forecastDistribution(ps, ForecastNet.repeatRows(obs, k), eps, horizon,
				batchStatistics);
			assertEquals(repeated.size(), shared.size());
			for (int i = 0; i < shared.size(); i++) {
				assertEquals(new Shape(b * k, horizon).addAll(observed.slice(2)), shared.get(i).getShape(), what);
				assertArrayEquals(repeated.get(i).toFloatArray(), shared.get(i).toFloatArray(), 1e-5f, what + ", output " +
					i);
			}
			// the samples of one row differ (else the test could not tell rows apart)
			final float[] a = shared.get(0).get("0").toFloatArray(), c = shared.get(0).get("1").toFloatArray();
			double diff = 0;
			for (int i = 0; i < a.length; i++)
				diff += Math.abs(a[i] - c[i]);
			assertTrue(diff > 1e-4, what + ": samples of one row differ: " + diff);
		}
	}
}
