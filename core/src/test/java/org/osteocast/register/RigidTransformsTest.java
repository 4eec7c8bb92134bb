package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RigidTransformsTest {

	@Test
	void inverseUndoesARigidTransform() {
		final double[][] m = RigidTransforms.about(RigidTransforms.eulerXyz(0.3, -0.2, 1.1), new double[] { 5, 6, 7 },
			new double[] { 1, -2, 3 });
		final double[][] i = RigidTransforms.multiply(m, RigidTransforms.invert(m));
		for (int r = 0; r < 4; r++)
			assertArrayEquals(RigidTransforms.identity()[r], i[r], 1e-12);
	}

	@Test
	void rotationVectorHasItsAngleAndAxis() {
		final double[][] r = RigidTransforms.rotation(new double[] { 0, 0, Math.toRadians(30) });
		final double[][] m = RigidTransforms.about(r, new double[3], new double[3]);
		assertEquals(30, RigidTransforms.rotationAngleDeg(m), 1e-9);
		// rotates x towards y
		assertArrayEquals(new double[] { Math.cos(Math.PI / 6), Math.sin(Math.PI / 6), 0 }, RigidTransforms.apply(m,
			new double[] { 1, 0, 0 }), 1e-12);
	}

	@Test
	void eulerAnglesRoundTrip() {
		final double[][] m = RigidTransforms.about(RigidTransforms.eulerXyz(Math.toRadians(4), Math.toRadians(-3),
			Math.toRadians(2.5)), new double[3], new double[3]);
		assertArrayEquals(new double[] { 4, -3, 2.5 }, RigidTransforms.eulerXyzDeg(m), 1e-9);
	}

	@Test
	void voxelAndMicrometreMatricesConvertBothWays() {
		final double[] vm = { 10, 10, 20 }, vf = { 5, 5, 5 };
		final double[][] um = RigidTransforms.about(RigidTransforms.eulerXyz(0.1, 0.2, 0.3), new double[] { 100, 200,
			300 }, new double[] { 7, 8, 9 });
		final double[][] vox = RigidTransforms.umToVoxel(um, vm, vf);
		// voxel (1, 2, 3) of the moving scan is at µm (10, 20, 60)
		final double[] pUm = RigidTransforms.apply(um, new double[] { 10, 20, 60 });
		final double[] pVox = RigidTransforms.apply(vox, new double[] { 1, 2, 3 });
		assertArrayEquals(new double[] { pUm[0] / 5, pUm[1] / 5, pUm[2] / 5 }, pVox, 1e-9);
		final double[][] back = RigidTransforms.voxelToUm(vox, vm, vf);
		for (int r = 0; r < 4; r++)
			assertArrayEquals(um[r], back[r], 1e-9);
	}
}
