package org.osteocast.train;

import com.google.gson.JsonObject;

/**
 * Settings of the training loop (not of the model): optimiser, batch,
 * epochs, early stopping, augmentation, seed, time budget, KL annealing.
 * Defaults: Adam lr 2e-3, β 0.9/0.999 (SVG-LP), batch 48, 200 epochs,
 * patience 20 epochs.
 */
public final class TrainConfig {

	public final double lr, beta1, beta2;
	public final int batch, epochs, patience;
	public final long seed;
	/** Smallest random-crop side as a fraction (1 = no crop); flips on/off. */
	public final double minCrop;
	public final boolean flips;
	/** Wall-clock budget in minutes (0 = none): no epoch starts that would end past it. */
	public final double minutes;
	/** Epochs over which β ramps linearly from 0 to its value (0 = no annealing). */
	public final int klAnnealEpochs;
	/** Training batches per epoch at most (0 = all; for smoke tests). */
	public final int maxBatches;

	private TrainConfig(final Builder b) {
		lr = b.lr;
		beta1 = b.beta1;
		beta2 = b.beta2;
		batch = b.batch;
		epochs = b.epochs;
		patience = b.patience;
		seed = b.seed;
		minCrop = b.minCrop;
		flips = b.flips;
		minutes = b.minutes;
		klAnnealEpochs = b.klAnnealEpochs;
		maxBatches = b.maxBatches;
		if (!(lr > 0) || batch < 1 || epochs < 1 || patience < 1) throw new IllegalArgumentException(
			"need lr > 0, batch >= 1, epochs >= 1, patience >= 1");
		if (!(minCrop > 0 && minCrop <= 1)) throw new IllegalArgumentException("min crop must be in (0, 1], not " +
			minCrop);
	}

	public static Builder builder() {
		return new Builder();
	}

	/** As JSON for model.json and the checkpoint. */
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("optimizer", "adam");
		o.addProperty("lr", lr);
		o.addProperty("beta1", beta1);
		o.addProperty("beta2", beta2);
		o.addProperty("batch", batch);
		o.addProperty("epochs", epochs);
		o.addProperty("patience", patience);
		o.addProperty("seed", seed);
		o.addProperty("min_crop", minCrop);
		o.addProperty("flips", flips);
		o.addProperty("minutes", minutes);
		o.addProperty("kl_anneal_epochs", klAnnealEpochs);
		o.addProperty("max_batches", maxBatches);
		return o;
	}

	/** Builder ({@code opt*}: every setting has a default). */
	public static final class Builder {
		private double lr = 2e-3, beta1 = 0.9, beta2 = 0.999, minCrop = 0.85, minutes = 0;
		private int batch = 48, epochs = 200, patience = 20, klAnnealEpochs = 0, maxBatches = 0;
		private long seed = 1;
		private boolean flips = true;

		public Builder optLr(final double v) {
			lr = v;
			return this;
		}

		public Builder optBetas(final double b1, final double b2) {
			beta1 = b1;
			beta2 = b2;
			return this;
		}

		public Builder optBatch(final int v) {
			batch = v;
			return this;
		}

		public Builder optEpochs(final int v) {
			epochs = v;
			return this;
		}

		public Builder optPatience(final int v) {
			patience = v;
			return this;
		}

		public Builder optSeed(final long v) {
			seed = v;
			return this;
		}

		public Builder optMinCrop(final double v) {
			minCrop = v;
			return this;
		}

		public Builder optFlips(final boolean v) {
			flips = v;
			return this;
		}

		public Builder optMinutes(final double v) {
			minutes = v;
			return this;
		}

		public Builder optKlAnnealEpochs(final int v) {
			klAnnealEpochs = v;
			return this;
		}

		public Builder optMaxBatches(final int v) {
			maxBatches = v;
			return this;
		}

		public TrainConfig build() {
			return new TrainConfig(this);
		}
	}
}
