package org.osteocast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.EngineSetup;

/** The optimiser: Adam's first step, state round trip, and skipping non-finite gradients. */
class AdamTest {

	private static void backward(final Linear l, final NDManager m, final float[] x) {
		try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
			gc.backward(l.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(1, 3))), true).head()
				.sum());
		}
	}

	@Test
	void firstStepMovesEachWeightByLrAgainstItsGradientSign() throws Exception {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final Linear l = Linear.builder().setUnits(2).build();
			l.initialize(m, DataType.FLOAT32, new Shape(1, 3));
			final Adam adam = new Adam(l.getParameters(), m, 0.01, 0.9, 0.999);
			final NDArray w = l.getParameters().get("weight").getArray();
			final float[] w0 = w.toFloatArray();
			final float[] x = { 1f, -2f, 0.5f };
			backward(l, m, x);
			assertTrue(adam.step());
			// d(sum(Wx+b))/dW[o][i] = x[i]; first Adam step = lr · sign(g) (m̂ = g, v̂ = g²)
			final float[] w1 = w.toFloatArray();
			for (int o = 0; o < 2; o++)
				for (int i = 0; i < 3; i++)
					assertEquals(w0[o * 3 + i] - 0.01 * Math.signum(x[i]), w1[o * 3 + i], 1e-5);
			assertEquals(1, adam.steps());
			// state round trip
			final ByteArrayOutputStream b = new ByteArrayOutputStream();
			adam.save(new DataOutputStream(b));
			final Adam other = new Adam(l.getParameters(), m, 0.01, 0.9, 0.999);
			other.load(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
			assertEquals(1, other.steps());
			// a NaN gradient is refused and leaves the weights alone
			backward(l, m, new float[] { Float.NaN, 1f, 1f });
			assertFalse(adam.step());
			assertArrayEquals(w1, w.toFloatArray(), 0f);
			assertEquals(1, adam.steps());
		}
	}
}
