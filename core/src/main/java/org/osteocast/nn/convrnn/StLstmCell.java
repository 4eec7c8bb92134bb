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

/**
 * One step of PredRNN's spatio-temporal LSTM (ST-LSTM, Wang et al. 2017), as
 * in the reference implementation ({@code thuml/predrnn-pytorch},
 * {@code SpatioTemporalLSTMCell}, without its optional layer norm):
 * <pre>
 * [i, f, g, i', f', g', o]_x = conv_k(x) (7H),  [i, f, g, o]_h = conv_k(h) (4H),  [i', f', g']_m = conv_k(m) (3H)
 * i = σ(i_x + i_h),  f = σ(f_x + f_h + 1),  g = tanh(g_x + g_h)
 * c' = f ⊙ c + i ⊙ g                                     (temporal memory, per layer)
 * i' = σ(i'_x + i'_m),  f' = σ(f'_x + f'_m + 1),  g' = tanh(g'_x + g'_m)
 * m' = f' ⊙ m + i' ⊙ g'                                  (spatio-temporal memory)
 * o = σ(o_x + o_h + conv_k([c', m'])),  h' = o ⊙ tanh(conv_1×1([c', m']))
 * </pre>
 * The two memories are combined by a 1×1 convolution before the output gate
 * multiplies them. The constant +1 on both forget gates is the reference's
 * {@code _forget_bias} (equivalent to initialising those biases to 1). Every
 * convolution has a bias, as in the reference (the two gate biases of
 * {@code x} and {@code h} are redundant but harmless); convolutions are
 * {@link ConvRnnConv}s (padding inside the convolution, channel counts the
 * engine computes correctly).
 * <p>
 * Input {@code NDList(x (B, in, h, w), h, c, m)} with the states
 * {@code (B, H, h, w)}; output {@code NDList(h', c', m')}.
 */
public final class StLstmCell extends AbstractBlock {

	private final int inChannels, hidden;
	private final ConvRnnConv convX, convH, convM, convO, convLast;

	/**
	 * @param inChannels channels of {@code x}
	 * @param hidden channels {@code H} of h, c and m
	 * @param kernel odd kernel side
	 */
	public StLstmCell(final int inChannels, final int hidden, final int kernel) {
		if (inChannels < 1 || hidden < 1) throw new IllegalArgumentException("channels must be positive");
		if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("kernel must be odd, not " + kernel);
		this.inChannels = inChannels;
		this.hidden = hidden;
		convX = addChildBlock("conv_x", new ConvRnnConv(inChannels, 7 * hidden, kernel, true));
		convH = addChildBlock("conv_h", new ConvRnnConv(hidden, 4 * hidden, kernel, true));
		convM = addChildBlock("conv_m", new ConvRnnConv(hidden, 3 * hidden, kernel, true));
		convO = addChildBlock("conv_o", new ConvRnnConv(2 * hidden, hidden, kernel, true));
		convLast = addChildBlock("conv_last", new ConvRnnConv(2 * hidden, hidden, 1, true));
	}

	public int hidden() {
		return hidden;
	}

	/** The convolutions by the reference's names (conv_x, conv_h, conv_m, conv_o, conv_last), for tests. */
	ConvRnnConv conv(final String name) {
		switch (name) {
			case "conv_x": return convX;
			case "conv_h": return convH;
			case "conv_m": return convM;
			case "conv_o": return convO;
			case "conv_last": return convLast;
			default: throw new IllegalArgumentException("no convolution " + name);
		}
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape x = inputShapes[0];
		final long b = x.get(0), h = x.get(2), w = x.get(3);
		convX.initialize(manager, dataType, new Shape(b, inChannels, h, w));
		convH.initialize(manager, dataType, new Shape(b, hidden, h, w));
		convM.initialize(manager, dataType, new Shape(b, hidden, h, w));
		convO.initialize(manager, dataType, new Shape(b, 2L * hidden, h, w));
		convLast.initialize(manager, dataType, new Shape(b, 2L * hidden, h, w));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray x = in.get(0), h = in.get(1), c = in.get(2), m = in.get(3);
		final NDList gx = convX.forward(ps, new NDList(x), training).head().split(7, 1);
		final NDList gh = convH.forward(ps, new NDList(h), training).head().split(4, 1);
		final NDList gm = convM.forward(ps, new NDList(m), training).head().split(3, 1);
		final float fb = ConvLstmCell.FORGET_BIAS;

		final NDArray i = Activation.sigmoid(gx.get(0).add(gh.get(0)));
		final NDArray f = Activation.sigmoid(gx.get(1).add(gh.get(1)).add(fb));
		final NDArray g = gx.get(2).add(gh.get(2)).tanh();
		final NDArray c2 = f.mul(c).add(i.mul(g));

		final NDArray i2 = Activation.sigmoid(gx.get(3).add(gm.get(0)));
		final NDArray f2 = Activation.sigmoid(gx.get(4).add(gm.get(1)).add(fb));
		final NDArray g2 = gx.get(5).add(gm.get(2)).tanh();
		final NDArray m2 = f2.mul(m).add(i2.mul(g2));

		final NDArray mem = c2.concat(m2, 1);
		final NDArray o = Activation.sigmoid(gx.get(6).add(gh.get(3)).add(convO.forward(ps, new NDList(mem), training)
			.head()));
		final NDArray h2 = o.mul(convLast.forward(ps, new NDList(mem), training).head().tanh());
		return new NDList(h2, c2, m2);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape x = inputShapes[0];
		final Shape s = new Shape(x.get(0), hidden, x.get(2), x.get(3));
		return new Shape[] { s, s, s };
	}
}
