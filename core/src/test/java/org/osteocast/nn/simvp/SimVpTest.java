package org.osteocast.nn.simvp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import com.google.gson.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.ForecastNetChecks;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.train.Adam;

/**
 * SimVP on a tiny model: 16 × 16 slices, 2 encoder blocks (grid 8 × 8), 2
 * gSTA blocks, 16 channels throughout.
 */
class SimVpTest {

	static final int S = 16, N_PAST = 3;

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	static JsonObject tiny(final int zDim, final boolean variance, final String head) {
		final JsonObject h = json("image_size", S, "n_past", N_PAST, "hid_s", 16, "hid_t", 16, "n_s", 2,
			"n_t", 2, "mlp_ratio", 2, "z_dim", zDim, "pixel_variance", variance, "variance_head", head);
		return h;
	}

	static JsonObject json(final Object... kv) {
		final JsonObject o = new JsonObject();
		for (int i = 0; i < kv.length; i += 2) {
			final Object v = kv[i + 1];
			if (v instanceof Number) o.addProperty((String) kv[i], (Number) v);
			else if (v instanceof Boolean) o.addProperty((String) kv[i], (Boolean) v);
			else o.addProperty((String) kv[i], String.valueOf(v));
		}
		return o;
	}

	static SimVp create(final JsonObject h) {
		return (SimVp) ForecastNets.create(SimVpConfig.ARCHITECTURE, h);
	}

	/** A bright disc that grows by one pixel a week on a dim background, {@code (1, weeks, 1, S, S)}. */
	static float[] growingDisc(final int weeks) {
		return ForecastNetChecks.growingDisc(weeks, S);
	}

	@Test
	void hyperParametersRoundTripAndPresets() {
		final ForecastNet d = ForecastNets.create(SimVpConfig.ARCHITECTURE, new JsonObject());
		final JsonObject h = d.hyperParameters();
		assertEquals(64, h.get("image_size").getAsInt());
		assertEquals(32, h.get("hid_s").getAsInt());
		assertEquals(128, h.get("hid_t").getAsInt());
		assertEquals(4, h.get("n_s").getAsInt());
		assertEquals(4, h.get("n_t").getAsInt());
		assertEquals(1.0, h.get("lambda").getAsDouble());
		assertFalse(d.stochastic());
		assertEquals(0, d.trainNoise());
		assertEquals(0, d.forecastNoise(2));
		final JsonObject t = tiny(16, true, "separate");
		final JsonObject back = create(t).hyperParameters();
		assertEquals(back, create(back).hyperParameters());
		assertEquals("separate", back.get("variance_head").getAsString());
		final SimVp v = create(t);
		assertTrue(v.stochastic() && v.pixelVariance());
		assertEquals(16 * 8 * 8, v.trainNoise());
		assertEquals(2 * 16 * 8 * 8, v.forecastNoise(2));
		final ForecastNet det = ForecastNets.preset("simvp").create(json("image_size", 32, "z_dim", 16));
		assertFalse(det.stochastic(), "the deterministic preset pins z_dim 0");
		assertEquals(32, det.imageSize());
		final ForecastNet vae = ForecastNets.preset("simvp-vae").create(null);
		assertTrue(vae.stochastic() && vae.pixelVariance());
		assertEquals(0.01, vae.hyperParameters().get("beta").getAsDouble(), "the KL weight chosen on validation mice");
		final JsonObject odd = tiny(0, false, "shared");
		odd.addProperty("hid_s", 24);
		assertThrows(IllegalArgumentException.class, () -> create(odd));
		final JsonObject tau = tiny(0, false, "shared");
		tau.addProperty("translator", "tau");
		assertThrows(IllegalArgumentException.class, () -> create(tau));
	}

