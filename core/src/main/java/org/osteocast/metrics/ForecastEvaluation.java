package org.osteocast.metrics;

/**
 * Scores a forecast of one mouse's target week against the truth, with the
 * quantities that do not depend on the forecast (bone threshold, envelope,
 * changed pixels, true lesion, true perforation) computed once in a
 * {@link Reference} so that the forecast and the baselines are scored
 * identically. Volumes are given as planes ({@code [slice][y * width + x]}).
 * <p>
 * Baselines: {@link #persistence} (the last observed week, i.e. "nothing
 * changes") and {@link #linear} extrapolation {@code x_n + (x_n − x_{n−1})},
 * clipped to the data range. A forecast that does not beat them has learned
 * nothing about lesion growth.
 */
public final class ForecastEvaluation {

	private ForecastEvaluation() {}

	/**
	 * The scores of one forecast (NaN where undefined, e.g. no changed pixels).
	 * {@link #psnr} is the mean of the slices' PSNR, {@link #psnrVolume} the
	 * PSNR of the error pooled over the volume ({@link Psnr}).
	 */
	public static final class Scores {
		public final double psnr, ssim, changedMse;
		public final double psnrVolume;
		public final long changedPixels;
		public final double dice, bvtvForecast, bvtvTruth;
		public final int perforatedSlicesForecast, perforatedSlicesTruth, assessedSlices;

		Scores(final double psnr, final double psnrVolume, final double ssim, final double changedMse,
			final long changedPixels, final double dice, final double bvtvForecast, final double bvtvTruth,
			final int perfForecast, final int perfTruth, final int assessed)
		{
			this.psnr = psnr;
			this.psnrVolume = psnrVolume;
			this.ssim = ssim;
			this.changedMse = changedMse;
			this.changedPixels = changedPixels;
			this.dice = dice;
			this.bvtvForecast = bvtvForecast;
			this.bvtvTruth = bvtvTruth;
			this.perforatedSlicesForecast = perfForecast;
			this.perforatedSlicesTruth = perfTruth;
			this.assessedSlices = assessed;
		}

		/** BV/TV error, forecast − truth. */
		public double bvtvError() {
			return bvtvForecast - bvtvTruth;
		}

		/** 1 when the forecast and the truth agree on whether the cortex is perforated anywhere, else 0. */
		public int perforationAgrees() {
			return (perforatedSlicesForecast > 0) == (perforatedSlicesTruth > 0) ? 1 : 0;
		}
	}

	/** Everything about the truth that scoring needs. */
	public static final class Reference {
		final float[][] week1, truth;
		final int width, height;
		final double dataRange, changeThreshold, boneThreshold;
		final boolean[][] changed, trueLesion, envelope;
		final int[] truePerforation;
		final double trueBvtv;

		/**
		 * @param week1 the first week (defines bone, lesions and the envelope)
		 * @param last the last observed week
		 * @param truth the true target week
		 * @param dataRange data range for PSNR and SSIM (1 for normalised data)
		 * @param changeThreshold threshold on |truth − last| for changed pixels; NaN = {@link LesionMetrics#defaultChangeThreshold}
		 */
		public Reference(final float[][] week1, final float[][] last, final float[][] truth, final int width,
			final int height, final double dataRange, final double changeThreshold)
		{
			if (week1.length != truth.length || last.length != truth.length) throw new IllegalArgumentException(
				"weeks have different numbers of slices");
			this.week1 = week1;
			this.truth = truth;
			this.width = width;
			this.height = height;
			this.dataRange = dataRange;
			this.changeThreshold = Double.isNaN(changeThreshold) ? LesionMetrics.defaultChangeThreshold(last, truth)
				: changeThreshold;
			this.changed = LesionMetrics.changed(last, truth, this.changeThreshold);
			this.boneThreshold = LesionMetrics.otsu(week1);
			this.trueLesion = LesionMetrics.lesion(week1, truth, boneThreshold);
			this.envelope = LesionMetrics.envelope(week1, boneThreshold, width, height);
			this.trueBvtv = LesionMetrics.bvtv(truth, envelope, boneThreshold);
			this.truePerforation = LesionMetrics.perforation(week1, truth, boneThreshold, width, height);
		}

		/** The change threshold in use. */
		public double changeThreshold() {
			return changeThreshold;
		}

		/**
		 * A copy of the changed-pixel mask ({@code |truth − last| > }{@link #changeThreshold()}):
		 * the pixels of the changed-pixel MSE, and the positives of {@link UncertaintyRanking}.
		 */
		public boolean[][] changedMask() {
			final boolean[][] c = new boolean[changed.length][];
			for (int z = 0; z < c.length; z++)
				c[z] = changed[z].clone();
			return c;
		}

		/**
		 * The truth's bone mask at a given threshold (value above it). Calibration
		 * passes the threshold the forecaster used for its P(bone), which need
		 * not be {@link #boneThreshold()}.
		 */
		public boolean[][] truthBone(final double threshold) {
			return LesionMetrics.bone(truth, threshold);
		}

		/** Number of slices. */
		public int slices() {
			return truth.length;
		}

		/** Otsu's threshold of week 1 (the bone threshold for every week). */
		public double boneThreshold() {
			return boneThreshold;
		}

		/** Scores a forecast of the target week. */
		public Scores score(final float[][] forecast) {
			if (forecast.length != truth.length) throw new IllegalArgumentException("forecast has " + forecast.length +
				" slices, the truth " + truth.length);
			int assessed = 0;
			for (final int p : truePerforation)
				if (p >= 0) assessed++;
			return new Scores(Psnr.perSlice(truth, forecast, dataRange), Psnr.psnr(truth, forecast, dataRange), Ssim.ssim(
				truth, forecast, width, height, dataRange),
				LesionMetrics.maskedMse(forecast, truth, changed), LesionMetrics.count(changed), LesionMetrics.dice(
					LesionMetrics.lesion(week1, forecast, boneThreshold), trueLesion), LesionMetrics.bvtv(forecast, envelope,
						boneThreshold), trueBvtv, LesionMetrics.perforatedSlices(LesionMetrics.perforation(week1, forecast,
							boneThreshold, width, height)), LesionMetrics.perforatedSlices(truePerforation), assessed);
		}
	}

	/** Persistence baseline: a copy of the last observed week. */
	public static float[][] persistence(final float[][] last) {
		final float[][] out = new float[last.length][];
		for (int z = 0; z < last.length; z++)
			out[z] = last[z].clone();
		return out;
	}

	/** Linear extrapolation {@code last + (last − previous)}, clipped to [lo, hi]. */
	public static float[][] linear(final float[][] previous, final float[][] last, final double lo, final double hi) {
		final float[][] out = new float[last.length][];
		for (int z = 0; z < last.length; z++) {
			out[z] = new float[last[z].length];
			for (int i = 0; i < out[z].length; i++) {
				final double v = 2.0 * last[z][i] - previous[z][i];
				out[z][i] = (float) (v < lo ? lo : v > hi ? hi : v);
			}
		}
		return out;
	}
}
