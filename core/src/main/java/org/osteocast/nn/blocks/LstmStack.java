package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * SVG-LP's recurrent modules, stepped one time point at a time: an input
 * embedding ({@link Linear} to the hidden size), {@code layers} stacked
 * {@link LstmCell}s, then either one output head with tanh (the frame
 * predictor, {@link Kind#DETERMINISTIC}) or two heads, mean and log-variance
 * of a diagonal Gaussian (the learned prior and the posterior,
 * {@link Kind#GAUSSIAN}).
 * <p>
 * The recurrent state is passed in and out explicitly ({@link State}) rather
 * than kept inside the block, so a block holds only parameters, is safe to
 * share, and every state array lives in the caller's step manager.
 * <p>
 * Input {@code NDList(x (B, in), h_1, c_1, …, h_L, c_L)}; output
 * {@code NDList(y (B, out), h_1', c_1', …)} for the deterministic kind and
 * {@code NDList(mu, logvar, h_1', c_1', …)} for the Gaussian kind.
 */
public final class LstmStack extends AbstractBlock {

	/** Which heads the stack has. */
	public enum Kind {
		DETERMINISTIC, GAUSSIAN
	}

	private final Kind kind;
	private final int inputSize, hidden, outputSize;
	private final Linear embed;
	private final List<LstmCell> cells = new ArrayList<>();
	private final Linear out, logvar;

	public LstmStack(final Kind kind, final int inputSize, final int hidden, final int outputSize, final int layers) {
		this.kind = kind;
		this.inputSize = inputSize;
		this.hidden = hidden;
		this.outputSize = outputSize;
		embed = addChildBlock("embed", MixedLinear.of(Linear.builder().setUnits(hidden)));
		for (int l = 0; l < layers; l++)
			cells.add(addChildBlock("lstm" + l, new LstmCell(hidden, hidden)));
		out = addChildBlock(kind == Kind.GAUSSIAN ? "mu" : "output", MixedLinear.of(Linear.builder().setUnits(outputSize)));
		logvar = kind == Kind.GAUSSIAN ? addChildBlock("logvar", MixedLinear.of(Linear.builder().setUnits(outputSize))) : null;
	}

	public int layers() {
		return cells.size();
	}

	/** The recurrent state of every layer; immutable, arrays owned by the caller's manager. */
	public static final class State {
		final NDArray[] h, c;

		State(final NDArray[] h, final NDArray[] c) {
			this.h = h;
			this.c = c;
		}
	}

	/** A zero state for a batch of {@code batch}, in {@code manager}. */
	public State zeroState(final NDManager manager, final long batch) {
		final NDArray[] h = new NDArray[cells.size()], c = new NDArray[cells.size()];
		for (int l = 0; l < h.length; l++) {
			h[l] = manager.zeros(new Shape(batch, hidden));
			c[l] = manager.zeros(new Shape(batch, hidden));
		}
		return new State(h, c);
	}

	/** Result of one step: the outputs (1 array, or mean and log-variance) and the new state. */
	public static final class Step {
		public final NDArray output, logvar;
		public final State state;

		Step(final NDArray output, final NDArray logvar, final State state) {
			this.output = output;
			this.logvar = logvar;
			this.state = state;
		}
	}

	/** One time step. */
	public Step step(final ParameterStore ps, final NDArray x, final State s, final boolean training) {
		final NDList in = new NDList(x);
		for (int l = 0; l < cells.size(); l++) {
			in.add(s.h[l]);
			in.add(s.c[l]);
		}
		final NDList o = forward(ps, in, training);
		final int k = kind == Kind.GAUSSIAN ? 2 : 1;
		final NDArray[] h = new NDArray[cells.size()], c = new NDArray[cells.size()];
		for (int l = 0; l < h.length; l++) {
			h[l] = o.get(k + 2 * l);
			c[l] = o.get(k + 2 * l + 1);
		}
		return new Step(o.get(0), k == 2 ? o.get(1) : null, new State(h, c));
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		embed.initialize(manager, dataType, new Shape(1, inputSize));
		for (final LstmCell c : cells)
			c.initialize(manager, dataType, new Shape(1, hidden), new Shape(1, hidden), new Shape(1, hidden));
		out.initialize(manager, dataType, new Shape(1, hidden));
		if (logvar != null) logvar.initialize(manager, dataType, new Shape(1, hidden));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray x = embed.forward(ps, new NDList(in.get(0)), training).head();
		final NDList states = new NDList();
		for (int l = 0; l < cells.size(); l++) {
			final NDList hc = cells.get(l).forward(ps, new NDList(x, in.get(1 + 2 * l), in.get(2 + 2 * l)), training);
			x = hc.get(0);
			states.addAll(hc);
		}
		final NDList result = new NDList();
		if (kind == Kind.GAUSSIAN) {
			result.add(out.forward(ps, new NDList(x), training).head());
			result.add(logvar.forward(ps, new NDList(x), training).head());
		}
		else result.add(out.forward(ps, new NDList(x), training).head().tanh());
		result.addAll(states);
		return result;
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final long b = inputShapes[0].get(0);
		final List<Shape> s = new ArrayList<>();
		s.add(new Shape(b, outputSize));
		if (kind == Kind.GAUSSIAN) s.add(new Shape(b, outputSize));
		for (int l = 0; l < 2 * cells.size(); l++)
			s.add(new Shape(b, hidden));
		return s.toArray(new Shape[0]);
	}
}
