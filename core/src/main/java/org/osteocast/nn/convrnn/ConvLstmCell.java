package org.osteocast.nn.convrnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.osteocast.nn.blocks.ConvRnnConv;
import org.osteocast.nn.blocks.LstmCell;

/**
 * One step of a ConvLSTM layer (Shi et al. 2015), as a block: the LSTM with
 * every matrix product replaced by a convolution, so the state keeps its
 * spatial layout. This is the standard, peephole-free form (as PyTorch's
 * {@code nn.LSTM} and most ConvLSTM re-implementations): the paper's Hadamard
 * peepholes {@code W_c ⊙ c} in the i, f, o gates are left out, which keeps
 * the cell the same as {@link LstmCell} up to the convolution.
 * <pre>
 * [i, f, g, o] = conv_k([x_t, h_{t-1}])        (one convolution, 4H filters)
 * i = σ(i), f = σ(f + 1), g = tanh(g), o = σ(o)
 * c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
 * </pre>
 * The constant +1 on the forget gate is PredRNN's {@code _forget_bias}
 * (Gers et al. 2000): with the zero-initialised bias it starts the cell
 * remembering; it is the same as initialising the forget bias to 1. The
 * convolution is a {@link ConvRnnConv} (padding inside the convolution,
 * channel counts the engine computes correctly).
 * <p>
 * Input {@code NDList(x (B, in, h, w), h (B, H, h, w), c (B, H, h, w))};
 * output {@code NDList(h', c')}.
 */
public final class ConvLstmCell extends AbstractBlock {

	/** Added to the forget gate's pre-activation (PredRNN's {@code _forget_bias}). */
	public static final float FORGET_BIAS = 1f;

	private final int inChannels, hidden;
	private final ConvRnnConv gates;

	/**
	 * @param inChannels channels of {@code x}
	 * @param hidden channels {@code H} of the hidden and cell states
	 * @param kernel odd kernel side (the state keeps its size)
	 */
	public ConvLstmCell(final int inChannels, final int hidden, final int kernel) {
		if (inChannels < 1 || hidden < 1) throw new IllegalArgumentException("channels must be positive");
		if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd, not " + kernel);
		this.inChannels = inChannels;
		this.hidden = hidden;
		gates = addChildBlock("gates", new ConvRnnConv(inChannels + hidden, 4 * hidden, kernel, true));
	}

	public int hidden() {
		return hidden;
	}

	/** The gate convolution ({@code in + H → 4H} channels; gates i, f, g, o), for tests. */
	ConvRnnConv gates() {
		return gates;
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape x = inputShapes[0];
		gates.initialize(manager, dataType, new Shape(x.get(0), inChannels + hidden, x.get(2), x.get(3)));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray x = in.get(0), h = in.get(1), c = in.get(2);
		final NDList g = gates.forward(ps, new NDList(x.concat(h, 1)), training).head().split(4, 1);
		final NDArray i = Activation.sigmoid(g.get(0));
		final NDArray f = Activation.sigmoid(g.get(1).add(FORGET_BIAS));
		final NDArray gg = g.get(2).tanh();
		final NDArray o = Activation.sigmoid(g.get(3));
		final NDArray c2 = f.mul(c).add(i.mul(gg));
		return new NDList(o.mul(c2.tanh()), c2);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape x = inputShapes[0];
		final Shape s = new Shape(x.get(0), hidden, x.get(2), x.get(3));
		return new Shape[] { s, s };
	}
}
