package org.osteocast.nn;

import com.google.gson.JsonObject;

import java.util.Locale;

/**
 * Every hyper-parameter of the 3-D T-VAE ({@link Tvae3d}), immutable, as
 * recorded in {@code model.json} under architecture {@value #ARCHITECTURE}.
 * The keys are those of the 2-D {@link TvaeConfig} that apply, plus
 * {@code depth} (slices per volume, set by the caller from the data) and
 * {@code style}. Defaults follow the paper / SVG-LP except {@code nf}: 16
 * rather than 64, because 3-D convolutions on whole 48 × 64 × 64 volumes
 * cost about {@code 48×} a slice and the model must train on a CPU. The
 * default style is {@code unet}, the 3-D analogue of the 2-D model (whose
 * decoder has skips at every level); the presets name the style explicitly.
 */
public final class Tvae3dConfig {

	public static final String ARCHITECTURE = "tvae3d";

	/** Which encoder-decoder: SVG-LP's DCGAN pair (no skips) or a U-Net (skips at every level). */
	public enum Style {
		/**
		 * SVG-LP's {@code dcgan} encoder and decoder with no skip connections:
		 * every forecast voxel comes through the {@code g_dim} bottleneck and the
		 * frame predictor (only the output parametrisation may use the last
		 * observed week, see {@link TvaeConfig.Output}).
		 */
		DCGAN,
		/** The same blocks with the last observed week's encoder features concatenated at every decoder level. */
		UNET;

		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Style parse(final String s) {
			try {
				return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("unknown style '" + s + "' (choose dcgan or unet)");
			}
		}
	}

	public final int imageSize, depth, nPast, nf, gDim, zDim, rnnSize, predictorLayers, posteriorLayers, priorLayers;
	public final Style style;
	public final TvaeConfig.Output output;
	/** Edge-aware loss weight λ (0 = plain MSE) and the per-slice Gaussian σ in pixels. */
	public final double lambda, sigma;
	/** KL weight β and free bits per latent dimension (nats, 0 = off). */
	public final double beta, freeBits;

	private Tvae3dConfig(final Builder b) {
		imageSize = b.imageSize;
		depth = b.depth;
		nPast = b.nPast;
		nf = b.nf;
		gDim = b.gDim;
		zDim = b.zDim;
		rnnSize = b.rnnSize;
		predictorLayers = b.predictorLayers;
		posteriorLayers = b.posteriorLayers;
		priorLayers = b.priorLayers;
		style = b.style;
		output = b.output;
		lambda = b.lambda;
		sigma = b.sigma;
		beta = b.beta;
		freeBits = b.freeBits;
		TvaeConfig.levels(imageSize); // validates the image size
		if (depth < 1) throw new IllegalArgumentException("depth must be at least 1 slice, not " + depth);
		if (nf < 1 || gDim < 1 || zDim < 1 || rnnSize < 1 || predictorLayers < 1 || posteriorLayers < 1 ||
			priorLayers < 1) throw new IllegalArgumentException("sizes and layer counts must be positive");
		if (nPast < 1) throw new IllegalArgumentException("n_past must be at least 1, not " + nPast);
		if (lambda < 0 || sigma <= 0 || beta < 0 || freeBits < 0) throw new IllegalArgumentException(
			"need lambda >= 0, sigma > 0, beta >= 0, free bits >= 0");
	}

	/** Stride-2 levels: in-plane down to 4 × 4, as the 2-D model ({@link TvaeConfig#levels(int)}). */
	public int levels() {
		return TvaeConfig.levels(imageSize);
	}

	/** Depth the network works at: {@code depth} padded to a multiple of {@code 2^levels} ({@link Conv3dDepthPad}). */
	public int paddedDepth() {
		return Conv3dDepthPad.paddedDepth(depth, levels());
	}

	/** Depth of the coarsest feature map (3 for the paper's 48 slices). */
	public int coarseDepth() {
		return paddedDepth() >> levels();
	}

	/** Channels of encoder level {@code level} (1-based): nf, 2nf, 4nf, 8nf, 8nf, … */
	public int channels(final int level) {
		return nf << Math.min(level - 1, 3);
	}

	public boolean skips() {
		return style == Style.UNET;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder().optImageSize(imageSize).optDepth(depth).optNPast(nPast).optNf(nf).optGDim(gDim).optZDim(
			zDim).optRnnSize(rnnSize).optPredictorLayers(predictorLayers).optPosteriorLayers(posteriorLayers)
			.optPriorLayers(priorLayers).optStyle(style).optOutput(output).optLambda(lambda).optSigma(sigma).optBeta(beta)
			.optFreeBits(freeBits);
	}

