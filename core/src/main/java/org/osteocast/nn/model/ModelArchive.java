package org.osteocast.nn.model;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.osteocast.OsteoCast;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.core.BadInputException;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.Precision;

/**
 * The model archive contract: a {@code .zip} holding {@code model.json}
 * (format version, architecture and hyper-parameters, input size,
 * normalisation, number of input weeks, engine versions, training summary,
 * SHA-256 of the weights), {@code weights.params} (DJL
 * {@code Block.saveParameters}), {@code training_log.csv} and
 * {@code loss_curve.png}. Written atomically. Reading checks every part and
 * says what is wrong with a file that is not a zip, truncated, from a newer
 * version, of another architecture, or whose weights do not match their
 * checksum.
 */
public final class ModelArchive {

	/** The format version this build writes and the newest it reads. */
	public static final int FORMAT_VERSION = 2;
	/**
	 * Key in {@code model.json} (format 2 on) holding the SHA-256 of the rest of
	 * {@code model.json} in compact form: an edited description (output mapping,
	 * sizes, hyper-parameters) is refused like damaged weights.
	 */
	public static final String JSON_SHA256 = "json_sha256";
	public static final String MODEL_JSON = "model.json", WEIGHTS = "weights.params", LOG = "training_log.csv",
			CURVE = "loss_curve.png";
	/** What the slice-sequence contract promises about intensities; recorded in model.json. */
	public static final String NORMALISATION =
		"slice sequences in [0, 1]: one intensity window per mouse for all weeks (the slicer's normalisation)";

	private static final Gson COMPACT = new GsonBuilder().serializeSpecialFloatingPointValues().create();
	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
		.create();

	private final Path file;
	private final JsonObject json;
	private final ForecastNet net;
	private final byte[] weights;
	private final String log;

	private ModelArchive(final Path file, final JsonObject json, final ForecastNet net, final byte[] weights,
		final String log)
	{
		this.file = file;
		this.json = json;
		this.net = net;
		this.weights = weights;
		this.log = log;
	}

	public Path file() {
		return file;
	}

	/** The whole model.json (a copy). */
	public JsonObject json() {
		return json.deepCopy();
	}

	/**
	 * The precision the model was trained in ({@code training.settings.precision};
	 * archives written before it was recorded were fp32). The weights are
	 * stored in fp32 either way.
	 */
	public Precision trainedPrecision() {
		final JsonObject t = json.has("training") && json.get("training").isJsonObject() ? json.getAsJsonObject(
			"training") : null;
		final JsonObject st = t != null && t.has("settings") && t.get("settings").isJsonObject() ? t.getAsJsonObject(
			"settings") : null;
		return st != null && st.has("precision") ? Precision.parse(st.get("precision").getAsString()) : Precision.FP32;
	}

	/** {@code model.json}'s architecture name. */
	public String architecture() {
		return net.architecture();
	}

	/** The model's hyper-parameters (a copy). */
	public JsonObject hyperParameters() {
		return net.hyperParameters();
	}

	/** Slice side the model takes. */
	public int imageSize() {
		return net.imageSize();
	}

	/** Observed weeks the model conditions on. */
	public int nPast() {
		return net.nPast();
	}

	/** 2 for slice-wise models, 3 for whole-volume ones. */
	public int spatialDims() {
		return net.spatialDims();
	}

	/** Slices per volume of a 3-D model (0 for 2-D ones). */
	public int depth() {
		return net.depth();
	}

	/** Whether the model's samples differ (a latent variable model). */
	public boolean stochastic() {
		return net.stochastic();
	}

	/** The training log CSV, or "" when the archive has none. */
	public String trainingLog() {
		return log;
	}

