package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.VolumeIOException;

/**
 * The cohort evaluation's uncertainty columns: per mouse on the forecast row,
 * pooled in the mean row, nan (with a note) without an uncertainty file, the
 * truth's bone threshold from prediction.json or else Otsu of the observed weeks.
 */
class CohortCalibrationTest {

	@TempDir
	Path tmp;
	Path data, pred;
	final List<Hyperstack> weeks = new ArrayList<>();
	static final double[] VOX = { 15, 15, 44 };

	/** m1, m2 (test): 4 weeks of the ring phantom; both forecasts = the true week 4. */
	@BeforeEach
	void setUp() throws Exception {
		data = tmp.resolve("data");
		pred = Files.createDirectories(tmp.resolve("pred"));
		final List<SliceDataset.Entry> entries = new ArrayList<>();
		for (int m = 0; m < 2; m++) {
			final String mouse = "m" + (m + 1);
			final Hyperstack h = new Hyperstack(64, 64, RingPhantom.SLICES, 4, VOX, mouse);
			for (int t = 0; t < 4; t++) {
				final float[][] w = RingPhantom.week(t + 1, 0.02, m + 1);
				for (int z = 0; z < RingPhantom.SLICES; z++)
					System.arraycopy(w[z], 0, h.plane(z, t), 0, w[z].length);
			}
			weeks.add(h);
			final Path f = data.resolve(mouse + ".tif");
			h.write(f);
			entries.add(new SliceDataset.Entry(mouse, f, null, SliceDataset.Split.TEST));
			final Hyperstack p = new Hyperstack(64, 64, RingPhantom.SLICES, 1, VOX, mouse + "_pred");
			for (int z = 0; z < RingPhantom.SLICES; z++)
				System.arraycopy(h.plane(z, 3), 0, p.plane(z, 0), 0, 64 * 64);
			p.write(pred.resolve(mouse + "_pred.tif"));
		}
		new SliceDataset(data, entries).writeManifest();
	}

	/** Writes an uncertainty file: P(bone) = truth above {@code threshold}, or {@code constantP} if not NaN; SD given. */
	private void writeUncertainty(final int m, final double threshold, final double constantP, final float[][] sd)
		throws Exception
	{
		final Hyperstack h = weeks.get(m);
		final Hyperstack u = new Hyperstack(64, 64, RingPhantom.SLICES, 2, VOX, "m" + (m + 1) + " uncertainty");
		for (int z = 0; z < RingPhantom.SLICES; z++) {
			final float[] truth = h.plane(z, 3), p = u.plane(z, 0);
			for (int i = 0; i < p.length; i++)
				p[i] = (float) (Double.isNaN(constantP) ? truth[i] > threshold ? 1 : 0 : constantP);
			System.arraycopy(sd[z], 0, u.plane(z, 1), 0, sd[z].length);
		}
		u.write(PredictionUncertainty.file(pred, "m" + (m + 1)));
	}

	/** SD = 1 exactly on the changed pixels of the changed-pixel MSE (default threshold), 0 elsewhere. */
	private float[][] sdOnChanged(final int m) {
		final Hyperstack h = weeks.get(m);
		final ForecastEvaluation.Reference ref = new ForecastEvaluation.Reference(h.planes(0), h.planes(2), h.planes(3),
			64, 64, 1, Double.NaN);
		final boolean[][] c = ref.changedMask();
		final float[][] sd = new float[c.length][c[0].length];
		for (int z = 0; z < c.length; z++)
			for (int i = 0; i < c[z].length; i++)
				sd[z][i] = c[z][i] ? 1 : 0;
		return sd;
	}

	private void writeJson(final double t1, final double t2, final int observed) throws Exception {
		Files.writeString(pred.resolve("prediction.json"), "{\"model\": \"x.zip\", \"mice\": [" +
			"{\"mouse\": \"m1\", \"observed_weeks\": " + observed + ", \"bone_threshold_otsu\": " + t1 + "}," +
			"{\"mouse\": \"m2\", \"observed_weeks\": " + observed + ", \"bone_threshold_otsu\": " + t2 + "}]}");
	}

	private static String cell(final CohortEvaluation e, final String mouse, final String method, final String col) {
		for (final String[] r : e.rows)
			if (r[0].equals(mouse) && r[1].equals(method)) return r[CohortEvaluation.COLUMNS.indexOf(col)];
		throw new AssertionError("no row " + mouse + "/" + method);
	}

	private CohortEvaluation run() throws Exception {
		return CohortEvaluation.run(SliceDataset.open(data), "test", pred, null, null);
	}