	@Test
	void startsAsPersistenceAndForecastsSeveralWeeks() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(21);
		try (NDManager m = NDManager.newBaseManager()) {
			final SimVp net = create(tiny(16, true, "shared"));
			net.initialize(m);
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray obs = m.randomUniform(0, 1, new Shape(2, N_PAST, 1, S, S));
			final NDArray f1 = net.forecast(ps, obs, null, 1, false);
			assertEquals(new Shape(2, 1, 1, S, S), f1.getShape());
			// the read-out starts at zero: the untrained model is persistence
			assertArrayEquals(obs.get(":, {}:", N_PAST - 1).toFloatArray(), f1.toFloatArray(), 1e-6f);
			final NDList d = net.forecastDistribution(ps, obs, null, 2, false);
			assertEquals(new Shape(2, 2, 1, S, S), d.get(0).getShape());
			assertEquals(new Shape(2, 2, 1, S, S), d.get(1).getShape());
			assertEquals(Math.exp(SimVp.LOGVAR_OFFSET), d.get(1).max().getFloat(), 1e-6);
			assertThrows(IllegalArgumentException.class, () -> net.forecast(ps, obs.get(":, 0:2"), null, 1, false));
		}
	}

	@Test
	void overfitsOneSequenceAndSavesLoads() throws IOException, MalformedModelException {
		ForecastNetChecks.overfitsOneSequenceAndSavesLoads(SimVpTest::create, tiny(0, false, "shared"), N_PAST, S, 1e-2, 60);
	}

	@Test
	void sharedEncodingEqualsRepeatedRows() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(6);
		final SimVp net = create(tiny(16, true, "separate"));
		assertTrue(net.stochastic() && net.pixelVariance(), "both outputs, forecast and variance, are compared");
		ForecastNetChecks.sharedEncodingEqualsRepeatedRows(net, new Shape(2, N_PAST, 1, S, S), false, "stochastic simvp");
	}

	@Test
	void stochasticGradientsReachEveryParameterAndNoiseMatters() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(5);
		final float[] data = growingDisc(N_PAST + 1);
		for (final String head : new String[] { "shared", "separate" })
			try (NDManager m = NDManager.newBaseManager()) {
				final JsonObject h = tiny(16, true, head);
				h.addProperty("z_samples", 2);
				h.addProperty("latent_objective", "best_of_k");
				h.addProperty("free_bits", 0.01);
				final SimVp net = create(h);
				net.initialize(m);
				final Adam adam = new Adam(net.getParameters(), m, 1e-2, 0.9, 0.999);
				final ParameterStore ps = new ParameterStore(m, false);
				final java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
				final List<String> silent = new ArrayList<>();
				for (int it = 0; it < 3; it++)
					try (NDManager sub = m.newSubManager()) {
						final float[] two = new float[2 * data.length];
						System.arraycopy(data, 0, two, 0, data.length);
						System.arraycopy(data, 0, two, data.length, data.length);
						final NDArray seq = sub.create(two, new Shape(2, N_PAST + 1, 1, S, S));
						final NDArray eps = sub.create(org.osteocast.core.Gaussians.sample(rnd, 2 * net.trainNoise()), new Shape(2,
							net.trainNoise()));
						try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
							final ForecastNet.Loss l = net.loss(0, ps, seq, eps, 1);
							assertNotNull(l.kl);
							assertEquals(new Shape(16), l.klPerDim.getShape());
							assertEquals(new Shape(2, 8, 8, 16), l.posteriorMean.getShape());
							gc.backward(l.total);
						}
						if (it == 2) for (final Pair<String, Parameter> p : net.getParameters())
							if (p.getValue().requiresGradient() && p.getValue().getArray().getGradient().abs().sum()
								.getFloat() == 0) silent.add(p.getKey());
						assertTrue(adam.step());
					}
				assertTrue(silent.isEmpty(), head + ": no gradient for " + silent);
				final NDArray obs = m.create(data, new Shape(1, N_PAST + 1, 1, S, S)).get(":, :{}", N_PAST);
				final float[] mean = net.forecast(ps, obs, null, 1, false).toFloatArray();
				assertArrayEquals(mean, net.forecast(ps, obs, m.zeros(new Shape(1, net.forecastNoise(1))), 1, false)
					.toFloatArray());
				final NDArray noise = m.randomNormal(new Shape(1, net.forecastNoise(1)));
				assertFalse(java.util.Arrays.equals(mean, net.forecast(ps, obs, noise, 1, false).toFloatArray()));
			}
	}
}
