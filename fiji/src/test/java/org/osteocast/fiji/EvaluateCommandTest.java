package org.osteocast.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.measure.ResultsTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.metrics.CohortEvaluation;
import org.osteocast.viz.ReliabilityDiagram;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** "Evaluate Forecast" fills the uncertainty columns of the Results table and draws the reliability diagram. */
class EvaluateCommandTest {

	@TempDir
	Path tmp;

	/** A disc of bone (0.8 on 0.2) that shrinks by a pixel a week; the forecast is the truth. */
	private static float value(final int x, final int y, final int z, final int t) {
		return Math.hypot(x - 16, y - 16) < 12 - t - (z % 2) ? 0.8f : 0.2f;
	}

	@Test
	void resultsTableHasTheUncertaintyColumns() throws Exception {
		final Path data = tmp.resolve("data"), pred = Files.createDirectories(tmp.resolve("pred"));
		final Hyperstack h = new Hyperstack(32, 32, 3, 4, new double[] { 30, 30, 40 }, "m1");
		final Hyperstack f = new Hyperstack(32, 32, 3, 1, new double[] { 30, 30, 40 }, "m1_pred");
		final Hyperstack u = new Hyperstack(32, 32, 3, 2, new double[] { 30, 30, 40 }, "m1_uncertainty");
		for (int z = 0; z < 3; z++)
			for (int y = 0; y < 32; y++)
				for (int x = 0; x < 32; x++) {
					final int i = y * 32 + x;
					for (int t = 0; t < 4; t++)
						h.plane(z, t)[i] = value(x, y, z, t);
					f.plane(z, 0)[i] = value(x, y, z, 3);
					u.plane(z, 0)[i] = value(x, y, z, 3) > 0.5 ? 1 : 0; // perfectly calibrated P(bone)
					u.plane(z, 1)[i] = Math.abs(value(x, y, z, 3) - value(x, y, z, 2)); // spread exactly where it changes
				}
		h.write(data.resolve("m1.tif"));
		new SliceDataset(data, List.of(new SliceDataset.Entry("m1", data.resolve("m1.tif"), null,
			SliceDataset.Split.TEST))).writeManifest();
		f.write(pred.resolve("m1_pred.tif"));
		u.write(pred.resolve("m1_uncertainty.tif"));
		Files.writeString(pred.resolve("prediction.json"),
			"{\"mice\": [{\"mouse\": \"m1\", \"observed_weeks\": 3, \"bone_threshold_otsu\": 0.5}]}");
		final Path csv = tmp.resolve("out").resolve("scores.csv");
		Files.createDirectories(csv.getParent());
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("predictions", pred.toFile());
			in.put("data", data.toFile());
			in.put("split", "test");
			in.put("csv", csv.toFile());
			final CommandModule m = context.service(CommandService.class).run(EvaluateCommand.class, true, in).get();
			assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		}
		final ResultsTable rt = ResultsTable.getResultsTable();
		// 3 methods for m1, then 3 mean rows, then one row per slice class present and method
		assertTrue(rt.size() > 6 && (rt.size() - 6) % 3 == 0, "rows: " + rt.size());
		for (int i = 6; i < rt.size(); i++)
			assertTrue(rt.getStringValue("mouse", i).startsWith("CLASS("), rt.getStringValue("mouse", i));
		for (final String col : List.of("ece", "brier", "unc_auc", "sd_changed", "sd_unchanged", "unc_auc_bone"))
			assertTrue(rt.columnExists(col), col);
		assertEquals("forecast", rt.getStringValue("method", 0));
		assertEquals(0, rt.getValue("ece", 0), 0);
		assertEquals(0, rt.getValue("brier", 0), 0);
		assertEquals(1, rt.getValue("unc_auc", 0), 0);
		assertEquals(0.6, rt.getValue("sd_changed", 0), 1e-5);
		assertEquals(CohortEvaluation.MEAN, rt.getStringValue("mouse", 3));
		assertEquals(1, rt.getValue("unc_auc", 3), 0);
		assertTrue(Double.isNaN(rt.getValue("ece", 1)), "the persistence baseline has no probabilities");
		assertTrue(Files.isRegularFile(ReliabilityDiagram.besideCsv(csv)), "diagram beside the CSV");
	}
}
