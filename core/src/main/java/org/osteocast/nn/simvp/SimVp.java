package org.osteocast.nn.simvp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.AbstractForecaster;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.blocks.ConvRnnConv;
import org.osteocast.nn.blocks.EdgeWeights;
import org.osteocast.nn.tvae.TvaeLoss;

/**
 * SimVP (Gao et al., CVPR 2022, "SimVP: Simpler yet Better Video
 * Prediction") with the gSTA translator of SimVP-v2 (OpenSTL), as a
 * next-week forecaster; with {@link SimVpConfig#zDim} &gt; 0 a stochastic one.
 * <ul>
 * <li>Encoder, per week: {@link SimVpConfig#nS} {@link ConvSc} blocks of
 * {@code hid_s} channels with strides 1, 2, 1, 2, …: a 64 × 64 slice becomes
 * {@code hid_s × 16 × 16}.</li>
 * <li>Translator: the observed weeks' features stacked on channels
 * ({@code n_past · hid_s}), and the latent's {@code z_dim} channels when the
 * model has one, through {@link SimVpConfig#nT} {@link GstaBlock}s
 * ({@code hid_t} wide), out to {@code hid_s} channels: the next week's
 * features.</li>
 * <li>Decoder: the encoder mirrored (pixel-shuffle up-sampling), the last
 * block fed the sum of its input and the last observed week's first encoder
 * block (SimVP's skip), a 1 × 1 read-out of the change from the last observed
 * week, clamped to [0, 1] (the read-out starts at zero: the model starts as
 * persistence).</li>
 * <li>Latent (stochastic model): a Gaussian of {@code z_dim} channels on the
 * translator's grid; the prior is a 3 × 3 convolution of the observed weeks'
 * features, the posterior one of those and the target week's (training only).
 * Training draws {@code z} from the posterior, forecasting from the prior
 * (noise 0: its mean).</li>
 * <li>Variance (with {@link SimVpConfig#pixelVariance}): a per-pixel
 * log-variance of the forecast, trained as the T-VAE's ({@link TvaeLoss}:
 * β-NLL with the squared error detached, so it does not pull the forecast).</li>
 * </ul>
 * Loss: the edge-aware squared error {@code (1 + λ G_σ(week 1)) (x̂ − x)²}
 * (pixel mean) of the week after the observed ones, plus β·KL (closed form,
 * summed over latent channels, averaged over grid cells and the batch; with
 * free bits each channel and cell counts as at least {@code free_bits} nats),
 * plus the variance term. Several weeks ahead, each forecast week is fed back
 * as the newest observed one.
 */
public final class SimVp extends AbstractForecaster<SimVpConfig> {

	private final List<ConvSc> encoder = new ArrayList<>(), decoder = new ArrayList<>();
	private final List<GstaBlock> translator = new ArrayList<>();
	private final Conv2d readout, varianceReadout;
	private final ConvSc varianceLast;
	private final ConvRnnConv prior, posterior;

	/** Offset and bounds of the log-variance (as the T-VAE's: SD 1e-4 to 1, starting at e^-3.5 ≈ 0.03). */
	static final float LOGVAR_OFFSET = -7f, LOGVAR_MIN = -18.4f, LOGVAR_MAX = 0f;

	public SimVp(final SimVpConfig cfg) {
		super(cfg, 2, cfg.stochastic());
		final int c = cfg.hidS;
		for (int i = 0; i < cfg.nS; i++)
			encoder.add(addChildBlock("enc" + i, new ConvSc(i == 0 ? 1 : c, c, i % 2 == 1 ? ConvSc.Kind.DOWN
				: ConvSc.Kind.SAME)));
		final int in = cfg.nPast * c + cfg.zDim;
		for (int i = 0; i < cfg.nT; i++)
			translator.add(addChildBlock("gsta" + i, new GstaBlock(i == 0 ? in : cfg.hidT, i == cfg.nT - 1 ? c : cfg.hidT,
				cfg.mlpRatio)));
		for (int i = 0; i < cfg.nS; i++)
			decoder.add(addChildBlock("dec" + i, new ConvSc(c, c, i % 2 == 0 ? ConvSc.Kind.UP : ConvSc.Kind.SAME)));
		final boolean shared = cfg.pixelVariance && cfg.varianceHead == SimVpConfig.VarianceHead.SHARED;
		readout = addChildBlock("readout", conv1x1(shared ? 2 : 1));
		final boolean separate = cfg.pixelVariance && !shared;
		varianceLast = separate ? addChildBlock("variance_last", new ConvSc(c, c, ConvSc.Kind.SAME)) : null;
		varianceReadout = separate ? addChildBlock("variance_readout", conv1x1(1)) : null;
		prior = cfg.stochastic() ? addChildBlock("prior", new ConvRnnConv(cfg.nPast * c, 2 * cfg.zDim, 3, true)) : null;
		posterior = cfg.stochastic() ? addChildBlock("posterior", new ConvRnnConv((cfg.nPast + 1) * c, 2 * cfg.zDim, 3,
			true)) : null;
	}

