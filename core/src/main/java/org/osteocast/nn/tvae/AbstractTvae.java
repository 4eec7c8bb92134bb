package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.osteocast.nn.AbstractForecaster;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.blocks.LstmStack;

/**
 * What the 2-D and the 3-D temporal VAE share (SVG-LP, Denton &amp; Fergus
 * 2018): a per-week encoder, a frame predictor ({@link LstmStack},
 * deterministic), a learned prior and a posterior ({@link LstmStack},
 * Gaussian), a decoder that may take skips from the last observed week, and
 * the objective of {@link TvaeLoss}. A subclass supplies the encoder and the
 * decoder and says how frames are padded for them and what the loss sees.
 * <p>
 * {@link #teacherForced} is the training pass (teacher forcing, as SVG-LP: at
 * every step the posterior sees the true next frame and the predictor the
 * true previous frame). All frames are encoded in one batched call and all
 * steps decoded in one batched call, since under teacher forcing the
 * decoder's inputs do not depend on earlier decoder outputs; only the small
 * LSTMs run step by step. {@link #generate} is the prediction roll-out.
 * <p>
 * Random numbers (the reparameterisation noise) are inputs, not drawn inside:
 * the caller draws them from its own seeded generator, so training is
 * reproducible and resumable independently of the engine's random state.
 * Noise: {@code nPast × z} per sequence in training,
 * {@code (nPast − 1 + horizon) × z} when forecasting, step-major.
 *
 * @param <C> the 2-D or 3-D configuration
 */
public abstract class AbstractTvae<C extends AbstractTvaeConfig> extends AbstractForecaster<C> {

	/** The per-week encoder: frames {@code (N, 1, [Dp,] S, S)} → {@code NDList(h (N, g_dim), f_1, …, f_L)}. */
	protected final Block encoder;
	/** The decoder: {@code NDList(g (N, g_dim), [f_1, …, f_L,] x_last)} → {@code NDList(x̂[, log-variance])}. */
	protected final Block decoder;
	private final LstmStack predictor, posterior, prior;
	private final LatentDynamics dynamics;

	protected AbstractTvae(final C cfg, final int spatialDims, final Block encoder, final Block decoder) {
		super(cfg, spatialDims, true);
		this.encoder = addChildBlock("encoder", encoder);
		this.decoder = addChildBlock("decoder", decoder);
		predictor = addChildBlock("frame_predictor", new LstmStack(LstmStack.Kind.DETERMINISTIC, cfg.gDim + cfg.zDim,
			cfg.rnnSize, cfg.gDim, cfg.predictorLayers));
		posterior = addChildBlock("posterior", new LstmStack(LstmStack.Kind.GAUSSIAN, cfg.gDim, cfg.rnnSize, cfg.zDim,
			cfg.posteriorLayers));
		prior = addChildBlock("prior", new LstmStack(LstmStack.Kind.GAUSSIAN, cfg.gDim, cfg.rnnSize, cfg.zDim,
			cfg.priorLayers));
		dynamics = new LatentDynamics(predictor, posterior, prior);
	}

	/**
	 * Pads the depth axis {@code axis} of frames for the encoder (3-D: to
	 * {@link Tvae3dConfig#paddedDepth()}); 2-D frames pass unchanged.
	 */
	protected abstract NDArray pad(NDArray x, int axis);

	/** Undoes {@link #pad} on a decoder output's axis {@code axis}. */
	protected abstract NDArray crop(NDArray x, int axis);

	/** Whether the decoder takes the encoder's features of the last observed week. */
	protected abstract boolean passSkips();

	/** Edge weights of the loss from week 1, {@code (B, 1, [D,] S, S)}. */
	protected abstract NDArray edgeWeights(NDArray week1);

	/** Checks a training batch before the loss (the default accepts any). */
	protected void checkTraining(final NDArray seq, final NDArray noise) {}

