package org.osteocast.spark;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osteocast.io.util.AtomicFiles;
import org.osteocast.nn.model.ModelArchive;

/**
 * The manifest of one mouse's finished step in the work folder:
 * {@code <work>/<step>/<mouse>.done.json} lists every file of
 * {@code <work>/<step>/<mouse>/} with its SHA-256, and the step's record. It
 * is written (atomically) only after the mouse's folder was renamed into
 * place, so its presence means the step finished; a rerun skips the mouse only
 * when every listed file is still there with the same checksum.
 */
final class WorkRecord {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
		.create();

	private WorkRecord() {}

	static Path file(final Path stepDir, final String mouse) {
		return stepDir.resolve(mouse + ".done.json");
	}

	/** Writes the record of {@code mouseDir} (every file's SHA-256) and {@code json}. */
	static void write(final Path stepDir, final String mouse, final Path mouseDir, final String key, final String json)
		throws IOException
	{
		final JsonObject r = new JsonObject();
		r.addProperty("mouse", mouse);
		r.addProperty("inputs", key);
		final JsonObject files = new JsonObject();
		for (final Map.Entry<String, String> e : checksums(mouseDir).entrySet())
			files.addProperty(e.getKey(), e.getValue());
		r.add("sha256", files);
		if (json != null) r.addProperty("record", json);
		AtomicFiles.writeString(file(stepDir, mouse), GSON.toJson(r) + "\n");
	}

	/**
	 * The step's record of a mouse whose outputs are complete and unchanged, or
	 * null when the mouse must be redone (no record, a file missing, added or
	 * changed, or made from other inputs or settings: {@code key}).
	 */
	static String verified(final Path stepDir, final String mouse, final Path mouseDir, final String key) {
		final Path f = file(stepDir, mouse);
		if (!Files.isRegularFile(f) || !Files.isDirectory(mouseDir)) return null;
		try {
			final JsonObject r = GSON.fromJson(Files.readString(f), JsonObject.class);
			if (!r.has("inputs") || !r.get("inputs").getAsString().equals(key)) return null; // other inputs or settings
			final Map<String, String> want = new TreeMap<>();
			for (final Map.Entry<String, com.google.gson.JsonElement> e : r.getAsJsonObject("sha256").entrySet())
				want.put(e.getKey(), e.getValue().getAsString());
			if (want.isEmpty() || !want.equals(checksums(mouseDir))) return null;
			return r.has("record") ? r.get("record").getAsString() : "";
		}
		catch (final IOException | RuntimeException e) {
			return null; // unreadable or damaged record: redo the mouse
		}
	}

	/** File name → SHA-256 of the regular files of a folder (sorted by name). */
	static Map<String, String> checksums(final Path dir) throws IOException {
		final Map<String, String> m = new TreeMap<>();
		final List<Path> files = new ArrayList<>();
		try (Stream<Path> s = Files.list(dir)) {
			s.filter(Files::isRegularFile).forEach(files::add);
		}
		for (final Path p : files)
			m.put(p.getFileName().toString(), ModelArchive.sha256(p));
		return m;
	}
}
