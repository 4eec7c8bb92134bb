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
import org.osteocast.nn.engine.EngineSetup;

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

	@Test
	void weightDecayIsDecoupledAndScaledWithTheRate() throws Exception {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final Linear l = Linear.builder().setUnits(2).build();
			l.initialize(m, DataType.FLOAT32, new Shape(1, 3));
			final Adam adam = new Adam(l.getParameters(), m, 0.01, 0.9, 0.999, 0.5);
			adam.lrScale(0.4);
			final NDArray w = l.getParameters().get("weight").getArray();
			final float[] w0 = w.toFloatArray();
			final float[] x = { 1f, -2f, 0.5f };
			backward(l, m, x);
			assertTrue(adam.step());
			// AdamW: w ← w (1 − lr·s·wd) − lr·s·sign(g) on the first step, with s the schedule's factor
			final float[] w1 = w.toFloatArray();
			for (int o = 0; o < 2; o++)
				for (int i = 0; i < 3; i++)
					assertEquals(w0[o * 3 + i] * (1 - 0.004 * 0.5) - 0.004 * Math.signum(x[i]), w1[o * 3 + i], 1e-5);
		}
	}

	/**
	 * Three steps on two layers (four parameters of different shapes) equal
	 * Adam's formula applied per parameter in double precision; an optimiser
	 * loaded from a checkpoint after step 2 makes the same step 3.
	 */
	@Test
	void flatUpdateEqualsPerParameterFormulaAndResumes() throws Exception {
		EngineSetup.engine();
		final double lr = 0.05, b1 = 0.8, b2 = 0.95;
		try (NDManager m = NDManager.newBaseManager()) {
			final Linear l = Linear.builder().setUnits(4).build();
			l.initialize(m, DataType.FLOAT32, new Shape(1, 3));
			final Linear k = Linear.builder().setUnits(2).build();
			k.initialize(m, DataType.FLOAT32, new Shape(1, 4));
			final ai.djl.util.PairList<String, ai.djl.nn.Parameter> ps = new ai.djl.util.PairList<>();
			ps.addAll(l.getParameters());
			ps.addAll(k.getParameters());
			final Adam adam = new Adam(ps, m, lr, b1, b2);
			final int np = ps.size();
			final double[][] w = new double[np][], mm = new double[np][], vv = new double[np][];
			for (int i = 0; i < np; i++) {
				w[i] = toDouble(ps.get(i).getValue().getArray().toFloatArray());
				mm[i] = new double[w[i].length];
				vv[i] = new double[w[i].length];
			}
			byte[] saved = null;
			float[][] afterResume = null;
			for (int step = 1; step <= 3; step++) {
				final float[] x = { step, -1f, 0.5f * step };
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					final ParameterStore store = new ParameterStore(m, false);
					final NDArray y = k.forward(store, l.forward(store, new NDList(m.create(x, new Shape(1, 3))), true),
						true).head();
					gc.backward(y.square().sum());
				}
				final double[][] g = new double[np][];
				for (int i = 0; i < np; i++)
					g[i] = toDouble(ps.get(i).getValue().getArray().getGradient().toFloatArray());
				if (step == 3) {
					// a fresh optimiser resumed from step 2's state, on copies of the gradients: same update
					final Adam resumed = new Adam(ps, m, lr, b1, b2);
					resumed.load(new DataInputStream(new ByteArrayInputStream(saved)));
					final float[][] before = new float[np][];
					for (int i = 0; i < np; i++)
						before[i] = ps.get(i).getValue().getArray().toFloatArray();
					final NDArray[] grads = new NDArray[np];
					for (int i = 0; i < np; i++)
						grads[i] = ps.get(i).getValue().getArray().getGradient().duplicate();
					assertTrue(resumed.step());
					afterResume = new float[np][];
					for (int i = 0; i < np; i++) {
						final NDArray a = ps.get(i).getValue().getArray();
						afterResume[i] = a.toFloatArray();
						a.set(before[i]);
						a.getGradient().addi(grads[i]); // resumed.step() zeroed them
					}
				}
				assertTrue(adam.step());
				for (int i = 0; i < np; i++)
					for (int j = 0; j < w[i].length; j++) {
						mm[i][j] = b1 * mm[i][j] + (1 - b1) * g[i][j];
						vv[i][j] = b2 * vv[i][j] + (1 - b2) * g[i][j] * g[i][j];
						w[i][j] -= lr * Math.sqrt(1 - Math.pow(b2, step)) / (1 - Math.pow(b1, step)) * mm[i][j] / (Math.sqrt(
							vv[i][j]) + 1e-8);
					}
				for (int i = 0; i < np; i++) {
					final float[] got = ps.get(i).getValue().getArray().toFloatArray();
					for (int j = 0; j < got.length; j++)
						assertEquals(w[i][j], got[j], 1e-5, "step " + step + " parameter " + ps.get(i).getKey());
					assertEquals(0f, ps.get(i).getValue().getArray().getGradient().abs().sum().getFloat(), 0f);
				}
				if (step == 2) {
					final ByteArrayOutputStream b = new ByteArrayOutputStream();
					adam.save(new DataOutputStream(b));
					saved = b.toByteArray();
				}
			}
			for (int i = 0; i < np; i++)
				assertArrayEquals(ps.get(i).getValue().getArray().toFloatArray(), afterResume[i], 0f);
		}
	}

	private static double[] toDouble(final float[] f) {
		final double[] d = new double[f.length];
		for (int i = 0; i < f.length; i++)
			d[i] = f[i];
		return d;
	}
}
