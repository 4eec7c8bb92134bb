package org.osteocast.nn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.BadInputException;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.blocks.FrameOutput;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;
import org.osteocast.train.TrainingLog;

/** The model archive: round trip, and a clear message for each way a file can be wrong. */
class ModelArchiveTest {

	static final TvaeConfig CFG = TvaeConfig.builder().optImageSize(16).optNf(4).optGDim(8).optZDim(3).optRnnSize(8)
		.optLambda(0.5).optOutput(FrameOutput.RESIDUAL_LOGIT).build();

	static Path write(final Path dir) throws Exception {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(5);
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae model = new Tvae(CFG);
			model.initialize(m);
			final TrainingLog log = new TrainingLog();
			log.add(new TrainingLog.Row(1, 0.5, 2, 1e-4, 20, 0.5, 0.01, 3, new double[] { 1, 0.5, 0.5 }, 1.5, 300));
			final JsonObject training = new JsonObject();
			training.addProperty("epochs_run", 1);
			// what a run without validation mice records: the archive's own checksum must still hold
			training.addProperty("best_val_mse", Double.NaN);
			training.addProperty("val_psnr", Double.POSITIVE_INFINITY);
			final Path f = dir.resolve("m.zip");
			ModelArchive.write(f, model, ModelArchive.parameters(model), training, log);
			return f;
		}
	}

	@Test
	void roundTripKeepsConfigWeightsAndLog(@TempDir final Path dir) throws Exception {
		final Path f = write(dir);
		final ModelArchive a = ModelArchive.read(f);
		assertEquals(CFG.toJson(), a.hyperParameters());
		assertEquals("tvae2d", a.architecture());
		assertEquals(FrameOutput.RESIDUAL_LOGIT, TvaeConfig.fromJson(a.hyperParameters()).output);
		assertEquals(3, a.json().getAsJsonObject("input").get("n_input_weeks").getAsInt());
		assertTrue(a.json().getAsJsonObject("engine").get("engine_version").getAsString().length() > 0);
		assertEquals(1, TrainingLog.parse(a.trainingLog()).rows().size());
		assertEquals(0.5, TrainingLog.parse(a.trainingLog()).rows().get(0).recon, 1e-9);
		try (NDManager m = NDManager.newBaseManager()) {
			final ForecastNet loaded = a.load(m);
			assertArrayEquals(ModelArchive.parameters(loaded), entry(f, ModelArchive.WEIGHTS));
		}
		try (ZipFile z = new ZipFile(f.toFile())) {
			assertTrue(z.getEntry(ModelArchive.CURVE).getSize() > 100, "loss curve PNG");
		}
		final BadInputException e = assertThrows(BadInputException.class, () -> a.checkInputSize(64, dir.resolve(
			"x.tif")));
		assertTrue(e.getMessage().contains("trained on 16 x 16"), e.getMessage());
	}

	@Test
	void truncatedAndForeignFilesAreNamed(@TempDir final Path dir) throws Exception {
		final Path f = write(dir);
		final byte[] bytes = Files.readAllBytes(f);
		final Path cut = dir.resolve("cut.zip");
		Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
		assertMessage(cut, "truncated");
		final Path text = dir.resolve("text.zip");
		Files.writeString(text, "hello");
		assertMessage(text, "not a model archive");
		assertMessage(dir.resolve("missing.zip"), "not found");
	}

	@Test
	void wrongVersionArchitectureSizeAndChecksumAreNamed(@TempDir final Path dir) throws Exception {
		final Path f = write(dir);
		assertMessage(rewrite(f, dir.resolve("v.zip"), j -> {
			j.addProperty("format_version", 99);
			return j;
		}, null), "format version 99 is not supported");
		assertMessage(rewrite(f, dir.resolve("a.zip"), j -> {
			j.addProperty("architecture", "no-such-net");
			return j;
		}, null), "architecture 'no-such-net' is not supported");
		assertMessage(rewrite(f, dir.resolve("s.zip"), j -> {
			j.getAsJsonObject("input").addProperty("width", 32);
			return j;
		}, null), "input size");
		assertMessage(rewrite(f, dir.resolve("w.zip"), j -> j, w -> {
			w[w.length - 3] ^= 0x55;
			return w;
		}), "weights are corrupt");
		assertMessage(rewrite(f, dir.resolve("j.zip"), null, null), "no model.json");
		// an edited model.json (the output mapping, say) without a new stamp: refused, not forecast with
		assertMessage(rewrite(f, dir.resolve("e.zip"), j -> {
			j.getAsJsonObject("hyper_parameters").addProperty("output", "sigmoid");
			return j;
		}, null, false), "model.json was changed after training");
		assertMessage(rewrite(f, dir.resolve("n.zip"), j -> {
			j.remove(ModelArchive.JSON_SHA256);
			return j;
		}, null, false), "has no checksum");
		// weights that pass the checksum but belong to another architecture
		final Path other = rewrite(f, dir.resolve("o.zip"), j -> {
			j.getAsJsonObject("hyper_parameters").addProperty("z_dim", 5);
			return j;
		}, null);
		// or to another known architecture
		final Path convlstm = rewrite(f, dir.resolve("c.zip"), j -> {
			j.addProperty("architecture", "convlstm");
			return j;
		}, null);
		for (final Path p : new Path[] { other, convlstm }) {
			final ModelArchive a = ModelArchive.read(p);
			try (NDManager m = NDManager.newBaseManager()) {
				final BadInputException e = assertThrows(BadInputException.class, () -> a.load(m));
				assertTrue(e.getMessage().contains("do not fit the architecture"), e.getMessage());
			}
		}
	}

	private static void assertMessage(final Path f, final String expected) {
		final BadInputException e = assertThrows(BadInputException.class, () -> ModelArchive.read(f));
		assertTrue(e.getMessage().contains(expected), e.getMessage());
		assertTrue(e.getMessage().contains(f.getFileName().toString()), "names the file: " + e.getMessage());
	}

	/** Copies an archive, editing model.json ({@code null} = drop it) and the weights. */
	private static Path rewrite(final Path src, final Path dst, final UnaryOperator<JsonObject> json,
		final UnaryOperator<byte[]> weights) throws Exception
	{
		return rewrite(src, dst, json, weights, true);
	}

	private static Path rewrite(final Path src, final Path dst, final UnaryOperator<JsonObject> json,
		final UnaryOperator<byte[]> weights, final boolean stamp) throws Exception
	{
		try (ZipFile z = new ZipFile(src.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(
			dst)))
		{
			for (final ZipEntry e : java.util.Collections.list(z.entries())) {
				byte[] data;
				try (InputStream in = z.getInputStream(e)) {
					data = in.readAllBytes();
				}
				if (e.getName().equals(ModelArchive.MODEL_JSON)) {
					if (json == null) continue;
					final JsonObject j = json.apply(JsonParser.parseString(new String(data, StandardCharsets.UTF_8))
						.getAsJsonObject());
					// stamped again as a writer would (another version, another tool): the deeper checks still catch it
					if (stamp && j.has(ModelArchive.JSON_SHA256)) j.addProperty(ModelArchive.JSON_SHA256, ModelArchive
						.jsonSha256(j));
					data = j.toString().getBytes(StandardCharsets.UTF_8);
				}
				if (e.getName().equals(ModelArchive.WEIGHTS) && weights != null) data = weights.apply(data);
				out.putNextEntry(new ZipEntry(e.getName()));
				out.write(data);
				out.closeEntry();
			}
		}
		return dst;
	}

	private static byte[] entry(final Path f, final String name) throws Exception {
		try (ZipFile z = new ZipFile(f.toFile()); InputStream in = z.getInputStream(z.getEntry(name))) {
			final ByteArrayOutputStream b = new ByteArrayOutputStream();
			in.transferTo(b);
			return b.toByteArray();
		}
	}
}
