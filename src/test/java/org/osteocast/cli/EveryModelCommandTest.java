package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osteocast.io.Csv;
import org.osteocast.io.Hyperstack;
import org.osteocast.nn.EngineSetup;
import org.osteocast.nn.ForecastNets;
import org.osteocast.train.ModelArchive;
import org.osteocast.train.SyntheticCohort;

/** Every model of the benchmark trains, predicts and is scored through the same three commands. */
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
		assertEquals(0, Main.run("train", "--arch", preset, "--data", data.toString(), "--model", model.toString(),
			"--epochs", "1", "--nf", "4", "--g-dim", "8", "--z-dim", "3", "--rnn-size", "8", "--hidden", "8", "--device",
			"cpu"));
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
		final double psnr = t.rows.stream().filter(r -> "ALL(mean)".equals(r.get("mouse")) && "forecast".equals(r.get(
			"method"))).mapToDouble(r -> Double.parseDouble(r.get("psnr_db"))).findFirst().orElse(Double.NaN);
		assertTrue(psnr > 5 && psnr < 80, preset + " PSNR " + psnr);
		assertTrue(Files.isRegularFile(pred.resolve("prediction.json")));
	}
}
