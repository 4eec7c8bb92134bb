package org.osteocast.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.util.List;

/**
 * A next-week forecaster that {@code train}, {@code predict} and
 * {@code benchmark} handle alike: the T-VAE (2-D and 3-D), ConvLSTM, PredRNN,
 * the 3-D GAN and the untrained references (persistence, linear
 * extrapolation). Created from {@code model.json} by {@link org.osteocast.nn.model.ForecastNets}.
 * <p>
 * Data layout. A 2-D model ({@link #spatialDims()} = 2) sees one slice
 * position's weeks: sequences {@code (B, T, 1, S, S)}. A 3-D model sees a
 * mouse's whole VOI: {@code (B, T, 1, D, S, S)} with {@code D} = {@link #depth()}.
 * Values are in [0, 1]; {@code T = nPast + 1} in training (the last frame is
 * the target), {@code nPast} when forecasting.
 * <p>
 * Randomness is an input: the caller draws standard normal noise from its own
 * seeded generator ({@link #trainNoise}, {@link #forecastNoise} numbers per
 * sequence, as a {@code (B, N)} array), so training and prediction are
 * reproducible and do not depend on batch composition. Deterministic models
 * ask for 0 numbers and get {@code null}.
 */
public interface ForecastNet {

	/** {@code model.json}'s "architecture": tvae2d, tvae3d, convlstm, predrnn, gan3d, persistence, linear. */
	String architecture();

	/** Every hyper-parameter, snake_case (read back by {@link org.osteocast.nn.model.ForecastNets#create}). */
	JsonObject hyperParameters();

	/** Slice side S (pixels). */
	int imageSize();

	/** Observed weeks the model conditions on. */
	int nPast();

	/** 2 = per-slice sequences; 3 = per-mouse volumes. */
	int spatialDims();

	/**
	 * The batch a training of this model uses unless told otherwise:
	 * sequences of slices for 2-D models (48, SVG-LP's), whole volumes for
	 * 3-D ones (4, what fits a workstation's memory at the paper's sizes).
	 */
	default int defaultBatch() {
		return spatialDims() == 3 ? 4 : 48;
	}

	/**
	 * The optimiser settings this model was designed with, as training-loop
	 * keys ({@code weight_decay}, {@code schedule}: constant or onecycle),
	 * used where the user sets none; empty = the loop's defaults (Adam at a
	 * constant rate).
	 */
	default JsonObject loopDefaults() {
		return new JsonObject();
	}

	/** Slices per volume for 3-D models; 0 for 2-D ones. */
	default int depth() {
		return 0;
	}

	/**
	 * Whether the model has layers that compute in bfloat16 under a bf16
	 * {@code Precision} (the 2-D T-VAE's convolutions and matmuls); models
	 * without any train and predict in fp32 whatever is asked.
	 */
	default boolean bf16Layers() {
		return false;
	}

	/** Whether forecasts depend on the noise (several samples differ). */
	boolean stochastic();

	/** The block that holds every parameter (saved and loaded as one); may have no parameters. */
	Block block();

	/** Initialises the parameters in {@code manager} (seed the engine first). */
	void initialize(NDManager manager);

	/**
	 * Parameter groups, each updated by its own optimiser after its own phase
	 * ({@link #loss} with that phase index), in order. One group with every
	 * parameter for most models; a GAN has {discriminator, generator}.
	 * Empty for a model without parameters (nothing to train).
	 */
	List<PairList<String, Parameter>> parameterGroups();

	/** Standard normals per sequence that {@link #loss} consumes (0 = deterministic). */
	int trainNoise();

	/** Standard normals per sequence that {@link #forecast} consumes for {@code horizon} weeks. */
	int forecastNoise(int horizon);

	/**
	 * The training objective of one phase on a batch, with gradients recorded
	 * by the caller's collector.
	 *
	 * @param seq {@code (B, nPast+1, 1, [D,] S, S)}
	 * @param noise {@code (B, trainNoise())}, or {@code null} when that is 0
	 * @param klScale the KL annealing factor of this epoch in [0, 1], multiplying the
	 *          model's own β; models without a KL ignore it
	 */
	Loss loss(int phase, ParameterStore ps, NDArray seq, NDArray noise, double klScale);

