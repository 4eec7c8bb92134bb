package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.train.SyntheticCohort;
import org.osteocast.train.TrainingLog;

import picocli.CommandLine;

/** {@code osteocast train} then {@code osteocast predict} on a tiny synthetic cohort, and a bad model file. */
class TrainPredictCommandTest {

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	@Test
	void trainThenPredict(@TempDir final Path dir) throws Exception {
		final Path data = dir.resolve("data");
		SyntheticCohort.write(data, 4, 3, 16, 4, 21, 4, 4);
		final Path model = dir.resolve("tvae.zip");
		assertEquals(0, Main.run("train", "--data", data.toString(), "--model", model.toString(), "--epochs", "2",
			"--batch", "4", "--nf", "4", "--g-dim", "8", "--z-dim", "3", "--rnn-size", "8", "--device", "cpu", "--residual"));
		final ModelArchive a = ModelArchive.read(model);
		assertEquals(16, a.imageSize());
		assertEquals("tvae2d", a.architecture());
		assertEquals("residual_clamp", a.hyperParameters().get("output").getAsString());
		assertEquals(4, a.hyperParameters().get("nf").getAsInt());
		assertEquals(1.0, a.hyperParameters().get("lambda").getAsDouble(), 0, "untouched options keep the model's defaults");
		assertEquals(2, TrainingLog.parse(a.trainingLog()).rows().size());
		assertTrue(Files.isRegularFile(dir.resolve("tvae.zip.ckpt")));
		// resume with more epochs continues from the checkpoint
		assertEquals(0, Main.run("train", "--data", data.toString(), "--model", model.toString(), "--epochs", "3",
			"--batch", "4", "--nf", "4", "--g-dim", "8", "--z-dim", "3", "--rnn-size", "8", "--device", "cpu", "--residual",
			"--resume"));
		assertEquals(3, TrainingLog.parse(ModelArchive.read(model).trainingLog()).rows().size());

		final Path out = dir.resolve("pred");
		assertEquals(0, Main.run("predict", "--model", model.toString(), "--data", data.toString(), "--out", out
			.toString(), "--samples", "3", "--split", "all"));
		for (final String m : new String[] { "m01", "m02", "m03", "m04" }) {
			final Hyperstack p = Hyperstack.read(out.resolve(m + "_pred.tif"));
			assertEquals(3, p.slices());
			assertEquals(1, p.frames());
			assertEquals(3, Hyperstack.read(out.resolve(m + "_samples.tif")).frames());
			assertEquals(2, Hyperstack.read(out.resolve(m + "_uncertainty.tif")).frames());
		}
		assertTrue(Files.isRegularFile(out.resolve("prediction.json")));
	}

	@Test
	void badModelFileExitsWithOneClearLine(@TempDir final Path dir) throws Exception {
		final Path data = dir.resolve("data");
		SyntheticCohort.write(data, 1, 2, 16, 4, 3, 0, 1);
		final Path bad = dir.resolve("bad.zip");
		Files.writeString(bad, "not a zip");
		final CommandLine cl = Main.commandLine();
		final StringWriter err = new StringWriter();
		cl.setErr(new PrintWriter(err));
		assertEquals(Main.EXIT_BAD_INPUT, cl.execute("predict", "--model", bad.toString(), "--data", data.toString(),
			"--out", dir.resolve("o").toString()));
		assertTrue(err.toString().contains("bad.zip") && err.toString().contains("not a model archive"), err.toString());
	}
}
