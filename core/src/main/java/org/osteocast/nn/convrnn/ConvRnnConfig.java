package org.osteocast.nn.convrnn;

import com.google.gson.JsonObject;

import org.osteocast.nn.ForecastConfig;

/**
 * The hyper-parameters of the recurrent baselines ({@link ConvLstm},
 * {@link PredRnn}), immutable, as recorded in {@code model.json}:
 * {@code image_size}, {@code n_past}, {@code patch} (space-to-depth patch
 * side), {@code hidden} (state channels of every layer), {@code layers},
 * {@code kernel} (odd side of the recurrent convolutions), and the loss's
 * {@code lambda} and {@code sigma} (edge weight {@code 1 + λ·G_σ(week 1)};
 * λ = 0 is the baselines' own MSE).
 * <p>
 * Defaults follow PredRNN's reference scripts (patch 4, 64 hidden channels,
 * 5 × 5 kernels; 4 layers for PredRNN) and 2 layers for ConvLSTM, the
 * architecture's usual encoder depth (Shi et al. 2015 use 2–3 layers).
 */
public final class ConvRnnConfig extends ForecastConfig {

	public final String architecture;
	public final int patch, hidden, layers, kernel;

	/** Checks every value; see the class notes for their meaning. */
	public ConvRnnConfig(final String architecture, final int imageSize, final int nPast, final int patch,
		final int hidden, final int layers, final int kernel, final double lambda, final double sigma)
	{
		super(imageSize, nPast, lambda, sigma);
		this.architecture = architecture;
		this.patch = patch;
		this.hidden = hidden;
		this.layers = layers;
		this.kernel = kernel;
		if (patch < 1 || imageSize < 1 || imageSize % patch != 0) throw new IllegalArgumentException(architecture +
			": the patch size " + patch + " must divide the image size " + imageSize);
		if (nPast < 1) throw new IllegalArgumentException(architecture + ": n_past must be at least 1, not " + nPast);
		if (hidden < 1 || layers < 1) throw new IllegalArgumentException(architecture +
			": hidden channels and layers must be positive");
		if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException(architecture + ": kernel must be odd, not " +
			kernel);
		if (!(lambda >= 0) || !(sigma > 0)) throw new IllegalArgumentException(architecture +
			": need lambda >= 0 and sigma > 0");
	}

	/**
	 * Reads {@link #toJson()}'s keys; missing keys take the defaults (image 64,
	 * 3 past weeks, patch 4, hidden 64, {@code defaultLayers}, kernel 5, λ 0, σ 2).
	 */
	public static ConvRnnConfig fromJson(final String architecture, final int defaultLayers, final JsonObject o) {
		return new ConvRnnConfig(architecture, i(o, "image_size", 64), i(o, "n_past", 3), i(o, "patch", 4), i(o, "hidden",
			64), i(o, "layers", defaultLayers), i(o, "kernel", 5), d(o, "lambda", 0), d(o, "sigma", 2));
	}

	private static int i(final JsonObject o, final String k, final int def) {
		return o != null && o.has(k) ? o.get(k).getAsInt() : def;
	}

	private static double d(final JsonObject o, final String k, final double def) {
		return o != null && o.has(k) ? o.get(k).getAsDouble() : def;
	}

	@Override
	public String architecture() {
		return architecture;
	}

	/** Every hyper-parameter, snake_case. */
	@Override
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", imageSize);
		o.addProperty("n_past", nPast);
		o.addProperty("patch", patch);
		o.addProperty("hidden", hidden);
		o.addProperty("layers", layers);
		o.addProperty("kernel", kernel);
		putEdgeLoss(o);
		return o;
	}

	/** Channels of a patched frame, {@code patch²}. */
	public int frameChannels() {
		return patch * patch;
	}

	/** Side of the patched grid the recurrent cells work on, {@code image_size / patch}. */
	public int gridSize() {
		return imageSize / patch;
	}
}
