package org.osteocast.nn.tvae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import org.osteocast.nn.blocks.Conv3dDepthPad;
import org.osteocast.nn.blocks.EdgeWeights;

/**
 * The 3-D temporal VAE: the structure of {@link Tvae} ({@link AbstractTvae}:
 * per-week encoder, deterministic LSTM frame predictor, learned Gaussian
 * prior and posterior) on whole volumes, with a {@link Conv3dEncoder} and a
 * {@link Conv3dDecoder} in the {@link Tvae3dConfig.Style style} the
 * configuration names ({@code dcgan}: no skips; {@code unet}: skips at every
 * level from the last observed week).
 * <p>
 * Layout {@code (B, T, 1, D, S, S)}. Inside, volumes are padded along the
 * depth to {@link Tvae3dConfig#paddedDepth()} by edge replication and
 * outputs cropped back ({@link Conv3dDepthPad}); the loss sees only the
 * {@code D} real slices.
 * <p>
 * Loss: {@link TvaeLoss} with the edge weights computed per slice
 * ({@link EdgeWeights#perSlice}), i.e. the mean over voxels of the weighted
 * squared error, summed over steps, plus β·KL.
 */
public final class Tvae3d extends AbstractTvae<Tvae3dConfig> {

	public Tvae3d(final Tvae3dConfig cfg) {
		super(cfg, 3, new Conv3dEncoder(cfg.channels(), cfg.gDim, cfg.coarseDepth()), new Conv3dDecoder(cfg.channels(),
			cfg.coarseDepth(), cfg.skips(), cfg.output));
	}

	/** The decoder (for tests that probe its skips). */
	Conv3dDecoder decoder() {
		return (Conv3dDecoder) decoder;
	}

	@Override
	protected NDArray pad(final NDArray x, final int axis) {
		return Conv3dDepthPad.pad(x, axis, cfg.paddedDepth());
	}

	@Override
	protected NDArray crop(final NDArray x, final int axis) {
		return Conv3dDepthPad.crop(x, axis, cfg.depth);
	}

	@Override
	protected Shape padded(final Shape frames) {
		return new Shape(frames.get(0), frames.get(1), cfg.paddedDepth(), frames.get(3), frames.get(4));
	}

	@Override
	protected boolean passSkips() {
		return cfg.skips();
	}

	@Override
	protected NDArray edgeWeights(final NDArray week1) {
		return EdgeWeights.perSlice(week1, cfg.lambda, cfg.sigma);
	}

	@Override
	protected void checkTraining(final NDArray seq, final NDArray noise) {
		checkVolumes(seq, cfg.nPast + 1);
		final long b = seq.getShape().get(0);
		if (noise == null || noise.getShape().size() != b * trainNoise()) throw new IllegalArgumentException(
			"the 3-D T-VAE needs (B, " + trainNoise() + ") standard normals, got " + (noise == null ? "none" : noise
				.getShape()));
	}

	@Override
	protected void checkObserved(final NDArray observed) {
		checkVolumes(observed, cfg.nPast);
	}

	/** The decoder takes the embedding only when its style has no skips; its layers are sized from its own widths. */
	@Override
	protected Shape[] decoderShapes(final Shape[] encoded, final Shape frame) {
		return new Shape[] { encoded[0] };
	}

	/** {@link TvaeLoss} works on {@code (B, steps, 1, H, W)}: slices stacked along H give the same mean over voxels. */
	@Override
	protected TvaeLoss.Parts objective(final NDArray seq, final NDArray weights, final Pass pass, final double beta) {
		final Shape s = seq.getShape();
		final long b = s.get(0), d = s.get(3), h = s.get(4), w = s.get(5), steps = cfg.nPast;
		return TvaeLoss.compute(pass.frames.reshape(b, steps, 1, d * h, w), seq.get(":, 1:").reshape(b, steps, 1, d * h,
			w), weights.reshape(b, 1, d * h, w), pass.muQ, pass.logvarQ, pass.muP, pass.logvarP, beta, cfg.freeBits);
	}
}
