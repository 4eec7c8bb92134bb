package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One step of an LSTM layer, as a block. DJL has whole-sequence LSTMs only;
 * the T-VAE needs one step at a time because each step's input depends on the
 * previous step's output (at prediction time). The four gates come from one
 * {@link Linear} on the concatenation {@code [x, h]}, in PyTorch's (and DJL's)
 * gate order input, forget, cell, output — so weights copied from
 * {@code ai.djl.nn.recurrent.LSTM} give the same numbers: gate weight
 * {@code [W_ih | W_hh]}, bias {@code b_ih + b_hh}.
 * <p>
 * Input {@code NDList(x (B, in), h (B, H), c (B, H))}; output {@code NDList(h', c')}.
 */
public final class LstmCell extends AbstractBlock {

	private final int inputSize, hiddenSize;
	private final Linear gates;

	public LstmCell(final int inputSize, final int hiddenSize) {
		this.inputSize = inputSize;
		this.hiddenSize = hiddenSize;
		gates = addChildBlock("gates", MixedLinear.of(Linear.builder().setUnits(4L * hiddenSize)));
	}

	public int hiddenSize() {
		return hiddenSize;
	}

	/** The gate layer (weight (4H, in + H), bias (4H)), for tests that copy weights. */
	public Linear gates() {
		return gates;
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		gates.initialize(manager, dataType, new Shape(1, inputSize + hiddenSize));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray x = in.get(0), h = in.get(1), c = in.get(2);
		final NDArray g = gates.forward(ps, new NDList(x.concat(h, 1)), training).head();
		final NDList parts = g.split(4, 1);
		final NDArray i = Activation.sigmoid(parts.get(0));
		final NDArray f = Activation.sigmoid(parts.get(1));
		final NDArray gg = parts.get(2).tanh();
		final NDArray o = Activation.sigmoid(parts.get(3));
		final NDArray c2 = f.mul(c).add(i.mul(gg));
		final NDArray h2 = o.mul(c2.tanh());
		return new NDList(h2, c2);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final long b = inputShapes[0].get(0);
		return new Shape[] { new Shape(b, hiddenSize), new Shape(b, hiddenSize) };
	}
}
