package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.ForecastNetChecks;
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
		ForecastNetChecks.sharedEncodingEqualsRepeatedRows(net, observed, batchStatistics, what);
	}
}