	/** As JSON (snake_case keys) for model.json. */
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", imageSize);
		o.addProperty("depth", depth);
		o.addProperty("n_past", nPast);
		o.addProperty("style", style.label());
		o.addProperty("nf", nf);
		o.addProperty("g_dim", gDim);
		o.addProperty("z_dim", zDim);
		o.addProperty("rnn_size", rnnSize);
		o.addProperty("predictor_layers", predictorLayers);
		o.addProperty("posterior_layers", posteriorLayers);
		o.addProperty("prior_layers", priorLayers);
		o.addProperty("output", output.label());
		o.addProperty("lambda", lambda);
		o.addProperty("sigma", sigma);
		o.addProperty("beta", beta);
		o.addProperty("free_bits", freeBits);
		return o;
	}

	/** Reads {@link #toJson()}'s form; missing keys keep their defaults, unknown keys are ignored. */
	public static Tvae3dConfig fromJson(final JsonObject o) {
		final Builder b = builder();
		if (o.has("image_size")) b.optImageSize(o.get("image_size").getAsInt());
		if (o.has("depth")) b.optDepth(o.get("depth").getAsInt());
		if (o.has("n_past")) b.optNPast(o.get("n_past").getAsInt());
		if (o.has("style")) b.optStyle(Style.parse(o.get("style").getAsString()));
		if (o.has("nf")) b.optNf(o.get("nf").getAsInt());
		if (o.has("g_dim")) b.optGDim(o.get("g_dim").getAsInt());
		if (o.has("z_dim")) b.optZDim(o.get("z_dim").getAsInt());
		if (o.has("rnn_size")) b.optRnnSize(o.get("rnn_size").getAsInt());
		if (o.has("predictor_layers")) b.optPredictorLayers(o.get("predictor_layers").getAsInt());
		if (o.has("posterior_layers")) b.optPosteriorLayers(o.get("posterior_layers").getAsInt());
		if (o.has("prior_layers")) b.optPriorLayers(o.get("prior_layers").getAsInt());
		if (o.has("output")) b.optOutput(TvaeConfig.Output.parse(o.get("output").getAsString()));
		if (o.has("lambda")) b.optLambda(o.get("lambda").getAsDouble());
		if (o.has("sigma")) b.optSigma(o.get("sigma").getAsDouble());
		if (o.has("beta")) b.optBeta(o.get("beta").getAsDouble());
		if (o.has("free_bits")) b.optFreeBits(o.get("free_bits").getAsDouble());
		return b.build();
	}

	@Override
	public String toString() {
		return ARCHITECTURE + toJson();
	}

	/** Builder; every setting is optional ({@code opt*}) with the default above. */
	public static final class Builder {
		private int imageSize = 64, depth = 48, nPast = 3, nf = 16, gDim = 128, zDim = 10, rnnSize = 256,
				predictorLayers = 2, posteriorLayers = 1, priorLayers = 1;
		private Style style = Style.UNET;
		// as the 2-D T-VAE's default: the decoder predicts the change from the last observed week
		private TvaeConfig.Output output = TvaeConfig.Output.RESIDUAL_LOGIT;
		private double lambda = 1.0, sigma = 1.0, beta = 1e-4, freeBits = 0;

		public Builder optImageSize(final int v) {
			imageSize = v;
			return this;
		}

		public Builder optDepth(final int v) {
			depth = v;
			return this;
		}

		public Builder optNPast(final int v) {
			nPast = v;
			return this;
		}

		public Builder optStyle(final Style v) {
			style = v;
			return this;
		}

		public Builder optNf(final int v) {
			nf = v;
			return this;
		}

		public Builder optGDim(final int v) {
			gDim = v;
			return this;
		}

		public Builder optZDim(final int v) {
			zDim = v;
			return this;
		}

		public Builder optRnnSize(final int v) {
			rnnSize = v;
			return this;
		}

		public Builder optPredictorLayers(final int v) {
			predictorLayers = v;
			return this;
		}

		public Builder optPosteriorLayers(final int v) {
			posteriorLayers = v;
			return this;
		}

		public Builder optPriorLayers(final int v) {
			priorLayers = v;
			return this;
		}

		public Builder optOutput(final TvaeConfig.Output v) {
			output = v;
			return this;
		}

		public Builder optLambda(final double v) {
			lambda = v;
			return this;
		}

		public Builder optSigma(final double v) {
			sigma = v;
			return this;
		}

		public Builder optBeta(final double v) {
			beta = v;
			return this;
		}

		public Builder optFreeBits(final double v) {
			freeBits = v;
			return this;
		}

		public Tvae3dConfig build() {
			return new Tvae3dConfig(this);
		}
	}
}