	/** Fails unless {@code observed} is a batch of {@code nPast} observed weeks. */
	protected abstract void checkObserved(NDArray observed);

	/** {@link TvaeLoss} of a training pass against the true weeks 2..T. */
	protected abstract TvaeLoss.Parts objective(NDArray seq, NDArray weights, Pass pass, double beta);

	/** The training pass's outputs, by name. */
	public static final class Pass {
		/**
		 * Forecast frames {@code (B, T-1, 1, [D,] S, S)}, where {@code frames[:, i-1]}
		 * predicts week {@code i+1} (0-based frame {@code i}).
		 */
		public final NDArray frames;
		/** Posterior means and log-variances, each {@code (T-1, B, z)}. */
		public final NDArray muQ, logvarQ;
		/** Learned prior means and log-variances, each {@code (T-1, B, z)}. */
		public final NDArray muP, logvarP;
		/** Per-pixel log-variance of {@link #frames}, or {@code null} when the model has no variance output. */
		public final NDArray pixelLogvar;

		Pass(final NDArray frames, final NDArray muQ, final NDArray logvarQ, final NDArray muP, final NDArray logvarP,
			final NDArray pixelLogvar)
		{
			this.frames = frames;
			this.muQ = muQ;
			this.logvarQ = logvarQ;
			this.muP = muP;
			this.logvarP = logvarP;
			this.pixelLogvar = pixelLogvar;
		}

		/** As the block's output list: frames, mu_q, logvar_q, mu_p, logvar_p[, pixel log-variance]. */
		NDList toList() {
			final NDList l = new NDList(frames, muQ, logvarQ, muP, logvarP);
			if (pixelLogvar != null) l.add(pixelLogvar);
			return l;
		}
	}

	/** One latent per step: {@code nPast × z}, laid out step-major. */
	@Override
	public int trainNoise() {
		return cfg.nPast * cfg.zDim;
	}

	/** Posterior noise for weeks 2..nPast, then prior noise per predicted week, step-major. */
	@Override
	public int forecastNoise(final int horizon) {
		return (cfg.nPast - 1 + horizon) * cfg.zDim;
	}

	/** The edge-aware reconstruction plus β·KL ({@link TvaeLoss}) under teacher forcing. */
	@Override
	public Loss loss(final int phase, final ParameterStore ps, final NDArray seq, final NDArray noise,
		final double klScale)
	{
		checkTraining(seq, noise);
		final NDArray eps = LatentDynamics.stepMajor(noise, cfg.nPast, cfg.zDim);
		final NDArray weights = edgeWeights(seq.get(":, 0"));
		final Pass pass = teacherForced(ps, seq, eps, true);
		final TvaeLoss.Parts p = objective(seq, weights, pass, klScale * cfg.beta);
		return new Loss(p.total, p.recon, p.kl, p.klPerDim, pass.muQ);
	}

	@Override
	public NDArray forecast(final ParameterStore ps, final NDArray observed, final NDArray noise, final int horizon,
		final boolean training)
	{
		final NDArray[] eps = LatentDynamics.forecastNoise(noise, observed, cfg.nPast, horizon, cfg.zDim);
		return generate(ps, observed, eps[0], eps[1], training);
	}

	@Override
	public NDList forecastDistribution(final ParameterStore ps, final NDArray observed, final NDArray noise,
		final int horizon, final boolean training)
	{
		return forecastDistribution(ps, observed, noise, horizon, training, 1);
	}

	/** The observed weeks are encoded once per observed row, then repeated for the latent samples. */
	@Override
	public NDList forecastDistribution(final ParameterStore ps, final NDArray observed, final NDArray noise,
		final int horizon, final boolean training, final int repeats)
	{
		final NDArray[] eps = LatentDynamics.forecastNoise(noise, observed, observed.getShape().get(0) * repeats, cfg.nPast,
			horizon, cfg.zDim);
		final NDArray out = rollOut(ps, observed, repeats, eps[0], eps[1], training);
		if (!pixelVariance()) return new NDList(out);
		return new NDList(out.get(":, :, 0:1"), out.get(":, :, 1:2").exp());
	}

