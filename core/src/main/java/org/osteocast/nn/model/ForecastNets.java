package org.osteocast.nn.model;

import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.convrnn.ConvLstm;
import org.osteocast.nn.convrnn.PredRnn;
import org.osteocast.nn.gan.Gan3d;
import org.osteocast.nn.gan.Gan3dConfig;
import org.osteocast.nn.tvae.Tvae3d;
import org.osteocast.nn.tvae.Tvae3dConfig;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;

/**
 * Every {@link ForecastNet} by name: the architectures that {@code model.json}
 * records, and the presets that {@code osteocast train --arch} and the
 * benchmark offer (an architecture plus hyper-parameters, e.g.
 * {@code tvae2d-mse} = {@code tvae2d} with λ = 0).
 */
public final class ForecastNets {

	private ForecastNets() {}

	private static final Map<String, Function<JsonObject, ForecastNet>> ARCHITECTURES = new LinkedHashMap<>();
	private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

	/** A named configuration: an architecture and the hyper-parameters that define it. */
	public static final class Preset {
		public final String name, architecture, description;
		private final JsonObject hyper;

		Preset(final String name, final String architecture, final JsonObject hyper, final String description) {
			this.name = name;
			this.architecture = architecture;
			this.hyper = hyper;
			this.description = description;
		}

		/** The preset's own hyper-parameters (a copy). */
		public JsonObject hyperParameters() {
			return hyper.deepCopy();
		}

		/**
		 * Creates the model: {@code common} (image size, n_past, depth and
		 * whatever the user set) overlaid by the preset's defining keys.
		 */
		public ForecastNet create(final JsonObject common) {
			final JsonObject h = common == null ? new JsonObject() : common.deepCopy();
			for (final String k : hyper.keySet())
				h.add(k, hyper.get(k));
			return ForecastNets.create(architecture, h);
		}
	}

	static {
		architecture(TvaeConfig.ARCHITECTURE, h -> new Tvae(TvaeConfig.fromJson(h)));
		architecture(ReferenceForecast.PERSISTENCE, h -> new ReferenceForecast(ReferenceForecast.PERSISTENCE, h));
		architecture(ReferenceForecast.LINEAR, h -> new ReferenceForecast(ReferenceForecast.LINEAR, h));
		architecture(ConvLstm.ARCHITECTURE, ConvLstm::fromJson);
		architecture(PredRnn.ARCHITECTURE, PredRnn::fromJson);
		preset("tvae2d", TvaeConfig.ARCHITECTURE, json(),
			"T-VAE 2-D, edge-aware loss (the paper's model, OsteoCast's defaults: residual output clamped to [0, 1], per-pixel variance output)");
		preset("tvae2d-latent", TvaeConfig.ARCHITECTURE, json("pixel_variance", false),
			"T-VAE 2-D without the per-pixel variance: uncertainty from the latent samples only");
		preset("tvae2d-mse", TvaeConfig.ARCHITECTURE, json("lambda", 0), "T-VAE 2-D, plain MSE loss");
		preset("tvae2d-svglp", TvaeConfig.ARCHITECTURE, json("output", "sigmoid", "free_bits", 0, "pixel_variance", false),
			"T-VAE 2-D by the book (SVG-LP): sigmoid output, no free bits, no per-pixel variance");
		preset("tvae2d-logit", TvaeConfig.ARCHITECTURE, json("output", "residual_logit"),
			"T-VAE 2-D, residual output through a sigmoid in logit space");
		preset("convlstm", ConvLstm.ARCHITECTURE, json("lambda", 0), "ConvLSTM (Shi et al. 2015), 2 layers, MSE loss");
		preset("predrnn", PredRnn.ARCHITECTURE, json("lambda", 0),
			"PredRNN (Wang et al. 2017), 4 ST-LSTM layers, MSE loss");
		architecture(Tvae3dConfig.ARCHITECTURE, h -> new Tvae3d(Tvae3dConfig.fromJson(h)));
		preset("tvae3d-dcgan", Tvae3dConfig.ARCHITECTURE, json("style", "dcgan"),
			"T-VAE 3-D on whole volumes, DCGAN encoder-decoder (no skips), edge-aware loss");
		preset("tvae3d-unet", Tvae3dConfig.ARCHITECTURE, json("style", "unet"),
			"T-VAE 3-D on whole volumes, U-Net skips from the last observed week, edge-aware loss");
		preset("tvae3d-dcgan-mse", Tvae3dConfig.ARCHITECTURE, json("style", "dcgan", "lambda", 0),
			"T-VAE 3-D, DCGAN encoder-decoder, plain MSE loss");
		preset("tvae3d-unet-mse", Tvae3dConfig.ARCHITECTURE, json("style", "unet", "lambda", 0),
			"T-VAE 3-D, U-Net skips, plain MSE loss");
		architecture(Gan3dConfig.ARCHITECTURE, h -> new Gan3d(Gan3dConfig.fromJson(h)));
		preset("gan3d", Gan3dConfig.ARCHITECTURE, json(),
			"3-D conditional GAN: U-Net generator, PatchGAN discriminator, edge-aware reconstruction");
		architecture(org.osteocast.nn.simvp.SimVpConfig.ARCHITECTURE, h -> new org.osteocast.nn.simvp.SimVp(
			org.osteocast.nn.simvp.SimVpConfig.fromJson(h)));
		preset("simvp", org.osteocast.nn.simvp.SimVpConfig.ARCHITECTURE, json("z_dim", 0, "pixel_variance", false),
			"SimVP (Gao et al. 2022) with the gSTA translator, edge-aware loss, deterministic");
		preset("simvp-vae", org.osteocast.nn.simvp.SimVpConfig.ARCHITECTURE, json("z_dim", 16, "pixel_variance", true, "beta",
			0.01), "SimVP-gSTA with a learned prior and posterior over a latent entering the translator (KL weight 0.01 per grid cell), and a per-pixel variance");
		preset("persistence", ReferenceForecast.PERSISTENCE, json(), "copy the last observed week");
		preset("linear", ReferenceForecast.LINEAR, json(), "linear extrapolation of the last two weeks");
	}

