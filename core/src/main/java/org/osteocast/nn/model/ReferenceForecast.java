package org.osteocast.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.util.List;

import org.osteocast.nn.ForecastNet;

/**
 * The untrained references every forecaster must beat: persistence (week
 * n+1 = week n) and linear extrapolation (week n+h = week n + h·(week n −
 * week n−1), clamped to [0, 1]). They have no parameters, so "training" one
 * only records it in a model archive; they go through the same predict and
 * evaluate commands as the learned models. Work for 2-D and 3-D layouts alike
 * (they act per pixel).
 */
public final class ReferenceForecast implements ForecastNet {

	public static final String PERSISTENCE = "persistence", LINEAR = "linear";

	private final String kind;
	private final int imageSize, nPast;
	private final Block block = new Empty();

	ReferenceForecast(final String kind, final JsonObject h) {
		this.kind = kind;
		imageSize = h.has("image_size") ? h.get("image_size").getAsInt() : 64;
		nPast = h.has("n_past") ? h.get("n_past").getAsInt() : 3;
		if (nPast < (LINEAR.equals(kind) ? 2 : 1)) throw new IllegalArgumentException(kind + " needs at least " +
			(LINEAR.equals(kind) ? 2 : 1) + " observed weeks, not " + nPast);
	}

	@Override
	public String architecture() {
		return kind;
	}

	@Override
	public JsonObject hyperParameters() {
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", imageSize);
		o.addProperty("n_past", nPast);
		return o;
	}

	@Override
	public int imageSize() {
		return imageSize;
	}

	@Override
	public int nPast() {
		return nPast;
	}

	@Override
	public int spatialDims() {
		return 2;
	}

	@Override
	public boolean stochastic() {
		return false;
	}

	@Override
	public Block block() {
		return block;
	}

	@Override
	public void initialize(final NDManager manager) {
		block.initialize(manager, DataType.FLOAT32, new Shape(1));
	}

	@Override
	public List<PairList<String, Parameter>> parameterGroups() {
		return List.of();
	}

	@Override
	public int trainNoise() {
		return 0;
	}

	@Override
	public int forecastNoise(final int horizon) {
		return 0;
	}

	@Override
	public Loss loss(final int phase, final ParameterStore ps, final NDArray seq, final NDArray noise,
		final double klScale)
	{
		throw new UnsupportedOperationException(kind + " has nothing to train");
	}

	@Override
	public NDArray forecast(final ParameterStore ps, final NDArray observed, final NDArray noise, final int horizon,
		final boolean training)
	{
		final long n = observed.getShape().get(1);
		final NDArray last = observed.get(":, {}:", n - 1);
		final NDList out = new NDList();
		for (int h = 1; h <= horizon; h++)
			out.add(LINEAR.equals(kind) ? last.add(last.sub(observed.get(":, {}:{}", n - 2, n - 1)).mul((float) h)).clip(0f,
				1f) : last.duplicate());
		return out.size() == 1 ? out.head() : NDArrays.concat(out, 1);
	}

	/** A block without parameters (so the archive code needs no special case). */
	private static final class Empty extends AbstractBlock {
		@Override
		protected NDList forwardInternal(final ParameterStore ps, final NDList in, final boolean training,
			final PairList<String, Object> params)
		{
			return in;
		}

		@Override
		public Shape[] getOutputShapes(final Shape[] inputShapes) {
			return inputShapes;
		}
	}
}
