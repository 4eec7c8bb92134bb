package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.osteocast.register.bench.RegistrationBenchmark;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

/**
 * Real scans (the shared SkyScan mouse thorax and the human trabecular core),
 * each against a copy moved by a random known rigid transform (±5°, ±5 voxels,
 * tricubic resampling, fresh noise). Downsampled 2× to keep the test short.
 * Skipped when the real data is absent.
 */
class RigidRegistrationRealDataTest {

	private static double registerCopies(final String name, final Volume<?> scan, final long seed) {
		double worst = 0;
		for (int k = 0; k < 2; k++) {
			final RegistrationBenchmark.Case c = RegistrationBenchmark.transformedCopy(name, scan, 5, 5, seed + k);
			final RegistrationResult r = RigidRegistration.register(c.fixed, c.moving, RegistrationParameters.defaults(),
				Progress.NONE, Cancellation.NEVER);
			final double e = RegistrationAccuracy.meanBoneDisplacementVoxels(c.fixed, r.movingToFixedVoxel(), c.truth);
			final double before = RegistrationAccuracy.meanBoneDisplacementVoxels(c.fixed, RigidTransforms.identity(),
				c.truth);
			System.out.printf("%s copy %d: error %.4f voxel (before %.2f); %s%n", name, k, e, before, r);
			assertTrue(r.reliable(), r.reason());
			worst = Math.max(worst, e);
		}
		return worst;
	}

	@Test
	void skyscanMouseThorax() throws Exception {
		final Path dir = TestScans.realData("skyscan-mouse-thorax");
		final Volume<?> scan = TestScans.downsample2(VolumeIO.read(dir));
		final double worst = registerCopies("skyscan-mouse-thorax", scan, 5);
		assertTrue(worst <= 0.15, "worst error " + worst);
	}

	@Test
	void humanTrabecularCore() throws Exception {
		final Path dir = TestScans.realData("human-trabecular-lhdl-3155");
		final Volume<?> scan = TestScans.downsample2(VolumeIO.read(dir));
		final double worst = registerCopies("human-trabecular", scan, 9);
		assertTrue(worst <= 0.15, "worst error " + worst);
	}
}