	/** Registers an architecture (its factory reads the keys it knows, defaults for the others). */
	static void architecture(final String name, final Function<JsonObject, ForecastNet> factory) {
		ARCHITECTURES.put(name, factory);
	}

	static void preset(final String name, final String architecture, final JsonObject hyper,
		final String description)
	{
		PRESETS.put(name, new Preset(name, architecture, hyper, description));
	}

	/** A small JSON object from key, value pairs. */
	public static JsonObject json(final Object... kv) {
		final JsonObject o = new JsonObject();
		for (int i = 0; i < kv.length; i += 2) {
			final Object v = kv[i + 1];
			if (v instanceof Number) o.addProperty((String) kv[i], (Number) v);
			else if (v instanceof Boolean) o.addProperty((String) kv[i], (Boolean) v);
			else o.addProperty((String) kv[i], String.valueOf(v));
		}
		return o;
	}

	/**
	 * Hyper-parameters whose default changed after archives of that
	 * architecture were first written, with the value those archives imply:
	 * an archive without {@code pixel_variance} predates the T-VAE's variance
	 * head (and has no weights for it), so it reads as false.
	 */
	private static final Map<String, JsonObject> ARCHIVE_DEFAULTS = Map.of(TvaeConfig.ARCHITECTURE, json(
		"pixel_variance", false));

	/** Builds an architecture from an archive's {@code model.json} hyper-parameters (see {@link #ARCHIVE_DEFAULTS}). */
	public static ForecastNet fromArchive(final String architecture, final JsonObject hyper) {
		final JsonObject h = hyper == null ? new JsonObject() : hyper.deepCopy();
		final JsonObject old = ARCHIVE_DEFAULTS.get(architecture);
		if (old != null) for (final String k : old.keySet())
			if (!h.has(k)) h.add(k, old.get(k));
		return create(architecture, h);
	}

	/** Builds an architecture from {@code model.json}'s hyper-parameters. */
	public static ForecastNet create(final String architecture, final JsonObject hyper) {
		final Function<JsonObject, ForecastNet> f = ARCHITECTURES.get(architecture);
		if (f == null) throw new IllegalArgumentException("unknown architecture '" + architecture + "' (known: " + String
			.join(", ", ARCHITECTURES.keySet()) + ")");
		return f.apply(hyper == null ? new JsonObject() : hyper);
	}

	public static List<String> architectures() {
		return Collections.unmodifiableList(new ArrayList<>(ARCHITECTURES.keySet()));
	}

	/** The presets, in the order the benchmark lists them. */
	public static List<Preset> presets() {
		return Collections.unmodifiableList(new ArrayList<>(PRESETS.values()));
	}

	public static Preset preset(final String name) {
		final Preset p = PRESETS.get(name.trim().toLowerCase(Locale.ROOT));
		if (p == null) throw new IllegalArgumentException("unknown model '" + name + "' (choose one of: " + String.join(
			", ", PRESETS.keySet()) + ")");
		return p;
	}
}
