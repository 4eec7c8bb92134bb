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
 * The 3-D temporal VAE: the structure of {@link Tvae} (SVG-LP: per-week
 * encoder, deterministic LSTM frame predictor, learned Gaussian prior and
 * posterior) on whole volumes, with a {@link Conv3dEncoder} and a
 * {@link Conv3dDecoder} in the {@link Tvae3dConfig.Style style} the
 * configuration names ({@code dcgan}: no skips; {@code unet}: skips at every
 * level from the last observed week).
 * <p>
 * Layout {@code (B, T, 1, D, S, S)}. Inside, volumes are padded along the
 * depth to {@link Tvae3dConfig#paddedDepth()} by edge replication and
 * outputs cropped back ({@link Conv3dDepthPad}); the loss sees only the
 * {@code D} real slices.
 * <p>
 * Loss: {@link TvaeLoss} with the edge weights computed per slice (the week-1
 * volume as {@code B·D} slices through {@link TvaeLoss#edgeWeights}), i.e.
 * the mean over voxels of the weighted squared error, summed over steps,
 * plus β·KL. Noise as {@link Tvae}: {@code nPast × z} per sequence in
 * training, {@code (nPast − 1 + horizon) × z} when forecasting, step-major.
 */
public final class Tvae3d extends AbstractBlock implements ForecastNet {

	private final Tvae3dConfig cfg;
	private final Conv3dEncoder encoder;
	private final Conv3dDecoder decoder;
	private final LstmStack predictor, posterior, prior;
	private final LatentDynamics dynamics;

	public Tvae3d(final Tvae3dConfig cfg) {
		this.cfg = cfg;
		encoder = addChildBlock("encoder", new Conv3dEncoder(cfg));
		decoder = addChildBlock("decoder", new Conv3dDecoder(cfg));
		predictor = addChildBlock("frame_predictor", new LstmStack(LstmStack.Kind.DETERMINISTIC, cfg.gDim + cfg.zDim,
			cfg.rnnSize, cfg.gDim, cfg.predictorLayers));
		posterior = addChildBlock("posterior", new LstmStack(LstmStack.Kind.GAUSSIAN, cfg.gDim, cfg.rnnSize, cfg.zDim,
			cfg.posteriorLayers));
		prior = addChildBlock("prior", new LstmStack(LstmStack.Kind.GAUSSIAN, cfg.gDim, cfg.rnnSize, cfg.zDim,
			cfg.priorLayers));
		dynamics = new LatentDynamics(predictor, posterior, prior);
	}

	/** The decoder (for tests that probe its skips). */
	Conv3dDecoder decoder() {
		return decoder;
	}

	public Tvae3dConfig config() {
		return cfg;
	}

	@Override
	public String architecture() {
		return Tvae3dConfig.ARCHITECTURE;
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
		return 3;
	}

	@Override
	public int depth() {
		return cfg.depth;
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

	/** Edge weights {@code 1 + λ G_σ(week 1)} per slice: {@code (B, 1, D, S, S) → (B, 1, D, S, S)}. */
	static NDArray edgeWeights(final NDArray week1, final double lambda, final double sigma) {
		final Shape s = week1.getShape();
		final long b = s.get(0), d = s.get(2), h = s.get(3), w = s.get(4);
		return TvaeLoss.edgeWeights(week1.reshape(b * d, 1, h, w), lambda, sigma).reshape(b, 1, d, h, w);
	}

	/** The edge-aware reconstruction plus β·KL ({@link TvaeLoss}) under teacher forcing. */
	@Override
	public Loss loss(final int phase, final ParameterStore ps, final NDArray seq, final NDArray noise,
		final double klScale)
	{
		checkSequence(seq, cfg.nPast + 1);
		final Shape s = seq.getShape();
		final long b = s.get(0), d = s.get(3), h = s.get(4), w = s.get(5);
		if (noise == null || noise.getShape().size() != b * trainNoise()) throw new IllegalArgumentException(
			"the 3-D T-VAE needs (B, " + trainNoise() + ") standard normals, got " + (noise == null ? "none" : noise
				.getShape()));
		final NDArray eps = LatentDynamics.stepMajor(noise, cfg.nPast, cfg.zDim);
		final NDArray weights = edgeWeights(seq.get(":, 0"), cfg.lambda, cfg.sigma);
		final NDList outs = forward(ps, new NDList(seq, eps), true);
		// TvaeLoss works on (B, steps, 1, H, W): slices stacked along H give the same mean over voxels
		final long steps = cfg.nPast;
		final TvaeLoss.Parts p = TvaeLoss.compute(outs.get(0).reshape(b, steps, 1, d * h, w), seq.get(":, 1:").reshape(b,
			steps, 1, d * h, w), weights.reshape(b, 1, d * h, w), outs.get(1), outs.get(2), outs.get(3), outs.get(4),
			klScale * cfg.beta, cfg.freeBits);
		return new Loss(p.total, p.recon, p.kl, p.klPerDim, outs.get(1));
	}

	@Override
	public NDArray forecast(final ParameterStore ps, final NDArray observed, final NDArray noise, final int horizon,
		final boolean training)
	{
		final NDArray[] eps = LatentDynamics.forecastNoise(noise, observed, cfg.nPast, horizon, cfg.zDim);
		return generate(ps, observed, eps[0], eps[1], training);
	}

	/** Initialises all parameters (uses the engine's random generator: seed it first). */
	@Override
	public void initialize(final NDManager manager) {
		initialize(manager, DataType.FLOAT32, new Shape(1, cfg.nPast + 1, 1, cfg.depth, cfg.imageSize, cfg.imageSize),
			new Shape(cfg.nPast, 1, cfg.zDim));
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape vol = new Shape(1, 1, cfg.paddedDepth(), cfg.imageSize, cfg.imageSize);
		encoder.initialize(manager, dataType, vol);
		decoder.initialize(manager, dataType, new Shape(1, cfg.gDim));
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

	private void checkSequence(final NDArray seq, final long weeks) {
		final Shape s = seq.getShape();
		if (s.dimension() != 6 || s.get(1) != weeks || s.get(2) != 1 || s.get(3) != cfg.depth || s.get(4) != cfg
			.imageSize || s.get(5) != cfg.imageSize) throw new IllegalArgumentException("the model takes (B, " + weeks +
				", 1, " + cfg.depth + ", " + cfg.imageSize + ", " + cfg.imageSize + "), got " + s);
	}

	/**
	 * Training pass. Input {@code NDList(seq (B, T, 1, D, S, S), eps (T-1, B, z))};
	 * output {@code NDList(x̂ (B, T-1, 1, D, S, S), mu_q, logvar_q, mu_p, logvar_p)}
	 * (each {@code (T-1, B, z)}), where {@code x̂[:, i-1]} predicts frame {@code i}.
	 */
	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray eps = in.get(1);
		final Shape ss = in.get(0).getShape();
		final long b = ss.get(0), t = ss.get(1);
		final int s = cfg.imageSize, dp = cfg.paddedDepth(), levels = cfg.levels();
		final NDArray seq = Conv3dDepthPad.pad(in.get(0), 3, dp); // (B, T, 1, Dp, S, S)
		final NDList enc = encoder.forward(ps, new NDList(seq.reshape(b * t, 1, dp, s, s)), training);
		final NDArray h = enc.get(0).reshape(b, t, cfg.gDim);
		final LatentDynamics.TeacherForced tf = dynamics.teacherForced(ps, h, eps, training);
		final int[] base = LatentDynamics.skipFrames(t, cfg.nPast);
		final long steps = t - 1;
		final NDList decIn = new NDList(NDArrays.stack(tf.predictions, 1).reshape(b * steps, cfg.gDim));
		if (cfg.skips()) for (int l = 1; l <= levels; l++) {
			final NDArray f = enc.get(l);
			final long[] fs = f.getShape().getShape();
			decIn.add(LatentDynamics.gatherFrames(f.reshape(b, t, fs[1], fs[2], fs[3], fs[4]), base).reshape(b * steps, fs[1], fs[2],
				fs[3], fs[4]));
		}
		decIn.add(LatentDynamics.gatherFrames(seq, base).reshape(b * steps, 1, dp, s, s));
		final NDArray xhat = Conv3dDepthPad.crop(decoder.forward(ps, decIn, training).head(), 2, cfg.depth);
		return new NDList(xhat.reshape(b, steps, 1, cfg.depth, s, s), NDArrays.stack(tf.muQ), NDArrays.stack(tf.lvQ),
			NDArrays.stack(tf.muP), NDArrays.stack(tf.lvP));
	}

	/**
	 * Prediction roll-out, as {@link Tvae#generate}: the posterior conditions
	 * on the observed weeks, each future week takes its latent from the
	 * learned prior, and a predicted week is encoded again to predict the
	 * next; skips and the residual base stay those of the last observed week.
	 *
	 * @param observed {@code (B, nPast, 1, D, S, S)}
	 * @param epsPost {@code (nPast − 1, B, z)}
	 * @param epsPrior {@code (horizon, B, z)}
	 * @return {@code (B, horizon, 1, D, S, S)}
	 */
	public NDArray generate(final ParameterStore ps, final NDArray observed, final NDArray epsPost,
		final NDArray epsPrior, final boolean training)
	{
		checkSequence(observed, cfg.nPast);
		final long b = observed.getShape().get(0), n = cfg.nPast;
		final int s = cfg.imageSize, dp = cfg.paddedDepth(), levels = cfg.levels();
		final NDArray obs = Conv3dDepthPad.pad(observed, 3, dp);
		final NDList enc = encoder.forward(ps, new NDList(obs.reshape(b * n, 1, dp, s, s)), training);
		final NDArray h = enc.get(0).reshape(b, n, cfg.gDim);
		final NDList skips = new NDList();
		if (cfg.skips()) for (int l = 1; l <= levels; l++) {
			final NDArray f = enc.get(l);
			final long[] fs = f.getShape().getShape();
			skips.add(f.reshape(b, n, fs[1], fs[2], fs[3], fs[4]).get(":, {}", n - 1));
		}
		final NDArray xLast = obs.get(":, {}", n - 1);
		return dynamics.generate(ps, h, epsPost, epsPrior, g -> {
			final NDList decIn = new NDList(g);
			decIn.addAll(skips);
			decIn.add(xLast);
			return Conv3dDepthPad.crop(decoder.forward(ps, decIn, training).head(), 2, cfg.depth);
		}, x -> encoder.forward(ps, new NDList(Conv3dDepthPad.pad(x, 2, dp)), training).get(0), training);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape seq = inputShapes[0];
		final long b = seq.get(0), steps = seq.get(1) - 1;
		final Shape z = new Shape(steps, b, cfg.zDim);
		return new Shape[] { new Shape(b, steps, 1, cfg.depth, cfg.imageSize, cfg.imageSize), z, z, z, z };
	}
}
