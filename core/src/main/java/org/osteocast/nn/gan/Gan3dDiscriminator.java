package org.osteocast.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.blocks.Conv3dUpsample;
import org.osteocast.nn.blocks.PaddedFilters;

/**
 * The 3-D GAN's discriminator, a PatchGAN (pix2pix) on volumes: the observed
 * weeks and a real or forecast next week as channels, {@code k} =
 * {@link Gan3dConfig#discriminatorLevels()} blocks of 4×4×4 stride-2
 * convolution + batch norm (not on the first) + LeakyReLU(0.2) with nf, 2nf,
 * 4nf channels, a 3×3×3 convolution (8nf channels, rounded up to
 * {@link Conv3dUpsample#safeFilters}: a stride-1 layer whose input gradient
 * is needed) with batch norm and LeakyReLU, and a 3×3×3 convolution to one
 * logit per patch. Every convolution's input gradient is needed (the
 * generator's phase reaches the forecast through the discriminator), so each
 * runs with its filters padded to a multiple of 16 ({@link PaddedFilters}).
 * Judging patches rather than the
 * whole volume keeps the adversary on local texture (bone edges, lesion
 * margins), which the voxel-wise reconstruction loss blurs.
 * <p>
 * Input {@code (N, nPast + 1, Dp, S, S)}; output logits
 * {@code (N, 1, Dp/2^k, S/2^k, S/2^k)}.
 */
public final class Gan3dDiscriminator extends AbstractBlock {

	private final int levels;
	private final List<Conv3d> convs = new ArrayList<>();
	private final List<BatchNorm> norms = new ArrayList<>();
	private final Conv3d out;

	/** @param channels channels of the {@code k} stride-2 layers and of the 3×3×3 layer after them ({@code k + 1} values) */
	public Gan3dDiscriminator(final int[] channels) {
		final int k = channels.length - 1;
		levels = k;
		for (int l = 1; l <= k; l++) {
			convs.add(addChildBlock("c" + l, Conv3d.builder().setKernelShape(new Shape(4, 4, 4)).optStride(new Shape(2, 2,
				2)).optPadding(new Shape(1, 1, 1)).setFilters(channels[l - 1]).build()));
			if (l > 1) norms.add(addChildBlock("c" + l + "_bn", BatchNorm.builder().build()));
		}
		convs.add(addChildBlock("c" + (k + 1), Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).optPadding(new Shape(1,
			1, 1)).setFilters(Conv3dUpsample.safeFilters(channels[k])).build()));
		norms.add(addChildBlock("c" + (k + 1) + "_bn", BatchNorm.builder().build()));
		out = addChildBlock("logit", Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).optPadding(new Shape(1, 1, 1))
			.setFilters(1).build());
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		Shape x = inputShapes[0];
		for (int l = 1; l <= levels + 1; l++) {
			convs.get(l - 1).initialize(manager, dataType, x);
			x = convs.get(l - 1).getOutputShapes(new Shape[] { x })[0];
			if (l > 1) norms.get(l - 2).initialize(manager, dataType, x);
		}
		out.initialize(manager, dataType, x);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray x = in.head();
		for (int l = 1; l <= convs.size(); l++) {
			x = PaddedFilters.conv3d(convs.get(l - 1), ps, x, training);
			if (l > 1) x = norms.get(l - 2).forward(ps, new NDList(x), training).head();
			x = Activation.leakyRelu(x, 0.2f);
		}
		return new NDList(PaddedFilters.conv3d(out, ps, x, training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final int k = levels;
		final Shape s = inputShapes[0];
		return new Shape[] { new Shape(s.get(0), 1, s.get(2) >> k, s.get(3) >> k, s.get(4) >> k) };
	}
}
