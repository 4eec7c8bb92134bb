package org.osteocast.nn.simvp;

import com.google.gson.JsonObject;

import java.util.Locale;

import org.osteocast.nn.ForecastConfig;

/**
 * Every hyper-parameter of {@link SimVp}, immutable, recorded in
 * {@code model.json}. Defaults follow SimVP (Gao et al. 2022) with the gSTA
 * translator of SimVP-v2 as OpenSTL configures it for 64 × 64 frames, scaled
 * to a CPU: a 4-block encoder of {@code hid_s} = 32 channels (strides 1, 2,
 * 1, 2, so 64 × 64 → 16 × 16), 4 gSTA blocks of {@code hid_t} = 128 channels,
 * MLP ratio 4, the edge-aware weight λ = 1, σ = 1 px.
 * <p>
 * {@code z_dim} &gt; 0 makes the model stochastic: a Gaussian latent of
 * {@code z_dim} channels at the translator's resolution, from a learned prior
 * (given the observed weeks) and a posterior (also given the target week) in
 * training, enters the translator beside the observed weeks' features.
 * {@code pixel_variance} adds a per-pixel log-variance output; its head shares
 * the decoder's last block ({@code variance_head} = {@code shared}) or has a
 * last block of its own ({@code separate}). {@code z_samples} posterior
 * samples per sequence in training, scored by their mean loss ({@code mean})
 * or by the best one ({@code best_of_k}).
 */
public final class SimVpConfig extends ForecastConfig {

	public static final String ARCHITECTURE = "simvp";

	/** Where the variance head reads from. */
	public enum VarianceHead {
		/** A second read-out channel of the decoder's last block. */
		SHARED,
		/** A last decoder block of its own, beside the forecast's. */
		SEPARATE;

		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static VarianceHead parse(final String s) {
			return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
	}

	/** How several posterior samples of one sequence enter the loss. */
	public enum LatentObjective {
		/** The mean of their losses (a K-sample Monte-Carlo ELBO). */
		MEAN,
		/** The smallest of their reconstruction losses per sequence (best-of-K, as in Bhattacharyya et al. 2018). */
		BEST_OF_K;

		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static LatentObjective parse(final String s) {
			return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
		}
	}

	public final int hidS, hidT, nS, nT, mlpRatio, zDim, zSamples;
	public final double beta, freeBits, varianceWeight;
	public final boolean pixelVariance;
	public final VarianceHead varianceHead;
	public final LatentObjective latentObjective;

	private SimVpConfig(final Builder b) {
		super(b);
		hidS = b.hidS;
		hidT = b.hidT;
		nS = b.nS;
		nT = b.nT;
		mlpRatio = b.mlpRatio;
		zDim = b.zDim;
		zSamples = b.zSamples;
		beta = b.beta;
		freeBits = b.freeBits;
		varianceWeight = b.varianceWeight;
		pixelVariance = b.pixelVariance;
		varianceHead = b.varianceHead;
		latentObjective = b.latentObjective;
		if (nPast < 1) throw new IllegalArgumentException("n_past must be at least 1, not " + nPast);
		if (nS < 2 || nS % 2 != 0) throw new IllegalArgumentException("n_s must be an even number >= 2, not " + nS);
		if (imageSize < 4 || imageSize % (1 << (nS / 2)) != 0) throw new IllegalArgumentException("image_size " +
			imageSize + " is not a multiple of " + (1 << (nS / 2)) + " (n_s " + nS + " halves it " + nS / 2 + " times)");
		if (nT < 2) throw new IllegalArgumentException("n_t must be at least 2, not " + nT);
		// the CPU convolution is wrong for >16 input channels that are not a multiple of 16 (package notes of nn)
		for (final int c : new int[] { hidS, hidT, zDim })
			if (c != 0 && c % 16 != 0) throw new IllegalArgumentException(
				"hid_s, hid_t and z_dim must be multiples of 16 (or z_dim 0), got " + hidS + ", " + hidT + ", " + zDim);
		if (hidS < 16 || hidT < 16) throw new IllegalArgumentException("hid_s and hid_t must be at least 16");
		if (mlpRatio < 1) throw new IllegalArgumentException("mlp_ratio must be at least 1, not " + mlpRatio);
		if (zSamples < 1) throw new IllegalArgumentException("z_samples must be at least 1, not " + zSamples);
		if (!(lambda >= 0) || !(sigma > 0) || !(beta >= 0) || !(freeBits >= 0) || !(varianceWeight >= 0))
			throw new IllegalArgumentException("need lambda >= 0, sigma > 0, beta >= 0, free_bits >= 0, variance_weight >= 0");
	}

