package org.osteocast.metrics;

import java.util.Arrays;

/**
 * How well a per-pixel uncertainty (the standard deviation of the forecast
 * samples) points at the pixels that truly change: the ROC AUC of the score
 * as a classifier of "changed" against "unchanged" pixels, and the mean score
 * on each.
 * <p>
 * The AUC is the Mann–Whitney statistic, computed exactly: the probability
 * that a changed pixel scores higher than an unchanged one, ties counting ½.
 * So when every score ties (a deterministic model, SD ≡ 0) the AUC is exactly
 * 0.5, and it does not depend on a choice of ROC thresholds. It is undefined
 * (NaN) when either class is empty.
 * <p>
 * A pooled AUC is not a mean of per-mouse AUCs (ranks compare pixels across
 * mice), so the {@link Accumulator} keeps every score, split by class (4 bytes
 * a pixel: a cohort of 20 mice × 48 slices × 64 × 64 is 16 MB), and sorts them
 * once in {@link Accumulator#result()}: O(n log n).
 * "Changed" is the caller's mask; the cohort evaluation passes
 * {@link ForecastEvaluation.Reference#changedMask()}, the same pixels as the
 * changed-pixel MSE.
 */
public final class UncertaintyRanking {

	private UncertaintyRanking() {}

	/** The AUC and class means of one set of pixels (immutable). */
	public static final class Result {
		/** ROC AUC of the score for changed pixels (NaN when a class is empty). */
		public final double auc;
		/** Number of changed (positive) and unchanged (negative) pixels. */
		public final long changed, unchanged;
		/** Mean score on changed and on unchanged pixels (NaN when that class is empty). */
		public final double meanChanged, meanUnchanged;

		Result(final double auc, final long changed, final long unchanged, final double meanChanged,
			final double meanUnchanged)
		{
			this.auc = auc;
			this.changed = changed;
			this.unchanged = unchanged;
			this.meanChanged = meanChanged;
			this.meanUnchanged = meanUnchanged;
		}

		@Override
		public String toString() {
			return "UncertaintyRanking[auc=" + auc + ", changed=" + changed + ", unchanged=" + unchanged +
				", meanChanged=" + meanChanged + ", meanUnchanged=" + meanUnchanged + "]";
		}
	}

	/** The AUC and class means of {@code score} for {@code changed} over one array of pixels. */
	public static Result of(final float[] score, final boolean[] changed) {
		return new Accumulator().add(score, changed).result();
	}

	/** As {@link #of(float[], boolean[])} over planes {@code [slice][pixel]}. */
	public static Result of(final float[][] score, final boolean[][] changed) {
		return new Accumulator().add(score, changed).result();
	}

	/** Collects scores by class; add mice one by one, then take the pooled {@link #result()}. Not thread-safe. */
	public static final class Accumulator {
		private float[] pos = new float[1024], neg = new float[1024];
		private int np, nn;
		private double sumPos, sumNeg;

		/**
		 * Adds one array of pixels.
		 *
		 * @throws IllegalArgumentException if the lengths differ or a score is NaN
		 */
		public Accumulator add(final float[] score, final boolean[] changed) {
			if (score.length != changed.length) throw new IllegalArgumentException("score has " + score.length +
				" pixels, the mask " + changed.length);
			for (int i = 0; i < score.length; i++) {
				final float s = score[i] + 0.0f; // -0 -> +0, so sorting and comparing agree
				if (Float.isNaN(s)) throw new IllegalArgumentException("uncertainty score is NaN at pixel " + i);
				if (changed[i]) {
					if (np == pos.length) pos = Arrays.copyOf(pos, grow(np));
					pos[np++] = s;
					sumPos += s;
				}
				else {
					if (nn == neg.length) neg = Arrays.copyOf(neg, grow(nn));
					neg[nn++] = s;
					sumNeg += s;
				}
			}
			return this;
		}

		private static int grow(final int n) {
			if (n >= Integer.MAX_VALUE - 8) throw new IllegalStateException("too many pixels for one AUC");
			return (int) Math.min(Integer.MAX_VALUE - 8L, 2L * n);
		}

		/** Adds every plane ({@code [slice][pixel]}). */
		public Accumulator add(final float[][] score, final boolean[][] changed) {
			if (score.length != changed.length) throw new IllegalArgumentException("score has " + score.length +
				" slices, the mask " + changed.length);
			for (int z = 0; z < score.length; z++)
				add(score[z], changed[z]);
			return this;
		}

		/** Adds another accumulator's pixels. */
		public Accumulator add(final Accumulator other) {
			for (int i = 0; i < other.np; i++) {
				if (np == pos.length) pos = Arrays.copyOf(pos, grow(np));
				pos[np++] = other.pos[i];
			}
			for (int i = 0; i < other.nn; i++) {
				if (nn == neg.length) neg = Arrays.copyOf(neg, grow(nn));
				neg[nn++] = other.neg[i];
			}
			sumPos += other.sumPos;
			sumNeg += other.sumNeg;
			return this;
		}

		/** The exact Mann–Whitney AUC and class means of everything added so far. */
		public Result result() {
			final float[] p = Arrays.copyOf(pos, np), q = Arrays.copyOf(neg, nn);
			Arrays.sort(p);
			Arrays.sort(q);
			// 2U = sum over positives of 2 (#negatives below) + (#negatives tied); exact in a long
			long twoU = 0;
			int lt = 0, le = 0;
			for (final float s : p) {
				while (lt < q.length && q[lt] < s)
					lt++;
				if (le < lt) le = lt;
				while (le < q.length && q[le] <= s)
					le++;
				twoU += 2L * lt + (le - lt);
			}
			final double auc = np == 0 || nn == 0 ? Double.NaN : twoU / (2.0 * np * (double) nn);
			return new Result(auc, np, nn, np == 0 ? Double.NaN : sumPos / np, nn == 0 ? Double.NaN : sumNeg / nn);
		}
	}
}
