package org.osteocast.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.util.List;

/**
 * The 2-D temporal VAE (Xiong et al. 2022) after SVG-LP (Denton &amp; Fergus
 * 2018): a per-slice {@link ConvEncoder}, a frame predictor
 * ({@link LstmStack}, deterministic), a learned prior and a posterior
 * ({@link LstmStack}, Gaussian), and a {@link ConvDecoder} with skips from the
 * last observed week.
 * <p>
 * {@link #forward} is the training pass (teacher forcing, as SVG-LP: at every
 * step the posterior sees the true next frame and the predictor the true
 * previous frame). All frames are encoded in one batched call and all steps
 * decoded in one batched call, since under teacher forcing the decoder's
 * inputs do not depend on earlier decoder outputs; only the small LSTMs run
 * step by step. {@link #generate} is the prediction roll-out.
 * <p>
 * Random numbers (the reparameterisation noise) are inputs, not drawn inside:
 * the caller draws them from its own seeded generator, so training is
 * reproducible and resumable independently of the engine's random state.
 */
public final class Tvae extends AbstractBlock implements ForecastNet {

	private final TvaeConfig cfg;
	private final ConvEncoder encoder;
	private final ConvDecoder decoder;
	private final LstmStack predictor, posterior, prior;
	private final LatentDynamics dynamics;

	public Tvae(final TvaeConfig cfg) {
		this.cfg = cfg;
		encoder = addChildBlock("encoder", new ConvEncoder(cfg));
		decoder = addChildBlock("decoder", new ConvDecoder(cfg));
		predictor = addChildBlock("frame_predictor", new LstmStack(LstmStack.Kind.DETERMINISTIC, cfg.gDim + cfg.zDim,
			cfg.rnnSize, cfg.gDim, cfg.predictorLayers));
		posterior = addChildBlock("posterior", new LstmStack(LstmStack.Kind.GAUSSIAN, cfg.gDim, cfg.rnnSize, cfg.zDim,
			cfg.posteriorLayers));
		prior = addChildBlock("prior", new LstmStack(LstmStack.Kind.GAUSSIAN, cfg.gDim, cfg.rnnSize, cfg.zDim,
			cfg.priorLayers));
		dynamics = new LatentDynamics(predictor, posterior, prior);
	}

	public TvaeConfig config() {
		return cfg;
	}

	@Override
	public String architecture() {
		return TvaeConfig.ARCHITECTURE;
	}

	@Override
	public JsonObject hyperParameters() {
		return cfg.toJson();
	}

	@Override
	public int imageSize() {
		return cfg.imageSize;
	}

	@Override
	public int nPast() {
		return cfg.nPast;
	}

	@Override
	public int spatialDims() {
		return 2;
	}

	@Override
	public boolean stochastic() {
		return true;
	}

	@Override
	public Block block() {
		return this;
	}

	@Override
	public List<PairList<String, Parameter>> parameterGroups() {
		return List.of(getParameters());
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
		final NDArray eps = LatentDynamics.stepMajor(noise, cfg.nPast, cfg.zDim);
		final NDArray weights = TvaeLoss.edgeWeights(seq.get(":, 0"), cfg.lambda, cfg.sigma);
		final NDList outs = forward(ps, new NDList(seq, eps), true);
		final TvaeLoss.Parts p = TvaeLoss.compute(outs.get(0), seq.get(":, 1:"), weights, outs.get(1), outs.get(2),
			outs.get(3), outs.get(4), klScale * cfg.beta, cfg.freeBits, cfg.pixelVariance ? outs.get(5) : null, cfg.varianceWeight);
		return new Loss(p.total, p.recon, p.kl, p.klPerDim, outs.get(1));
	}

	@Override
	public NDArray forecast(final ParameterStore ps, final NDArray observed, final NDArray noise, final int horizon,
		final boolean training)
	{
		final NDArray[] eps = LatentDynamics.forecastNoise(noise, observed, cfg.nPast, horizon, cfg.zDim);
		return generate(ps, observed, eps[0], eps[1], training);
	}

	@Override
	public boolean pixelVariance() {
		return cfg.pixelVariance;
	}

	@Override
	public NDList forecastDistribution(final ParameterStore ps, final NDArray observed, final NDArray noise,
		final int horizon, final boolean training)
	{
		final NDArray[] eps = LatentDynamics.forecastNoise(noise, observed, cfg.nPast, horizon, cfg.zDim);
		final NDArray out = rollOut(ps, observed, eps[0], eps[1], training);
		if (!cfg.pixelVariance) return new NDList(out);
		return new NDList(out.get(":, :, 0:1"), out.get(":, :, 1:2").exp());
	}

	/** Initialises all parameters (uses the engine's random generator: seed it first). */
	public void initialize(final NDManager manager) {
		initialize(manager, DataType.FLOAT32, new Shape(1, cfg.nPast + 1, 1, cfg.imageSize, cfg.imageSize), new Shape(
			cfg.nPast, 1, cfg.zDim));
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape img = new Shape(1, 1, cfg.imageSize, cfg.imageSize);
		encoder.initialize(manager, dataType, img);
		final Shape[] enc = encoder.getOutputShapes(new Shape[] { img });
		final Shape[] dec = new Shape[enc.length + 1];
		System.arraycopy(enc, 0, dec, 0, enc.length);
		dec[enc.length] = img;
		decoder.initialize(manager, dataType, dec);
		initStack(predictor, manager, dataType, cfg.gDim + cfg.zDim);
		initStack(posterior, manager, dataType, cfg.gDim);
		initStack(prior, manager, dataType, cfg.gDim);
	}

