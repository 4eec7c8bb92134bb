package org.osteocast.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.util.List;

/**
 * What the recurrent video-prediction baselines ({@link ConvLstm},
 * {@link PredRnn}) share: frames folded into patches
 * ({@link SpaceToDepth}, as PredRNN's reference does), a stack of
 * convolutional recurrent cells stepped once per week (the subclass), and an
 * output head (1×1 convolution of the top hidden state to {@code patch²}
 * channels, depth-to-space, sigmoid so frames stay in [0, 1]).
 * <p>
 * Training is next-frame prediction at every step, as both papers train: the
 * true weeks {@code 1..nPast} go in, weeks {@code 2..nPast+1} are predicted,
 * and the loss is the mean over predicted weeks and pixels of
 * {@code (1 + λ·G_σ(week 1)) ⊙ (x̂ − x)²} times the number of steps (summed
 * over steps, as {@link TvaeLoss} does, so the scales match; λ = 0 is plain
 * MSE). Forecasting runs over the observed weeks, then feeds each predicted
 * week back as the next input. The models are deterministic (no noise) and
 * use no batch norm, so {@code training} only matters for gradients.
 * <p>
 * {@link #forward} takes frames {@code (B, n, 1, S, S)} and returns the
 * prediction after each of them, {@code (B, n, 1, S, S)} (teacher forcing).
 */
public abstract class ConvRnnForecast extends AbstractBlock implements ForecastNet {

	protected final ConvRnnConfig cfg;
	private final ConvRnnConv head;

	protected ConvRnnForecast(final ConvRnnConfig cfg) {
		this.cfg = cfg;
		head = addChildBlock("head", new ConvRnnConv(cfg.hidden, cfg.frameChannels(), 1, true));
	}

	public ConvRnnConfig config() {
		return cfg;
	}

	/** Zero recurrent state for a batch of {@code batch} sequences, in {@code manager}. */
	protected abstract NDList zeroState(NDManager manager, long batch);

	/** One week through the stack: patched frame {@code x (B, p², g, g)} and the state in, the new state out. */
	protected abstract NDList step(ParameterStore ps, NDArray x, NDList state, boolean training);

	/** The top layer's hidden state {@code (B, H, g, g)} within a state. */
	protected abstract NDArray top(NDList state);

	/** Initialises the cells (the head is done here); {@code cell} is a patched frame's shape. */
	protected abstract void initializeCells(NDManager manager, DataType dataType, Shape cell);

	/** A zero state array {@code (B, H, g, g)}. */
	protected final NDArray zeros(final NDManager manager, final long batch) {
		return manager.zeros(new Shape(batch, cfg.hidden, cfg.gridSize(), cfg.gridSize()));
	}

	@Override
	public String architecture() {
		return cfg.architecture;
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
		return false;
	}

	@Override
	public Block block() {
		return this;
	}

	@Override
	public void initialize(final NDManager manager) {
		initialize(manager, DataType.FLOAT32, new Shape(1, cfg.nPast, 1, cfg.imageSize, cfg.imageSize));
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final int g = cfg.gridSize();
		head.initialize(manager, dataType, new Shape(1, cfg.hidden, g, g));
		initializeCells(manager, dataType, new Shape(1, cfg.frameChannels(), g, g));
	}

	@Override
	public List<PairList<String, Parameter>> parameterGroups() {
		return List.of(getParameters());
	}

	@Override
	public int trainNoise() {
		return 0;
	}

	@Override
	public int forecastNoise(final int horizon) {
		return 0;
	}

