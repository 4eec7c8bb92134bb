package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;

class RigidRegistrationSyntheticTest {

	@Test
	void lesionPairsRegisterWithinTargets() {
		final int pairs = 6;
		final double[] err = new double[pairs];
		for (int k = 0; k < pairs; k++) {
			final SyntheticBone.Spec s = new SyntheticBone.Spec();
			s.lesionRadiusVoxels = 5;
			final SyntheticBone.Pair p = SyntheticBone.pair(s, 100 + k);
			final RegistrationResult r = RigidRegistration.register(p.fixed, p.moving, RegistrationParameters.defaults(),
				Progress.NONE, Cancellation.NEVER);
			err[k] = RegistrationAccuracy.meanBoneDisplacementVoxels(p.fixed, r.movingToFixedVoxel(), p.movingToFixedVoxel);
			final double e0 = RegistrationAccuracy.meanBoneDisplacementVoxels(p.fixed, RigidTransforms.identity(), p.movingToFixedVoxel);
			System.out.printf("pair %d: error %.4f vox (identity %.2f) %s%n", k, err[k], e0, r);
		}
		Arrays.sort(err);
		System.out.println("median " + err[pairs / 2] + " worst " + err[pairs - 1]);
		assertTrue(err[pairs / 2] <= 0.15, "median " + err[pairs / 2]);
		assertTrue(err[pairs - 1] <= 0.5, "worst " + err[pairs - 1]);
	}
}
