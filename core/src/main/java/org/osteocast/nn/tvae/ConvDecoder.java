package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.blocks.FrameOutput;
import org.osteocast.nn.blocks.MixedConv2d;
import org.osteocast.nn.blocks.MixedLinear;
import org.osteocast.nn.blocks.PixelShuffle;
import org.osteocast.nn.engine.Torch;

/**
 * The mirror of {@link ConvEncoder}: {@code g_dim} → 8nf × 4 × 4 (a linear
 * layer, batch norm, LeakyReLU), then one up-sampling block per encoder
 * level, each fed the concatenation of the previous block's output and (when
 * that level is in {@link TvaeConfig#skipLevels}) the encoder features of the
 * last observed week at the same resolution; the finest block outputs one
 * channel, mapped to a frame by {@link TvaeConfig#output}.
 * <p>
 * Up-sampling ({@link TvaeConfig.Upsample}): DJL's transposed convolution
 * throws "Not implemented" on PyTorch. The default, {@code subpixel}, is
 * exactly a 4×4 stride-2 transposed convolution at its cost (a 2×2
 * convolution with padding 1 to 4× the channels, each phase read
 * at its own offset, then depth-to-space). {@code pixel_shuffle} (3×3
 * convolution + depth-to-space) can represent the same maps at 9/4 of the
 * multiply-adds; {@code resize_conv} (nearest ×2 + 3×3 convolution) has the
 * same multiply-adds as pixel_shuffle but runs at the output resolution.
 * Measured on 1 CPU thread, batch 48, 4 weeks of 64 × 64
 * ({@code osteocast bench train --nf 16,32,64 --upsample subpixel,pixel_shuffle --threads 1}),
 * ms per step subpixel / pixel_shuffle: nf 16 603 / 512 (noise at this size),
 * nf 32 2725 / 3019, nf 64 13309 / 15669; resize_conv was 3-4× slower than
 * pixel_shuffle at nf 16. Subpixel is the default.
 * <p>
 * Input {@code NDList(g (B, g_dim), f_1, …, f_L, x_last (B, 1, S, S))};
 * output {@code NDList(x̂ (B, 1, S, S))}, and with
 * {@link TvaeConfig#pixelVariance} also the per-pixel log-variance
 * {@code (B, 1, S, S)} of the forecast, in [{@value #LOGVAR_MIN},
 * {@value #LOGVAR_MAX}]: a second output channel of the finest block (its
 * convolution computes {@link #MIN_FILTERS} filters anyway, so the channel
 * is free). It shares the decoder's features on purpose: measured on the
 * validation mice (12 epochs, nf 16, one seed), a head reading those
 * features detached ranked the changed pixels with ROC AUC 0.61, the shared
 * channel with 0.87 at the same PSNR (how its likelihood is kept from
 * competing with the reconstruction: {@link TvaeLoss}).
 */
public final class ConvDecoder extends AbstractBlock {

	private final int[] channels;
	private final boolean[] skips;
	private final TvaeConfig.Upsample upsample;
	private final FrameOutput output;
	private final boolean pixelVariance;
	private final Linear first;
	private final BatchNorm firstNorm;
	private final List<Conv2d> ups = new ArrayList<>();
	private final List<BatchNorm> norms = new ArrayList<>();

	/**
	 * @param channels channels of the encoder's levels, finest first (the decoder mirrors them)
	 * @param skips whether each level, finest first, concatenates the encoder's features
	 * @param upsample how a block doubles the resolution
	 * @param output how the last block's output becomes a frame
	 * @param pixelVariance whether the last block also outputs the log-variance
	 */
	public ConvDecoder(final int[] channels, final boolean[] skips, final TvaeConfig.Upsample upsample,
		final FrameOutput output, final boolean pixelVariance)
	{
		if (skips.length != channels.length) throw new IllegalArgumentException("one skip flag per level");
		this.channels = channels.clone();
		this.skips = skips.clone();
		this.upsample = upsample;
		this.output = output;
		this.pixelVariance = pixelVariance;
		final int top = channels.length;
		first = addChildBlock("first", MixedLinear.of(Linear.builder().setUnits(channels(top) * 16L)));
		firstNorm = addChildBlock("first_bn", BatchNorm.builder().build());
		for (int l = top; l >= 1; l--) {
			final int filters = filters(l);
			ups.add(addChildBlock("up" + l, upConv(filters)));
			if (l > 1) norms.add(addChildBlock("up" + l + "_bn", BatchNorm.builder().build()));
		}
	}

