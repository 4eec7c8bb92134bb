package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Hand-checkable AUCs: perfect 1, reversed 0, all ties 0.5; ties count ½; pooled ranks across mice. */
class UncertaintyRankingTest {

	@Test
	void perfectReversedAndTiedRankings() {
		final boolean[] lab = { false, false, true, true };
		assertEquals(1, UncertaintyRanking.of(new float[] { 0.1f, 0.2f, 0.3f, 0.4f }, lab).auc, 0);
		assertEquals(0, UncertaintyRanking.of(new float[] { 0.4f, 0.3f, 0.2f, 0.1f }, lab).auc, 0);
		final UncertaintyRanking.Result tied = UncertaintyRanking.of(new float[4], lab);
		assertEquals(0.5, tied.auc, 0, "a deterministic model (SD 0 everywhere)");
		assertEquals(0, tied.meanChanged, 0);
		// one tie between a positive and a negative: pairs (p=0.2 vs n=0.1: 1, vs n=0.2: 1/2), (p=0.3: 1, 1) -> 3.5 / 4
		assertEquals(3.5 / 4, UncertaintyRanking.of(new float[] { 0.1f, 0.2f, 0.2f, 0.3f }, lab).auc, 0);
		// -0 and +0 tie
		assertEquals(0.5, UncertaintyRanking.of(new float[] { -0f, 0f }, new boolean[] { true, false }).auc, 0);
	}

	@Test
	void matchesBruteForcePairCount() {
		final SplittableRandom r = new SplittableRandom(7);
		final int n = 500;
		final float[] s = new float[n];
		final boolean[] lab = new boolean[n];
		for (int i = 0; i < n; i++) {
			s[i] = r.nextInt(20) / 20f;
			lab[i] = r.nextDouble() < 0.3 + 0.5 * s[i];
		}
		double u = 0;
		long pairs = 0;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				if (lab[i] && !lab[j]) {
					pairs++;
					u += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
				}
		assertEquals(u / pairs, UncertaintyRanking.of(s, lab).auc, 1e-12);
	}

	@Test
	void pooledAucRanksAcrossMice() {
		// each mouse alone ranks perfectly, but mouse B's unchanged pixels score above mouse A's changed ones
		final UncertaintyRanking.Accumulator a = new UncertaintyRanking.Accumulator().add(new float[] { 0.1f, 0.2f },
			new boolean[] { false, true });
		final UncertaintyRanking.Accumulator b = new UncertaintyRanking.Accumulator().add(new float[] { 0.3f, 0.4f },
			new boolean[] { false, true });
		assertEquals(1, a.result().auc, 0);
		assertEquals(1, b.result().auc, 0);
		final UncertaintyRanking.Result pooled = new UncertaintyRanking.Accumulator().add(a).add(b).result();
		// positives 0.2, 0.4 vs negatives 0.1, 0.3: 0.2 beats 1 of 2, 0.4 beats 2 -> 3 / 4
		assertEquals(0.75, pooled.auc, 0);
		assertEquals(0.3, pooled.meanChanged, 1e-7);
		assertEquals(0.2, pooled.meanUnchanged, 1e-7);
		assertEquals(2, pooled.changed);
	}

	@Test
	void undefinedWithoutBothClassesAndNaNIsRejected() {
		final UncertaintyRanking.Result none = UncertaintyRanking.of(new float[] { 0.1f, 0.2f }, new boolean[2]);
		assertTrue(Double.isNaN(none.auc));
		assertTrue(Double.isNaN(none.meanChanged));
		assertEquals(2, none.unchanged);
		assertThrows(IllegalArgumentException.class, () -> UncertaintyRanking.of(new float[] { Float.NaN },
			new boolean[1]));
		assertThrows(IllegalArgumentException.class, () -> UncertaintyRanking.of(new float[2], new boolean[3]));
	}
}
