package org.osteocast.nn.simvp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/** Group norm against the formula computed here in double precision, and its gradients. */
class GroupNormTest {

	@Test
	void normalisesEachGroupOfEachSample() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(3);
		try (NDManager m = NDManager.newBaseManager()) {
			final int b = 2, c = 4, hw = 9, groups = 2;
			final GroupNorm gn = new GroupNorm(groups, c);
			gn.initialize(m, DataType.FLOAT32, new Shape(b, c, 3, 3));
			final NDArray x = m.randomNormal(new Shape(b, c, 3, 3)).mul(3f).add(1f);
			final float[] xv = x.toFloatArray();
			final float[] expected = new float[xv.length];
			final int per = c / groups * hw;
			for (int s = 0; s < b * groups; s++) {
				double mean = 0, var = 0;
				for (int i = 0; i < per; i++)
					mean += xv[s * per + i];
				mean /= per;
				for (int i = 0; i < per; i++)
					var += (xv[s * per + i] - mean) * (xv[s * per + i] - mean);
				var /= per;
				for (int i = 0; i < per; i++)
					expected[s * per + i] = (float) ((xv[s * per + i] - mean) / Math.sqrt(var + 1e-5));
			}
			final ParameterStore ps = new ParameterStore(m, false);
			assertArrayEquals(expected, gn.forward(ps, new NDList(x), false).head().toFloatArray(), 1e-4f);
			x.setRequiresGradient(true);
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				final NDArray y = gn.forward(ps, new NDList(x), true).head();
				gc.backward(y.mul(x.stopGradient()).sum());
			}
			assertTrue(x.getGradient().abs().sum().getFloat() > 0);
			assertTrue(gn.getParameters().get("gamma").getArray().getGradient().abs().sum().getFloat() > 0);
		}
	}
}
