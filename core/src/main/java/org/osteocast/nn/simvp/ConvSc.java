package org.osteocast.nn.simvp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.osteocast.nn.blocks.ConvRnnConv;
import org.osteocast.nn.blocks.PixelShuffle;

/**
 * SimVP's {@code ConvSC} block: a 3 × 3 convolution, group norm (2 groups),
 * SiLU. Three kinds: same resolution, down-sampling (stride 2) and
 * up-sampling (a 3 × 3 convolution to 4× the channels, then depth-to-space:
 * PyTorch's {@code PixelShuffle(2)}, as OpenSTL's SimVP). The stride-1
 * convolutions go through {@link ConvRnnConv}, which keeps clear of channel
 * counts the CPU engine gets wrong.
 */
public final class ConvSc extends AbstractBlock {

	/** What the block does to the resolution. */
	public enum Kind {
		SAME, DOWN, UP
	}

	private final Kind kind;
	private final int in, out;
	private final AbstractBlock conv;
	private final GroupNorm norm;

	public ConvSc(final int in, final int out, final Kind kind) {
		this.kind = kind;
		this.in = in;
		this.out = out;
		conv = addChildBlock("conv", kind == Kind.DOWN ? Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(
			new Shape(2, 2)).optPadding(new Shape(1, 1)).setFilters(out).build() : new ConvRnnConv(in, kind == Kind.UP ? 4 *
				out : out, 3, true));
		norm = addChildBlock("norm", new GroupNorm(2, out));
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape x = inputShapes[0];
		conv.initialize(manager, dataType, x);
		final long h = kind == Kind.DOWN ? x.get(2) / 2 : kind == Kind.UP ? x.get(2) * 2 : x.get(2);
		final long w = kind == Kind.DOWN ? x.get(3) / 2 : kind == Kind.UP ? x.get(3) * 2 : x.get(3);
		norm.initialize(manager, dataType, new Shape(x.get(0), out, h, w));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray y = conv.forward(ps, inputs, training).head();
		if (kind == Kind.UP) y = PixelShuffle.depthToSpace(y);
		y = norm.forward(ps, new NDList(y), training).head();
		return new NDList(silu(y));
	}

	/** {@code x · sigmoid(x)}. */
	static NDArray silu(final NDArray x) {
		return x.mul(Activation.sigmoid(x));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape x = inputShapes[0];
		final long f = kind == Kind.DOWN ? 2 : 1, g = kind == Kind.UP ? 2 : 1;
		return new Shape[] { new Shape(x.get(0), out, x.get(2) * g / f, x.get(3) * g / f) };
	}

	@Override
	public String toString() {
		return "ConvSc(" + in + " -> " + out + ", " + kind + ")";
	}
}