	private static Conv2d conv1x1(final int filters) {
		return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
	}

	/** Latent numbers per week: {@code z_dim · grid²}. */
	private int latentSize() {
		return cfg.zDim * cfg.gridSize() * cfg.gridSize();
	}

	/** {@code z_samples} posterior draws, sample-major. */
	@Override
	public int trainNoise() {
		return cfg.zSamples * latentSize();
	}

	/** One prior draw per forecast week, week-major. */
	@Override
	public int forecastNoise(final int horizon) {
		return horizon * latentSize();
	}

	/** AdamW (weight decay 0.05) with a one-cycle schedule, as SimVP is trained in OpenSTL. */
	@Override
	public JsonObject loopDefaults() {
		final JsonObject o = new JsonObject();
		o.addProperty("weight_decay", 0.05);
		o.addProperty("schedule", "onecycle");
		return o;
	}

	@Override
	public boolean pixelVariance() {
		return cfg.pixelVariance;
	}

	@Override
	protected Shape[] initialShapes() {
		return new Shape[] { new Shape(1, cfg.nPast, 1, cfg.imageSize, cfg.imageSize) };
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		Shape x = new Shape(1, 1, cfg.imageSize, cfg.imageSize);
		for (final ConvSc e : encoder) {
			e.initialize(manager, dataType, x);
			x = e.getOutputShapes(new Shape[] { x })[0];
		}
		final int c = cfg.hidS, g = cfg.gridSize();
		x = new Shape(1, cfg.nPast * c + cfg.zDim, g, g);
		for (final GstaBlock t : translator) {
			t.initialize(manager, dataType, x);
			x = t.getOutputShapes(new Shape[] { x })[0];
		}
		for (final ConvSc d : decoder) {
			d.initialize(manager, dataType, x);
			x = d.getOutputShapes(new Shape[] { x })[0];
		}
		readout.initialize(manager, dataType, x);
		if (varianceLast != null) {
			varianceLast.initialize(manager, dataType, x);
			varianceReadout.initialize(manager, dataType, x);
		}
		if (prior != null) {
			prior.initialize(manager, dataType, new Shape(1, cfg.nPast * c, g, g));
			posterior.initialize(manager, dataType, new Shape(1, (cfg.nPast + 1) * c, g, g));
		}
		// the change starts at zero (the model starts as persistence) and the log-variance at LOGVAR_OFFSET
		zero(readout);
		if (varianceReadout != null) zero(varianceReadout);
	}

	private static void zero(final Block b) {
		org.osteocast.nn.engine.Torch.zeroParameters(b);
	}

	/** Encodes frames {@code (N, 1, S, S)}: {@code NDList(features (N, hid_s, g, g), first block (N, hid_s, S, S))}. */
	private NDList encode(final ParameterStore ps, final NDArray frames, final boolean training) {
		NDArray x = frames, first = null;
		for (final ConvSc e : encoder) {
			x = e.forward(ps, new NDList(x), training).head();
			if (first == null) first = x;
		}
		return new NDList(x, first);
	}