	private void initStack(final LstmStack s, final NDManager m, final DataType t, final int in) {
		final Shape[] shapes = new Shape[1 + 2 * s.layers()];
		shapes[0] = new Shape(1, in);
		for (int i = 1; i < shapes.length; i++)
			shapes[i] = new Shape(1, cfg.rnnSize);
		s.initialize(m, t, shapes);
	}

	/**
	 * Training pass. Input {@code NDList(seq (B, T, 1, S, S), eps (T-1, B, z))};
	 * output {@code NDList(x̂ (B, T-1, 1, S, S), mu_q, logvar_q, mu_p, logvar_p)}
	 * (each {@code (T-1, B, z)}), where {@code x̂[:, i-1]} predicts week
	 * {@code i+1} (0-based frame {@code i}); with
	 * {@link TvaeConfig#pixelVariance()} then the per-pixel log-variance of
	 * {@code x̂}, {@code (B, T-1, 1, S, S)}.
	 */
	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray seq = in.get(0), eps = in.get(1);
		final long b = seq.getShape().get(0), t = seq.getShape().get(1);
		final int s = cfg.imageSize, levels = cfg.levels();
		final NDList enc = encoder.forward(ps, new NDList(seq.reshape(b * t, 1, s, s)), training);
		final NDArray h = enc.get(0).reshape(b, t, cfg.gDim);
		final LatentDynamics.TeacherForced tf = dynamics.teacherForced(ps, h, eps, training);
		final int[] base = LatentDynamics.skipFrames(t, cfg.nPast);
		final long steps = t - 1;
		final NDList decIn = new NDList(NDArrays.stack(tf.predictions, 1).reshape(b * steps, cfg.gDim));
		for (int l = 1; l <= levels; l++) {
			final NDArray f = enc.get(l);
			final Shape fs = f.getShape();
			decIn.add(LatentDynamics.gatherFrames(f.reshape(b, t, fs.get(1), fs.get(2), fs.get(3)), base).reshape(b * steps, fs.get(1),
				fs.get(2), fs.get(3)));
		}
		decIn.add(LatentDynamics.gatherFrames(seq, base).reshape(b * steps, 1, s, s));
		final NDList dec = decoder.forward(ps, decIn, training);
		final NDList out = new NDList(dec.get(0).reshape(b, steps, 1, s, s), NDArrays.stack(tf.muQ), NDArrays.stack(
			tf.lvQ), NDArrays.stack(tf.muP), NDArrays.stack(tf.lvP));
		if (cfg.pixelVariance) out.add(dec.get(1).reshape(b, steps, 1, s, s));
		return out;
	}

	/**
	 * Prediction roll-out (SVG-LP's generation): the posterior conditions on the
	 * observed weeks (noise {@code epsPost (nPast-1, B, z)}), then each future
	 * week takes {@code z} from the learned prior (noise
	 * {@code epsPrior (horizon, B, z)}); a predicted week is encoded again to
	 * predict the next one. Skips (and the residual base) stay those of the
	 * last observed week, as in training.
	 *
	 * @param observed {@code (B, nPast, 1, S, S)}
	 * @return {@code (B, horizon, 1, S, S)}
	 */
	public NDArray generate(final ParameterStore ps, final NDArray observed, final NDArray epsPost,
		final NDArray epsPrior, final boolean training)
	{
		final NDArray out = rollOut(ps, observed, epsPost, epsPrior, training);
		return cfg.pixelVariance ? out.get(":, :, 0:1") : out;
	}

	/** {@link #generate}, with the log-variance as a second channel when the model has one: {@code (B, horizon, C, S, S)}. */
	private NDArray rollOut(final ParameterStore ps, final NDArray observed, final NDArray epsPost,
		final NDArray epsPrior, final boolean training)
	{
		final long b = observed.getShape().get(0), n = observed.getShape().get(1);
		if (n != cfg.nPast) throw new IllegalArgumentException("the model conditions on " + cfg.nPast +
			" weeks, got " + n);
		final int s = cfg.imageSize, levels = cfg.levels();
		final NDList enc = encoder.forward(ps, new NDList(observed.reshape(b * n, 1, s, s)), training);
		final NDArray h = enc.get(0).reshape(b, n, cfg.gDim);
		final NDList skips = new NDList();
		for (int l = 1; l <= levels; l++) {
			final NDArray f = enc.get(l);
			final Shape fs = f.getShape();
			skips.add(f.reshape(b, n, fs.get(1), fs.get(2), fs.get(3)).get(":, {}", n - 1));
		}
		final NDArray xLast = observed.get(":, {}", n - 1);
		return dynamics.generate(ps, h, epsPost, epsPrior, g -> {
			final NDList decIn = new NDList(g);
			decIn.addAll(skips);
			decIn.add(xLast);
			final NDList d = decoder.forward(ps, decIn, training);
			return cfg.pixelVariance ? d.get(0).concat(d.get(1), 1) : d.head();
		}, x -> encoder.forward(ps, new NDList(cfg.pixelVariance ? x.get(":, 0:1") : x), training).get(0), training);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape seq = inputShapes[0];
		final long b = seq.get(0), steps = seq.get(1) - 1;
		final Shape z = new Shape(steps, b, cfg.zDim), x = new Shape(b, steps, 1, cfg.imageSize, cfg.imageSize);
		return cfg.pixelVariance ? new Shape[] { x, z, z, z, z, x } : new Shape[] { x, z, z, z, z };
	}
}
