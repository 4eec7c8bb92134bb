package org.osteocast.nn;

import com.google.gson.JsonObject;

/**
 * What every learned forecaster's configuration holds, immutable and recorded
 * in {@code model.json}: the slice side ({@code image_size}), the observed
 * weeks ({@code n_past}) and the edge-aware reconstruction's weight
 * {@code lambda} and Gaussian {@code sigma} (pixels; weights
 * {@code 1 + λ·G_σ(week 1)}, λ = 0 is plain MSE). A family's configuration
 * adds its own keys, writes them all in {@link #toJson()} and reads them back
 * through its builder, which starts from {@link Builder}.
 */
public abstract class ForecastConfig {

	public final int imageSize, nPast;
	/** Edge-aware loss weight λ (0 = plain MSE) and Gaussian σ in pixels. */
	public final double lambda, sigma;

	protected ForecastConfig(final int imageSize, final int nPast, final double lambda, final double sigma) {
		this.imageSize = imageSize;
		this.nPast = nPast;
		this.lambda = lambda;
		this.sigma = sigma;
	}

	protected ForecastConfig(final Builder<?> b) {
		this(b.imageSize, b.nPast, b.lambda, b.sigma);
	}

	/** {@code model.json}'s "architecture". */
	public abstract String architecture();

	/** Every hyper-parameter, snake_case, for {@code model.json}. */
	public abstract JsonObject toJson();

	/** Slices per volume for 3-D models; 0 for 2-D ones. */
	public int depth() {
		return 0;
	}

	/**
	 * Number of stride-2 levels of an encoder that halves the image until
	 * 4 × 4 (64 → 4 levels, as the paper; 32 → 3, 16 → 2 for small test models).
	 */
	public static int levels(final int imageSize) {
		if (imageSize < 8 || Integer.bitCount(imageSize) != 1) throw new IllegalArgumentException(
			"image size must be a power of two >= 8, not " + imageSize);
		return Integer.numberOfTrailingZeros(imageSize) - 2;
	}

	/** {@link #levels(int)} of this configuration's image size. */
	public int levels() {
		return levels(imageSize);
	}

	/** Channels of level {@code level} (1-based) of a network of base width {@code nf}: nf, 2nf, 4nf, 8nf, 8nf, … */
	public static int channels(final int nf, final int level) {
		return nf << Math.min(level - 1, 3);
	}

	/** {@code key: value} pairs: the edge-aware loss's λ and σ. */
	protected final void putEdgeLoss(final JsonObject o) {
		o.addProperty("lambda", lambda);
		o.addProperty("sigma", sigma);
	}

	@Override
	public String toString() {
		return architecture() + toJson();
	}

	/**
	 * The shared part of every family's builder; every setting is optional
	 * ({@code opt*}), the family's builder sets the defaults.
	 *
	 * @param <B> the family's builder
	 */
	public abstract static class Builder<B extends Builder<B>> {
		protected int imageSize = 64, nPast = 3;
		protected double lambda = 1.0, sigma = 1.0;

		protected abstract B self();

		public B optImageSize(final int v) {
			imageSize = v;
			return self();
		}

		public B optNPast(final int v) {
			nPast = v;
			return self();
		}

		public B optLambda(final double v) {
			lambda = v;
			return self();
		}

		public B optSigma(final double v) {
			sigma = v;
			return self();
		}

		/** Reads the keys this builder knows from {@code model.json}'s form; missing keys keep their values. */
		public B read(final JsonObject o) {
			if (o.has("image_size")) optImageSize(o.get("image_size").getAsInt());
			if (o.has("n_past")) optNPast(o.get("n_past").getAsInt());
			if (o.has("lambda")) optLambda(o.get("lambda").getAsDouble());
			if (o.has("sigma")) optSigma(o.get("sigma").getAsDouble());
			return self();
		}
	}
}