	/**
	 * From the observed weeks' features to the next week's frame.
	 *
	 * @param past {@code (B, n_past · hid_s, g, g)}
	 * @param z {@code (B, z_dim, g, g)}, or {@code null} for the deterministic model
	 * @param skip the last observed week's first encoder block {@code (B, hid_s, S, S)}
	 * @param xLast the last observed week {@code (B, 1, S, S)}
	 * @return {@code NDList(frame (B, 1, S, S))}, and the log-variance {@code (B, 1, S, S)} with a variance head
	 */
	private NDList predict(final ParameterStore ps, final NDArray past, final NDArray z, final NDArray skip,
		final NDArray xLast, final boolean training)
	{
		NDArray h = z == null ? past : past.concat(z, 1);
		for (final GstaBlock t : translator)
			h = t.forward(ps, new NDList(h), training).head();
		for (int i = 0; i < decoder.size() - 1; i++)
			h = decoder.get(i).forward(ps, new NDList(h), training).head();
		final NDArray lastIn = h.add(skip);
		final NDArray f = decoder.get(decoder.size() - 1).forward(ps, new NDList(lastIn), training).head();
		final NDArray r = readout.forward(ps, new NDList(f), training).head();
		final NDArray frame = xLast.add(r.get(":, 0:1")).clip(0f, 1f);
		if (!cfg.pixelVariance) return new NDList(frame);
		final NDArray raw = varianceLast == null ? r.get(":, 1:2") : varianceReadout.forward(ps, new NDList(varianceLast
			.forward(ps, new NDList(lastIn), training).head()), training).head();
		return new NDList(frame, raw.add(LOGVAR_OFFSET).clip(LOGVAR_MIN, LOGVAR_MAX));
	}

	/** Prior or posterior: {@code NDList(mu, logvar)}, each {@code (B, z_dim, g, g)}. */
	private static NDList gaussian(final ConvRnnConv net, final ParameterStore ps, final NDArray x,
		final boolean training)
	{
		return net.forward(ps, new NDList(x), training).head().split(2, 1);
	}

	@Override
	public Loss loss(final int phase, final ParameterStore ps, final NDArray seq, final NDArray noise,
		final double klScale)
	{
		if (phase != 0) throw new IllegalArgumentException("simvp has one loss phase, not " + phase);
		final Shape s = seq.getShape();
		final int n = cfg.nPast, size = cfg.imageSize, c = cfg.hidS, g = cfg.gridSize();
		if (s.dimension() != 5 || s.get(1) != n + 1 || s.get(3) != size || s.get(4) != size)
			throw new IllegalArgumentException("simvp trains on (B, " + (n + 1) + ", 1, " + size + ", " + size +
				") sequences, got " + s);
		final long b = s.get(0);
		// the target week is encoded only for the posterior
		final int enc = cfg.stochastic() ? n + 1 : n;
		final NDList e = encode(ps, seq.get(":, 0:{}", enc).reshape(b * enc, 1, size, size), true);
		final NDArray feats = e.get(0).reshape(b, enc, c, g, g);
		final NDArray past = feats.get(":, 0:{}", n).reshape(b, (long) n * c, g, g);
		final NDArray skip = e.get(1).reshape(b, enc, c, size, size).get(":, {}", n - 1);
		final NDArray xLast = seq.get(":, {}", n - 1), target = seq.get(":, {}", n);
		final NDArray weights = EdgeWeights.of(seq.get(":, 0"), cfg.lambda, cfg.sigma);
		final int k = cfg.stochastic() ? cfg.zSamples : 1;
		NDArray z = null, kl = null, klObjective = null, klPerDim = null, muQ = null;
		if (cfg.stochastic()) {
			final NDList p = gaussian(prior, ps, past, true);
			final NDList q = gaussian(posterior, ps, past.concat(feats.get(":, {}", n), 1), true);
			muQ = q.get(0);
			final NDArray eps = noise.reshape(b, k, cfg.zDim, g, g).transpose(1, 0, 2, 3, 4).reshape(k * b, cfg.zDim, g, g);
			z = repeat(muQ, k).add(repeat(q.get(1).mul(0.5f).exp(), k).mul(eps));
			// (z_dim, g, g): batch mean of the closed-form KL per channel and cell
			final NDArray cell = TvaeLoss.klGaussian(muQ, q.get(1), p.get(0), p.get(1)).mean(new int[] { 0 });
			klPerDim = cell.reshape(cfg.zDim, -1).mean(new int[] { 1 });
			kl = klPerDim.sum();
			klObjective = cfg.freeBits > 0 ? cell.maximum((float) cfg.freeBits).reshape(cfg.zDim, -1).mean(
				new int[] { 1 }).sum() : kl;
		}
		final NDList out = predict(ps, repeat(past, k), z, repeat(skip, k), repeat(xLast, k), true);
		final NDArray sq = out.get(0).sub(repeat(target, k)).square();
		// per sample and sequence (k, B): the edge-weighted pixel mean
		final NDArray perSample = sq.mul(repeat(weights, k)).reshape(k * b, -1).mean(new int[] { 1 }).reshape(k, b);
		final NDArray recon = cfg.latentObjective == SimVpConfig.LatentObjective.BEST_OF_K && k > 1 ? perSample.min(
			new int[] { 0 }).mean() : perSample.mean();
		NDArray total = recon;
		if (kl != null) total = total.add(klObjective.mul((float) (klScale * cfg.beta)));
		if (cfg.pixelVariance) {
			final NDArray lv = out.get(1), err = sq.stopGradient(), sd = lv.mul(0.5f).exp().stopGradient();
			total = total.add(lv.add(err.mul(lv.neg().exp())).mul(sd).mean().mul((float) (0.5 * cfg.varianceWeight)));
		}
		return new Loss(total, recon, kl, klPerDim, muQ == null ? null : muQ.transpose(0, 2, 3, 1));
	}

