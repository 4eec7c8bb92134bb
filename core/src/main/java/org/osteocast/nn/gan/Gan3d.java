package org.osteocast.nn.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.List;

import org.osteocast.nn.AbstractForecaster;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.blocks.Conv3dDepthPad;
import org.osteocast.nn.blocks.EdgeWeights;

/**
 * A 3-D conditional GAN that forecasts the next volume from the observed
 * weeks (pix2pix-style, deterministic: no noise): a U-Net
 * {@link Gan3dGenerator} on the observed weeks as channels and a PatchGAN
 * {@link Gan3dDiscriminator} on [observed weeks, real or forecast next week].
 * <p>
 * Training has two phases with their own parameter groups, in this order
 * ({@link #parameterGroups()}: discriminator, generator):
 * <ol start="0">
 * <li>Discriminator: {@code ½ [softplus(−D(obs, real)) + softplus(D(obs, G(obs)))]}
 * (binary cross-entropy on logits, averaged over patches), with the forecast
 * detached ({@code stopGradient}), so no gradient reaches the generator. Its
 * {@link ForecastNet.Loss} carries that loss as {@code total} and
 * {@code recon}; a training log should report the generator phase.</li>
 * <li>Generator: the edge-aware weighted MSE of the forecast against the real
 * next week (as the T-VAE's reconstruction: weights {@code 1 + λ G_σ(week 1)}
 * per slice, mean over voxels), reported as {@code recon}, plus
 * {@code adv_weight} × the non-saturating adversarial loss
 * {@code softplus(−D(obs, G(obs)))}, reported in {@code Loss.kl}'s slot (the
 * log's "kl" column holds the adversarial term for this model). The
 * discriminator's parameters are taken out of autograd for this pass
 * ({@code requires_grad} off, as pix2pix's {@code set_requires_grad}), so
 * this phase leaves no gradient on them.</li>
 * </ol>
 * Volumes are padded along the depth to {@link Gan3dConfig#paddedDepth()}
 * by edge replication ({@link Conv3dDepthPad}); the forecast is cropped back
 * before the losses, and re-padded by replication before the discriminator
 * sees it, so that padded slices of real and forecast volumes look alike.
 * Forecasts beyond one week roll forward, feeding each forecast back as the
 * newest observed week.
 */
public final class Gan3d extends AbstractForecaster<Gan3dConfig> {

	private final Gan3dGenerator generator;
	private final Gan3dDiscriminator discriminator;

	public Gan3d(final Gan3dConfig cfg) {
		super(cfg, 3, false);
		generator = addChildBlock("generator", new Gan3dGenerator(cfg.channelsUpTo(cfg.levels()), cfg.output));
		discriminator = addChildBlock("discriminator", new Gan3dDiscriminator(cfg.channelsUpTo(cfg
			.discriminatorLevels() + 1)));
	}

	/** A sequence of {@code nPast + 1} volumes. */
	@Override
	protected Shape[] initialShapes() {
		return new Shape[] { new Shape(1, cfg.nPast + 1).addAll(frameShape()) };
	}

	/** The generator sees the observed weeks as channels, the discriminator those and one more week (padded depth). */
	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		final Shape s = inputShapes[0];
		final int dp = cfg.paddedDepth();
		generator.initialize(manager, dataType, new Shape(1, s.get(1) - 1, dp, s.get(4), s.get(5)));
		discriminator.initialize(manager, dataType, new Shape(1, s.get(1), dp, s.get(4), s.get(5)));
	}

	/** {discriminator, generator}: phase 0 updates the first, phase 1 the second. */
	@Override
	public List<PairList<String, Parameter>> parameterGroups() {
		return List.of(discriminator.getParameters(), generator.getParameters());
	}

	@Override
	public Loss loss(final int phase, final ParameterStore ps, final NDArray seq, final NDArray noise,
		final double klScale)
	{
		if (phase != 0 && phase != 1) throw new IllegalArgumentException("the GAN has phases 0 and 1, not " + phase);
		checkVolumes(seq, cfg.nPast + 1);
		final Shape s = seq.getShape();
		final long b = s.get(0), d = s.get(3), h = s.get(4), w = s.get(5);
		final int dp = cfg.paddedDepth();
		final NDArray obs = Conv3dDepthPad.pad(seq.get(":, :{}", cfg.nPast).reshape(b, cfg.nPast, d, h, w), 2, dp);
		final NDArray real = seq.get(":, {}", cfg.nPast); // (B, 1, D, S, S)
		final NDArray fake = Conv3dDepthPad.crop(generator.forward(ps, new NDList(obs), true).head(), 2, cfg.depth);
		if (phase == 0) {
			final NDArray dReal = discriminator.forward(ps, new NDList(obs.concat(Conv3dDepthPad.pad(real, 2, dp), 1)), true)
				.head();
			final NDArray dFake = discriminator.forward(ps, new NDList(obs.concat(Conv3dDepthPad.pad(fake.stopGradient(), 2,
				dp), 1)), true).head();
			return Loss.of(softplus(dReal.neg()).mean().add(softplus(dFake).mean()).mul(0.5f));
		}
		final NDArray weights = EdgeWeights.perSlice(seq.get(":, 0"), cfg.lambda, cfg.sigma);
		final NDArray diff = fake.sub(real);
		final NDArray recon = diff.mul(diff).mul(weights).mean();
		final PairList<String, Parameter> dParams = discriminator.getParameters();
		setRequiresGradient(dParams, false);
		final NDArray adv;
		try {
			adv = softplus(discriminator.forward(ps, new NDList(obs.concat(Conv3dDepthPad.pad(fake, 2, dp), 1)), true)
				.head().neg()).mean();
		}
		finally {
			setRequiresGradient(dParams, true);
		}
		return new Loss(recon.add(adv.mul((float) cfg.advWeight)), recon, adv, null, null);
	}

	/** Turns autograd on or off for trainable parameters (the graph records the state at each operation). */
	private static void setRequiresGradient(final PairList<String, Parameter> params, final boolean on) {
		for (final Pair<String, Parameter> p : params)
			if (p.getValue().requiresGradient()) p.getValue().getArray().setRequiresGradient(on);
	}

	/** {@code log(1 + e^x)}, stable for large |x|: {@code max(x, 0) + log(1 + e^{−|x|})}. */
	static NDArray softplus(final NDArray x) {
		return Activation.relu(x).add(x.abs().neg().exp().add(1f).log());
	}

	@Override
	public NDArray forecast(final ParameterStore ps, final NDArray observed, final NDArray noise, final int horizon,
		final boolean training)
	{
		checkVolumes(observed, cfg.nPast);
		final Shape s = observed.getShape();
		final long b = s.get(0), d = s.get(3), h = s.get(4), w = s.get(5);
		NDArray window = observed.reshape(b, cfg.nPast, d, h, w);
		final NDList out = new NDList(horizon);
		for (int k = 0; k < horizon; k++) {
			final NDArray x = Conv3dDepthPad.crop(generator.forward(ps, new NDList(Conv3dDepthPad.pad(window, 2, cfg
				.paddedDepth())), training).head(), 2, cfg.depth);
			out.add(x);
			if (k + 1 < horizon) window = window.get(":, 1:").concat(x, 1);
		}
		return ai.djl.ndarray.NDArrays.stack(out, 1);
	}

	/** Not used for training ({@link #loss} drives the two networks); forwards the generator: one-week forecast. */
	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(forecast(ps, in.head(), null, 1, training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape s = inputShapes[0];
		return new Shape[] { new Shape(s.get(0), 1, 1, cfg.depth, cfg.imageSize, cfg.imageSize) };
	}
}