	private int channels(final int level) {
		return channels[level - 1];
	}

	private boolean skip(final int level) {
		return skips[level - 1];
	}

	private Conv2d upConv(final int filters) {
		return MixedConv2d.of(upsample == TvaeConfig.Upsample.SUBPIXEL ? Conv2d.builder().setKernelShape(new Shape(2, 2))
			.optPadding(new Shape(1, 1)).setFilters(filters) : Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(
				new Shape(1, 1)).setFilters(filters));
	}

	/** Channels the block's convolution produces that are used. */
	private int used(final int level) {
		return (upsample == TvaeConfig.Upsample.RESIZE_CONV ? 1 : 4) * (level > 1 ? channels(level - 1)
			: pixelVariance ? 2 : 1);
	}

	/**
	 * Offset of the log-variance: the last layer starts at zero (see
	 * {@link #initializeChildBlocks}), so the variance starts at
	 * {@code e^-7 ≈ 0.03²}, about the squared error of a forecast at 30 dB,
	 * rather than at 1 (the whole grey range).
	 */
	static final float LOGVAR_OFFSET = -7f;

	/** Bounds of the log-variance: standard deviations from 1e-4 to 1 (the grey range is [0, 1]). */
	static final float LOGVAR_MIN = -18.4f, LOGVAR_MAX = 0f;

	/**
	 * Filters of level {@code level}'s convolution: the used channels, but at
	 * least {@link #MIN_FILTERS} when there are 2 to 8 of them. Why: libtorch
	 * 2.7.1's CPU convolution backward (as bundled with DJL 0.36, on AVX-512)
	 * returns non-finite input gradients in about 2 % of calls when a 3×3
	 * convolution has 4 or 8 output channels (measured 4/200 and 1/200; 0/200
	 * at 1, 12 or 16), which is exactly the decoder's last layer; the extra
	 * filters are computed and dropped (their weights get no gradient).
	 */
	private int filters(final int level) {
		final int u = used(level);
		return u >= 2 && u < MIN_FILTERS ? MIN_FILTERS : u;
	}

