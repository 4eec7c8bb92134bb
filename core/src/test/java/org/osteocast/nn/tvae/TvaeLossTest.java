package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.blocks.EdgeWeights;
import org.osteocast.nn.blocks.GaussianBlur;
import org.osteocast.nn.engine.EngineSetup;

/** Losses against closed forms and hand computation. */
class TvaeLossTest {

	@Test
	void klMatchesClosedFormPerElement() {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final float[] mq = { 0.3f, -1f }, lq = { -0.5f, 0.2f }, mp = { 0f, 0.5f }, lp = { 0.1f, -0.3f };
			final float[] kl = TvaeLoss.klGaussian(m.create(mq), m.create(lq), m.create(mp), m.create(lp)).toFloatArray();
			for (int i = 0; i < 2; i++) {
				final double sq = Math.exp(0.5 * lq[i]), sp = Math.exp(0.5 * lp[i]);
				final double expected = Math.log(sp / sq) + (sq * sq + (mq[i] - mp[i]) * (mq[i] - mp[i])) / (2 * sp *
					sp) - 0.5;
				assertEquals(expected, kl[i], 1e-6);
			}
			// identical distributions: zero
			assertEquals(0, TvaeLoss.klGaussian(m.create(mq), m.create(lq), m.create(mq), m.create(lq)).sum()
				.getFloat(), 1e-7);
		}
	}

	@Test
	void edgeAwareReconstructionMatchesHandComputation() {
		EngineSetup.engine();
		final int b = 2, s = 2, h = 5, w = 6;
		final double lambda = 2.5, sigma = 0.8;
		final Random r = new Random(3);
		final float[] xh = new float[b * s * h * w], xt = new float[b * s * h * w], w1 = new float[b * h * w];
		for (int i = 0; i < xh.length; i++) {
			xh[i] = r.nextFloat();
			xt[i] = r.nextFloat();
		}
		for (int i = 0; i < w1.length; i++)
			w1[i] = r.nextFloat();
		// hand: normalised Gaussian blur of week 1, then weighted squared error
		final float[] k = GaussianBlur.kernel1d(sigma);
		final int rad = k.length / 2;
		double sum = 0;
		final double[] blurred = new double[b * h * w];
		for (int n = 0; n < b; n++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					double num = 0, den = 0;
					for (int dy = -rad; dy <= rad; dy++)
						for (int dx = -rad; dx <= rad; dx++) {
							final int yy = y + dy, xx = x + dx;
							if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
							final double kk = k[dy + rad] * k[dx + rad];
							num += kk * w1[(n * h + yy) * w + xx];
							den += kk;
						}
					blurred[(n * h + y) * w + x] = num / den;
				}
		for (int n = 0; n < b; n++)
			for (int t = 0; t < s; t++)
				for (int p = 0; p < h * w; p++) {
					final int i = (n * s + t) * h * w + p;
					final double d = xh[i] - xt[i];
					sum += (1 + lambda * blurred[n * h * w + p]) * d * d;
				}
		final double expected = sum / (b * h * w); // mean over pixels per step, summed over steps
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray weights = EdgeWeights.of(m.create(w1, new Shape(b, 1, h, w)), lambda, sigma);
			final float[] wf = weights.toFloatArray();
			for (int i = 0; i < wf.length; i++)
				assertEquals(1 + lambda * blurred[i], wf[i], 1e-5, "weight " + i);
			final NDArray z = m.zeros(new Shape(s, b, 3));
			final TvaeLoss.Parts parts = TvaeLoss.compute(m.create(xh, new Shape(b, s, 1, h, w)), m.create(xt, new Shape(
				b, s, 1, h, w)), weights, z, z, z, z, 1e-4, 0);
			assertEquals(expected, parts.recon.getFloat(), 1e-5);
			assertEquals(0, parts.kl.getFloat(), 1e-7);
			assertEquals(expected, parts.total.getFloat(), 1e-5);
			// λ = 0 is plain MSE
			final TvaeLoss.Parts mse = TvaeLoss.compute(m.create(xh, new Shape(b, s, 1, h, w)), m.create(xt, new Shape(
				b, s, 1, h, w)), EdgeWeights.of(m.create(w1, new Shape(b, 1, h, w)), 0, sigma), z, z, z, z, 1e-4,
				0);
			double plain = 0;
			for (int i = 0; i < xh.length; i++)
				plain += (xh[i] - xt[i]) * (xh[i] - xt[i]);
			assertEquals(plain / (b * h * w), mse.recon.getFloat(), 1e-5);
		}
	}

	@Test
	void klTermIsBetaWeightedAndFreeBitsFloorTheObjective() {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final Shape zs = new Shape(2, 4, 3); // steps, batch, z
			final NDArray muQ = m.randomNormal(zs), lvQ = m.randomNormal(zs).mul(0.1f), zero = m.zeros(zs);
			final NDArray x = m.zeros(new Shape(4, 2, 1, 4, 4));
			final NDArray w = m.ones(new Shape(4, 1, 4, 4));
			final TvaeLoss.Parts p = TvaeLoss.compute(x, x, w, muQ, lvQ, zero, zero, 0.5, 0);
			final float[] perDim = p.klPerDim.toFloatArray();
			final NDArray el = TvaeLoss.klGaussian(muQ, lvQ, zero, zero);
			for (int d = 0; d < 3; d++)
				assertEquals(el.get(":, :, {}", d).sum().getFloat() / 4, perDim[d], 1e-5);
			assertEquals(0.5 * p.kl.getFloat(), p.total.getFloat(), 1e-5);
			final TvaeLoss.Parts fb = TvaeLoss.compute(x, x, w, zero, zero, zero, zero, 1.0, 0.25);
			assertEquals(0, fb.kl.getFloat(), 1e-7);
			assertEquals(2 * 3 * 0.25, fb.total.getFloat(), 1e-6);
			assertArrayEquals(new float[3], fb.klPerDim.toFloatArray(), 1e-7f);
		}
	}

	@Test
	void varianceTermIsTheDetachedBetaNll() {
		EngineSetup.engine();
		final int b = 2, s = 2, h = 3, w = 4, n = b * s * h * w;
		final Random r = new Random(5);
		final float[] xh = new float[n], xt = new float[n], lv = new float[n];
		for (int i = 0; i < n; i++) {
			xh[i] = r.nextFloat();
			xt[i] = r.nextFloat();
			lv[i] = -4 + 3 * r.nextFloat();
		}
		double nll = 0;
		for (int i = 0; i < n; i++) {
			final double d = xh[i] - xt[i];
			nll += Math.exp(0.5 * lv[i]) * 0.5 * (lv[i] + d * d * Math.exp(-lv[i]));
		}
		nll = nll / n * s; // mean over pixels per step, summed over steps
		try (NDManager m = NDManager.newBaseManager()) {
			final Shape shape = new Shape(b, s, 1, h, w);
			final NDArray x = m.create(xh, shape), v = m.create(lv, shape), ones = m.ones(new Shape(b, 1, h, w)), z = m
				.zeros(new Shape(s, b, 3));
			x.setRequiresGradient(true);
			v.setRequiresGradient(true);
			final TvaeLoss.Parts p;
			try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
				p = TvaeLoss.compute(x, m.create(xt, shape), ones, z, z, z, z, 1e-4, 0, v, 0.3);
				gc.backward(p.total);
			}
			assertEquals(nll, p.varianceNll.getFloat(), 1e-5);
			assertEquals(p.recon.getFloat() + 0.3 * nll, p.total.getFloat(), 1e-5);
			// the forecast's gradient is the squared error's alone: the variance term does not pull on it
			final float[] gx = x.getGradient().toFloatArray(), gv = v.getGradient().toFloatArray();
			for (int i = 0; i < n; i++) {
				final double d = xh[i] - xt[i];
				assertEquals(2 * d * s / n, gx[i], 1e-6, "d total / d forecast " + i);
				assertEquals(0.3 * Math.exp(0.5 * lv[i]) * 0.5 * (1 - d * d * Math.exp(-lv[i])) * s / n, gv[i], 1e-6, "d total / d logvar " + i);
			}
		}
	}
}
