package org.osteocast.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.util.List;

/**
 * What every learned forecaster shares: a DJL block that holds all its
 * parameters and answers {@link ForecastNet}'s questions from its
 * configuration ({@link ForecastConfig}). A family implements the loss, the
 * forecast, {@code forwardInternal}, {@code initializeChildBlocks} and the
 * shapes the model is initialised with ({@link #initialShapes()}).
 *
 * @param <C> the family's configuration
 */
public abstract class AbstractForecaster<C extends ForecastConfig> extends AbstractBlock implements ForecastNet {

	protected final C cfg;
	private final int spatialDims;
	private final boolean stochastic;

	/**
	 * @param spatialDims 2 (per-slice sequences) or 3 (per-mouse volumes)
	 * @param stochastic whether forecasts depend on the noise
	 */
	protected AbstractForecaster(final C cfg, final int spatialDims, final boolean stochastic) {
		this.cfg = cfg;
		this.spatialDims = spatialDims;
		this.stochastic = stochastic;
	}

	/** The configuration the model was built from. */
	public C config() {
		return cfg;
	}

	@Override
	public String architecture() {
		return cfg.architecture();
	}

	@Override
	public JsonObject hyperParameters() {
		return cfg.toJson();
	}

	@Override
	public int imageSize() {
		return cfg.imageSize;
	}

	@Override
	public int nPast() {
		return cfg.nPast;
	}

	@Override
	public int spatialDims() {
		return spatialDims;
	}

	@Override
	public int depth() {
		return cfg.depth();
	}

	@Override
	public boolean stochastic() {
		return stochastic;
	}

	@Override
	public Block block() {
		return this;
	}

	/** One group with every parameter. */
	@Override
	public List<PairList<String, Parameter>> parameterGroups() {
		return List.of(getParameters());
	}

	/** Deterministic unless the family says otherwise. */
	@Override
	public int trainNoise() {
		return 0;
	}

	/** Deterministic unless the family says otherwise. */
	@Override
	public int forecastNoise(final int horizon) {
		return 0;
	}

	/** The input shapes the model is initialised with (recorded with its parameters). */
	protected abstract Shape[] initialShapes();

	/** Initialises all parameters (uses the engine's random generator: seed it first). */
	@Override
	public void initialize(final NDManager manager) {
		initialize(manager, DataType.FLOAT32, initialShapes());
	}

	/** One frame's shape: {@code (1, S, S)} for 2-D models, {@code (1, D, S, S)} for 3-D ones. */
	protected final Shape frameShape() {
		return spatialDims == 3 ? new Shape(1, cfg.depth(), cfg.imageSize, cfg.imageSize) : new Shape(1, cfg.imageSize,
			cfg.imageSize);
	}

	/**
	 * Fails unless {@code seq} is {@code (B, weeks, 1, D, S, S)} with this
	 * model's depth and size (3-D models).
	 */
	protected final void checkVolumes(final NDArray seq, final long weeks) {
		final Shape s = seq.getShape();
		if (s.dimension() != 6 || s.get(1) != weeks || s.get(2) != 1 || s.get(3) != cfg.depth() || s.get(4) != cfg
			.imageSize || s.get(5) != cfg.imageSize) throw new IllegalArgumentException("the model takes (B, " + weeks +
				", 1, " + cfg.depth() + ", " + cfg.imageSize + ", " + cfg.imageSize + "), got " + s);
	}
}
