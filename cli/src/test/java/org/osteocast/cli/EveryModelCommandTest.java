package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.metrics.ForecastEvaluation;
import org.osteocast.metrics.Psnr;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.train.SyntheticCohort;

/**
 * Every model of the benchmark trains, predicts and is scored through the same
 * three commands, and the scores are those of the fixture: each row's PSNR is
 * recomputed here from the planes it names (the forecast file, week 3 for
 * persistence, the extrapolation of weeks 2–3); the baseline models score
 * exactly as the baselines' rows, and a trained model's forecast is not a copy
 * of week 3.
 */
class EveryModelCommandTest {

	@TempDir
	static Path dir;

	static Path data;

	@BeforeAll
	static void setUp() throws Exception {
		EngineSetup.intraOpThreads(1);
		data = dir.resolve("data");
		SyntheticCohort.write(data, 6, 4, 16, 4, 8, 3, 3);
	}

	static List<String> presets() {
		return ForecastNets.presets().stream().map(p -> p.name).collect(Collectors.toList());
	}

	@ParameterizedTest
	@MethodSource("presets")
	void trainPredictEvaluate(final String preset) throws Exception {
		final Path model = dir.resolve(preset + ".zip"), pred = dir.resolve(preset + "-pred"), eval = dir.resolve(
			preset + ".csv");
		// fp32 whatever the CPU, so that the test does not depend on the machine (auto is bf16 where the CPU has it):
		// one epoch is one step here, and a bf16 step skipped for non-finite gradients would leave week 3 as the forecast;
		// bf16 training is MixedPrecisionTrainingTest's
		assertEquals(0, Main.run("train", "--arch", preset, "--data", data.toString(), "--model", model.toString(),
			"--epochs", "1", "--nf", "4", "--g-dim", "8", "--z-dim", "3", "--rnn-size", "8", "--hidden", "8", "--device",
			"cpu", "--precision", "fp32"));
		final ModelArchive a = ModelArchive.read(model);
		assertEquals(ForecastNets.preset(preset).architecture, a.architecture());
		assertEquals(0, Main.run("predict", "--model", model.toString(), "--data", data.toString(), "--out", pred
			.toString(), "--samples", "2"));
		final Hyperstack p = Hyperstack.read(pred.resolve("m03_pred.tif"));
		assertEquals(4, p.slices());
		for (final float v : p.plane(1, 0))
			assertTrue(v >= 0 && v <= 1, preset + " forecast in [0, 1]: " + v);
		assertEquals(a.stochastic() ? 2 : 1, Hyperstack.read(pred.resolve("m03_samples.tif")).frames());
		assertEquals(0, Main.run("evaluate", "--pred", pred.toString(), "--data", data.toString(), "--out", eval
			.toString()));
		final Csv.Table t = Csv.read(eval);
		// the fixture: the test mouse's true week 4, its week 3 (persistence) and the linear extrapolation of weeks 2-3
		final Hyperstack truth = Hyperstack.read(data.resolve("m03.tif"));
		final float[][] week4 = truth.planes(3), week3 = truth.planes(2);
		final float[][] linear = ForecastEvaluation.linear(truth.planes(1), week3, 0, 1);
		final float[][] forecast = p.planes(0);
		final Map<String, Csv.Row> rows = new HashMap<>();
		for (final Csv.Row r : t.rows)
			if ("m03".equals(r.get("mouse"))) rows.put(r.get("method"), r);
		assertEquals(java.util.Set.of("forecast", "persistence", "linear"), rows.keySet());
		// one row per slice class and method: the forecast's classes cover every slice of the test mice once
		int classSlices = 0, testMice = 0;
		for (final Csv.Row r : t.rows)
			if (r.get("mouse").startsWith("CLASS(") && "forecast".equals(r.get("method"))) classSlices += Integer.parseInt(r
				.get("mouse").replaceAll(".*:(\\d+)\\)", "$1"));
			else if (!r.get("mouse").startsWith("CLASS(") && !r.get("mouse").startsWith("ALL") && "forecast".equals(r.get(
				"method"))) testMice++;
		assertEquals(4 * testMice, classSlices, "slices in the class rows");
		// every row scores what it names: the forecast file, week 3, the extrapolation (3 decimals in the CSV)
		assertScores(rows.get("persistence"), week4, week3, "persistence");
		assertScores(rows.get("linear"), week4, linear, "linear");
		assertScores(rows.get("forecast"), week4, forecast, preset);
		if (preset.equals("persistence") || preset.equals("linear")) {
			// the baseline models are the baselines: their forecast scores as the baseline's row, column by column
			for (final String col : t.header)
				if (!col.equals("method") && !col.startsWith("unc_") && !col.startsWith("sd_") && !col.equals("ece") && !col
					.equals("brier")) assertEquals(rows.get(preset).get(col), rows.get("forecast").get(col), preset + " " + col);
		}
		else {
			// a trained model forecasts: it is not a copy of week 3
			double diff = 0;
			for (int z = 0; z < week3.length; z++)
				for (int i = 0; i < week3[z].length; i++)
					diff = Math.max(diff, Math.abs(forecast[z][i] - week3[z][i]));
			assertTrue(diff > 1e-6, preset + ": the forecast equals week 3 (max difference " + diff + ")");
			assertNotEquals(rows.get("persistence").get("psnr_db"), rows.get("forecast").get("psnr_db"), preset);
		}
		assertTrue(Files.isRegularFile(pred.resolve("prediction.json")));
	}

	/** The row's PSNR both ways equal the fixture's, recomputed here from the planes it names. */
	private static void assertScores(final Csv.Row row, final float[][] truth, final float[][] scored, final String what) {
		assertEquals(Psnr.perSlice(truth, scored, 1), Double.parseDouble(row.get("psnr_db")), 6e-4, what + " psnr_db");
		assertEquals(Psnr.psnr(truth, scored, 1), Double.parseDouble(row.get("psnr_volume_db")), 6e-4, what +
			" psnr_volume_db");
	}
}
