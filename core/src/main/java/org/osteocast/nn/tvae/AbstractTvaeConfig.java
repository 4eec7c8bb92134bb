package org.osteocast.nn.tvae;

import com.google.gson.JsonObject;

import org.osteocast.nn.ForecastConfig;
import org.osteocast.nn.blocks.FrameOutput;

/**
 * The hyper-parameters the 2-D and the 3-D T-VAE share (SVG-LP's): the
 * encoder's base width {@code nf}, the frame embedding {@code g_dim}, the
 * latent {@code z_dim}, the LSTMs' width {@code rnn_size} and layer counts,
 * the output mapping, and the KL weight β with its free bits.
 */
public abstract class AbstractTvaeConfig extends ForecastConfig {

	public final int nf, gDim, zDim, rnnSize, predictorLayers, posteriorLayers, priorLayers;
	public final FrameOutput output;
	/** KL weight β and free bits per latent dimension (nats, 0 = off). */
	public final double beta, freeBits;

	protected AbstractTvaeConfig(final Builder<?> b) {
		super(b);
		nf = b.nf;
		gDim = b.gDim;
		zDim = b.zDim;
		rnnSize = b.rnnSize;
		predictorLayers = b.predictorLayers;
		posteriorLayers = b.posteriorLayers;
		priorLayers = b.priorLayers;
		output = b.output;
		beta = b.beta;
		freeBits = b.freeBits;
	}

	/** Fails unless every width and layer count is positive. */
	protected final void checkSizes() {
		if (nf < 1 || gDim < 1 || zDim < 1 || rnnSize < 1 || predictorLayers < 1 || posteriorLayers < 1 ||
			priorLayers < 1) throw new IllegalArgumentException("sizes and layer counts must be positive");
	}

	/** Channels of encoder level {@code level} (1-based): nf, 2nf, 4nf, 8nf, 8nf, … */
	public int channels(final int level) {
		return channels(nf, level);
	}

	/** Channels of every encoder level, finest first. */
	public int[] channels() {
		final int[] c = new int[levels()];
		for (int l = 1; l <= c.length; l++)
			c[l - 1] = channels(l);
		return c;
	}

	/** Writes nf, g_dim, z_dim, rnn_size and the three layer counts. */
	protected final void putLatent(final JsonObject o) {
		o.addProperty("nf", nf);
		o.addProperty("g_dim", gDim);
		o.addProperty("z_dim", zDim);
		o.addProperty("rnn_size", rnnSize);
		o.addProperty("predictor_layers", predictorLayers);
		o.addProperty("posterior_layers", posteriorLayers);
		o.addProperty("prior_layers", priorLayers);
	}

	/** Writes output, lambda, sigma, beta and free_bits. */
	protected final void putObjective(final JsonObject o) {
		o.addProperty("output", output.label());
		putEdgeLoss(o);
		o.addProperty("beta", beta);
		o.addProperty("free_bits", freeBits);
	}

	/**
	 * The shared part of both T-VAE builders (defaults of the paper / SVG-LP:
	 * g_dim 128, z_dim 10, 2-layer 256-unit frame predictor, 1-layer 256-unit
	 * prior and posterior, β = 1e-4, no free bits).
	 *
	 * @param <B> the 2-D or 3-D builder
	 */
	public abstract static class Builder<B extends Builder<B>> extends ForecastConfig.Builder<B> {
		protected int nf, gDim = 128, zDim = 10, rnnSize = 256, predictorLayers = 2, posteriorLayers = 1,
				priorLayers = 1;
		protected FrameOutput output;
		protected double beta = 1e-4, freeBits = 0;

		protected Builder(final int nf, final FrameOutput output) {
			this.nf = nf;
			this.output = output;
		}

		public B optNf(final int v) {
			nf = v;
			return self();
		}

		public B optGDim(final int v) {
			gDim = v;
			return self();
		}

		public B optZDim(final int v) {
			zDim = v;
			return self();
		}

		public B optRnnSize(final int v) {
			rnnSize = v;
			return self();
		}

		public B optPredictorLayers(final int v) {
			predictorLayers = v;
			return self();
		}

		public B optPosteriorLayers(final int v) {
			posteriorLayers = v;
			return self();
		}

		public B optPriorLayers(final int v) {
			priorLayers = v;
			return self();
		}

		public B optOutput(final FrameOutput v) {
			output = v;
			return self();
		}

		public B optBeta(final double v) {
			beta = v;
			return self();
		}

		public B optFreeBits(final double v) {
			freeBits = v;
			return self();
		}

		/** Starts from {@code c}'s shared settings. */
		protected B from(final AbstractTvaeConfig c) {
			return optImageSize(c.imageSize).optNPast(c.nPast).optLambda(c.lambda).optSigma(c.sigma).optNf(c.nf).optGDim(
				c.gDim).optZDim(c.zDim).optRnnSize(c.rnnSize).optPredictorLayers(c.predictorLayers).optPosteriorLayers(
					c.posteriorLayers).optPriorLayers(c.priorLayers).optOutput(c.output).optBeta(c.beta).optFreeBits(c.freeBits);
		}

		@Override
		public B read(final JsonObject o) {
			super.read(o);
			if (o.has("nf")) optNf(o.get("nf").getAsInt());
			if (o.has("g_dim")) optGDim(o.get("g_dim").getAsInt());
			if (o.has("z_dim")) optZDim(o.get("z_dim").getAsInt());
			if (o.has("rnn_size")) optRnnSize(o.get("rnn_size").getAsInt());
			if (o.has("predictor_layers")) optPredictorLayers(o.get("predictor_layers").getAsInt());
			if (o.has("posterior_layers")) optPosteriorLayers(o.get("posterior_layers").getAsInt());
			if (o.has("prior_layers")) optPriorLayers(o.get("prior_layers").getAsInt());
			if (o.has("output")) optOutput(FrameOutput.parse(o.get("output").getAsString()));
			if (o.has("beta")) optBeta(o.get("beta").getAsDouble());
			if (o.has("free_bits")) optFreeBits(o.get("free_bits").getAsDouble());
			return self();
		}
	}
}