	/** A sequence of {@code nPast + 1} weeks and the training noise {@code (nPast, 1, z)}. */
	@Override
	protected Shape[] initialShapes() {
		return new Shape[] { new Shape(1, cfg.nPast + 1).addAll(frameShape()), new Shape(cfg.nPast, 1, cfg.zDim) };
	}

	/**
	 * Sizes the encoder from one (padded) frame, the decoder from what it will
	 * be given, and the LSTMs from their widths.
	 */
	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape in = padded(new Shape(1).addAll(inputShapes[0].slice(2)));
		encoder.initialize(manager, dataType, in);
		decoder.initialize(manager, dataType, decoderShapes(encoder.getOutputShapes(new Shape[] { in }), in));
		initStack(predictor, manager, dataType, cfg.gDim + cfg.zDim);
		initStack(posterior, manager, dataType, cfg.gDim);
		initStack(prior, manager, dataType, cfg.gDim);
	}

	/** The shape {@link #pad} gives a batch of frames {@code (N, 1, [D,] S, S)}. */
	protected abstract Shape padded(Shape frames);

	/** The shapes the decoder is initialised with, given the encoder's output shapes and a frame's. */
	protected abstract Shape[] decoderShapes(Shape[] encoded, Shape frame);

	private void initStack(final LstmStack s, final NDManager m, final DataType t, final int in) {
		final Shape[] shapes = new Shape[1 + 2 * s.layers()];
		shapes[0] = new Shape(1, in);
		for (int i = 1; i < shapes.length; i++)
			shapes[i] = new Shape(1, cfg.rnnSize);
		s.initialize(m, t, shapes);
	}

	/**
	 * Training pass (teacher forcing).
	 *
	 * @param seq {@code (B, T, 1, [D,] S, S)}
	 * @param eps {@code (T-1, B, z)}
	 */
	public Pass teacherForced(final ParameterStore ps, final NDArray seq, final NDArray eps, final boolean training) {
		final Shape ss = seq.getShape();
		final long b = ss.get(0), t = ss.get(1);
		final NDArray frames = pad(seq, 3); // (B, T, 1, [Dp,] S, S)
		final Shape frame = frames.getShape().slice(2);
		final NDList enc = encoder.forward(ps, new NDList(frames.reshape(new Shape(b * t).addAll(frame))), training);
		final NDArray h = enc.get(0).reshape(b, t, cfg.gDim);
		final LatentDynamics.TeacherForced tf = dynamics.teacherForced(ps, h, eps, training);
		final int[] base = LatentDynamics.skipFrames(t, cfg.nPast);
		final long steps = t - 1;
		final NDList decIn = new NDList(NDArrays.stack(tf.predictions, 1).reshape(b * steps, cfg.gDim));
		if (passSkips()) for (int l = 1; l <= cfg.levels(); l++) {
			final NDArray f = enc.get(l);
			final Shape fs = f.getShape().slice(1);
			decIn.add(LatentDynamics.gatherFrames(f.reshape(new Shape(b, t).addAll(fs)), base).reshape(new Shape(b * steps)
				.addAll(fs)));
		}
		decIn.add(LatentDynamics.gatherFrames(frames, base).reshape(new Shape(b * steps).addAll(frame)));
		final NDList dec = decoder.forward(ps, decIn, training);
		final Shape out = new Shape(b, steps).addAll(ss.slice(2));
		return new Pass(crop(dec.get(0), 2).reshape(out), NDArrays.stack(tf.muQ), NDArrays.stack(tf.lvQ), NDArrays.stack(
			tf.muP), NDArrays.stack(tf.lvP), pixelVariance() ? dec.get(1).reshape(out) : null);
	}

	/**
	 * The block's forward pass is the training pass: input
	 * {@code NDList(seq, eps)}, output {@link Pass#toList()}.
	 */
	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		return teacherForced(ps, in.get(0), in.get(1), training).toList();
	}

	/**
	 * Prediction roll-out (SVG-LP's generation): the posterior conditions on the
	 * observed weeks (noise {@code epsPost (nPast-1, B, z)}), then each future
	 * week takes {@code z} from the learned prior (noise
	 * {@code epsPrior (horizon, B, z)}); a predicted week is encoded again to
	 * predict the next one. Skips (and the residual base) stay those of the
	 * last observed week, as in training.
	 *
	 * @param observed {@code (B, nPast, 1, [D,] S, S)}
	 * @return {@code (B, horizon, 1, [D,] S, S)}
	 */
	public NDArray generate(final ParameterStore ps, final NDArray observed, final NDArray epsPost,
		final NDArray epsPrior, final boolean training)
	{
		final NDArray out = rollOut(ps, observed, 1, epsPost, epsPrior, training);
		return pixelVariance() ? out.get(":, :, 0:1") : out;
	}

	/**
	 * {@link #generate}, with the log-variance as a second channel when the
	 * model has one; each observed row is encoded once and its encoding used
	 * for {@code repeats} rows in a row (one per latent sample).
	 */
	private NDArray rollOut(final ParameterStore ps, final NDArray observed, final int repeats, final NDArray epsPost,
		final NDArray epsPrior, final boolean training)
	{
		checkObserved(observed);
		final long b = observed.getShape().get(0), n = observed.getShape().get(1);
		final NDArray obs = pad(observed, 3);
		final Shape frame = obs.getShape().slice(2);
		final NDList enc = encoder.forward(ps, new NDList(obs.reshape(new Shape(b * n).addAll(frame))), training);
		final NDArray h = ForecastNet.repeatRows(enc.get(0).reshape(b, n, cfg.gDim), repeats);
		// the skips and the last observed week once per observed row: the decoder repeats what it needs (toRows)
		final NDList skips = new NDList();
		if (passSkips()) for (int l = 1; l <= cfg.levels(); l++) {
			final NDArray f = enc.get(l);
			skips.add(f.reshape(new Shape(b, n).addAll(f.getShape().slice(1))).get(":, {}", n - 1));
		}
		final NDArray xLast = obs.get(":, {}", n - 1);
		return dynamics.generate(ps, h, epsPost, epsPrior, g -> {
			final NDList decIn = new NDList(g);
			decIn.addAll(skips);
			decIn.add(xLast);
			final NDList d = decoder.forward(ps, decIn, training);
			return pixelVariance() ? d.get(0).concat(d.get(1), 1) : crop(d.head(), 2);
		}, x -> encoder.forward(ps, new NDList(pad(pixelVariance() ? x.get(":, 0:1") : x, 2)), training).get(0),
			training);
	}

	/**
	 * A decoder input with {@code rows} rows: {@code x} itself, or each of
	 * its rows repeated (the skips of one observed row, used by each of its
	 * latent samples) when {@code rows} is a multiple of its rows.
	 */
	static NDArray toRows(final NDArray x, final long rows) {
		final long r = x.getShape().get(0);
		if (r == rows) return x;
		if (r == 0 || rows % r != 0) throw new IllegalArgumentException("a decoder input of " + r +
			" rows cannot serve " + rows);
		return ForecastNet.repeatRows(x, Math.toIntExact(rows / r));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape seq = inputShapes[0];
		final long b = seq.get(0), steps = seq.get(1) - 1;
		final Shape z = new Shape(steps, b, cfg.zDim), x = new Shape(b, steps).addAll(seq.slice(2));
		return pixelVariance() ? new Shape[] { x, z, z, z, z, x } : new Shape[] { x, z, z, z, z };
	}
}
