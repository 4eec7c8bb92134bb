package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * ECE, Brier and the uncertainty AUC against numpy and scikit-learn. Golden
 * values produced by
 * <pre>
 * apt-get install -y python3-sklearn
 * /usr/bin/python3 bench/golden/calibration_golden.py
 * # scikit-learn 1.2.1 numpy 1.24.2
 * </pre>
 * The inputs are re-created with the script's LCG ({@link SsimGoldenTest#lcg}),
 * so Java and Python hold identical values. Brier is scikit-learn's
 * {@code brier_score_loss}, the bins of the continuous case agree with its
 * {@code calibration_curve}, the AUC is its {@code roc_auc_score}.
 */
class CalibrationGoldenTest {

	private static final double TOL = 1e-12;
	private static final int N = 2000;

	private static double[] d(final float[] v) {
		final double[] o = new double[v.length];
		for (int i = 0; i < v.length; i++)
			o[i] = v[i];
		return o;
	}

	private static void check(final float[] p, final boolean[] y, final double ece, final double brier,
		final long[] counts, final double[] freq)
	{
		final Calibration.Reliability r = Calibration.reliability(new float[][] { p }, new boolean[][] { y });
		assertEquals(ece, r.ece, TOL);
		assertEquals(brier, r.brier, TOL);
		assertArrayEquals(counts, r.counts());
		for (int b = 0; b < freq.length; b++)
			assertEquals(freq[b], r.observedFrequency(b), TOL, "bin " + b);
	}

	@Test
	void fractionsOfTenSamplesLandOnTheirEdge() {
		final double[] u = d(SsimGoldenTest.lcg(11, N)), v = d(SsimGoldenTest.lcg(12, N));
		final float[] p = new float[N];
		final boolean[] y = new boolean[N];
		for (int i = 0; i < N; i++) {
			final int j = (int) Math.floor(u[i] * 11);
			p[i] = j / (float) 10; // as the predictor: bone / (float) K
			y[i] = v[i] < (double) p[i] * p[i];
		}
		check(p, y, 0.16110000187903642, 0.16032000104218735, new long[] { 192, 140, 165, 185, 197, 203, 182, 201, 168,
			367 }, new double[] { 0, 0.021428571428571429, 0.048484848484848485, 0.07567567567567568, 0.15228426395939088,
				0.25123152709359609, 0.40659340659340659, 0.42786069651741293, 0.58333333333333337, 0.89918256130790186 });
	}

	@Test
	void continuousProbabilities() {
		final float[] u = SsimGoldenTest.lcg(21, N);
		final double[] v = d(SsimGoldenTest.lcg(22, N));
		final float[] p = new float[N];
		final boolean[] y = new boolean[N];
		for (int i = 0; i < N; i++) {
			p[i] = u[i] + (float) Math.scalb(1.0, -17);
			final double q = p[i];
			y[i] = v[i] < 0.5 * q * q + 0.25 * q;
		}
		check(p, y, 0.20477284240722657, 0.21657209832663649, new long[] { 195, 207, 193, 185, 213, 193, 227, 226, 169,
			192 }, new double[] { 0.020512820512820513, 0.077294685990338161, 0.10880829015544041, 0.1891891891891892,
				0.19248826291079812, 0.27979274611398963, 0.40528634361233479, 0.44690265486725661, 0.57988165680473369,
				0.66666666666666663 });
	}

	@Test
	void deterministicForecaster() {
		final float[] u = SsimGoldenTest.lcg(31, N), v = SsimGoldenTest.lcg(32, N);
		final float[] p = new float[N];
		final boolean[] y = new boolean[N];
		for (int i = 0; i < N; i++) {
			p[i] = u[i] > 0.5 ? 1 : 0;
			y[i] = v[i] > 0.4;
		}
		check(p, y, 0.48899999999999999, 0.48899999999999999, new long[] { 1002, 0, 0, 0, 0, 0, 0, 0, 0, 998 },
			new double[] { 0.58982035928143717, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
				Double.NaN, Double.NaN, 0.61222444889779559 });
	}

	@Test
	void aucWithManyTies() {
		final int n = 3000;
		final float[] u = SsimGoldenTest.lcg(41, n);
		final double[] v = d(SsimGoldenTest.lcg(42, n));
		final float[] s = new float[n];
		final boolean[] lab = new boolean[n];
		for (int i = 0; i < n; i++) {
			s[i] = (float) (Math.floor(u[i] * 8) / 8);
			lab[i] = v[i] < 0.2 + 0.6 * s[i];
		}
		final UncertaintyRanking.Result r = UncertaintyRanking.of(s, lab);
		assertEquals(0.69526469307171057, r.auc, TOL);
		assertEquals(1404, r.changed);
		assertEquals(n - 1404, r.unchanged);
		assertEquals(0.54763176638176636, r.meanChanged, TOL);
		assertEquals(0.35103383458646614, r.meanUnchanged, TOL);
	}

	@Test
	void aucContinuous() {
		final int n = 3000;
		final float[] s = SsimGoldenTest.lcg(51, n);
		final double[] v = d(SsimGoldenTest.lcg(52, n));
		final boolean[] lab = new boolean[n];
		for (int i = 0; i < n; i++)
			lab[i] = v[i] < s[i];
		final UncertaintyRanking.Result r = UncertaintyRanking.of(s, lab);
		assertEquals(0.82796323590855025, r.auc, TOL);
		assertEquals(1514, r.changed);
		assertEquals(0.66789747512797226, r.meanChanged, TOL);
		assertEquals(0.34463640626314351, r.meanUnchanged, TOL);
	}
}
