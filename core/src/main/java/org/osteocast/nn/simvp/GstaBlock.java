package org.osteocast.nn.simvp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * One gated spatio-temporal attention block (gSTA, SimVP-v2; OpenSTL's
 * {@code GASubBlock} with kernel 21), optionally followed by a 1 × 1
 * reduction to another width (OpenSTL's {@code MetaBlock}):
 * <pre>
 * x = x + s1 · proj2(gate(GELU(proj1(BN(x))))) + s1 · BN(x)     (attention with its shortcut)
 * x = x + s2 · fc2(GELU(dw3×3(fc1(BN(x)))))                      (channel MLP)
 * gate(u) = sigmoid(g) · f,  (f, g) = conv1×1(dw7×7,dil 3(dw5×5(u)))
 * </pre>
 * The layer scales {@code s1}, {@code s2} start at 0.01 per channel. The
 * large-kernel attention (5 × 5 depthwise, 7 × 7 depthwise dilated by 3, a
 * 1 × 1 to a gate and a value) sees 23 × 23 pixels of the translator's grid.
 */
public final class GstaBlock extends AbstractBlock {

	private final int dim, outDim, hidden;
	private final BatchNorm norm1, norm2;
	private final Conv2d proj1, conv0, convSpatial, conv1, proj2, fc1, dw, fc2, reduction;
	private final Parameter scale1, scale2;

	/**
	 * @param dim the block's width
	 * @param outDim the width after it (a 1 × 1 reduction when it differs)
	 * @param mlpRatio the channel MLP's hidden width over {@code dim}
	 */
	public GstaBlock(final int dim, final int outDim, final int mlpRatio) {
		this.dim = dim;
		this.outDim = outDim;
		hidden = dim * mlpRatio;
		norm1 = addChildBlock("norm1", BatchNorm.builder().build());
		proj1 = addChildBlock("proj1", conv(1, dim, 1, 1));
		conv0 = addChildBlock("conv0", conv(5, dim, dim, 1));
		convSpatial = addChildBlock("conv_spatial", conv(7, dim, dim, 3));
		conv1 = addChildBlock("conv1", conv(1, 2 * dim, 1, 1));
		proj2 = addChildBlock("proj2", conv(1, dim, 1, 1));
		norm2 = addChildBlock("norm2", BatchNorm.builder().build());
		fc1 = addChildBlock("fc1", conv(1, hidden, 1, 1));
		dw = addChildBlock("dw", conv(3, hidden, hidden, 1));
		fc2 = addChildBlock("fc2", conv(1, dim, 1, 1));
		reduction = outDim != dim ? addChildBlock("reduction", conv(1, outDim, 1, 1)) : null;
		scale1 = addParameter(Parameter.builder().setName("scale1").setType(Parameter.Type.WEIGHT).optShape(new Shape(
			dim)).optInitializer(new ConstantInitializer(0.01f)).build());
		scale2 = addParameter(Parameter.builder().setName("scale2").setType(Parameter.Type.WEIGHT).optShape(new Shape(
			dim)).optInitializer(new ConstantInitializer(0.01f)).build());
	}

	/** A "same" convolution of side {@code k}, {@code groups} groups, dilation {@code d}. */
	private static Conv2d conv(final int k, final int filters, final int groups, final int d) {
		final int pad = d * (k - 1) / 2;
		return Conv2d.builder().setKernelShape(new Shape(k, k)).optPadding(new Shape(pad, pad)).optDilation(new Shape(d,
			d)).optGroups(groups).setFilters(filters).build();
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape x = inputShapes[0];
		final long b = x.get(0), h = x.get(2), w = x.get(3);
		final Shape d = new Shape(b, dim, h, w), hid = new Shape(b, hidden, h, w);
		for (final AbstractBlock k : new AbstractBlock[] { norm1, proj1, conv0, convSpatial, conv1, proj2, norm2, fc1 })
			k.initialize(manager, dataType, d);
		dw.initialize(manager, dataType, hid);
		fc2.initialize(manager, dataType, hid);
		if (reduction != null) reduction.initialize(manager, dataType, d);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray x = in.head();
		final NDArray s1 = ps.getValue(scale1, x.getDevice(), training).reshape(1, dim, 1, 1);
		final NDArray s2 = ps.getValue(scale2, x.getDevice(), training).reshape(1, dim, 1, 1);
		final NDArray n1 = f(norm1, ps, x, training);
		NDArray u = Activation.gelu(f(proj1, ps, n1, training));
		final NDList fg = f(conv1, ps, f(convSpatial, ps, f(conv0, ps, u, training), training), training).split(2, 1);
		u = f(proj2, ps, Activation.sigmoid(fg.get(1)).mul(fg.get(0)), training).add(n1);
		x = x.add(u.mul(s1));
		final NDArray m = f(fc2, ps, Activation.gelu(f(dw, ps, f(fc1, ps, f(norm2, ps, x, training), training),
			training)), training);
		x = x.add(m.mul(s2));
		return new NDList(reduction == null ? x : f(reduction, ps, x, training));
	}

	private static NDArray f(final AbstractBlock b, final ParameterStore ps, final NDArray x, final boolean training) {
		return b.forward(ps, new NDList(x), training).head();
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape x = inputShapes[0];
		return new Shape[] { new Shape(x.get(0), outDim, x.get(2), x.get(3)) };
	}
}
