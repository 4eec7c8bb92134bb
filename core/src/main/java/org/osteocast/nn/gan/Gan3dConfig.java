package org.osteocast.nn.gan;

import com.google.gson.JsonObject;

import org.osteocast.nn.ForecastConfig;
import org.osteocast.nn.blocks.Conv3dDepthPad;
import org.osteocast.nn.blocks.FrameOutput;

/**
 * Hyper-parameters of the 3-D conditional GAN ({@link Gan3d}), immutable, as
 * recorded in {@code model.json} under architecture {@value #ARCHITECTURE}.
 * {@code nf} (default 16, as the 3-D T-VAE: CPU budget) sets both networks'
 * widths; {@code lambda}/{@code sigma} the edge-aware reconstruction
 * (as the T-VAE's); {@code adv_weight} the adversarial term's weight in the
 * generator's objective (0.01: the reconstruction leads, the adversary
 * sharpens; pix2pix weighs L1 100 : 1 against its adversarial term).
 */
public final class Gan3dConfig extends ForecastConfig {

	public static final String ARCHITECTURE = "gan3d";

	public final int depth, nf;
	public final FrameOutput output;
	public final double advWeight;

	private Gan3dConfig(final Builder b) {
		super(b);
		depth = b.depth;
		nf = b.nf;
		output = b.output;
		advWeight = b.advWeight;
		levels(imageSize); // validates the image size
		if (depth < 1) throw new IllegalArgumentException("depth must be at least 1 slice, not " + depth);
		if (nPast < 1) throw new IllegalArgumentException("n_past must be at least 1, not " + nPast);
		if (nf < 1) throw new IllegalArgumentException("nf must be positive, not " + nf);
		if (lambda < 0 || sigma <= 0 || advWeight < 0) throw new IllegalArgumentException(
			"need lambda >= 0, sigma > 0, adv_weight >= 0");
	}

	@Override
	public String architecture() {
		return ARCHITECTURE;
	}

	@Override
	public int depth() {
		return depth;
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
		return channels(nf, level);
	}

	/** Channels of levels 1 to {@code n}. */
	int[] channelsUpTo(final int n) {
		final int[] c = new int[n];
		for (int l = 1; l <= n; l++)
			c[l - 1] = channels(l);
		return c;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder().optImageSize(imageSize).optDepth(depth).optNPast(nPast).optNf(nf).optOutput(output)
			.optLambda(lambda).optSigma(sigma).optAdvWeight(advWeight);
	}

	/** As JSON (snake_case keys) for model.json. */
	@Override
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", imageSize);
		o.addProperty("depth", depth);
		o.addProperty("n_past", nPast);
		o.addProperty("nf", nf);
		o.addProperty("output", output.label());
		putEdgeLoss(o);
		o.addProperty("adv_weight", advWeight);
		return o;
	}

	/** Reads {@link #toJson()}'s form; missing keys keep their defaults, unknown keys are ignored. */
	public static Gan3dConfig fromJson(final JsonObject o) {
		final Builder b = builder().read(o);
		if (o.has("depth")) b.optDepth(o.get("depth").getAsInt());
		if (o.has("nf")) b.optNf(o.get("nf").getAsInt());
		if (o.has("output")) b.optOutput(FrameOutput.parse(o.get("output").getAsString()));
		if (o.has("adv_weight")) b.optAdvWeight(o.get("adv_weight").getAsDouble());
		return b.build();
	}

	/** Builder; every setting is optional ({@code opt*}) with the default above. */
	public static final class Builder extends ForecastConfig.Builder<Builder> {
		private int depth = 48, nf = 16;
		private FrameOutput output = FrameOutput.SIGMOID;
		private double advWeight = 0.01;

		@Override
		protected Builder self() {
			return this;
		}

		public Builder optDepth(final int v) {
			depth = v;
			return this;
		}

		public Builder optNf(final int v) {
			nf = v;
			return this;
		}

		public Builder optOutput(final FrameOutput v) {
			output = v;
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
