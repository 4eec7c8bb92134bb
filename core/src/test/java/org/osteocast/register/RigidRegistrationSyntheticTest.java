package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.osteocast.register.bench.SyntheticBone;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;

/**
 * Accuracy and robustness on synthetic tibia-like pairs with a known rigid
 * motion (up to ±5° and ±5 voxels unless stated) and a lesion in the second week.
 */
class RigidRegistrationSyntheticTest {

	private static final RegistrationParameters P = RegistrationParameters.defaults();

	private static RegistrationResult register(final Volume<?> f, final Volume<?> m) {
		return RigidRegistration.register(f, m, P, Progress.NONE, Cancellation.NEVER);
	}

	private static double error(final SyntheticBone.Pair p, final RegistrationResult r) {
		return RegistrationAccuracy.meanBoneDisplacementVoxels(p.fixed, r.movingToFixedVoxel(), p.movingToFixedVoxel);
	}

	@Test
	void lesionPairsRegisterWithinTargets() {
		final int pairs = 5;
		final double[] err = new double[pairs];
		for (int k = 0; k < pairs; k++) {
			final SyntheticBone.Spec s = new SyntheticBone.Spec();
			s.lesionRadiusVoxels = 5;
			final SyntheticBone.Pair p = SyntheticBone.pair(s, 100 + k);
			final RegistrationResult r = register(p.fixed, p.moving);
			err[k] = error(p, r);
			final double before = RegistrationAccuracy.meanBoneDisplacementVoxels(p.fixed, RigidTransforms.identity(),
				p.movingToFixedVoxel);
			System.out.printf("synthetic pair %d: error %.4f voxel (before %.2f); %s%n", k, err[k], before, r);
			assertTrue(r.reliable(), r.reason());
			assertTrue(r.metric() < r.initialMetric(), "registration must improve the metric");
		}
		Arrays.sort(err);
		System.out.printf("synthetic: median %.4f, worst %.4f voxel%n", err[pairs / 2], err[pairs - 1]);
		assertTrue(err[pairs / 2] <= 0.15, "median error " + err[pairs / 2]);
		assertTrue(err[pairs - 1] <= 0.5, "worst error " + err[pairs - 1]);
	}

	@Test
	void eightSixteenAndThirtyTwoBitInputsRegister() {
		final SyntheticBone.Spec s = new SyntheticBone.Spec();
		s.lesionRadiusVoxels = 4;
		final SyntheticBone.Pair p = SyntheticBone.pair(s, 7);
		final double lo = 0, hi = 1200;
		final double e8 = error(p, register(TestScans.to8bit(p.fixed, lo, hi), TestScans.to8bit(p.moving, lo, hi)));
		final double e16 = error(p, register(TestScans.to16bit(p.fixed, lo, hi), TestScans.to16bit(p.moving, lo, hi)));
		final double e32 = error(p, register(p.fixed, p.moving));
		// mixed: 16-bit week 1, 8-bit week 2 (grey values differ by a factor: intensity matching)
		final double mixed = error(p, register(TestScans.to16bit(p.fixed, lo, hi), TestScans.to8bit(p.moving, lo, hi)));
		System.out.printf("bit depths: 8-bit %.4f, 16-bit %.4f, 32-bit %.4f, 16/8 mixed %.4f voxel%n", e8, e16, e32, mixed);
		for (final double e : new double[] { e8, e16, e32, mixed })
			assertTrue(e < 0.15, "error " + e);
	}

	@Test
	void partialOverlapStillRegistersAndReportsTheOverlap() {
		final SyntheticBone.Spec s = new SyntheticBone.Spec();
		s.movingFieldOfView = 0.8; // the second scan shows only 80 % of the field along each axis
		final SyntheticBone.Pair p = SyntheticBone.pair(s, 11);
		final RegistrationResult r = register(p.fixed, p.moving);
		final double e = error(p, r);
		System.out.printf("partial overlap: error %.4f voxel, %s%n", e, r);
		assertTrue(e < 0.25, "error " + e);
		assertTrue(r.overlap() < 0.95, "overlap " + r.overlap());
	}

	@Test
	void largeLesionDoesNotPullTheBone() {
		final SyntheticBone.Spec s = new SyntheticBone.Spec();
		s.lesionRadiusVoxels = 12; // a third of the flared end dissolved
		final SyntheticBone.Pair p = SyntheticBone.pair(s, 21);
		final RegistrationResult r = register(p.fixed, p.moving);
		final double e = error(p, r);
		System.out.printf("large lesion: error %.4f voxel, %s%n", e, r);
		assertTrue(e < 0.2, "error " + e);
		assertTrue(r.dice() < 0.97, "the lesion must show in the bone overlap: dice " + r.dice());
		assertTrue(r.reliable(), r.reason());
	}

	@Test
	void largeMisalignmentIsCaughtByThePrincipalAxesStart() {
		for (final long seed : new long[] { 31, 32 }) {
			final SyntheticBone.Spec s = new SyntheticBone.Spec();
			s.nx = 72;
			s.ny = 72;
			s.maxRotationDeg = 120;
			s.maxShiftVoxels = 3;
			final SyntheticBone.Pair p = SyntheticBone.pair(s, seed);
			final RegistrationResult r = register(p.fixed, p.moving);
			final double e = error(p, r);
			System.out.printf("large misalignment (seed %d): error %.4f voxel, start %s, %s%n", seed, e, r
				.initialisation(), r);
			assertTrue(e < 0.5, "error " + e);
		}
	}

