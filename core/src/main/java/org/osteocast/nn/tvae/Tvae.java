package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import org.osteocast.nn.blocks.EdgeWeights;

/**
 * The 2-D temporal VAE (Xiong et al. 2022) after SVG-LP (Denton &amp; Fergus
 * 2018), on one slice position's weeks {@code (B, T, 1, S, S)}: a per-slice
 * {@link ConvEncoder}, the latent dynamics of {@link AbstractTvae}, and a
 * {@link ConvDecoder} with skips from the last observed week; with
 * {@link TvaeConfig#pixelVariance} the decoder also outputs a per-pixel
 * log-variance ({@link AbstractTvae.Pass#pixelLogvar}).
 */
public final class Tvae extends AbstractTvae<TvaeConfig> {

	public Tvae(final TvaeConfig cfg) {
		super(cfg, 2, new ConvEncoder(cfg.channels(), cfg.gDim), new ConvDecoder(cfg.channels(), cfg.skips(),
			cfg.upsample, cfg.output, cfg.pixelVariance));
	}

	/** The encoder's and decoder's convolutions and every LSTM matmul run in bf16 under a bf16 precision. */
	@Override
	public boolean bf16Layers() {
		return true;
	}

	@Override
	public boolean pixelVariance() {
		return cfg.pixelVariance;
	}

	@Override
	protected NDArray pad(final NDArray x, final int axis) {
		return x;
	}

	@Override
	protected NDArray crop(final NDArray x, final int axis) {
		return x;
	}

	@Override
	protected Shape padded(final Shape frames) {
		return frames;
	}

	/** Every encoder level goes to the decoder, which uses those in {@link TvaeConfig#skipLevels}. */
	@Override
	protected boolean passSkips() {
		return true;
	}

	@Override
	protected NDArray edgeWeights(final NDArray week1) {
		return EdgeWeights.of(week1, cfg.lambda, cfg.sigma);
	}

	@Override
	protected void checkObserved(final NDArray observed) {
		final long n = observed.getShape().get(1);
		if (n != cfg.nPast) throw new IllegalArgumentException("the model conditions on " + cfg.nPast + " weeks, got " +
			n);
	}

	/** The decoder takes the embedding, every encoder level and the last observed slice. */
	@Override
	protected Shape[] decoderShapes(final Shape[] encoded, final Shape frame) {
		final Shape[] dec = new Shape[encoded.length + 1];
		System.arraycopy(encoded, 0, dec, 0, encoded.length);
		dec[encoded.length] = frame;
		return dec;
	}

	@Override
	protected TvaeLoss.Parts objective(final NDArray seq, final NDArray weights, final Pass pass, final double beta) {
		return TvaeLoss.compute(pass.frames, seq.get(":, 1:"), weights, pass.muQ, pass.logvarQ, pass.muP, pass.logvarP,
			beta, cfg.freeBits, pass.pixelLogvar, cfg.varianceWeight);
	}
}
