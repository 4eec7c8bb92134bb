package org.osteocast.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import com.google.gson.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.Function;

import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.train.Adam;

/** Checks every deterministic 2-D forecaster family passes: it learns one sequence, and saving and loading keep its forecast. */
public final class ForecastNetChecks {

	private ForecastNetChecks() {}

	/** A bright disc that grows by one pixel a week on a dim background, {@code (1, weeks, 1, s, s)}. */
	public static float[] growingDisc(final int weeks, final int s) {
		final float[] v = new float[weeks * s * s];
		for (int t = 0; t < weeks; t++)
			for (int y = 0; y < s; y++)
				for (int x = 0; x < s; x++) {
					final double r = Math.hypot(y - 7.5, x - 6.5 - 0.5 * t);
					v[(t * s + y) * s + x] = r < 2.5 + t ? 0.9f : 0.1f + 0.02f * ((x + 2 * y) % 5);
				}
		return v;
	}

	/**
	 * Trains {@code create.apply(hyper)} on one growing disc for {@code iterations}
	 * Adam steps: the loss falls by 15× with no skipped step and no KL term; then
	 * a fresh model of the same hyper-parameters forecasts differently until it
	 * loads the trained parameters, and then exactly alike.
	 */
	public static void overfitsOneSequenceAndSavesLoads(final Function<JsonObject, ? extends ForecastNet> create,
		final JsonObject hyper, final int nPast, final int s, final double lr, final int iterations)
		throws IOException, MalformedModelException
	{
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(1);
		final float[] data = growingDisc(nPast + 1, s);
		try (NDManager m = NDManager.newBaseManager()) {
			final ForecastNet net = create.apply(hyper);
			net.initialize(m);
			final Adam adam = new Adam(net.block().getParameters(), m, lr, 0.9, 0.999);
			final ParameterStore ps = new ParameterStore(m, false);
			float first = Float.NaN, last = Float.NaN;
			int skipped = 0;
			for (int it = 0; it < iterations; it++) {
				try (NDManager sub = m.newSubManager()) {
					final NDArray seq = sub.create(data, new Shape(1, nPast + 1, 1, s, s));
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						final ForecastNet.Loss l = net.loss(0, ps, seq, null, 0);
						assertNull(l.kl);
						gc.backward(l.total);
						last = l.total.getFloat();
					}
					if (!adam.step()) skipped++;
				}
				if (it == 0) first = last;
			}
			assertTrue(last < first / 15, "loss " + first + " -> " + last);
			assertEquals(0, skipped, "steps with non-finite gradients");

			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			net.block().saveParameters(new DataOutputStream(bytes));
			final NDArray obs = m.create(data, new Shape(1, nPast + 1, 1, s, s)).get(":, :{}", nPast);
			final float[] before = net.forecast(ps, obs, null, 2, false).toFloatArray();
			Engine.getInstance().setRandomSeed(99);
			final ForecastNet copy = create.apply(net.hyperParameters());
			copy.initialize(m);
			assertFalse(java.util.Arrays.equals(before, copy.forecast(new ParameterStore(m, false), obs, null, 2, false)
				.toFloatArray()));
			copy.block().loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
			// a fresh store: a ParameterStore caches each parameter's array, and loading replaces the arrays
			assertArrayEquals(before, copy.forecast(new ParameterStore(m, false), obs, null, 2, false).toFloatArray());
		}
	}

	/**
	 * {@link ForecastNet#forecastDistribution(ParameterStore, NDArray, NDArray, int, boolean, int)}
	 * with {@code k} samples a row equals the forecast of the rows repeated {@code k} times (within 1e-5), over
	 * 2 forecast weeks (so a forecast week is encoded again), with the weights moved away from their start (a
	 * residual model starts as persistence, whatever the latent) so that the samples of a row differ.
	 */
	public static void sharedEncodingEqualsRepeatedRows(final ForecastNet net, final Shape observed,
		final boolean batchStatistics, final String what)
	{
		try (NDManager m = NDManager.newBaseManager()) {
			net.initialize(m);
			for (final Pair<String, Parameter> p : net.block().getParameters()) {
				final NDArray w = p.getValue().getArray();
				w.addi(m.randomNormal(0, 0.2f, w.getShape(), w.getDataType()));
			}
			final ParameterStore ps = new ParameterStore(m, false);
			final int k = 3, horizon = 2;
			final long b = observed.get(0);
			final NDArray obs = m.randomUniform(0, 1, observed);
			final NDArray eps = m.randomNormal(new Shape(b * k, net.forecastNoise(horizon)));
			final NDList shared = net.forecastDistribution(ps, obs, eps, horizon, batchStatistics, k);
			final NDList repeated = net.forecastDistribution(ps, ForecastNet.repeatRows(obs, k), eps,
				horizon, batchStatistics);
			assertEquals(repeated.size(), shared.size(), what);
			for (int i = 0; i < shared.size(); i++) {
				assertEquals(new Shape(b * k, horizon).addAll(observed.slice(2)), shared.get(i).getShape(), what);
				assertArrayEquals(repeated.get(i).toFloatArray(), shared.get(i).toFloatArray(), 1e-5f, what + ", output " +
					i);
			}
			final float[] a = shared.get(0).get("0").toFloatArray(), c = shared.get(0).get("1").toFloatArray();
			double diff = 0;
			for (int i = 0; i < a.length; i++)
				diff += Math.abs(a[i] - c[i]);
			assertTrue(diff > 1e-4, what + ": samples of one row differ: " + diff);
		}
	}
}
