package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.blocks.LstmStack;

/**
 * The SVG-LP latent dynamics that the 2-D and the 3-D T-VAE share: a frame
 * predictor, a posterior and a learned prior ({@link LstmStack}s) stepping
 * over per-week embeddings {@code h (B, T, g)}. The stacks stay child blocks
 * of their model (so parameter names, and saved archives, do not change);
 * these functions only run them.
 */
final class LatentDynamics {

	private final LstmStack predictor, posterior, prior;

	LatentDynamics(final LstmStack predictor, final LstmStack posterior, final LstmStack prior) {
		this.predictor = predictor;
		this.posterior = posterior;
		this.prior = prior;
	}

	/** Teacher-forced outputs: predictor outputs and both Gaussians per step, each stacked as {@code (T-1, B, ·)}. */
	static final class TeacherForced {
		final NDList predictions = new NDList(), muQ = new NDList(), lvQ = new NDList(), muP = new NDList(),
				lvP = new NDList();
	}

	/**
	 * Training pass (teacher forcing, as SVG-LP): at step {@code i} the
	 * posterior sees week {@code i+1}'s embedding, the prior and the predictor
	 * week {@code i}'s.
	 *
	 * @param h {@code (B, T, g)}
	 * @param eps {@code (T-1, B, z)}
	 */
	TeacherForced teacherForced(final ParameterStore ps, final NDArray h, final NDArray eps, final boolean training) {
		final long b = h.getShape().get(0), t = h.getShape().get(1);
		LstmStack.State sp = predictor.zeroState(h.getManager(), b), sq = posterior.zeroState(h.getManager(), b),
				sr = prior.zeroState(h.getManager(), b);
		final TeacherForced out = new TeacherForced();
		for (int i = 1; i < t; i++) {
			final NDArray hPrev = h.get(":, {}", i - 1);
			final LstmStack.Step q = posterior.step(ps, h.get(":, {}", i), sq, training);
			sq = q.state;
			final NDArray z = sample(q, eps.get(i - 1));
			final LstmStack.Step p = prior.step(ps, hPrev, sr, training);
			sr = p.state;
			final LstmStack.Step f = predictor.step(ps, hPrev.concat(z, 1), sp, training);
			sp = f.state;
			out.predictions.add(f.output);
			out.muQ.add(q.output);
			out.lvQ.add(q.logvar);
			out.muP.add(p.output);
			out.lvP.add(p.logvar);
		}
		return out;
	}

	/**
	 * Prediction roll-out (SVG-LP's generation): the posterior conditions on
	 * the observed weeks, then each future week takes its latent from the
	 * learned prior; a predicted week is encoded again to predict the next.
	 *
	 * @param h observed embeddings {@code (B, n, g)}
	 * @param epsPost {@code (n-1, B, z)}
	 * @param epsPrior {@code (horizon, B, z)}
	 * @param decode predictor output {@code (B, g)} → the week's frame
	 * @param encode a predicted frame → its embedding {@code (B, g)}
	 * @return the frames, stacked on axis 1
	 */
	NDArray generate(final ParameterStore ps, final NDArray h, final NDArray epsPost, final NDArray epsPrior,
		final UnaryOperator<NDArray> decode, final UnaryOperator<NDArray> encode, final boolean training)
	{
		final long b = h.getShape().get(0), n = h.getShape().get(1);
		final int horizon = (int) epsPrior.getShape().get(0);
		LstmStack.State sp = predictor.zeroState(h.getManager(), b), sq = posterior.zeroState(h.getManager(), b),
				sr = prior.zeroState(h.getManager(), b);
		for (int i = 1; i < n; i++) {
			final NDArray hPrev = h.get(":, {}", i - 1);
			final LstmStack.Step q = posterior.step(ps, h.get(":, {}", i), sq, training);
			sq = q.state;
			sr = prior.step(ps, hPrev, sr, training).state;
			sp = predictor.step(ps, hPrev.concat(sample(q, epsPost.get(i - 1)), 1), sp, training).state;
		}
		NDArray hPrev = h.get(":, {}", n - 1);
		final List<NDArray> out = new ArrayList<>();
		for (int k = 0; k < horizon; k++) {
			final LstmStack.Step p = prior.step(ps, hPrev, sr, training);
			sr = p.state;
			final LstmStack.Step f = predictor.step(ps, hPrev.concat(sample(p, epsPrior.get(k)), 1), sp, training);
			sp = f.state;
			final NDArray x = decode.apply(f.output);
			out.add(x);
			if (k + 1 < horizon) hPrev = encode.apply(x);
		}
		return NDArrays.stack(new NDList(out), 1);
	}

	/**
	 * Per-sequence noise {@code (B, steps·z)}, step-major as
	 * {@link ForecastNet} hands it over, as the cells' {@code (steps, B, z)}.
	 */
	static NDArray stepMajor(final NDArray noise, final long steps, final int z) {
		return noise.reshape(noise.getShape().get(0), steps, z).transpose(1, 0, 2);
	}

	/**
	 * A forecast's noise {@code (B, (n-1+horizon)·z)} split into the
	 * posterior's for the observed weeks 2..n and the prior's per predicted
	 * week, each {@code (steps, B, z)}; {@code null} = zeros (the latent at
	 * its mean).
	 */
	static NDArray[] forecastNoise(final NDArray noise, final NDArray observed, final int nPast, final int horizon,
		final int z)
	{
		return forecastNoise(noise, observed, observed.getShape().get(0), nPast, horizon, z);
	}

	/** {@link #forecastNoise(NDArray, NDArray, int, int, int)} for {@code rows} forecasts of the observed batch. */
	static NDArray[] forecastNoise(final NDArray noise, final NDArray observed, final long rows, final int nPast,
		final int horizon, final int z)
	{
		final int post = (nPast - 1) * z;
		final NDArray e = noise != null ? noise : observed.getManager().zeros(new Shape(rows, (long) post + horizon * z));
		return new NDArray[] { stepMajor(e.get(":, :{}", post), nPast - 1, z), stepMajor(e.get(":, {}:", post), horizon,
			z) };
	}

	/**
	 * For each teacher-forced step {@code i = 1..t-1}, the frame whose skips
	 * (and residual base) the decoder uses: the previous one, but never past
	 * the last observed week, as at prediction time.
	 */
	static int[] skipFrames(final long t, final int nPast) {
		final int[] base = new int[(int) t - 1];
		for (int i = 1; i < t; i++)
			base[i - 1] = Math.min(i - 1, nPast - 1);
		return base;
	}

	/**
	 * {@code a[:, idx[0]], a[:, idx[1]], …} stacked on axis 1. A run of
	 * consecutive frames (training's {@link #skipFrames} when the sequence is
	 * {@code n_past + 1} weeks long) is one slice: its backward pass fills one
	 * zero gradient of {@code a}'s size instead of one per frame.
	 */
	static NDArray gatherFrames(final NDArray a, final int[] idx) {
		boolean run = idx.length > 0;
		for (int k = 1; k < idx.length && run; k++)
			run = idx[k] == idx[0] + k;
		if (run) return a.get(":, {}:{}", idx[0], idx[0] + idx.length);
		final NDList l = new NDList();
		for (final int i : idx)
			l.add(a.get(":, {}", i));
		return NDArrays.stack(l, 1);
	}

	/** Reparameterised sample {@code μ + exp(½ log σ²) ε}. */
	private static NDArray sample(final LstmStack.Step g, final NDArray eps) {
		return g.output.add(g.logvar.mul(0.5f).exp().mul(eps));
	}
}
