package org.osteocast.nn.convrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.ForecastNetChecks;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.train.Adam;

/**
 * Checks every recurrent baseline must pass (run by {@link ConvLstmTest} and
 * {@link PredRnnTest}) on a tiny model: 16 × 16 slices, patch 4, 8 hidden
 * channels, 3 × 3 kernels.
 */
abstract class ConvRnnModelChecks {

	static final int S = 16, N_PAST = 3;

	/** One intra-op thread: these graphs are tiny, and spinning OpenMP workers slow a shared machine down. */
	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	/** The architecture under test. */
	abstract String architecture();

	/** Its default layer count (what {@code fromJson} fills in). */
	abstract int defaultLayers();

	static JsonObject tiny(final int layers) {
		return ForecastNets.json("image_size", S, "n_past", N_PAST, "patch", 4, "hidden", 8, "layers", layers, "kernel",
			3);
	}

	ConvRnnForecast create(final JsonObject h) {
		return (ConvRnnForecast) ForecastNets.create(architecture(), h);
	}

	/** A bright disc that grows by one pixel a week on a dim background, {@code (1, weeks, 1, S, S)}. */
	static float[] growingDisc(final int weeks) {
		return ForecastNetChecks.growingDisc(weeks, S);
	}

	@Test
	void hyperParametersRoundTripAndPreset() {
		final ForecastNet d = ForecastNets.create(architecture(), new JsonObject());
		final JsonObject h = d.hyperParameters();
		assertEquals(64, h.get("image_size").getAsInt());
		assertEquals(3, h.get("n_past").getAsInt());
		assertEquals(4, h.get("patch").getAsInt());
		assertEquals(64, h.get("hidden").getAsInt());
		assertEquals(defaultLayers(), h.get("layers").getAsInt());
		assertEquals(5, h.get("kernel").getAsInt());
		assertEquals(0.0, h.get("lambda").getAsDouble());
		assertTrue(h.has("sigma"));
		assertEquals(architecture(), d.architecture());
		assertEquals(2, d.spatialDims());
		assertFalse(d.stochastic());
		assertEquals(0, d.trainNoise());
		assertEquals(0, d.forecastNoise(3));
		final JsonObject t = tiny(2);
		t.addProperty("lambda", 0.5);
		final JsonObject written = create(t).hyperParameters();
		for (final String k : t.keySet())
			assertEquals(t.get(k).getAsDouble(), written.get(k).getAsDouble(), k);
		final JsonObject back = create(t).hyperParameters();
		assertEquals(back, create(back).hyperParameters());
		assertEquals(0.5, back.get("lambda").getAsDouble());
		// the preset pins the baseline's own MSE loss even when the common settings carry a λ
		final JsonObject common = ForecastNets.json("image_size", 32, "n_past", 2, "lambda", 1);
		final ForecastNet p = ForecastNets.preset(architecture()).create(common);
		assertEquals(architecture(), p.architecture());
		assertEquals(32, p.imageSize());
		assertEquals(2, p.nPast());
		assertEquals(0.0, p.hyperParameters().get("lambda").getAsDouble());
		final JsonObject bad = tiny(2);
		bad.addProperty("patch", 3);
		assertThrows(IllegalArgumentException.class, () -> create(bad));
	}

	@Test
	void forecastShapesAndFeedBack() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(21);
		try (NDManager m = NDManager.newBaseManager()) {
			final ConvRnnForecast net = create(tiny(2));
			net.initialize(m);
			assertEquals(1, net.parameterGroups().size());
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray obs = m.randomUniform(0, 1, new Shape(2, N_PAST, 1, S, S));
			final NDArray f1 = net.forecast(ps, obs, null, 1, false);
			final NDArray f2 = net.forecast(ps, obs, null, 2, false);
			assertEquals(new Shape(2, 1, 1, S, S), f1.getShape());
			assertEquals(new Shape(2, 2, 1, S, S), f2.getShape());
			assertTrue(f2.min().getFloat() > 0 && f2.max().getFloat() < 1, "sigmoid output in (0, 1)");
			// week 1 of the 2-week forecast is the 1-week forecast; the teacher-forced pass ends with it too
			assertArrayEquals(f1.toFloatArray(), f2.get(":, 0:1").toFloatArray(), 1e-6f);
			final NDArray tf = net.forward(ps, new NDList(obs), false).head();
			assertEquals(obs.getShape(), tf.getShape());
			assertArrayEquals(f1.toFloatArray(), tf.get(":, {}:", N_PAST - 1).toFloatArray(), 1e-6f);
			// week 2 is the prediction after feeding week 1's forecast back as the next input
			final NDArray fed = net.forward(ps, new NDList(NDArrays.concat(new NDList(obs, f1), 1)), false).head();
			assertArrayEquals(fed.get(":, {}:", N_PAST).toFloatArray(), f2.get(":, 1:").toFloatArray(), 1e-5f);
			// no noise is consumed: zeros or null give the same forecast
			assertArrayEquals(f1.toFloatArray(), net.forecast(ps, obs, m.zeros(new Shape(2, 0)), 1, false)
				.toFloatArray());
			// each sequence is forecast independently of the others in its batch
			assertArrayEquals(f2.get("1:2").toFloatArray(), net.forecast(ps, obs.get("1:2"), null, 2, false)
				.toFloatArray(), 1e-5f);
			assertThrows(IllegalArgumentException.class, () -> net.forecast(ps, obs.get(":, :, :, :8"), null, 1, false));
		}
	}

	@Test
	void initialisationFollowsTheEngineSeed() {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final float[][] f = new float[3][];
			final int[] seeds = { 8, 8, 9 };
			final NDArray obs = m.create(growingDisc(N_PAST), new Shape(1, N_PAST, 1, S, S));
			for (int i = 0; i < 3; i++) {
				Engine.getInstance().setRandomSeed(seeds[i]);
				final ConvRnnForecast net = create(tiny(2));
				net.initialize(m);
				f[i] = net.forecast(new ParameterStore(m, false), obs, null, 1, false).toFloatArray();
			}
			assertArrayEquals(f[0], f[1]);
			assertFalse(java.util.Arrays.equals(f[0], f[2]));
		}
	}

	@Test
	void overfitsOneSequenceAndSavesLoads() throws IOException, MalformedModelException {
		ForecastNetChecks.overfitsOneSequenceAndSavesLoads(this::create, tiny(2), N_PAST, S, 2e-2, 80);
	}
}