	@Test
	void perfectProbabilitiesAndUncertaintyScoreZeroErrorAndAucOne() throws Exception {
		writeJson(0.6, 0.6, 3);
		writeUncertainty(0, 0.6, Double.NaN, sdOnChanged(0));
		writeUncertainty(1, 0.6, Double.NaN, sdOnChanged(1));
		final CohortEvaluation e = run();
		for (final String m : new String[] { "m1", "m2", CohortEvaluation.MEAN }) {
			assertEquals("0.00000", cell(e, m, "forecast", "ece"), m);
			assertEquals("0.00000", cell(e, m, "forecast", "brier"), m);
			assertEquals("1.0000", cell(e, m, "forecast", "unc_auc"), m);
			assertEquals("1.00000", cell(e, m, "forecast", "sd_changed"), m);
			assertEquals("0.00000", cell(e, m, "forecast", "sd_unchanged"), m);
			assertEquals("1.0000", cell(e, m, "forecast", "unc_auc_bone"), "within the bone too: " + m);
			assertEquals("nan", cell(e, m, "persistence", "ece"), "baselines have no probabilities");
			assertEquals("nan", cell(e, m, "linear", "unc_auc"));
		}
		assertEquals(2, e.uncertainMice());
		assertTrue(e.notes().isEmpty(), e.notes().toString());
		assertEquals(2L * RingPhantom.SLICES * 64 * 64, e.reliability().n);
		assertEquals(1, e.uncertaintyRanking().auc, 0);
	}

	@Test
	void meanRowPoolsPixelsRatherThanAveragingMice() throws Exception {
		// m1: P(bone) 0.5 everywhere; m2: perfect. SD: m1 ranks changed pixels perfectly, m2 not at all (all 0)
		writeJson(0.6, 0.6, 3);
		writeUncertainty(0, 0.6, 0.5, sdOnChanged(0));
		writeUncertainty(1, 0.6, Double.NaN, new float[RingPhantom.SLICES][64 * 64]);
		final CohortEvaluation e = run();
		final Calibration.Accumulator c = new Calibration.Accumulator(10);
		final UncertaintyRanking.Accumulator r = new UncertaintyRanking.Accumulator();
		for (int m = 0; m < 2; m++) {
			final Hyperstack h = weeks.get(m);
			final ForecastEvaluation.Reference ref = new ForecastEvaluation.Reference(h.planes(0), h.planes(2), h.planes(
				3), 64, 64, 1, Double.NaN);
			final PredictionUncertainty.Planes u = PredictionUncertainty.read(PredictionUncertainty.file(pred, "m" + (m +
				1)), 64, 64, RingPhantom.SLICES);
			c.add(u.boneProbability, ref.truthBone(0.6));
			r.add(u.sd, ref.changedMask());
		}
		final Calibration.Reliability pooled = c.result();
		assertEquals(pooled.ece, e.reliability().ece, 1e-15);
		assertEquals(String.format(java.util.Locale.ROOT, "%.5f", pooled.ece), cell(e, CohortEvaluation.MEAN, "forecast",
			"ece"));
		final double m1 = Double.parseDouble(cell(e, "m1", "forecast", "ece")), m2 = Double.parseDouble(cell(e, "m2",
			"forecast", "ece"));
		assertEquals(0, m2, 0);
		assertTrue(m1 > 0.05, "constant 0.5 is miscalibrated: " + m1);
		// both mice have the same number of pixels, so the pooled ECE of bin 5 alone (m1) is half m1's
		assertEquals(m1 / 2, pooled.ece, 1e-5);
		final double aucPooled = r.result().auc;
		assertEquals(String.format(java.util.Locale.ROOT, "%.4f", aucPooled), cell(e, CohortEvaluation.MEAN, "forecast",
			"unc_auc"));
		assertEquals("1.0000", cell(e, "m1", "forecast", "unc_auc"));
		assertEquals("0.5000", cell(e, "m2", "forecast", "unc_auc"), "a deterministic model's SD ties everywhere");
		assertNotEquals(0.75, aucPooled, 1e-3, "not the mean of the mice's AUCs");
	}

