package org.osteocast.train;

import com.google.gson.JsonObject;

import org.osteocast.nn.engine.Precision;

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
	/** Decoupled weight decay (AdamW; 0 = Adam). */
	public final double weightDecay;
	/** Learning-rate schedule over the steps of {@link #epochs} epochs. */
	public final Schedule schedule;
	/**
	 * Share of lesion-emergence slices among the emergence and control
	 * slices of each epoch ({@link EmergenceSampler}); NaN = as they come.
	 */
	public final double emergenceRatio;
	/**
	 * Arithmetic of the heavy layers ({@link Precision}; resolved: fp32 or
	 * bf16, never "auto"); master weights, optimiser state, batch-norm
	 * statistics, the loss and the KL are fp32 either way.
	 */
	public final Precision precision;

	/** How the learning rate moves over training. */
	public enum Schedule {
		/** The base rate throughout. */
		CONSTANT,
		/**
		 * One cycle (Smith &amp; Topin 2019; PyTorch's {@code OneCycleLR} defaults):
		 * from lr/25 up to lr over the first 30 % of the steps, then down to
		 * lr/25/10⁴, both halves cosine.
		 */
		ONECYCLE;

		public String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		public static Schedule parse(final String s) {
			try {
				return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT).replace("-", "").replace("_", ""));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("schedule must be constant or onecycle, not '" + s + "'");
			}
		}

		/** The factor on the base rate at step {@code step} (0-based) of {@code total}. */
		public double factor(final long step, final long total) {
			if (this == CONSTANT || total <= 1) return 1;
			final double p = Math.min(1, step / (double) (total - 1)), warm = 0.3, lo = 1 / 25.0, end = lo / 1e4;
			if (p < warm) return lo + (1 - lo) * (1 - Math.cos(Math.PI * p / warm)) / 2;
			return end + (1 - end) * (1 + Math.cos(Math.PI * (p - warm) / (1 - warm))) / 2;
		}
	}

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
		weightDecay = b.weightDecay == null ? 0 : b.weightDecay;
		schedule = b.schedule == null ? Schedule.CONSTANT : b.schedule;
		emergenceRatio = b.emergenceRatio;
		precision = b.precision;
		if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, not " + weightDecay);
		if (!Double.isNaN(emergenceRatio) && !(emergenceRatio >= 0 && emergenceRatio < 1))
			throw new IllegalArgumentException("emergence ratio must be in [0, 1), not " + emergenceRatio);
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
		o.addProperty("optimizer", weightDecay > 0 ? "adamw" : "adam");
		o.addProperty("weight_decay", weightDecay);
		o.addProperty("schedule", schedule.label());
		if (!Double.isNaN(emergenceRatio)) o.addProperty("emergence_ratio", emergenceRatio);
		o.addProperty("precision", precision.label());
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
		private Double weightDecay;
		private Schedule schedule;
		private double emergenceRatio = Double.NaN;
		private Precision precision = Precision.FP32;

		/**
		 * Arithmetic of the heavy layers; default fp32. Callers that offer
		 * "auto" resolve it first ({@link Precision#resolve}).
		 */
		public Builder optPrecision(final Precision v) {
			precision = java.util.Objects.requireNonNull(v);
			return this;
		}

		/** Decoupled weight decay (AdamW); unset: the model's ({@link #optModelDefaults}) or 0. */
		public Builder optWeightDecay(final double v) {
			weightDecay = v;
			return this;
		}

		/** Learning-rate schedule; unset: the model's ({@link #optModelDefaults}) or constant. */
		public Builder optSchedule(final Schedule v) {
			schedule = v;
			return this;
		}

		/** Share of emergence slices among emergence and control slices per epoch; NaN = natural. */
		/**
		 * The emergence ratio as a user writes it: {@code natural} (or blank)
		 * keeps the slices as the data come; otherwise a number in [0, 1).
		 */
		public Builder optEmergenceRatio(final String v) {
			if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("natural")) return optEmergenceRatio(Double.NaN);
			try {
				return optEmergenceRatio(Double.parseDouble(v.trim()));
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("emergence ratio must be a number in [0, 1) or natural, not '" + v + "'");
			}
		}

		public Builder optEmergenceRatio(final double v) {
			emergenceRatio = v;
			return this;
		}

		/**
		 * Fills the optimiser settings not set explicitly from a model's own
		 * ({@code weight_decay}, {@code schedule} keys, as
		 * {@code ForecastNet.loopDefaults()} gives them).
		 */
		public Builder optModelDefaults(final com.google.gson.JsonObject d) {
			if (weightDecay == null && d.has("weight_decay")) weightDecay = d.get("weight_decay").getAsDouble();
			if (schedule == null && d.has("schedule")) schedule = Schedule.parse(d.get("schedule").getAsString());
			return this;
		}

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
