package org.osteocast.nn;

import com.google.gson.JsonObject;

/**
 * Hyper-parameters of the 3-D conditional GAN ({@link Gan3d}), immutable, as
 * recorded in {@code model.json} under architecture {@value #ARCHITECTURE}.
 * {@code nf} (default 16, as the 3-D T-VAE: CPU budget) sets both networks'
 * widths; {@code lambda}/{@code sigma} the edge-aware reconstruction
 * (as the T-VAE's); {@code adv_weight} the adversarial term's weight in the
 * generator's objective (0.01: the reconstruction leads, the adversary
 * sharpens; pix2pix weighs L1 100 : 1 against its adversarial term).
 */
public final class Gan3dConfig {

	public static final String ARCHITECTURE = "gan3d";

	public final int imageSize, depth, nPast, nf;
	public final TvaeConfig.Output output;
	public final double lambda, sigma, advWeight;

	private Gan3dConfig(final Builder b) {
		imageSize = b.imageSize;
		depth = b.depth;
		nPast = b.nPast;
		nf = b.nf;
		output = b.output;
		lambda = b.lambda;
		sigma = b.sigma;
		advWeight = b.advWeight;
		TvaeConfig.levels(imageSize); // validates the image size
		if (depth < 1) throw new IllegalArgumentException("depth must be at least 1 slice, not " + depth);
		if (nPast < 1) throw new IllegalArgumentException("n_past must be at least 1, not " + nPast);
		if (nf < 1) throw new IllegalArgumentException("nf must be positive, not " + nf);
		if (lambda < 0 || sigma <= 0 || advWeight < 0) throw new IllegalArgumentException(
			"need lambda >= 0, sigma > 0, adv_weight >= 0");
	}

	/** Generator levels: in-plane down to 4 × 4 ({@link TvaeConfig#levels(int)}). */
	public int levels() {
		return TvaeConfig.levels(imageSize);
	}

	/** Discriminator stride-2 layers: at most 3 (a PatchGAN's local receptive field), fewer for tiny images. */
	public int discriminatorLevels() {
		return Math.min(3, levels());
	}

	/** Depth the networks work at ({@link Conv3dDepthPad}). */
	public int paddedDepth() {
		return Conv3dDepthPad.paddedDepth(depth, levels());
	}

	/** Channels of level {@code level} (1-based): nf, 2nf, 4nf, 8nf, 8nf, … */
	public int channels(final int level) {
		return nf << Math.min(level - 1, 3);
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder().optImageSize(imageSize).optDepth(depth).optNPast(nPast).optNf(nf).optOutput(output)
			.optLambda(lambda).optSigma(sigma).optAdvWeight(advWeight);
	}

	/** As JSON (snake_case keys) for model.json. */
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", imageSize);
		o.addProperty("depth", depth);
		o.addProperty("n_past", nPast);
		o.addProperty("nf", nf);
		o.addProperty("output", output.label());
		o.addProperty("lambda", lambda);
		o.addProperty("sigma", sigma);
		o.addProperty("adv_weight", advWeight);
		return o;
	}

	/** Reads {@link #toJson()}'s form; missing keys keep their defaults, unknown keys are ignored. */
	public static Gan3dConfig fromJson(final JsonObject o) {
		final Builder b = builder();
		if (o.has("image_size")) b.optImageSize(o.get("image_size").getAsInt());
		if (o.has("depth")) b.optDepth(o.get("depth").getAsInt());
		if (o.has("n_past")) b.optNPast(o.get("n_past").getAsInt());
		if (o.has("nf")) b.optNf(o.get("nf").getAsInt());
		if (o.has("output")) b.optOutput(TvaeConfig.Output.parse(o.get("output").getAsString()));
		if (o.has("lambda")) b.optLambda(o.get("lambda").getAsDouble());
		if (o.has("sigma")) b.optSigma(o.get("sigma").getAsDouble());
		if (o.has("adv_weight")) b.optAdvWeight(o.get("adv_weight").getAsDouble());
		return b.build();
	}

	@Override
	public String toString() {
		return ARCHITECTURE + toJson();
	}

	/** Builder; every setting is optional ({@code opt*}) with the default above. */
	public static final class Builder {
		private int imageSize = 64, depth = 48, nPast = 3, nf = 16;
		private TvaeConfig.Output output = TvaeConfig.Output.SIGMOID;
		private double lambda = 1.0, sigma = 1.0, advWeight = 0.01;

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

		public Builder optNf(final int v) {
			nf = v;
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

		public Builder optAdvWeight(final double v) {
			advWeight = v;
			return this;
		}

		public Gan3dConfig build() {
			return new Gan3dConfig(this);
		}
	}
}