	/** {@code k} copies of {@code x} along the batch axis, copy-major; {@code x} itself when {@code k} = 1. */
	private static NDArray repeat(final NDArray x, final int k) {
		if (k == 1) return x;
		final NDList l = new NDList();
		for (int i = 0; i < k; i++)
			l.add(x);
		return NDArrays.concat(l, 0);
	}

	@Override
	public NDArray forecast(final ParameterStore ps, final NDArray observed, final NDArray noise, final int horizon,
		final boolean training)
	{
		return forecastDistribution(ps, observed, noise, horizon, training).get(0);
	}

	@Override
	public NDList forecastDistribution(final ParameterStore ps, final NDArray observed, final NDArray noise,
		final int horizon, final boolean training)
	{
		return forecastDistribution(ps, observed, noise, horizon, training, 1);
	}

	/** The observed weeks are encoded once per observed row, then repeated for the latent samples. */
	@Override
	public NDList forecastDistribution(final ParameterStore ps, final NDArray observed, final NDArray noise,
		final int horizon, final boolean training, final int repeats)
	{
		final Shape s = observed.getShape();
		final int n = cfg.nPast, size = cfg.imageSize, c = cfg.hidS, g = cfg.gridSize();
		if (s.dimension() != 5 || s.get(1) != n || s.get(2) != 1 || s.get(3) != size || s.get(4) != size)
			throw new IllegalArgumentException("simvp forecasts from (B, " + n + ", 1, " + size + ", " + size +
				") observed weeks, got " + s);
		if (horizon < 1) throw new IllegalArgumentException("horizon must be at least 1, not " + horizon);
		final long b = s.get(0) * repeats;
		NDArray window = observed;
		final NDList frames = new NDList(), variances = new NDList();
		for (int j = 0; j < horizon; j++) {
			// the first week's window is the observed rows (each encoded once), later ones are the samples' own
			final long bw = window.getShape().get(0);
			final int k = Math.toIntExact(b / bw);
			final NDList enc = encode(ps, window.reshape(bw * n, 1, size, size), training);
			final NDArray past = ForecastNet.repeatRows(enc.get(0).reshape(bw, (long) n * c, g, g), k);
			final NDArray skip = ForecastNet.repeatRows(enc.get(1).reshape(bw, n, c, size, size).get(":, {}", n - 1), k);
			window = ForecastNet.repeatRows(window, k);
			NDArray z = null;
			if (cfg.stochastic()) {
				final NDList p = gaussian(prior, ps, past, training);
				z = p.get(0);
				if (noise != null) z = z.add(p.get(1).mul(0.5f).exp().mul(noise.get(":, {}:{}", (long) j * latentSize(),
					(long) (j + 1) * latentSize()).reshape(b, cfg.zDim, g, g)));
			}
			final NDList out = predict(ps, past, z, skip, window.get(":, {}", n - 1), training);
			frames.add(out.get(0));
			if (cfg.pixelVariance) variances.add(out.get(1).exp());
			window = n == 1 ? out.get(0).expandDims(1) : window.get(":, 1:").concat(out.get(0).expandDims(1), 1);
		}
		final NDArray f = NDArrays.stack(frames, 1);
		return cfg.pixelVariance ? new NDList(f, NDArrays.stack(variances, 1)) : new NDList(f);
	}

	/** Input {@code NDList(observed (B, n_past, 1, S, S))}: the next week's forecast {@code (B, 1, 1, S, S)} (latent at the prior mean). */
	@Override
	protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(forecast(ps, in.head(), null, 1, training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape x = inputShapes[0];
		return new Shape[] { new Shape(x.get(0), 1, 1, cfg.imageSize, cfg.imageSize) };
	}
}