	static final int MIN_FILTERS = 16;

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final int top = channels.length;
		final long size = inputShapes[inputShapes.length - 1].get(2);
		first.initialize(manager, dataType, inputShapes[0]);
		firstNorm.initialize(manager, dataType, new Shape(1, channels(top), size >> top, size >> top));
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			final int inC = channels(l) * (skip(l) ? 2 : 1);
			final long s = size >> l;
			final long sIn = upsample == TvaeConfig.Upsample.RESIZE_CONV ? 2 * s : s;
			ups.get(i).initialize(manager, dataType, new Shape(1, inC, sIn, sIn));
			if (l > 1) norms.get(i).initialize(manager, dataType, new Shape(1, channels(l - 1), 2 * s, 2 * s));
		}
		// a residual output starts as persistence: the last layer's weights and bias start at zero (Δ = 0), so the
		// model begins at "copy the last week" and training only moves it where the data say bone changes; the
		// log-variance channel starts at LOGVAR_OFFSET everywhere
		if (output.residual() || pixelVariance) Torch.zeroParameters(ups.get(ups.size() - 1));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final int top = channels.length;
		final NDArray g = in.get(0), xLast = in.get(in.size() - 1);
		final long b = g.getShape().get(0), coarse = xLast.getShape().get(2) >> top;
		NDArray x = first.forward(ps, new NDList(g), training).head().reshape(b, channels(top), coarse, coarse);
		x = Activation.leakyRelu(firstNorm.forward(ps, new NDList(x), training).head(), 0.2f);
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			final boolean resize = upsample == TvaeConfig.Upsample.RESIZE_CONV;
			NDArray y;
			if (skip(l) && safeSplit(x.getShape().get(1)) && safeSplit(in.get(l).getShape().get(1))) {
				final Conv2d up = ups.get(i);
				final NDArray skip = in.get(l);
				y = convOfConcat(resize ? PixelShuffle.nearest2x(x) : x, resize ? PixelShuffle.nearest2x(skip) : skip, ps
					.getValue(up.getParameters().get("weight"), x.getDevice(), training), ps.getValue(up.getParameters().get(
						"bias"), x.getDevice(), training), new Shape(1, 1));
			}
			else {
				if (skip(l)) x = x.concat(AbstractTvae.toRows(in.get(l), b), 1);
				y = ups.get(i).forward(ps, new NDList(resize ? PixelShuffle.nearest2x(x) : x), training).head();
			}
			if (filters(l) != used(l)) y = y.get(":, 0:{}", used(l));
			x = assemble(y);
			if (l > 1) x = Activation.leakyRelu(norms.get(i).forward(ps, new NDList(x), training).head(), 0.2f);
		}
		final NDArray base = AbstractTvae.toRows(xLast, b);
		if (!pixelVariance) return new NDList(output.apply(x, base));
		final NDArray logvar = x.get(":, 1:2").add(LOGVAR_OFFSET).clip(LOGVAR_MIN, LOGVAR_MAX);
		return new NDList(output.apply(x.get(":, 0:1"), base), logvar);
	}

	/** An up-sampling convolution's output at twice the resolution ({@link TvaeConfig.Upsample}). */
	private NDArray assemble(final NDArray y) {
		switch (upsample) {
			case PIXEL_SHUFFLE:
				return PixelShuffle.depthToSpace(y);
			case SUBPIXEL:
				return PixelShuffle.subpixel(y);
			case RESIZE_CONV:
			default:
				return y;
		}
	}

	/**
	 * Whether a convolution over {@code c} input channels is one the engine
	 * computes right by itself: at most 16 or a multiple of 16 (see
	 * package-info); otherwise the decoder convolves the concatenation, whose
	 * channel count is the one the configuration was checked with.
	 */
	static boolean safeSplit(final long c) {
		return c <= 16 || c % 16 == 0;
	}

	/**
	 * {@code conv(concat(a, b, axis 1), w, bias)} (stride 1) computed as
	 * {@code conv(a, w_a, bias) + conv(b, w_b)} with {@code w} split along its
	 * input channels: the same sum of products, without the concatenated
	 * input. Why: at nf 64 the finest level's concatenation is 75 MB, above
	 * what the C heap keeps for reuse ({@code NativeHeap}), so it and
	 * oneDNN's reordered copy of it were mapped afresh every step (page
	 * faults) and the concatenation's backward copied the gradient apart
	 * again. When {@code b} has fewer rows than {@code a} (the skips of one
	 * observed row for each of its latent samples), its half is computed once
	 * per row of {@code b} and repeated ({@link AbstractTvae#toRows}).
	 */
	static NDArray convOfConcat(final NDArray a, final NDArray b, final NDArray w, final NDArray bias,
		final Shape padding)
	{
		final long ca = a.getShape().get(1), cw = w.getShape().get(1);
		if (ca + b.getShape().get(1) != cw) throw new IllegalArgumentException("inputs of " + ca + " + " + b.getShape()
			.get(1) + " channels for a weight of " + cw);
		final Shape one = new Shape(1, 1);
		final NDArray ya = MixedConv2d.mixedConv2d(a, w.get(":, 0:{}", ca), bias, one, padding);
		return ya.add(AbstractTvae.toRows(MixedConv2d.mixedConv2d(b, w.get(":, {}:{}", ca, cw), null, one, padding), ya
			.getShape().get(0)));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape last = inputShapes[inputShapes.length - 1];
		final Shape x = new Shape(inputShapes[0].get(0), 1, last.get(2), last.get(3));
		return pixelVariance ? new Shape[] { x, x } : new Shape[] { x };
	}
}
