package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The T-VAE objective: edge-aware reconstruction plus β·KL.
 * <ul>
 * <li>Reconstruction: for every predicted step, the mean over pixels of
 * {@code (1 + λ·G_σ(x_week1)) ⊙ (x̂ − x)²}, summed over steps (SVG-LP sums its
 * per-step MSE). {@code G_σ} is a Gaussian blur ({@link EdgeWeights}) of the
 * first week's slice: the weight is highest on and around the bone, where
 * lesions appear. λ = 0 is the plain-MSE ablation.</li>
 * <li>KL(posterior ‖ prior) of diagonal Gaussians in closed form, summed over
 * latent dimensions and steps, averaged over the batch (SVG-LP). With free
 * bits {@code f > 0}, each (step, dimension)'s batch-mean KL counts as at
 * least {@code f} in the objective (Kingma et al. 2016); the reported KL is
 * always the raw one.</li>
 * <li>Per-pixel variance (when the decoder has a log-variance output
 * {@code v}, {@code σ² = e^v}): γ times the mean over pixels of
 * {@code sg[σ] · ½ (v + sg[(x̂ − x)²] / σ²)}, summed over steps. Per pixel its
 * minimiser is {@code σ² = E[(x̂ − x)²]}: the variance learns the expected
 * squared error of the point forecast where it stands. The squared error is
 * detached ({@code sg}), so the point forecast is fitted by the edge-aware
 * squared error alone; a joint Gaussian likelihood would let it give up on
 * hard pixels by inflating their variance. The detached factor {@code σ}
 * is β-NLL with β = ½ (Seitzer et al. 2022, "On the pitfalls of
 * heteroscedastic uncertainty estimation"): it leaves the minimiser alone
 * but scales the term's gradient by σ, so where the forecast is already
 * exact (σ → 0) the term stops pulling on the features it shares with the
 * forecast. This is an aleatoric variance in the sense of Kendall &amp; Gal
 * (2017), on top of the latent samples' spread.</li>
 * </ul>
 */
public final class TvaeLoss {

	private TvaeLoss() {}

	/** The loss and its parts (scalars and the per-dimension KL), all in the inputs' manager. */
	public static final class Parts {
		/** β·KL' + reconstruction, the quantity to minimise. */
		public final NDArray total;
		public final NDArray recon, kl;
		/** KL per latent dimension, summed over steps, batch mean: {@code (z)}. */
		public final NDArray klPerDim;

		/** The variance term before γ (scalar), or {@code null} without a variance output. */
		public final NDArray varianceNll;

		Parts(final NDArray total, final NDArray recon, final NDArray kl, final NDArray klPerDim,
			final NDArray varianceNll)
		{
			this.total = total;
			this.recon = recon;
			this.kl = kl;
			this.klPerDim = klPerDim;
			this.varianceNll = varianceNll;
		}
	}

	/** Element-wise KL(q ‖ p) of diagonal Gaussians given means and log-variances. */
	public static NDArray klGaussian(final NDArray muQ, final NDArray lvQ, final NDArray muP, final NDArray lvP) {
		// log(σp/σq) + (σq² + (μq−μp)²) / (2σp²) − ½
		final NDArray d = muQ.sub(muP);
		return lvP.sub(lvQ).mul(0.5f).add(lvQ.exp().add(d.mul(d)).div(lvP.exp().mul(2f))).sub(0.5f);
	}

	/**
	 * @param xhat predictions {@code (B, S, 1, H, W)}
	 * @param target truth {@code (B, S, 1, H, W)}
	 * @param weights {@link EdgeWeights#of} {@code (B, 1, H, W)}
	 * @param muQ posterior means {@code (S, B, z)}, likewise the others
	 * @param beta KL weight (after any annealing)
	 * @param freeBits minimum KL per step and dimension in the objective (0 = off)
	 */
	public static Parts compute(final NDArray xhat, final NDArray target, final NDArray weights, final NDArray muQ,
		final NDArray lvQ, final NDArray muP, final NDArray lvP, final double beta, final double freeBits)
	{
		return compute(xhat, target, weights, muQ, lvQ, muP, lvP, beta, freeBits, null, 0);
	}

	/**
	 * As above, plus the per-pixel variance term.
	 *
	 * @param pixelLogvar the forecast's log-variance {@code (B, S, 1, H, W)}, or {@code null}
	 * @param varianceWeight γ, the variance term's weight in the total
	 */
	public static Parts compute(final NDArray xhat, final NDArray target, final NDArray weights, final NDArray muQ,
		final NDArray lvQ, final NDArray muP, final NDArray lvP, final double beta, final double freeBits,
		final NDArray pixelLogvar, final double varianceWeight)
	{
		final Shape s = xhat.getShape();
		final long steps = s.get(1);
		final NDArray w = weights.reshape(s.get(0), 1, 1, s.get(3), s.get(4));
		final NDArray d = xhat.sub(target), sq = d.mul(d);
		final NDArray recon = sq.mul(w).mean().mul((float) steps);
		final NDArray klStepDim = klGaussian(muQ, lvQ, muP, lvP).mean(new int[] { 1 }); // (S, z)
		final NDArray klPerDim = klStepDim.sum(new int[] { 0 });
		final NDArray kl = klPerDim.sum();
		final NDArray klObjective = freeBits > 0 ? klStepDim.maximum((float) freeBits).sum() : kl;
		NDArray total = recon.add(klObjective.mul((float) beta));
		NDArray nll = null;
		if (pixelLogvar != null) {
			final NDArray err = sq.stopGradient(), sigma = pixelLogvar.mul(0.5f).exp().stopGradient();
			nll = pixelLogvar.add(err.mul(pixelLogvar.neg().exp())).mul(sigma).mean().mul(0.5f * steps);
			total = total.add(nll.mul((float) varianceWeight));
		}
		return new Parts(total, recon, kl, klPerDim, nll);
	}
}
