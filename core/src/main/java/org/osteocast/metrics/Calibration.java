package org.osteocast.metrics;

import java.util.Arrays;

/**
 * Calibration of a per-pixel probability of bone against the truth: a
 * reliability table (equal-width bins of predicted probability, with the count,
 * the mean predicted probability and the observed frequency of bone in each),
 * the expected calibration error and the Brier score.
 * <ul>
 * <li><b>ECE</b> = Σ<sub>b</sub> (n<sub>b</sub> / N) · |freq<sub>b</sub> −
 * mean p<sub>b</sub>|, over the non-empty bins.</li>
 * <li><b>Brier</b> = (1/N) Σ (p − y)², y = 1 where the truth is bone.</li>
 * </ul>
 * Bins are {@code [b/B, (b+1)/B)}, the last one closed at 1. Probabilities
 * written by the predictor are fractions j/K of samples stored as 32-bit
 * floats, which sit on or next to bin edges (0.7f is 0.69999999): a value
 * within {@value #EDGE_TOLERANCE} below an edge counts as on it, so j/K lands
 * in the same bin whatever its float rounding (which moves p by at most 6e-8).
 * <p>
 * Pooling is by accumulation ({@link Accumulator}): a cohort's table sums the
 * mice's bin counts and sums, so its ECE is the ECE of all pixels together,
 * not a mean of per-mouse ECEs (which would weight a small mouse like a large
 * one and is not an ECE of anything). A deterministic forecaster (K = 1, or
 * identical samples) gives p ∈ {0, 1}: only the first and last bins fill, and
 * ECE and Brier are still well defined (both equal the fraction of pixels
 * whose bone/no-bone call is wrong).
 */
public final class Calibration {

	/** Default number of equal-width bins. */
	public static final int DEFAULT_BINS = 10;

	/** A probability this close below a bin edge is counted as on the edge. */
	public static final double EDGE_TOLERANCE = 1e-6;

	private Calibration() {}

	/**
	 * The bin of probability {@code p} among {@code bins} equal-width bins of
	 * [0, 1]: {@code floor((p + }{@value #EDGE_TOLERANCE}{@code ) · bins)}, the
	 * last bin closed at 1.
	 *
	 * @throws IllegalArgumentException if p is NaN or outside [0, 1]
	 */
	public static int bin(final double p, final int bins) {
		if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability " + p + " is not in [0, 1]");
		final int b = (int) Math.floor((p + EDGE_TOLERANCE) * bins);
		return Math.min(b, bins - 1);
	}

	/**
	 * Reliability of {@code probability} against the truth's bone mask, in
	 * {@link #DEFAULT_BINS} bins.
	 *
	 * @param probability per-pixel P(bone) in [0, 1], planes {@code [slice][pixel]}
	 * @param truthBone true bone mask, same shape
	 */
	public static Reliability reliability(final float[][] probability, final boolean[][] truthBone) {
		return new Accumulator(DEFAULT_BINS).add(probability, truthBone).result();
	}

	/**
	 * Sums over pixels, per bin: count, Σ p, Σ y and Σ (p − y)². Add mice (or
	 * slices) one by one and {@link #add(Accumulator) merge} accumulators, then
	 * take the {@link #result()}. Not thread-safe: one per thread, then merge.
	 */
	public static final class Accumulator {
		private final long[] count;
		private final double[] sumP, sumY, sumSq;

		/** @param bins number of equal-width bins of [0, 1] (at least 1) */
		public Accumulator(final int bins) {
			if (bins < 1) throw new IllegalArgumentException("need at least 1 bin, got " + bins);
			count = new long[bins];
			sumP = new double[bins];
			sumY = new double[bins];
			sumSq = new double[bins];
		}

		/** Number of bins. */
		public int bins() {
			return count.length;
		}

