package org.osteocast.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.VolumeIOException;

/**
 * Reads the probabilistic part of the prediction contract for scoring:
 * {@code <mouse>_uncertainty.tif} (per predicted week two frames, P(bone) then
 * the per-pixel standard deviation of the samples) and the per-mouse settings
 * in {@code prediction.json} ({@code bone_threshold_otsu},
 * {@code observed_weeks}). Kept apart from the scoring so that the benchmark
 * and the cohort evaluation read these files one way.
 */
public final class PredictionUncertainty {

	/** File name suffix of the uncertainty hyperstack. */
	public static final String SUFFIX = "_uncertainty.tif";

	/** The predictor's settings file in a prediction folder. */
	public static final String PREDICTION_JSON = "prediction.json";

	private PredictionUncertainty() {}

	/** What {@code prediction.json} says about one mouse. */
	public static final class MouseInfo {
		/** The bone threshold the predictor used for P(bone) (NaN if not recorded). */
		public final double boneThreshold;
		/** Observed weeks the forecast conditioned on (-1 if not recorded). */
		public final int observedWeeks;
		/** SHA-256 of the input hyperstack the forecast was made from (null if not recorded). */
		public final String inputSha256;

		public MouseInfo(final double boneThreshold, final int observedWeeks) {
			this(boneThreshold, observedWeeks, null);
		}

		public MouseInfo(final double boneThreshold, final int observedWeeks, final String inputSha256) {
			this.boneThreshold = boneThreshold;
			this.observedWeeks = observedWeeks;
			this.inputSha256 = inputSha256;
		}
	}

	/** P(bone) and SD planes ({@code [slice][pixel]}) of the first predicted week. */
	public static final class Planes {
		public final float[][] boneProbability, sd;

		public Planes(final float[][] boneProbability, final float[][] sd) {
			this.boneProbability = boneProbability;
			this.sd = sd;
		}
	}

	/** The uncertainty file of a mouse in a prediction folder (same name rule as the forecasts). */
	public static Path file(final Path predictionDir, final String mouse) {
		return predictionDir.resolve(mouse.replaceAll("[^A-Za-z0-9._-]", "_") + SUFFIX);
	}

	/**
	 * Reads the first predicted week's P(bone) (frame 1) and SD (frame 2) and
	 * checks them against the truth's geometry and ranges.
	 *
	 * @throws VolumeIOException naming the file, if it is unreadable, of the
	 *           wrong size, has an odd number of frames, or holds a probability
	 *           outside [0, 1] or a negative or non-finite SD
	 */
	public static Planes read(final Path file, final int width, final int height, final int slices)
		throws VolumeIOException
	{
		final Hyperstack u = Hyperstack.read(file);
		if (u.width() != width || u.height() != height || u.slices() != slices) throw new VolumeIOException(file, "is " +
			u.width() + " x " + u.height() + " x " + u.slices() + " but the data set's slices are " + width + " x " +
			height + " x " + slices);
		if (u.frames() < 2 || u.frames() % 2 != 0) throw new VolumeIOException(file, "has " + u.frames() +
			" frame(s); expected two per predicted week (P(bone), SD)");
		final float[][] p = u.planes(0), sd = u.planes(1);
		for (int z = 0; z < slices; z++)
			for (int i = 0; i < p[z].length; i++) {
				if (!(p[z][i] >= 0 && p[z][i] <= 1)) throw new VolumeIOException(file, "P(bone) " + p[z][i] + " at slice " +
					(z + 1) + " is not in [0, 1]");
				if (!(sd[z][i] >= 0 && sd[z][i] < Float.POSITIVE_INFINITY)) throw new VolumeIOException(file, "SD " + sd[z][i] +
					" at slice " + (z + 1) + " is not a finite value >= 0");
			}
		return new Planes(p, sd);
	}

	/**
	 * The per-mouse entries of {@code prediction.json} in a prediction folder;
	 * empty when there is no such file (older outputs, other forecasters).
	 *
	 * @throws VolumeIOException if the file exists but is not the predictor's JSON
	 */
	public static Map<String, MouseInfo> mice(final Path predictionDir) throws VolumeIOException {
		final Path f = predictionDir.resolve(PREDICTION_JSON);
		final Map<String, MouseInfo> out = new LinkedHashMap<>();
		if (!Files.isRegularFile(f)) return out;
		try {
			final JsonElement root = JsonParser.parseString(Files.readString(f));
			if (!root.isJsonObject()) throw new VolumeIOException(f, "is not a JSON object");
			final JsonElement mice = root.getAsJsonObject().get("mice");
			if (mice == null) return out;
			if (!mice.isJsonArray()) throw new VolumeIOException(f, "'mice' is not an array");
			for (final JsonElement e : (JsonArray) mice) {
				if (!e.isJsonObject()) throw new VolumeIOException(f, "an entry of 'mice' is not an object");
				final JsonObject m = e.getAsJsonObject();
				if (!m.has("mouse")) throw new VolumeIOException(f, "an entry of 'mice' has no 'mouse'");
				final double t = m.has("bone_threshold_otsu") ? m.get("bone_threshold_otsu").getAsDouble() : Double.NaN;
				final int n = m.has("observed_weeks") ? m.get("observed_weeks").getAsInt() : -1;
				out.put(m.get("mouse").getAsString(), new MouseInfo(t, n, m.has("input_sha256") ? m.get("input_sha256")
					.getAsString() : null));
			}
			return out;
		}
		catch (final VolumeIOException e) {
			throw e;
		}
		catch (final IOException | RuntimeException e) {
			throw new VolumeIOException(f, "cannot be read as the predictor's JSON (" + e.getMessage() + ")");
		}
	}

	/**
	 * Otsu's threshold of the observed weeks {@code 1..observed} together: the
	 * predictor's own rule, used when {@code prediction.json} does not record
	 * the threshold.
	 */
	public static double otsuOfObserved(final Hyperstack h, final int observed) {
		final float[][] planes = new float[observed * h.slices()][];
		for (int w = 0; w < observed; w++)
			for (int z = 0; z < h.slices(); z++)
				planes[w * h.slices() + z] = h.plane(z, w);
		return org.osteocast.core.Otsu.threshold(planes);
	}
}
