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
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.blocks.FrameOutput;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;
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
					assertTrue(pb[i] >= 0 && pb[i] <= 1);
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
		final TvaeConfig residual = CFG.toBuilder().optOutput(FrameOutput.RESIDUAL_LOGIT).build();
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

	/**
	 * A model whose forecast of a pixel given its noise {@code e} is
	 * {@code N(x_last + 0.1 e, 0.04)}: the mixture over samples has a closed
	 * form to check P(bone) and the standard deviation against.
	 */
	static final class GaussianStub implements org.osteocast.nn.ForecastNet {
		private final ai.djl.nn.Block block = new ai.djl.nn.core.Prelu();
		private final boolean variance;

		GaussianStub(final boolean variance) {
			this.variance = variance;
		}

		@Override
		public String architecture() {
			return "stub";
		}

		@Override
		public JsonObject hyperParameters() {
			return new JsonObject();
		}

		@Override
		public int imageSize() {
			return 16;
		}

		@Override
		public int nPast() {
			return 3;
		}

		@Override
		public int spatialDims() {
			return 2;
		}

		@Override
		public boolean stochastic() {
			return true;
		}

		@Override
		public ai.djl.nn.Block block() {
			return block;
		}

		@Override
		public void initialize(final NDManager manager) {}

		@Override
		public List<ai.djl.util.PairList<String, ai.djl.nn.Parameter>> parameterGroups() {
			return List.of();
		}

		@Override
		public int trainNoise() {
			return 0;
		}

		@Override
		public int forecastNoise(final int horizon) {
			return 1;
		}

		@Override
		public Loss loss(final int phase, final ai.djl.training.ParameterStore ps, final ai.djl.ndarray.NDArray seq,
			final ai.djl.ndarray.NDArray noise, final double klScale)
		{
			throw new UnsupportedOperationException();
		}

		@Override
		public ai.djl.ndarray.NDArray forecast(final ai.djl.training.ParameterStore ps,
			final ai.djl.ndarray.NDArray observed, final ai.djl.ndarray.NDArray noise, final int horizon,
			final boolean training)
		{
			final long b = observed.getShape().get(0);
			return observed.get(":, 2:3").add(noise.reshape(b, 1, 1, 1, 1).mul(0.1f));
		}

		@Override
		public boolean pixelVariance() {
			return variance;
		}

		@Override
		public ai.djl.ndarray.NDList forecastDistribution(final ai.djl.training.ParameterStore ps,
			final ai.djl.ndarray.NDArray observed, final ai.djl.ndarray.NDArray noise, final int horizon,
			final boolean training)
		{
			final ai.djl.ndarray.NDArray mean = forecast(ps, observed, noise, horizon, training);
			return variance ? new ai.djl.ndarray.NDList(mean, mean.onesLike().mul(0.04f))
				: new ai.djl.ndarray.NDList(mean);
		}
	}

	@Test
	void pixelVarianceGivesTheMixturesBoneProbabilityAndSpread(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 3, 5, 16, 4, 4, 0, 3);
		final Hyperstack h = data.entries(SliceDataset.Split.TEST).get(0).read();
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final int k = 6;
			for (final boolean variance : new boolean[] { true, false }) {
				final Predictor.Forecast f = Predictor.predict(new GaussianStub(variance), m, h, new Predictor.Options()
					.samples(k), 3, Cancellation.NEVER);
				final double t = f.boneThreshold, v = variance ? 0.04 : 0;
				for (int z = 0; z < 5; z++) {
					final float[] pb = f.uncertainty.plane(z, 0), sd = f.uncertainty.plane(z, 1), last = h.plane(z, 2);
					for (int i = 0; i < pb.length; i++) {
						double mass = 0, mean = 0, sq = 0;
						for (int j = 0; j < k; j++) {
							final double mu = f.samples.plane(z, j)[i];
							assertEquals(last[i], mu, 0.5, "samples are the means x_last + 0.1 e");
							mass += (variance ? 0.5 * org.apache.commons.math3.special.Erf.erfc((t - mu) / Math.sqrt(v) / Math
								.sqrt(2)) : mu > t ? 1 : 0) / k;
							mean += mu / k;
							sq += mu * mu / k;
						}
						assertEquals(mass, pb[i], 1e-5, "P(bone): the mixture's mass above the threshold, or the fraction of samples");
						assertEquals(Math.sqrt(Math.max(0, sq - mean * mean) + v), sd[i], 1e-4, "SD of the mixture");
					}
				}
			}
		}
	}
}