	@Test
	void differentVoxelSizesAreHandledThroughCalibration() {
		final SyntheticBone.Spec s = new SyntheticBone.Spec();
		s.movingVoxelUm = 12.5;
		s.lesionRadiusVoxels = 4;
		final SyntheticBone.Pair p = SyntheticBone.pair(s, 41);
		final RegistrationResult r = register(p.fixed, p.moving);
		final double e = error(p, r);
		System.out.printf("voxel sizes 10 vs 12.5 um: error %.4f voxel%n", e);
		assertTrue(e < 0.2, "error " + e);
	}

	@Test
	void scansAboveTheVoxelLimitAreRegisteredReducedButReportedInTheirOwnVoxels() {
		final SyntheticBone.Spec s = new SyntheticBone.Spec();
		s.nx = 96;
		s.ny = 96;
		s.nz = 112;
		s.lesionRadiusVoxels = 6;
		final SyntheticBone.Pair p = SyntheticBone.pair(s, 71);
		// limit below the scan's 1 M voxels: both scans are reduced by 2 (then by 3 for the tighter limit)
		for (final long limit : new long[] { 200_000, 60_000 }) {
			final RegistrationResult r = RigidRegistration.register(p.fixed, p.moving, P.withMaxVoxels(limit),
				Progress.NONE, Cancellation.NEVER);
			final double e = error(p, r);
			System.out.printf("reduced (limit %d voxels): error %.4f full-resolution voxel; %s%n", limit, e, r);
			assertTrue(e < 0.15, "error " + e);
		}
		// 96 x 96 x 112 = 1.03 M voxels: reduced by 2 (48 wide, 20 um voxels) and by 3 (32 wide, 30 um voxels)
		final FloatGrid g2 = RigidRegistration.grid(p.fixed, 200_000), g3 = RigidRegistration.grid(p.fixed, 60_000);
		assertEquals(48, g2.nx);
		assertEquals(20, g2.vs[0], 1e-12);
		assertEquals(32, g3.nx);
		assertEquals(30, g3.vs[2], 1e-12);
	}

	@Test
	void aHeapShareBoundsTheWorkingCopiesAndTheRegistrationStaysAccurate() {
		assertEquals(Runtime.getRuntime().maxMemory(), P.heapBytes(), "default: the whole heap");
		assertThrows(IllegalArgumentException.class, () -> P.withHeapBytes(1 << 20));
		final long share = 64L << 20; // 64 MB: working copies of at most 0.6 · 64 MB / 40 B = 1.0 M voxels
		assertEquals(share / 5, PlaneSource.windowBytes(share));
		assertEquals(768L << 20, PlaneSource.windowBytes(16L << 30));
		final SyntheticBone.Spec s = new SyntheticBone.Spec();
		s.nx = 128;
		s.ny = 128;
		s.nz = 112; // 1.84 M voxels: above the share's working copy, so reduced by 2
		s.lesionRadiusVoxels = 6;
		final SyntheticBone.Pair p = SyntheticBone.pair(s, 73);
		assertEquals(128, RigidRegistration.grid(p.fixed, P.maxVoxels(), Runtime.getRuntime().maxMemory(), 1).nx);
		assertEquals(64, RigidRegistration.grid(p.fixed, P.maxVoxels(), share, 1).nx);
		final RegistrationResult r = RigidRegistration.register(p.fixed, p.moving, P.withHeapBytes(share), Progress.NONE,
			Cancellation.NEVER);
		final double e = error(p, r);
		System.out.printf("heap share 64 MB: error %.4f full-resolution voxel; %s%n", e, r);
		assertTrue(e < 0.15, "error " + e);
	}

	@Test
	void randomNoiseVolumeIsFlaggedUnreliable() {
		final SyntheticBone.Pair p = SyntheticBone.pair(new SyntheticBone.Spec(), 51);
		final Volume<?> noise = SyntheticBone.noise(64, 64, 80, 10, 52);
		final RegistrationResult r = register(p.fixed, noise);
		System.out.println("noise: " + r);
		assertFalse(r.reliable());
		assertFalse(r.reason().isEmpty());
	}

	@Test
	void deterministicProgressReportedAndCancellable() {
		final SyntheticBone.Pair p = SyntheticBone.pair(new SyntheticBone.Spec(), 61);
		final AtomicLong last = new AtomicLong(-1), total = new AtomicLong();
		final Progress progress = new Progress() {
			@Override
			public void status(final String message) {}

			@Override
			public void progress(final long done, final long t) {
				assertTrue(done <= t);
				last.set(done);
				total.set(t);
			}
		};
		final RegistrationResult a = RigidRegistration.register(p.fixed, p.moving, P, progress, Cancellation.NEVER);
		assertEquals(total.get(), last.get(), "progress ends at its total");
		final RegistrationResult b = RigidRegistration.register(p.fixed, p.moving, P.withThreads(1), Progress.NONE,
			Cancellation.NEVER);
		for (int i = 0; i < 4; i++)
			assertArrayEquals(a.movingToFixedVoxel()[i], b.movingToFixedVoxel()[i], 1e-6, "same result with 1 thread");
		final Cancellation c = new Cancellation();
		c.cancel("test");
		assertThrows(Cancellation.CancelledException.class, () -> RigidRegistration.register(p.fixed, p.moving, P,
			Progress.NONE, c));
	}
}
