package org.osteocast.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.osteocast.io.util.AtomicFiles;
import org.osteocast.core.BadInputException;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.model.ModelArchive;

/**
 * The training checkpoint written after every epoch and read by
 * {@code --resume}: a zip of {@code state.json} (model and loop settings, the
 * loop's state), {@code weights.params}, {@code best.params} (the best
 * epoch's weights), {@code adam.bin} (the optimisers' moments) and
 * {@code training_log.csv}. Written atomically; a checkpoint of other model
 * or loop settings is refused by name.
 */
final class Checkpoint {

	private Checkpoint() {}

	/** Writes the loop's state after an epoch. */
	static void write(final Path file, final ForecastNet model, final TrainConfig tc,
		final List<Adam> adams, final ForecastTrainer.State st) throws IOException
	{
		final JsonObject j = new JsonObject();
		j.addProperty("kind", "osteocast-checkpoint");
		j.addProperty("architecture", model.architecture());
		j.add("hyper_parameters", model.hyperParameters());
		j.add("training", tc.toJson());
		j.addProperty("epochs_done", st.epochsDone);
		j.addProperty("best_epoch", st.bestEpoch);
		j.addProperty("best_score", st.bestScore);
		j.addProperty("bad_epochs", st.bad);
		j.addProperty("seconds", st.seconds);
		final ByteArrayOutputStream ab = new ByteArrayOutputStream();
		try (DataOutputStream d = new DataOutputStream(ab)) {
			for (final Adam adam : adams)
				adam.save(d);
		}
		final byte[] weights = ModelArchive.parameters(model);
		AtomicFiles.writeStream(file, os -> {
			try (ZipOutputStream z = new ZipOutputStream(os)) {
				put(z, "state.json", j.toString().getBytes(StandardCharsets.UTF_8));
				put(z, "weights.params", weights);
				put(z, "best.params", st.best);
				put(z, "adam.bin", ab.toByteArray());
				put(z, "training_log.csv", st.log.csv().getBytes(StandardCharsets.UTF_8));
			}
		});
	}

	private static void put(final ZipOutputStream z, final String name, final byte[] data) throws IOException {
		z.putNextEntry(new ZipEntry(name));
		z.write(data);
		z.closeEntry();
	}

	/** Restores the model's weights, the optimisers and the loop's state. */
	static void load(final Path file, final ForecastNet model, final TrainConfig tc,
		final List<Adam> adams, final NDManager manager, final ForecastTrainer.State st) throws IOException
	{
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final JsonObject j = JsonParser.parseString(new String(read(zip, "state.json", file),
				StandardCharsets.UTF_8)).getAsJsonObject();
			if (!model.hyperParameters().equals(j.getAsJsonObject("hyper_parameters")) || j.has("architecture") && !j.get(
				"architecture").getAsString().equals(model.architecture())) throw new BadInputException(file,
				"checkpoint was written for other model settings " + (j.has("architecture") ? j.get("architecture")
					.getAsString() : "") + j.getAsJsonObject("hyper_parameters") +
					"; resume with the same options, or start afresh without --resume");
			final JsonObject t = j.getAsJsonObject("training");
			if (t.get("seed").getAsLong() != tc.seed || t.get("batch").getAsInt() != tc.batch || t.get("lr")
				.getAsDouble() != tc.lr) throw new BadInputException(file,
					"checkpoint was written with another seed, batch or learning rate (" + t + ")");
			try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(read(zip, "weights.params", file)))) {
				model.block().loadParameters(manager, in);
			}
			catch (final MalformedModelException e) {
				throw new BadInputException(file, "checkpoint weights do not fit the model: " + e.getMessage(), e);
			}
			// DJL's Parameter.load makes fresh arrays without gradients: re-attach them for training
			for (final var p : model.block().getParameters())
				if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(true);
			try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(read(zip, "adam.bin", file)))) {
				for (final Adam adam : adams)
					adam.load(in);
			}
			st.best = read(zip, "best.params", file);
			st.log = TrainingLog.parse(new String(read(zip, "training_log.csv", file), StandardCharsets.UTF_8));
			st.epochsDone = j.get("epochs_done").getAsInt();
			st.bestEpoch = j.get("best_epoch").getAsInt();
			st.bestScore = j.get("best_score").getAsDouble();
			st.bad = j.get("bad_epochs").getAsInt();
			st.seconds = j.get("seconds").getAsDouble();
		}
		catch (final java.util.zip.ZipException e) {
			throw new BadInputException(file, "checkpoint is not readable (truncated?): " + e.getMessage(), e);
		}
	}

	private static byte[] read(final ZipFile zip, final String name, final Path file) throws IOException {
		final ZipEntry e = zip.getEntry(name);
		if (e == null) throw new BadInputException(file, "checkpoint lacks " + name);
		try (InputStream in = zip.getInputStream(e)) {
			return in.readAllBytes();
		}
	}
}