	/** Teacher-forced next-week prediction; phase 0 only, noise and β unused. */
	@Override
	public Loss loss(final int phase, final ParameterStore ps, final NDArray seq, final NDArray noise,
		final double klScale)
	{
		if (phase != 0) throw new IllegalArgumentException(cfg.architecture + " has one loss phase, not " + phase);
		final Shape s = seq.getShape();
		if (s.dimension() != 5 || s.get(1) != cfg.nPast + 1 || s.get(3) != cfg.imageSize || s.get(4) != cfg.imageSize)
			throw new IllegalArgumentException(cfg.architecture + " trains on (B, " + (cfg.nPast + 1) + ", 1, " +
				cfg.imageSize + ", " + cfg.imageSize + ") sequences, got " + s);
		final NDArray xhat = forward(ps, new NDList(seq.get(":, :{}", cfg.nPast)), true).head();
		final NDArray w = TvaeLoss.edgeWeights(seq.get(":, 0"), cfg.lambda, cfg.sigma).reshape(s.get(0), 1, 1, s.get(3),
			s.get(4));
		final NDArray d = xhat.sub(seq.get(":, 1:"));
		return Loss.of(d.mul(d).mul(w).mean().mul((float) cfg.nPast));
	}

	/**
	 * Runs over the observed weeks (any number ≥ 1; the model was trained on
	 * {@code nPast}), then feeds each prediction back for {@code horizon} weeks.
	 * {@code noise} is ignored (deterministic model).
	 */
	@Override
	public NDArray forecast(final ParameterStore ps, final NDArray observed, final NDArray noise, final int horizon,
		final boolean training)
	{
		if (horizon < 1) throw new IllegalArgumentException("horizon must be at least 1, not " + horizon);
		final long n = observed.getShape().get(1);
		return rollout(ps, observed, horizon - 1, (int) n - 1, training);
	}

	/**
	 * Steps over {@code frames (B, n, 1, S, S)} and then {@code extra} more
	 * weeks fed with the model's own predictions; returns the predictions made
	 * after steps {@code from .. n+extra-1}, {@code (B, n+extra-from, 1, S, S)}
	 * (the prediction after step {@code t} is week {@code t+2}, 1-based).
	 */
	public NDArray rollout(final ParameterStore ps, final NDArray frames, final int extra, final int from,
		final boolean training)
	{
		final Shape s = frames.getShape();
		if (s.dimension() != 5 || s.get(2) != 1 || s.get(3) != cfg.imageSize || s.get(4) != cfg.imageSize)
			throw new IllegalArgumentException(cfg.architecture + " expects (B, T, 1, " + cfg.imageSize + ", " +
				cfg.imageSize + ") frames, got " + s);
		final long b = s.get(0), n = s.get(1);
		if (n < 1) throw new IllegalArgumentException(cfg.architecture + " needs at least one observed week");
		if (extra < 0 || from < 0 || from > n - 1 + extra) throw new IllegalArgumentException("no step " + from +
			" among " + (n + extra));
		final int p = cfg.patch, g = cfg.gridSize(), size = cfg.imageSize;
		final NDArray patched = SpaceToDepth.spaceToDepth(frames.reshape(b * n, 1, size, size), p).reshape(b, n, (long) p
			* p, g, g);
		NDList state = zeroState(frames.getManager(), b);
		final NDList out = new NDList();
		NDArray prev = null;
		for (int t = 0; t < n + extra; t++) {
			final NDArray x = t < n ? patched.get(":, {}", t) : SpaceToDepth.spaceToDepth(prev, p);
			state = step(ps, x, state, training);
			if (t >= from || t >= n - 1) {
				prev = frame(ps, top(state), training);
				if (t >= from) out.add(prev);
			}
		}
		return NDArrays.stack(out, 1);
	}

	/** The output head: {@code (B, H, g, g) → (B, 1, S, S)} in (0, 1). */
	private NDArray frame(final ParameterStore ps, final NDArray h, final boolean training) {
		return Activation.sigmoid(SpaceToDepth.depthToSpace(head.forward(ps, new NDList(h), training).head(), cfg.patch));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(rollout(ps, in.head(), 0, 0, training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		return new Shape[] { inputShapes[0] };
	}
}
