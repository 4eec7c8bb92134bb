package org.osteocast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;
import org.osteocast.predict.Predictor;

/**
 * bfloat16 mixed-precision training against fp32 on a tiny T-VAE whose
 * channel counts are multiples of 16 (so its convolutions do run in bf16):
 * the same seed gives losses within a few per cent, no step is skipped for
 * non-finite gradients, and the archive records the precision and keeps fp32
 * weights.
 */
class MixedPrecisionTrainingTest {

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	/** nf 16 at 16 px: encoder 1 → 16 → 32 channels, decoder convolutions to 64 and 16 (of which 8 used). */
	static TvaeConfig tiny() {
		return TvaeConfig.builder().optImageSize(16).optNf(16).optGDim(16).optZDim(4).optRnnSize(32).build();
	}

	private static final Device CPU = Device.cpu();

	/**
	 * Relative tolerance on the training loss per epoch. bf16 rounds each
	 * convolution's inputs and weights to 8 significant bits (relative error
	 * up to 2⁻⁹ per value); over 3 epochs of 3 steps on this tiny model the
	 * losses of the two precisions measured within 0.5 % of each other (validation
	 * MSE likewise); 5 %
	 * leaves room for other CPUs while still failing when bf16 is broken
	 * (outputs off by half their value, as the engine gives for unsupported
	 * channel counts).
	 */
	static final double LOSS_TOLERANCE = 0.05;

	@Test
	void bf16TrainingFollowsFp32FromTheSameSeed(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 4, 3, 16, 4, 9, 4, 0);
		final SequenceSet train = SequenceSet.load(data, SliceDataset.Split.TRAIN, 16, 4, Cancellation.NEVER);
		final SequenceSet val = SequenceSet.load(data, SliceDataset.Split.VAL, 16, 4, Cancellation.NEVER);
		final List<ForecastTrainer.Result> runs = new ArrayList<>();
		for (final Precision p : Precision.values())
			runs.add(ForecastTrainer.train(train, val, new Tvae(tiny()), TrainConfig.builder().optEpochs(3).optBatch(3)
				.optSeed(11).optPatience(10).optPrecision(p).build(), CPU, null, false, Progress.NONE, Cancellation.NEVER,
				null, null));
		final ForecastTrainer.Result fp32 = runs.get(0), bf16 = runs.get(1);
		assertEquals("bf16", bf16.summary.getAsJsonObject("settings").get("precision").getAsString());
		assertEquals("fp32", fp32.summary.getAsJsonObject("settings").get("precision").getAsString());
		assertEquals(0, bf16.summary.get("skipped_steps_non_finite").getAsInt(), "steps skipped for non-finite gradients");
		for (int i = 0; i < 3; i++) {
			final double a = fp32.log.rows().get(i).recon, b = bf16.log.rows().get(i).recon;
			assertTrue(Double.isFinite(b));
			assertEquals(a, b, LOSS_TOLERANCE * a, "training loss of epoch " + (i + 1));
			final double va = fp32.log.rows().get(i).valMse, vb = bf16.log.rows().get(i).valMse;
			assertEquals(va, vb, LOSS_TOLERANCE * va, "validation MSE of epoch " + (i + 1));
		}
		// bf16 really was in use: the two trainings are not bit for bit the same
		assertNotEquals(fp32.log.rows().get(2).recon, bf16.log.rows().get(2).recon);
	}

	@Test
	void archiveRecordsThePrecisionAndStoresFp32Weights(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 3, 2, 16, 4, 5, 3, 0);
		final Path model = dir.resolve("m.zip");
		final ByteArrayOutputStream log = new ByteArrayOutputStream();
		Training.run(new Tvae(tiny()), data, new Training.Options().model(model).loop(TrainConfig.builder().optEpochs(1)
			.optMaxBatches(1)).precision("auto").cpu(() -> "flags : fpu avx512f avx512_bf16").log(new PrintStream(log,
				true, StandardCharsets.UTF_8)));
		assertTrue(log.toString(StandardCharsets.UTF_8).contains("precision bf16"), log.toString(StandardCharsets.UTF_8));
		final ModelArchive a = ModelArchive.read(model);
		assertEquals(Precision.BF16, a.trainedPrecision());
		try (NDManager m = NDManager.newBaseManager()) {
			final ForecastNet net = a.load(m);
			for (final Pair<String, Parameter> p : net.block().getParameters())
				assertEquals(DataType.FLOAT32, p.getValue().getArray().getDataType(), p.getKey());
		}
		// predict's auto: the trained precision where the machine has bf16, fp32 with one line where not
		final List<String> lines = new ArrayList<>();
		assertEquals(Precision.BF16, Predictor.resolvePrecision("auto", Device.cpu(), a, () -> "avx512_bf16", lines::add));
		assertEquals(Precision.FP32, Predictor.resolvePrecision("auto", Device.cpu(), a, () -> "avx2", lines::add));
		assertEquals(List.of(Precision.FALLBACK_NO_CPU), lines);
		assertEquals(Precision.FP32, Predictor.resolvePrecision("fp32", Device.cpu(), a, () -> "avx512_bf16", lines::add));
	}

	@Test
	void autoFallsBackToFp32WithOneLineWithoutBf16Instructions(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 3, 2, 16, 4, 5, 3, 0);
		final Path model = dir.resolve("m.zip");
		final ByteArrayOutputStream log = new ByteArrayOutputStream();
		Training.run(new Tvae(tiny()), data, new Training.Options().model(model).loop(TrainConfig.builder().optEpochs(1)
			.optMaxBatches(1)).precision("auto").cpu(() -> "flags : fpu sse2 avx2").log(new PrintStream(log, true,
				StandardCharsets.UTF_8)));
		final String out = log.toString(StandardCharsets.UTF_8);
		assertEquals(1, out.split(java.util.regex.Pattern.quote(Precision.FALLBACK_NO_CPU), -1).length - 1, out);
		assertTrue(out.contains("precision fp32"), out);
		assertEquals(Precision.FP32, ModelArchive.read(model).trainedPrecision());
	}
}
