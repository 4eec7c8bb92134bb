package org.osteocast.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Hyperstack;
import org.osteocast.io.SliceDataset;
import org.osteocast.nn.EngineSetup;
import org.osteocast.nn.Tvae;
import org.osteocast.nn.TvaeConfig;
import org.osteocast.train.ModelArchive;
import org.osteocast.train.SyntheticCohort;

/** Prediction writes the contract's files with the right shapes, values and calibration. */
class PredictorTest {

	static final TvaeConfig CFG = TvaeConfig.builder().optImageSize(16).optNf(4).optGDim(8).optZDim(3).optRnnSize(8)
		.build();

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	static Path model(final Path dir) throws Exception {
		Engine.getInstance().setRandomSeed(2);
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae t = new Tvae(CFG);
			t.initialize(m);
			final Path f = dir.resolve("model.zip");
			ModelArchive.write(f, t, ModelArchive.parameters(t), new JsonObject(), null);
			return f;
		}
	}

	@Test
	void writesContractFiles(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 3, 5, 16, 4, 4, 0, 3);
		final Path out = dir.resolve("out");
		final Predictor.Options o = new Predictor.Options().samples(4).horizon(2).seed(9).batch(7);
		final List<String> mice = Predictor.run(ModelArchive.read(model(dir)), data, List.of(SliceDataset.Split.TEST),
			out, o, Device.cpu(), Progress.NONE, Cancellation.NEVER, null);
		assertEquals(List.of("m03"), mice);
		final Hyperstack pred = Hyperstack.read(out.resolve("m03_pred.tif"));
		final Hyperstack samples = Hyperstack.read(out.resolve("m03_samples.tif"));
		final Hyperstack unc = Hyperstack.read(out.resolve("m03_uncertainty.tif"));
		final Hyperstack in = Hyperstack.read(data.entries().get(2).image);
		assertEquals(List.of(16, 16, 5, 2), List.of(pred.width(), pred.height(), pred.slices(), pred.frames()));
		assertEquals(8, samples.frames());
		assertEquals(5, samples.slices());
		assertEquals(4, unc.frames());
		assertArrayEquals(in.voxelSizeUm(), pred.voxelSizeUm(), 1e-9);
		assertArrayEquals(in.voxelSizeUm(), unc.voxelSizeUm(), 1e-9);
		for (int z = 0; z < 5; z++)
			for (int h = 0; h < 2; h++) {
				final float[] p = pred.plane(z, h), pb = unc.plane(z, 2 * h), sd = unc.plane(z, 2 * h + 1);
				for (int i = 0; i < p.length; i++) {
					double mean = 0;
					for (int k = 0; k < 4; k++)
						mean += samples.plane(z, h * 4 + k)[i] / 4.0;
					assertEquals(mean, p[i], 1e-5, "point forecast = sample mean");
					assertTrue(p[i] >= 0 && p[i] <= 1);
					assertTrue(pb[i] >= 0 && pb[i] <= 1 && Math.abs(pb[i] * 4 - Math.round(pb[i] * 4)) < 1e-5);
					assertTrue(sd[i] >= 0);
				}
			}
		final JsonObject j = JsonParser.parseString(Files.readString(out.resolve("prediction.json"))).getAsJsonObject();
		final double thr = j.getAsJsonArray("mice").get(0).getAsJsonObject().get("bone_threshold_otsu").getAsDouble();
		assertTrue(thr > 0.15 && thr < 0.7, "Otsu between marrow and bone: " + thr);
		// the same seed gives the same samples, whatever the batch size (running batch-norm statistics)
		final Path out2 = dir.resolve("out2");
		Predictor.run(ModelArchive.read(dir.resolve("model.zip")), data, List.of(SliceDataset.Split.TEST), out2,
			new Predictor.Options().samples(4).horizon(2).seed(9).batch(20), Device.cpu(), Progress.NONE,
			Cancellation.NEVER, null);
		final Hyperstack again = Hyperstack.read(out2.resolve("m03_samples.tif"));
		for (int f = 0; f < 8; f++)
			assertArrayEquals(samples.plane(3, f), again.plane(3, f), 1e-5f);
	}

	@Test
	void residualModelStartsAsPersistenceOnAFreshThread(@TempDir final Path dir) throws Exception {
		// grad mode is per thread: initialising on a new thread (as a Fiji command does) must work too
		final TvaeConfig residual = CFG.toBuilder().optOutput(TvaeConfig.Output.RESIDUAL_LOGIT).build();
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 3, 5, 16, 4, 4, 0, 3);
		final Throwable[] failure = { null };
		final Thread t = new Thread(() -> {
			try (NDManager m = NDManager.newBaseManager()) {
				final Tvae model = new Tvae(residual);
				model.initialize(m);
				final Path f = dir.resolve("residual.zip");
				ModelArchive.write(f, model, ModelArchive.parameters(model), new JsonObject(), null);
				final Hyperstack h = data.entries(SliceDataset.Split.TEST).get(0).read();
				try (NDManager pm = NDManager.newBaseManager()) {
					final Predictor.Forecast fc = Predictor.predict(ModelArchive.read(f).load(pm), pm, h, new Predictor.Options()
						.samples(2), 1, Cancellation.NEVER);
					// an untrained residual model forecasts "no change": the last observed week
					final float[] last = h.plane(2, residual.nPast - 1), pred = fc.pred.plane(2, 0);
					for (int i = 0; i < last.length; i++)
						assertEquals(Math.min(Math.max(last[i], 1e-4f), 1 - 1e-4f), pred[i], 1e-4f);
				}
			}
			catch (final Throwable e) {
				failure[0] = e;
			}
		});
		t.start();
		t.join();
		if (failure[0] != null) throw new AssertionError(failure[0]);
	}
}
