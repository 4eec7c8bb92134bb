package org.osteocast.nn.simvp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu &amp; He 2018), which DJL 0.36 lacks: the channels of
 * {@code (B, C, H, W)} are split into {@code groups} groups, each normalised
 * over its channels and pixels to zero mean and unit variance (ε = 1e-5, as
 * PyTorch's {@code GroupNorm}), then scaled and shifted per channel (γ = 1,
 * β = 0 at start). Independent of the batch, so training and inference agree.
 */
public final class GroupNorm extends AbstractBlock {

	private final int groups, channels;
	private final Parameter gamma, beta;

	public GroupNorm(final int groups, final int channels) {
		if (groups < 1 || channels % groups != 0) throw new IllegalArgumentException(channels +
			" channels do not split into " + groups + " groups");
		this.groups = groups;
		this.channels = channels;
		gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optShape(new Shape(
			channels)).optInitializer(new ConstantInitializer(1f)).build());
		beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optShape(new Shape(channels))
			.optInitializer(new ConstantInitializer(0f)).build());
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final NDArray x = in.head();
		final Shape s = x.getShape();
		if (s.get(1) != channels) throw new IllegalArgumentException("expected " + channels + " channels, got " + s);
		final NDArray g = x.reshape(s.get(0), groups, -1);
		final NDArray mean = g.mean(new int[] { 2 }, true);
		final NDArray c = g.sub(mean);
		final NDArray var = c.mul(c).mean(new int[] { 2 }, true);
		final NDArray n = c.div(var.add(1e-5f).sqrt()).reshape(s);
		final NDArray gm = ps.getValue(gamma, x.getDevice(), training).reshape(1, channels, 1, 1);
		final NDArray bt = ps.getValue(beta, x.getDevice(), training).reshape(1, channels, 1, 1);
		return new NDList(n.mul(gm).add(bt));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		return new Shape[] { inputShapes[0] };
	}
}
