package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.osteocast.nn.engine.Torch;

/**
 * A learned ×2 up-sampling of volumes equal to a 4×4×4, stride-2, padding-1
 * transposed convolution: a 2×2×2 convolution with padding 1 to 8× the output
 * channels, assembled by {@link VolumePixelShuffle#subpixel}.
 * {@code (N, Cin, D, H, W) → (N, C, 2D, 2H, 2W)}.
 * <p>
 * The convolution computes {@link #safeFilters} filters and drops the extra
 * ones (they get no gradient): see there.
 */
public final class Conv3dUpsample extends AbstractBlock {

	private final int outChannels, filters;
	private final Conv3d conv;

	/** @param outChannels channels after up-sampling */
	public Conv3dUpsample(final int outChannels) {
		this.outChannels = outChannels;
		final int used = 8 * outChannels;
		filters = safeFilters(used);
		conv = addChildBlock("conv", Conv3d.builder().setKernelShape(new Shape(2, 2, 2)).optPadding(new Shape(1, 1, 1))
			.setFilters(filters).build());
	}

	/**
	 * {@code n} rounded up to a multiple of 16 (1 stays 1). Why: the bundled
	 * libtorch's CPU backward of a 3-D convolution (oneDNN on AVX-512) lays the
	 * output gradient out in blocks of 16 channels and reads the padding
	 * channels from memory nobody wrote; when those bytes hold a NaN pattern the
	 * input gradient is non-finite (see {@link PaddedFilters}, which measured
	 * it with the freed heap filled with NaN: stride 1 and stride 2 alike, and
	 * a one-filter convolution too). A layer that owns more filters than it
	 * uses takes this count and drops the extras; a layer whose filter count is
	 * part of the model's shape runs through {@link PaddedFilters} instead.
	 * The 2-D decoder's {@link org.osteocast.nn.tvae.ConvDecoder#MIN_FILTERS}
	 * is the same workaround for its last layer.
	 */
	public static int safeFilters(final int n) {
		return n <= 1 ? n : (n + 15) / 16 * 16;
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		conv.initialize(manager, dataType, inputShapes[0]);
	}

	/**
	 * Sets every weight and bias to zero (outside autograd), so that the block
	 * starts by outputting zeros: a residual output layer then starts as
	 * persistence, as in {@link org.osteocast.nn.tvae.ConvDecoder}.
	 */
	public void zeroParameters() {
		Torch.zeroParameters(this);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		NDArray y = conv.forward(ps, new NDList(in.head()), training).head();
		if (filters != 8 * outChannels) y = y.get(":, 0:{}", 8 * outChannels);
		return new NDList(VolumePixelShuffle.subpixel(y));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape s = inputShapes[0];
		return new Shape[] { new Shape(s.get(0), outChannels, 2 * s.get(2), 2 * s.get(3), 2 * s.get(4)) };
	}
}