	/**
	 * Forecasts {@code horizon} weeks after the observed ones.
	 *
	 * @param observed {@code (B, nPast, 1, [D,] S, S)}
	 * @param noise {@code (B, forecastNoise(horizon))}; {@code null} or zeros = the
	 *          latent at its mean (the validation forecast)
	 * @param training batch-norm mode (false = running statistics)
	 * @return {@code (B, horizon, 1, [D,] S, S)} in [0, 1]
	 */
	NDArray forecast(ParameterStore ps, NDArray observed, NDArray noise, int horizon, boolean training);

	/**
	 * Whether {@link #forecastDistribution} also returns a per-pixel variance
	 * (the T-VAE's decoder noise, on top of the spread over latent samples).
	 */
	default boolean pixelVariance() {
		return false;
	}

	/**
	 * {@link #forecast}, with the model's per-pixel predictive variance of
	 * each forecast given its latent sample when {@link #pixelVariance()}.
	 *
	 * @return {@code NDList(frames)} or {@code NDList(frames, variance)}, each
	 *         {@code (B, horizon, 1, [D,] S, S)}
	 */
	default NDList forecastDistribution(final ParameterStore ps, final NDArray observed, final NDArray noise,
		final int horizon, final boolean training)
	{
		return new NDList(forecast(ps, observed, noise, horizon, training));
	}

	/**
	 * {@link #forecastDistribution} of each observed sequence under several
	 * latent samples: row {@code i} of the result is observed row
	 * {@code i / repeats} under noise row {@code i}. This default repeats the
	 * observed rows; a model overrides it to compute what does not depend on
	 * the noise (the encoding of the observed weeks) once per observed row,
	 * with the same result up to floating-point rounding.
	 *
	 * @param observed {@code (B, nPast, 1, [D,] S, S)}
	 * @param noise {@code (B·repeats, forecastNoise(horizon))}, or {@code null}
	 * @return as {@link #forecastDistribution}, {@code B·repeats} rows
	 */
	default NDList forecastDistribution(final ParameterStore ps, final NDArray observed, final NDArray noise,
		final int horizon, final boolean training, final int repeats)
	{
		return forecastDistribution(ps, repeatRows(observed, repeats), noise, horizon, training);
	}

	/** Each row of {@code x} (axis 0) {@code k} times in a row: rows a, b become a, a, b, b for k = 2. */
	static NDArray repeatRows(final NDArray x, final int k) {
		if (k < 1) throw new IllegalArgumentException("repeats must be at least 1, not " + k);
		if (k == 1) return x;
		final Shape s = x.getShape();
		return x.expandDims(1).broadcast(new Shape(s.get(0), k).addAll(s.slice(1))).reshape(new Shape(s.get(0) * k)
			.addAll(s.slice(1)));
	}

	/** A phase's objective and what the training log records about it. */
	final class Loss {
		/** The scalar to minimise. */
		public final NDArray total;
		/** Reconstruction term (scalar): the log's "recon". */
		public final NDArray recon;
		/** KL (scalar), or {@code null}: the log's "kl" (for a GAN: the adversarial term). */
		public final NDArray kl;
		/** KL per latent dimension {@code (z)}, or {@code null}. */
		public final NDArray klPerDim;
		/** Posterior means {@code (..., z)} for the active-unit count, or {@code null}. */
		public final NDArray posteriorMean;

		public Loss(final NDArray total, final NDArray recon, final NDArray kl, final NDArray klPerDim,
			final NDArray posteriorMean)
		{
			this.total = total;
			this.recon = recon;
			this.kl = kl;
			this.klPerDim = klPerDim;
			this.posteriorMean = posteriorMean;
		}

		/** A plain reconstruction loss. */
		public static Loss of(final NDArray recon) {
			return new Loss(recon, recon, null, null, null);
		}
	}
}