	/** Builds the model and loads the weights into it, in {@code manager}. */
	public ForecastNet load(final NDManager manager) throws BadInputException {
		final ForecastNet model = ForecastNets.create(net.architecture(), net.hyperParameters());
		model.initialize(manager);
		final java.util.Map<String, ai.djl.ndarray.types.Shape> shapes = new java.util.HashMap<>();
		for (final var p : model.block().getParameters())
			shapes.put(p.getKey(), p.getValue().getArray().getShape());
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
			model.block().loadParameters(manager, in);
			if (in.read() != -1) throw new IOException("trailing bytes after the last parameter");
		}
		catch (final IOException | MalformedModelException | RuntimeException e) {
			throw new BadInputException(file, "the weights do not fit the architecture described in model.json (" + e
				.getMessage() + ")", e);
		}
		// DJL loads whatever shapes the file holds: check them against the architecture
		for (final var p : model.block().getParameters()) {
			final ai.djl.ndarray.types.Shape want = shapes.get(p.getKey()), got = p.getValue().getArray().getShape();
			if (!want.equals(got)) throw new BadInputException(file,
				"the weights do not fit the architecture described in model.json: parameter " + p.getKey() + " is " + got +
					", expected " + want);
		}
		return model;
	}

	/** Fails unless the model takes {@code size × size} slices. */
	public void checkInputSize(final int size, final Path data) throws BadInputException {
		if (size != net.imageSize()) throw new BadInputException(data, "slices are " + size + " x " + size +
			", but model " + file.getFileName() + " was trained on " + net.imageSize() + " x " + net.imageSize());
	}

	/** The bytes of a model's parameters (DJL format). */
	public static byte[] parameters(final ForecastNet model) {
		try {
			final ByteArrayOutputStream b = new ByteArrayOutputStream();
			try (DataOutputStream out = new DataOutputStream(b)) {
				model.block().saveParameters(out);
			}
			return b.toByteArray();
		}
		catch (final IOException e) {
			throw new IllegalStateException("cannot serialise the parameters", e);
		}
	}

	/** What an archive records of a training's log: the CSV and the loss curve. */
	public interface Log {
		/** The training log as CSV ({@value ModelArchive#LOG}). */
		String csv();

		/** The loss curve as PNG ({@value ModelArchive#CURVE}). */
		byte[] lossCurvePng();
	}

	/**
	 * Writes an archive atomically.
	 *
	 * @param training the training settings and summary (free-form JSON recorded under "training")
	 */
	public static void write(final Path file, final ForecastNet net, final byte[] weights, final JsonObject training,
		final Log log) throws IOException
	{
		final JsonObject j = new JsonObject();
		j.addProperty("format_version", FORMAT_VERSION);
		j.addProperty("architecture", net.architecture());
		j.add("hyper_parameters", net.hyperParameters());
		final JsonObject input = new JsonObject();
		input.addProperty("width", net.imageSize());
		input.addProperty("height", net.imageSize());
		if (net.spatialDims() == 3) input.addProperty("depth", net.depth());
		input.addProperty("channels", 1);
		input.addProperty("n_input_weeks", net.nPast());
		input.addProperty("normalisation", NORMALISATION);
		input.addProperty("value_range", "[0, 1]");
		j.add("input", input);
		final JsonObject engine = new JsonObject();
		engine.addProperty("djl", Engine.getDjlVersion());
		final Engine e = Engine.getInstance();
		engine.addProperty("engine", e.getEngineName());
		engine.addProperty("engine_version", e.getVersion());
		j.add("engine", engine);
		j.add("training", training == null ? new JsonObject() : training);
		final JsonObject w = new JsonObject();
		w.addProperty("file", WEIGHTS);
		w.addProperty("bytes", weights.length);
		w.addProperty("sha256", sha256(weights));
		j.add("weights", w);
		j.addProperty("software", "OsteoCast " + OsteoCast.VERSION);
		j.addProperty("created", Instant.now().toString());
		j.addProperty(JSON_SHA256, jsonSha256(j));
		AtomicFiles.writeStream(file, os -> {
			try (ZipOutputStream z = new ZipOutputStream(os)) {
				put(z, MODEL_JSON, GSON.toJson(j).getBytes(StandardCharsets.UTF_8));
				put(z, WEIGHTS, weights);
				if (log != null) {
					put(z, LOG, log.csv().getBytes(StandardCharsets.UTF_8));
					put(z, CURVE, log.lossCurvePng());
				}
			}
		});
	}

	private static void put(final ZipOutputStream z, final String name, final byte[] data) throws IOException {
		z.putNextEntry(new ZipEntry(name));
		z.write(data);
		z.closeEntry();
	}

	/** Reads and checks an archive. */
	public static ModelArchive read(final Path file) throws BadInputException {
		if (!Files.isRegularFile(file)) throw new BadInputException(file, "model file not found");
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final byte[] jb = entry(zip, MODEL_JSON, file);
			if (jb == null) throw new BadInputException(file, "has no " + MODEL_JSON + ": not an OsteoCast model archive");
			final JsonObject j;
			try {
				j = JsonParser.parseString(new String(jb, StandardCharsets.UTF_8)).getAsJsonObject();
			}
			catch (final JsonParseException | IllegalStateException e) {
				throw new BadInputException(file, MODEL_JSON + " is not valid JSON (" + e.getMessage() + ")");
			}
			if (!j.has("format_version")) throw new BadInputException(file, MODEL_JSON + " has no format_version");
			final int version = j.get("format_version").getAsInt();
			if (version > FORMAT_VERSION || version < 1) throw new BadInputException(file, "model format version " +
				version + " is not supported: this OsteoCast (" + OsteoCast.VERSION + ") reads versions 1.." +
				FORMAT_VERSION);
			if (version >= 2) {
				if (!j.has(JSON_SHA256)) throw new BadInputException(file, MODEL_JSON + " has no checksum (" + JSON_SHA256 +
					"): not written by OsteoCast, or edited");
				final String want = j.get(JSON_SHA256).getAsString(), got = jsonSha256(j);
				if (!want.equalsIgnoreCase(got)) throw new BadInputException(file, MODEL_JSON +
					" was changed after training (its SHA-256 does not match the one recorded in it): an edited " +
					"description would forecast with settings the weights were not trained for; retrain or use the " +
					"original archive");
			}
			final String arch = j.has("architecture") ? j.get("architecture").getAsString() : "(none)";
			if (!ForecastNets.architectures().contains(arch)) throw new BadInputException(file, "architecture '" + arch +
				"' is not supported by this OsteoCast (" + OsteoCast.VERSION + "; it knows " + String.join(", ",
					ForecastNets.architectures()) + ")");
			final ForecastNet cfg;
			try {
				cfg = ForecastNets.fromArchive(arch, j.getAsJsonObject("hyper_parameters"));
			}
			catch (final RuntimeException e) {
				throw new BadInputException(file, "bad hyper_parameters in " + MODEL_JSON + ": " + e.getMessage());
			}
			final JsonObject input = j.getAsJsonObject("input");
			if (input == null || !input.has("width") || input.get("width").getAsInt() != cfg.imageSize() || input.get(
				"height").getAsInt() != cfg.imageSize()) throw new BadInputException(file, "input size in " + MODEL_JSON +
					" does not match the architecture's image size " + cfg.imageSize());
			if (input.has("n_input_weeks") && input.get("n_input_weeks").getAsInt() != cfg.nPast())
				throw new BadInputException(file, "n_input_weeks disagrees with hyper_parameters.n_past");
			final byte[] weights = entry(zip, WEIGHTS, file);
			if (weights == null) throw new BadInputException(file, "has no " + WEIGHTS);
			final JsonObject w = j.getAsJsonObject("weights");
			if (w == null || !w.has("sha256")) throw new BadInputException(file, MODEL_JSON + " has no weights checksum");
			final String expected = w.get("sha256").getAsString(), actual = sha256(weights);
			if (!expected.equalsIgnoreCase(actual)) throw new BadInputException(file, "the weights are corrupt: SHA-256 " +
				actual + " does not match " + expected + " recorded in " + MODEL_JSON);
			final byte[] lb = entry(zip, LOG, file);
			return new ModelArchive(file, j, cfg, weights, lb == null ? "" : new String(lb, StandardCharsets.UTF_8));
		}
		catch (final ZipException e) {
			throw new BadInputException(file, "not a model archive, or truncated: the zip cannot be read (" + e
				.getMessage() + ")", e);
		}
		catch (final NoSuchFileException e) {
			throw new BadInputException(file, "model file not found", e);
		}
		catch (final BadInputException e) {
			throw e;
		}
		catch (final IOException e) {
			throw new BadInputException(file, "cannot read the model archive (" + e.getMessage() + ")", e);
		}
	}

	private static byte[] entry(final ZipFile zip, final String name, final Path file) throws BadInputException {
		final ZipEntry e = zip.getEntry(name);
		if (e == null) return null;
		try (InputStream in = zip.getInputStream(e)) {
			return in.readAllBytes();
		}
		catch (final IOException ex) {
			throw new BadInputException(file, name + " inside the archive is damaged or truncated (" + ex.getMessage() +
				")", ex);
		}
	}

	/**
	 * SHA-256 of {@code model.json} without its own checksum, in Gson's compact
	 * form of the parsed text (so that what was written and what is read hash
	 * alike: a NaN in the training summary, say, reads back as another kind of
	 * JSON value than the double it was written from).
	 */
	static String jsonSha256(final JsonObject j) {
		final JsonObject c = JsonParser.parseString(GSON.toJson(j)).getAsJsonObject();
		c.remove(JSON_SHA256);
		return sha256(COMPACT.toJson(c).getBytes(StandardCharsets.UTF_8));
	}

	/** SHA-256 of a whole file, as lower-case hex (the provenance of inputs and models). */
	public static String sha256(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			final MessageDigest md = MessageDigest.getInstance("SHA-256");
			final byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;)
				md.update(buf, 0, n);
			return hex(md.digest());
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	private static String hex(final byte[] d) {
		final StringBuilder b = new StringBuilder();
		for (final byte x : d)
			b.append(String.format("%02x", x & 0xff));
		return b.toString();
	}

	static String sha256(final byte[] data) {
		try {
			final byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
			final StringBuilder b = new StringBuilder();
			for (final byte x : d)
				b.append(String.format("%02x", x & 0xff));
			return b.toString();
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
