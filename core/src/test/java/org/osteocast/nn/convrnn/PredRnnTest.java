package org.osteocast.nn.convrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * The shared recurrent-baseline checks ({@link ConvRnnModelChecks}) on
 * {@link PredRnn}, and the zigzag flow of its spatio-temporal memory.
 */
class PredRnnTest extends ConvRnnModelChecks {

	@Override
	String architecture() {
		return PredRnn.ARCHITECTURE;
	}

	@Override
	int defaultLayers() {
		return PredRnn.DEFAULT_LAYERS;
	}

	/**
	 * Two steps of a 3-layer stack against the cells called by hand: M goes up
	 * through the layers within a step, and the top layer's M of step 1 is the
	 * bottom layer's M of step 2; h and c stay with their layer.
	 */
	@Test
	void memoryZigzagsFromTopToBottom() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(4);
		try (NDManager m = NDManager.newBaseManager()) {
			final PredRnn net = (PredRnn) create(tiny(3));
			net.initialize(m);
			final ParameterStore ps = new ParameterStore(m, false);
			final int g = S / 4;
			final NDArray x1 = m.randomUniform(0, 1, new Shape(2, 16, g, g));
			final NDArray x2 = m.randomUniform(0, 1, new Shape(2, 16, g, g));
			final NDList zero = net.zeroState(m, 2);
			assertEquals(7, zero.size());
			final NDList s1 = net.step(ps, x1, zero, false), s2 = net.step(ps, x2, s1, false);

			final NDArray z = zero.get(0);
			NDList a = net.cell(0).forward(ps, new NDList(x1, z, z, z), false);
			final NDList l0 = a;
			a = net.cell(1).forward(ps, new NDList(l0.get(0), z, z, l0.get(2)), false);
			final NDList l1 = a;
			final NDList l2 = net.cell(2).forward(ps, new NDList(l1.get(0), z, z, l1.get(2)), false);
			final NDList k0 = net.cell(0).forward(ps, new NDList(x2, l0.get(0), l0.get(1), l2.get(2)), false);
			final NDList k1 = net.cell(1).forward(ps, new NDList(k0.get(0), l1.get(0), l1.get(1), k0.get(2)), false);
			final NDList k2 = net.cell(2).forward(ps, new NDList(k1.get(0), l2.get(0), l2.get(1), k1.get(2)), false);
			final NDList[] expected = { k0, k1, k2 };
			for (int l = 0; l < 3; l++) {
				assertArrayEquals(expected[l].get(0).toFloatArray(), s2.get(2 * l).toFloatArray(), 1e-6f, "h" + l);
				assertArrayEquals(expected[l].get(1).toFloatArray(), s2.get(2 * l + 1).toFloatArray(), 1e-6f, "c" + l);
			}
			assertArrayEquals(k2.get(2).toFloatArray(), s2.get(6).toFloatArray(), 1e-6f, "M");
			assertArrayEquals(k2.get(0).toFloatArray(), net.top(s2).toFloatArray(), 1e-6f, "top");
		}
	}
}
