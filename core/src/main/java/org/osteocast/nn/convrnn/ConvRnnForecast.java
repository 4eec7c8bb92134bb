package org.osteocast.nn.convrnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.AbstractForecaster;
import org.osteocast.nn.blocks.ConvRnnConv;
import org.osteocast.nn.blocks.EdgeWeights;
import org.osteocast.nn.blocks.SpaceToDepth;

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
 * over steps, as the T-VAE's loss does, so the scales match; λ = 0 is plain
 * MSE). Forecasting runs over the observed weeks, then feeds each predicted
 * week back as the next input. The models are deterministic (no noise) and
 * use no batch norm, so {@code training} only matters for gradients.
 * <p>
 * {@link #forward} takes frames {@code (B, n, 1, S, S)} and returns the
 * prediction after each of them, {@code (B, n, 1, S, S)} (teacher forcing).
 */
public abstract class ConvRnnForecast extends AbstractForecaster<ConvRnnConfig> {

	/** Makes layer {@code l}'s cell: input channels, state channels, kernel side. */
	@FunctionalInterface
	protected interface CellFactory {
		Block create(int inChannels, int hidden, int kernel);
	}

	private final ConvRnnConv head;
	private final List<Block> cells = new ArrayList<>();
	private final int memories;

	/**
	 * @param memories state arrays a cell takes beyond its hidden and cell state
	 *          (PredRNN's spatio-temporal memory: 1; ConvLSTM: 0)
	 * @param cell the cell of every layer ({@code layer0}, {@code layer1}, …), the
	 *          first fed a patched frame, the others the hidden state below
	 */
	protected ConvRnnForecast(final ConvRnnConfig cfg, final int memories, final CellFactory cell) {
		super(cfg, 2, false);
		this.memories = memories;
		head = addChildBlock("head", new ConvRnnConv(cfg.hidden, cfg.frameChannels(), 1, true));
		for (int l = 0; l < cfg.layers; l++)
			cells.add(addChildBlock("layer" + l, cell.create(l == 0 ? cfg.frameChannels() : cfg.hidden, cfg.hidden,
				cfg.kernel)));
	}

	/** Layer {@code l}'s cell. */
	protected Block cell(final int l) {
		return cells.get(l);
	}

	/** One week through the stack: patched frame {@code x (B, p², g, g)} and the state in, the new state out. */
	protected abstract NDList step(ParameterStore ps, NDArray x, NDList state, boolean training);

	/**
	 * Zero recurrent state for a batch of {@code batch} sequences, in
	 * {@code manager}: {@code [h_0, c_0, …, h_{L-1}, c_{L-1}]} and then the
	 * memories.
	 */
	protected NDList zeroState(final NDManager manager, final long batch) {
		final NDList s = new NDList();
		for (int l = 0; l < cfg.layers; l++) {
			s.add(zeros(manager, batch));
			s.add(zeros(manager, batch));
		}
		for (int i = 0; i < memories; i++)
			s.add(zeros(manager, batch));
		return s;
	}

	/** The top layer's hidden state {@code (B, H, g, g)} within a state. */
	protected NDArray top(final NDList state) {
		return state.get(2 * (cfg.layers - 1));
	}

	/** Initialises the cells; {@code cell} is a patched frame's shape. */
	private void initializeCells(final NDManager manager, final DataType dataType, final Shape cell) {
		Shape x = cell;
		for (final Block c : cells) {
			final Shape h = new Shape(x.get(0), cfg.hidden, x.get(2), x.get(3));
			final Shape[] in = new Shape[3 + memories];
			in[0] = x;
			for (int i = 1; i < in.length; i++)
				in[i] = h;
			c.initialize(manager, dataType, in);
			x = h;
		}
	}

	/** A zero state array {@code (B, H, g, g)}. */
	protected final NDArray zeros(final NDManager manager, final long batch) {
		return manager.zeros(new Shape(batch, cfg.hidden, cfg.gridSize(), cfg.gridSize()));
	}

	/** A sequence of the {@code nPast} observed weeks. */
	@Override
	protected Shape[] initialShapes() {
		return new Shape[] { new Shape(1, cfg.nPast).addAll(frameShape()) };
	}

	/** Sizes the head and the cells from the patched grid of the input's frames. */
	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final long g = inputShapes[0].get(3) / cfg.patch;
		head.initialize(manager, dataType, new Shape(1, cfg.hidden, g, g));
		initializeCells(manager, dataType, new Shape(1, cfg.frameChannels(), g, g));
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
		final NDArray w = EdgeWeights.of(seq.get(":, 0"), cfg.lambda, cfg.sigma).reshape(s.get(0), 1, 1, s.get(3),
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