		/**
		 * Adds one plane of pixels.
		 *
		 * @throws IllegalArgumentException if the lengths differ or a probability is outside [0, 1]
		 */
		public Accumulator add(final float[] probability, final boolean[] truthBone) {
			if (probability.length != truthBone.length) throw new IllegalArgumentException("probability has " +
				probability.length + " pixels, the truth " + truthBone.length);
			final int bins = count.length;
			for (int i = 0; i < probability.length; i++) {
				final double p = probability[i];
				final int b = bin(p, bins);
				final double y = truthBone[i] ? 1 : 0;
				count[b]++;
				sumP[b] += p;
				sumY[b] += y;
				sumSq[b] += (p - y) * (p - y);
			}
			return this;
		}

		/** Adds every plane ({@code [slice][pixel]}). */
		public Accumulator add(final float[][] probability, final boolean[][] truthBone) {
			if (probability.length != truthBone.length) throw new IllegalArgumentException("probability has " +
				probability.length + " slices, the truth " + truthBone.length);
			for (int z = 0; z < probability.length; z++)
				add(probability[z], truthBone[z]);
			return this;
		}

		/** Adds another accumulator's sums (same number of bins). */
		public Accumulator add(final Accumulator other) {
			if (other.count.length != count.length) throw new IllegalArgumentException("cannot merge " + other.count.length +
				" bins into " + count.length);
			for (int b = 0; b < count.length; b++) {
				count[b] += other.count[b];
				sumP[b] += other.sumP[b];
				sumY[b] += other.sumY[b];
				sumSq[b] += other.sumSq[b];
			}
			return this;
		}

		/** Total number of pixels added. */
		public long total() {
			long n = 0;
			for (final long c : count)
				n += c;
			return n;
		}

		/** The reliability table, ECE and Brier score of everything added so far. */
		public Reliability result() {
			final int bins = count.length;
			final double[] meanP = new double[bins], freq = new double[bins];
			final long n = total();
			double ece = 0, sq = 0;
			for (int b = 0; b < bins; b++) {
				sq += sumSq[b];
				if (count[b] == 0) {
					meanP[b] = freq[b] = Double.NaN;
					continue;
				}
				meanP[b] = sumP[b] / count[b];
				freq[b] = sumY[b] / count[b];
				ece += count[b] * Math.abs(freq[b] - meanP[b]);
			}
			return new Reliability(count.clone(), meanP, freq, n, n == 0 ? Double.NaN : ece / n, n == 0 ? Double.NaN : sq /
				n);
		}
	}

	/** A reliability table with its ECE and Brier score (immutable). */
	public static final class Reliability {
		private final long[] count;
		private final double[] meanPredicted, observedFrequency;
		/** Number of pixels. */
		public final long n;
		/** Expected calibration error (NaN when n = 0). */
		public final double ece;
		/** Brier score (NaN when n = 0). */
		public final double brier;

		Reliability(final long[] count, final double[] meanPredicted, final double[] observedFrequency, final long n,
			final double ece, final double brier)
		{
			this.count = count;
			this.meanPredicted = meanPredicted;
			this.observedFrequency = observedFrequency;
			this.n = n;
			this.ece = ece;
			this.brier = brier;
		}

		/** Number of bins. */
		public int bins() {
			return count.length;
		}

		/** Lower edge of bin b. */
		public double lower(final int b) {
			return b / (double) count.length;
		}

		/** Upper edge of bin b. */
		public double upper(final int b) {
			return (b + 1) / (double) count.length;
		}

		/** Pixels in bin b. */
		public long count(final int b) {
			return count[b];
		}

		/** Mean predicted probability in bin b (NaN when empty). */
		public double meanPredicted(final int b) {
			return meanPredicted[b];
		}

		/** Fraction of bin b's pixels that are truly bone (NaN when empty). */
		public double observedFrequency(final int b) {
			return observedFrequency[b];
		}

		/** Copies of the per-bin counts. */
		public long[] counts() {
			return count.clone();
		}

		@Override
		public String toString() {
			return "Reliability[n=" + n + ", ece=" + ece + ", brier=" + brier + ", counts=" + Arrays.toString(count) + "]";
		}
	}
}