	@Test
	void missingUncertaintyFileGivesNanAndANoteNotACrash() throws Exception {
		writeUncertainty(0, 0.6, Double.NaN, sdOnChanged(0));
		writeJson(0.6, 0.6, 3);
		final CohortEvaluation e = run();
		assertEquals("nan", cell(e, "m2", "forecast", "ece"));
		assertEquals("nan", cell(e, "m2", "forecast", "unc_auc"));
		assertEquals("0.00000", cell(e, "m1", "forecast", "ece"));
		assertEquals("0.00000", cell(e, CohortEvaluation.MEAN, "forecast", "ece"), "pooled over the mice that have one");
		assertEquals(1, e.uncertainMice());
		assertEquals(2, e.scoredMice());
		assertTrue(e.notes().get(0).startsWith(CohortEvaluation.NO_UNCERTAINTY + " for m2 "), e.notes().toString());
		Files.delete(PredictionUncertainty.file(pred, "m1"));
		final CohortEvaluation none = run();
		assertNull(none.reliability());
		assertNull(none.uncertaintyRanking());
		assertEquals("nan", cell(none, CohortEvaluation.MEAN, "forecast", "ece"));
		assertTrue(none.notes().get(0).contains("m1, m2"), none.notes().toString());
		// every row still has every column
		for (final String[] row : none.rows)
			assertEquals(CohortEvaluation.COLUMNS.size(), row.length);
	}

	@Test
	void truthThresholdComesFromPredictionJsonElseOtsuOfObservedWeeks() throws Exception {
		// P(bone) thresholds the truth at 0.9: calibrated only if the truth is read at 0.9 too
		writeUncertainty(0, 0.9, Double.NaN, sdOnChanged(0));
		writeUncertainty(1, 0.9, Double.NaN, sdOnChanged(1));
		writeJson(0.9, 0.9, 3);
		assertEquals("0.00000", cell(run(), "m1", "forecast", "ece"));
		Files.delete(pred.resolve("prediction.json"));
		final CohortEvaluation otsu = run();
		assertTrue(Double.parseDouble(cell(otsu, "m1", "forecast", "ece")) > 0.01, "the truth at Otsu's threshold");
		// and P(bone) at Otsu of weeks 1-3 is perfectly calibrated without prediction.json
		final double t = PredictionUncertainty.otsuOfObserved(weeks.get(0), 3);
		assertTrue(t > 0.2 && t < 0.8, "Otsu between marrow and cortex: " + t);
		writeUncertainty(0, t, Double.NaN, sdOnChanged(0));
		assertEquals("0.00000", cell(run(), "m1", "forecast", "ece"));
	}

	@Test
	void theWeekThatWasForecastIsScored() throws Exception {
		writeUncertainty(0, 0.6, Double.NaN, sdOnChanged(0));
		writeUncertainty(1, 0.6, Double.NaN, sdOnChanged(1));
		// the forecasts conditioned on 2 weeks: they forecast week 3, which is what is scored (not week 4)
		writeJson(0.6, 0.6, 2);
		final CohortEvaluation e = run();
		assertTrue(Double.isFinite(Double.parseDouble(cell(e, "m1", "forecast", "ece"))), "uncertainty scored");
		assertEquals(e.rows.stream().filter(r -> r[0].equals("m1") && r[1].equals("persistence")).findFirst().get()[2],
			cell(CohortEvaluation.run(SliceDataset.open(data), "test", pred, 2, null), "m1", "persistence", "psnr_db"),
			"scored as with --observed 2: persistence copies week 2 against week 3");
		// asking for another week than the one forecast is an error, not nan columns
		final IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> CohortEvaluation.run(
			SliceDataset.open(data), "test", pred, 3, null));
		assertTrue(x.getMessage().contains("conditioned on 2 weeks"), x.getMessage());
	}

	@Test
	void misshapenOrOutOfRangeUncertaintyIsAClearError() throws Exception {
		new Hyperstack(64, 64, 5, 2, VOX, "bad").write(PredictionUncertainty.file(pred, "m1"));
		VolumeIOException x = assertThrows(VolumeIOException.class, this::run);
		assertTrue(x.getMessage().contains("m1_uncertainty.tif") && x.getMessage().contains("64 x 64 x 5"), x
			.getMessage());
		new Hyperstack(64, 64, RingPhantom.SLICES, 1, VOX, "bad").write(PredictionUncertainty.file(pred, "m1"));
		x = assertThrows(VolumeIOException.class, this::run);
		assertTrue(x.getMessage().contains("1 frame"), x.getMessage());
		final float[][] sd = sdOnChanged(0);
		writeUncertainty(0, 0.6, 1.5, sd);
		x = assertThrows(VolumeIOException.class, this::run);
		assertTrue(x.getMessage().contains("P(bone) 1.5"), x.getMessage());
		Files.writeString(pred.resolve("prediction.json"), "[1, 2]");
		x = assertThrows(VolumeIOException.class, this::run);
		assertTrue(x.getMessage().contains("prediction.json"), x.getMessage());
	}
}