	/** Side of the translator's grid: {@code image_size / 2^(n_s/2)}. */
	public int gridSize() {
		return imageSize >> (nS / 2);
	}

	@Override
	public String architecture() {
		return ARCHITECTURE;
	}

	/** Whether the model has a latent. */
	public boolean stochastic() {
		return zDim > 0;
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", imageSize);
		o.addProperty("n_past", nPast);
		o.addProperty("hid_s", hidS);
		o.addProperty("hid_t", hidT);
		o.addProperty("n_s", nS);
		o.addProperty("n_t", nT);
		o.addProperty("mlp_ratio", mlpRatio);
		o.addProperty("translator", "gsta");
		o.addProperty("lambda", lambda);
		o.addProperty("sigma", sigma);
		o.addProperty("z_dim", zDim);
		o.addProperty("beta", beta);
		o.addProperty("free_bits", freeBits);
		o.addProperty("z_samples", zSamples);
		o.addProperty("latent_objective", latentObjective.label());
		o.addProperty("pixel_variance", pixelVariance);
		o.addProperty("variance_weight", varianceWeight);
		o.addProperty("variance_head", varianceHead.label());
		o.addProperty("output", "residual_clamp");
		return o;
	}

	/** Reads {@link #toJson()}'s form; missing keys keep their defaults (keys of other models are ignored). */
	public static SimVpConfig fromJson(final JsonObject o) {
		final Builder b = builder().read(o);
		if (o.has("hid_s")) b.hidS = o.get("hid_s").getAsInt();
		if (o.has("hid_t")) b.hidT = o.get("hid_t").getAsInt();
		if (o.has("n_s")) b.nS = o.get("n_s").getAsInt();
		if (o.has("n_t")) b.nT = o.get("n_t").getAsInt();
		if (o.has("mlp_ratio")) b.mlpRatio = o.get("mlp_ratio").getAsInt();
		if (o.has("translator") && !"gsta".equals(o.get("translator").getAsString())) throw new IllegalArgumentException(
			"translator '" + o.get("translator").getAsString() + "' is not implemented (gsta is)");
		if (o.has("z_dim")) b.zDim = o.get("z_dim").getAsInt();
		if (o.has("beta")) b.beta = o.get("beta").getAsDouble();
		if (o.has("free_bits")) b.freeBits = o.get("free_bits").getAsDouble();
		if (o.has("z_samples")) b.zSamples = o.get("z_samples").getAsInt();
		if (o.has("latent_objective")) b.latentObjective = LatentObjective.parse(o.get("latent_objective").getAsString());
		if (o.has("pixel_variance")) b.pixelVariance = o.get("pixel_variance").getAsBoolean();
		if (o.has("variance_weight")) b.varianceWeight = o.get("variance_weight").getAsDouble();
		if (o.has("variance_head")) b.varianceHead = VarianceHead.parse(o.get("variance_head").getAsString());
		return b.build();
	}

	/** Builder: every setting has a default (the deterministic SimVP). */
	public static final class Builder extends ForecastConfig.Builder<Builder> {
		private int hidS = 32, hidT = 128, nS = 4, nT = 4, mlpRatio = 4, zDim = 0,
			zSamples = 1;
		private double beta = 1e-4, freeBits = 0, varianceWeight = 1;
		private boolean pixelVariance;
		private VarianceHead varianceHead = VarianceHead.SHARED;
		private LatentObjective latentObjective = LatentObjective.MEAN;

		@Override
		protected Builder self() {
			return this;
		}

		public Builder optHidS(final int v) {
			hidS = v;
			return this;
		}

		public Builder optHidT(final int v) {
			hidT = v;
			return this;
		}

		public Builder optZDim(final int v) {
			zDim = v;
			return this;
		}

		public Builder optPixelVariance(final boolean v) {
			pixelVariance = v;
			return this;
		}

		public SimVpConfig build() {
			return new SimVpConfig(this);
		}
	}
}
