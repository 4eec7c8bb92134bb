package org.osteocast.nn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.predict.Predictor;
import org.osteocast.train.ForecastTrainer;
import org.osteocast.train.SyntheticCohort;
import org.osteocast.train.TrainConfig;
import org.osteocast.train.Training;

/** The untrained references go through the same train, archive and predict path as the learned models. */
class ReferenceForecastTest {

	@BeforeAll
	static void engine() {
		EngineSetup.intraOpThreads(1);
		EngineSetup.engine();
	}

	@Test
	void linearExtrapolatesAndClamps() {
		final ForecastNet lin = ForecastNets.preset("linear").create(new JsonObject());
		try (NDManager m = NDManager.newBaseManager()) {
			lin.initialize(m);
			// one 2x2 sequence of 3 weeks: pixel values 0.2, 0.3, 0.5 then 0.5, 0.4, 0.4 etc.
			final float[] obs = { 0.2f, 0.5f, 0.9f, 0f, 0.3f, 0.4f, 0.95f, 0.1f, 0.5f, 0.4f, 1f, 0.05f };
			final NDArray x = m.create(obs, new Shape(1, 3, 1, 2, 2));
			final float[] f = lin.forecast(new ParameterStore(m, false), x, null, 2, false).toFloatArray();
			assertArrayEquals(new float[] { 0.7f, 0.4f, 1f, 0f, 0.9f, 0.4f, 1f, 0f }, f, 1e-6f);
			final ForecastNet per = ForecastNets.preset("persistence").create(new JsonObject());
			per.initialize(m);
			assertArrayEquals(new float[] { 0.5f, 0.4f, 1f, 0.05f }, per.forecast(new ParameterStore(m, false), x, null, 1,
				false).toFloatArray(), 0f);
		}
		final JsonObject one = new JsonObject();
		one.addProperty("n_past", 1);
		assertThrows(IllegalArgumentException.class, () -> ForecastNets.preset("linear").create(one));
		assertThrows(IllegalArgumentException.class, () -> ForecastNets.preset("no-such-model"));
	}

	@Test
	void persistenceTrainsInstantlyAndPredictsTheLastWeek(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 4, 3, 16, 4, 5, 4, 4);
		final JsonObject h = new JsonObject();
		h.addProperty("image_size", 16);
		final Path model = dir.resolve("p.zip");
		final ForecastTrainer.Result r = Training.run(data, model, ForecastNets.preset("persistence").create(h),
			TrainConfig.builder().build(), Device.cpu(), false, Progress.NONE, Cancellation.NEVER, null, null);
		assertEquals(0, r.epochsRun);
		assertTrue(r.stopReason.contains("nothing to train"), r.stopReason);
		final ModelArchive a = ModelArchive.read(model);
		assertEquals("persistence", a.architecture());
		final Path out = dir.resolve("pred");
		Predictor.run(a, data, List.of(SliceDataset.Split.TEST), out, new Predictor.Options().samples(8), Device.cpu(),
			Progress.NONE, Cancellation.NEVER, null);
		final Hyperstack in = data.entries(SliceDataset.Split.TEST).get(0).read();
		final String mouse = data.entries(SliceDataset.Split.TEST).get(0).mouse;
		final Hyperstack pred = Hyperstack.read(out.resolve(mouse + "_pred.tif"));
		final Hyperstack samples = Hyperstack.read(out.resolve(mouse + "_samples.tif"));
		assertEquals(1, samples.frames(), "a deterministic model writes one sample");
		for (int z = 0; z < in.slices(); z++)
			assertArrayEquals(in.plane(z, 2), pred.plane(z, 0), 0f);
		final Hyperstack unc = Hyperstack.read(out.resolve(mouse + "_uncertainty.tif"));
		for (final float v : unc.plane(1, 1))
			assertEquals(0f, v, "no spread");
	}
}
