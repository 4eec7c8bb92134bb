package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * {@link LatentDynamics#gatherFrames}: a run of consecutive frames (taken as
 * one slice) and any other choice (stacked selections) give the frames and
 * gradients that selecting and stacking them one by one gives.
 */
class LatentDynamicsTest {

	@Test
	void gatherFramesEqualsStackedSelections() {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray up = m.randomNormal(new Shape(2, 3, 2, 3));
			for (final int[] idx : new int[][] { { 0, 1, 2 }, { 1, 2, 3 }, { 0, 1, 1 }, { 2, 0, 3 } }) {
				final float[][] val = new float[2][], grad = new float[2][];
				for (int k = 0; k < 2; k++) {
					final NDArray a = m.arange(2f * 4 * 2 * 3).reshape(2, 4, 2, 3);
					a.setRequiresGradient(true);
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						final NDArray g;
						if (k == 0) g = LatentDynamics.gatherFrames(a, idx);
						else {
							final NDList l = new NDList();
							for (final int i : idx)
								l.add(a.get(":, {}", i));
							g = NDArrays.stack(l, 1);
						}
						assertEquals(new Shape(2, 3, 2, 3), g.getShape());
						val[k] = g.toFloatArray();
						gc.backward(g.mul(up).sum());
					}
					grad[k] = a.getGradient().toFloatArray();
				}
				assertArrayEquals(val[1], val[0], 0f);
				assertArrayEquals(grad[1], grad[0], 1e-6f);
			}
		}
	}
}
