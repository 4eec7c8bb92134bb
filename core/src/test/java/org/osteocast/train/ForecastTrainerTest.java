package org.osteocast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;

/** The training loop on tiny models: it learns, it resumes exactly, it stops when cancelled. */
class ForecastTrainerTest {

	/** One intra-op thread: deterministic and fastest on a shared, oversubscribed test machine. */
	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	static TvaeConfig tiny(final int size) {
		return TvaeConfig.builder().optImageSize(size).optNf(8).optGDim(16).optZDim(4).optRnnSize(32).build();
	}

	@Test
	void tinyModelOverfitsOneSequence(@TempDir final Path dir) throws Exception {
		final SequenceSet one = SequenceSet.load(SyntheticCohort.write(dir, 1, 1, 16, 4, 5, 0, 0),
			SliceDataset.Split.TRAIN, 16, 4, Cancellation.NEVER);
		// the same sequence twice: batch norm needs a batch of at least 2
		final SequenceSet train = new SequenceSet(16, 4, List.of(one.sequences().get(0), one.sequences().get(0)));
		final TrainConfig tc = TrainConfig.builder().optEpochs(200).optBatch(2).optMinCrop(1).optFlips(false).optSeed(3)
			.build();
		final ForecastTrainer.Result r = ForecastTrainer.train(train, new SequenceSet(16, 4, List.of()), new Tvae(tiny(16)), tc, Device
			.cpu(), null, false, Progress.NONE, Cancellation.NEVER, null, null);
		final double first = r.log.rows().get(0).recon, last = r.log.rows().get(r.log.rows().size() - 1).recon;
		assertTrue(first / last > 10, "reconstruction loss " + first + " -> " + last);
		assertEquals(200, r.epochsRun);
	}

	@Test
	void resumeAfterCancelEqualsUninterruptedTraining(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 4, 3, 16, 4, 9, 4, 0);
		final SequenceSet train = SequenceSet.load(data, SliceDataset.Split.TRAIN, 16, 4, Cancellation.NEVER);
		final SequenceSet val = SequenceSet.load(data, SliceDataset.Split.VAL, 16, 4, Cancellation.NEVER);
		assertEquals(9, train.count());
		assertEquals(3, val.count());
		final TrainConfig tc = TrainConfig.builder().optEpochs(3).optBatch(4).optSeed(11).optPatience(10).build();
		final TvaeConfig cfg = tiny(16);

		final ForecastTrainer.Result full = ForecastTrainer.train(train, val, new Tvae(cfg), tc, Device.cpu(), dir.resolve("a.ckpt"), false,
			Progress.NONE, Cancellation.NEVER, null, null);

		final Path ckpt = dir.resolve("b.ckpt");
		final Cancellation cancel = new Cancellation();
		assertThrows(Cancellation.CancelledException.class, () -> ForecastTrainer.train(train, val, new Tvae(cfg), tc, Device.cpu(),
			ckpt, false, Progress.NONE, cancel, row -> {
				if (row.epoch == 1) cancel.cancel("test kill");
			}, null));
		assertTrue(Files.isRegularFile(ckpt));
		final List<Integer> resumedEpochs = new ArrayList<>();
		final ForecastTrainer.Result resumed = ForecastTrainer.train(train, val, new Tvae(cfg), tc, Device.cpu(), ckpt, true,
			Progress.NONE, Cancellation.NEVER, row -> resumedEpochs.add(row.epoch), null);
		assertEquals(List.of(2, 3), resumedEpochs);
		// a step skipped for a non-finite gradient in one run only would part the two: say so first
		assertEquals(0, full.summary.get("skipped_steps_non_finite").getAsInt(), "skipped steps, uninterrupted run");
		assertEquals(0, resumed.summary.get("skipped_steps_non_finite").getAsInt(), "skipped steps, resumed run");
		for (final TrainingLog.Row row : full.log.rows())
			assertTrue(row.valSpread > 0 && row.valSpread < 0.5, "sample spread on validation slices " + row.valSpread);
		assertEquals(3, resumed.log.rows().size());
		for (int i = 0; i < 3; i++) {
			assertEquals(full.log.rows().get(i).recon, resumed.log.rows().get(i).recon, 1e-5 * full.log.rows().get(i).recon, // the log keeps 6 digits
				"recon epoch " + (i + 1));
			assertEquals(full.log.rows().get(i).valMse, resumed.log.rows().get(i).valMse, 1e-6, "val epoch " + (i + 1));
		}
		assertArrayEquals(full.lastWeights, resumed.lastWeights, "parameters after 3 epochs");
		assertArrayEquals(full.bestWeights, resumed.bestWeights);
		assertEquals(full.bestEpoch, resumed.bestEpoch);
		// a checkpoint written for other settings is refused with a clear message
		final Exception e = assertThrows(Exception.class, () -> ForecastTrainer.train(train, val, new Tvae(tiny(16).toBuilder()
			.optZDim(5).build()), tc, Device.cpu(), ckpt, true, Progress.NONE, Cancellation.NEVER, null, null));
		assertTrue(e.getMessage().contains("other model settings"), e.getMessage());
	}
}
