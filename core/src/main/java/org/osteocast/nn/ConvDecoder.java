package org.osteocast.nn;

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

	private final TvaeConfig cfg;
	private final Linear first;
	private final BatchNorm firstNorm;
	private final List<Conv2d> ups = new ArrayList<>();
	private final List<BatchNorm> norms = new ArrayList<>();

	public ConvDecoder(final TvaeConfig cfg) {
		this.cfg = cfg;
		final int top = cfg.levels();
		first = addChildBlock("first", Linear.builder().setUnits(cfg.channels(top) * 16L).build());
		firstNorm = addChildBlock("first_bn", BatchNorm.builder().build());
		final int k = cfg.upsample == TvaeConfig.Upsample.RESIZE_CONV ? 1 : 4;
		for (int l = top; l >= 1; l--) {
			final int filters = filters(l);
			ups.add(addChildBlock("up" + l, upConv(filters)));
			if (l > 1) norms.add(addChildBlock("up" + l + "_bn", BatchNorm.builder().build()));
		}
	}

	private Conv2d upConv(final int filters) {
		return cfg.upsample == TvaeConfig.Upsample.SUBPIXEL ? Conv2d.builder().setKernelShape(new Shape(2, 2))
			.optPadding(new Shape(1, 1)).setFilters(filters).build() : Conv2d.builder().setKernelShape(new Shape(3, 3))
				.optPadding(new Shape(1, 1)).setFilters(filters).build();
	}

	/** Channels the block's convolution produces that are used. */
	private int used(final int level) {
		return (cfg.upsample == TvaeConfig.Upsample.RESIZE_CONV ? 1 : 4) * (level > 1 ? cfg.channels(level - 1)
			: cfg.pixelVariance ? 2 : 1);
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
		final int top = cfg.levels();
		first.initialize(manager, dataType, new Shape(1, cfg.gDim));
		firstNorm.initialize(manager, dataType, new Shape(1, cfg.channels(top), 4, 4));
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			final int inC = cfg.channels(l) * (cfg.skip(l) ? 2 : 1);
			final long s = cfg.imageSize >> l;
			final long sIn = cfg.upsample == TvaeConfig.Upsample.RESIZE_CONV ? 2 * s : s;
			ups.get(i).initialize(manager, dataType, new Shape(1, inC, sIn, sIn));
			if (l > 1) norms.get(i).initialize(manager, dataType, new Shape(1, cfg.channels(l - 1), 2 * s, 2 * s));
		}
		// a residual output starts as persistence: the last layer's weights and bias start at zero (Δ = 0), so the
		// model begins at "copy the last week" and training only moves it where the data say bone changes; the
		// log-variance channel starts at LOGVAR_OFFSET everywhere
		if (cfg.output != TvaeConfig.Output.SIGMOID || cfg.pixelVariance) zero(ups.get(ups.size() - 1));
	}

	private static void zero(final ai.djl.nn.Block b) {
		// in-place on parameters that require gradients is only allowed outside autograd (grad mode is per thread)
		final boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
		ai.djl.pytorch.jni.JniUtils.setGradMode(false);
		try {
			for (final ai.djl.util.Pair<String, ai.djl.nn.Parameter> prm : b.getParameters())
				prm.getValue().getArray().muli(0f);
		}
		finally {
			ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
		}
	}

	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		final int top = cfg.levels();
		final NDArray g = in.get(0);
		final long b = g.getShape().get(0);
		NDArray x = first.forward(ps, new NDList(g), training).head().reshape(b, cfg.channels(top), 4, 4);
		x = Activation.leakyRelu(firstNorm.forward(ps, new NDList(x), training).head(), 0.2f);
		int i = 0;
		for (int l = top; l >= 1; l--, i++) {
			final boolean resize = cfg.upsample == TvaeConfig.Upsample.RESIZE_CONV;
			NDArray y;
			if (cfg.skip(l) && safeSplit(x.getShape().get(1)) && safeSplit(in.get(l).getShape().get(1))) {
				final Conv2d up = ups.get(i);
				final NDArray skip = in.get(l);
				y = convOfConcat(resize ? PixelShuffle.nearest2x(x) : x, resize ? PixelShuffle.nearest2x(skip) : skip, ps
					.getValue(up.getParameters().get("weight"), x.getDevice(), training), ps.getValue(up.getParameters().get(
						"bias"), x.getDevice(), training), new Shape(1, 1));
			}
			else {
				if (cfg.skip(l)) x = x.concat(in.get(l), 1);
				y = ups.get(i).forward(ps, new NDList(resize ? PixelShuffle.nearest2x(x) : x), training).head();
			}
			if (filters(l) != used(l)) y = y.get(":, 0:{}", used(l));
			x = assemble(y);
			if (l > 1) x = Activation.leakyRelu(norms.get(i).forward(ps, new NDList(x), training).head(), 0.2f);
		}
		if (!cfg.pixelVariance) return new NDList(outputActivation(x, in.get(top + 1)));
		final NDArray logvar = x.get(":, 1:2").add(LOGVAR_OFFSET).clip(LOGVAR_MIN, LOGVAR_MAX);
		return new NDList(outputActivation(x.get(":, 0:1"), in.get(top + 1)), logvar);
	}

	/** An up-sampling convolution's output at twice the resolution ({@link TvaeConfig.Upsample}). */
	private NDArray assemble(final NDArray y) {
		switch (cfg.upsample) {
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
	 * {@code conv(concat(a, b, axis 1), w, bias)} (stride 1) computed as
	 * {@code conv(a, w_a, bias) + conv(b, w_b)} with {@code w} split along its
	 * input channels: the same sum of products, without the concatenated
	 * input. Why: at nf 64 the finest level's concatenation is 75 MB, above
	 * what the C heap keeps for reuse ({@code NativeHeap}), so it and
	 * oneDNN's reordered copy of it were mapped afresh every step (page
	 * faults) and the concatenation's backward copied the gradient apart
	 * again.
	 */
	/**
	 * Whether a convolution over {@code c} input channels is one the engine
	 * computes right by itself: at most 16 or a multiple of 16 (see
	 * package-info); otherwise the decoder convolves the concatenation, whose
	 * channel count is the one the configuration was checked with.
	 */
	static boolean safeSplit(final long c) {
		return c <= 16 || c % 16 == 0;
	}

	static NDArray convOfConcat(final NDArray a, final NDArray b, final NDArray w, final NDArray bias,
		final Shape padding)
	{
		final long ca = a.getShape().get(1), cw = w.getShape().get(1);
		if (ca + b.getShape().get(1) != cw) throw new IllegalArgumentException("inputs of " + ca + " + " + b.getShape()
			.get(1) + " channels for a weight of " + cw);
		final Shape one = new Shape(1, 1);
		final NDArray ya = Conv2d.conv2d(a, w.get(":, 0:{}", ca), bias, one, padding).head();
		return ya.add(Conv2d.conv2d(b, w.get(":, {}:{}", ca, cw), null, one, padding).head());
	}

	private NDArray outputActivation(final NDArray y, final NDArray xLast) {
		switch (cfg.output) {
			case RESIDUAL_CLAMP:
				return xLast.add(y).clip(0f, 1f);
			case RESIDUAL_LOGIT: {
				final NDArray p = xLast.clip(1e-4f, 1f - 1e-4f);
				return Activation.sigmoid(p.div(p.neg().add(1f)).log().add(y));
			}
			case SIGMOID:
			default:
				return Activation.sigmoid(y);
		}
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape x = new Shape(inputShapes[0].get(0), 1, cfg.imageSize, cfg.imageSize);
		return cfg.pixelVariance ? new Shape[] { x, x } : new Shape[] { x };
	}
}
