package org.osteocast.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * The learned up-sampling block: the filter-count workaround, shapes, and the
 * zero start of residual outputs. (The engine fault the workaround avoids is
 * intermittent, 1-33 % of calls depending on the process's memory state, so
 * it is documented in {@link Conv3dUpsample#safeFilters} rather than
 * asserted here, where a test could not fail reliably.)
 */
class Conv3dUpsampleTest {

	@Test
	void safeFilterCounts() {
		assertEquals(1, Conv3dUpsample.safeFilters(1));
		assertEquals(16, Conv3dUpsample.safeFilters(8));
		assertEquals(16, Conv3dUpsample.safeFilters(16));
		assertEquals(32, Conv3dUpsample.safeFilters(24));
		assertEquals(128, Conv3dUpsample.safeFilters(128));
	}

	@Test
	void shapesAndZeroStart() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(4);
		try (NDManager m = NDManager.newBaseManager()) {
			final Conv3dUpsample up = new Conv3dUpsample(1);
			up.initialize(m, DataType.FLOAT32, new Shape(1, 8, 3, 4, 4));
			// 8 filters used, 16 computed
			assertEquals(new Shape(16, 8, 2, 2, 2), up.getParameters().get(0).getValue().getArray().getShape());
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray x = m.randomNormal(new Shape(2, 8, 3, 4, 4));
			final NDArray y = up.forward(ps, new NDList(x), false).head();
			assertEquals(new Shape(2, 1, 6, 8, 8), y.getShape());
			assertEquals(new Shape(2, 1, 6, 8, 8), up.getOutputShapes(new Shape[] { x.getShape() })[0]);
			assertEquals(true, y.abs().max().getFloat() > 0);
			up.zeroParameters();
			assertEquals(0f, up.forward(ps, new NDList(x), false).head().abs().max().getFloat(), 0f);
		}
	}
}
