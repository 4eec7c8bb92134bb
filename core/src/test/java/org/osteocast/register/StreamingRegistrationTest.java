package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

/**
 * Registration of scans read plane by plane: the same transform and the same
 * registered scan as from whole scans, with the reading bounded (the
 * command line in a heap smaller than the scans: {@code StreamingRegisterCommandTest}).
 */
class StreamingRegistrationTest {

	@TempDir
	static Path tmp;
	static Path fixedFile, movingFile;
	static double[][] truth;

	@BeforeAll
	static void writePair() throws Exception {
		final Path dir = tmp.resolve("cohort").resolve("m1");
		truth = TestScans.writeStreamingPair(dir);
		fixedFile = dir.resolve("week1.tif");
		movingFile = dir.resolve("week2.tif");
	}

	@Test
	void lazyScansRegisterAndResampleExactlyAsWholeOnesWhileReadingBoundedPlanes() throws Exception {
		final RegistrationParameters p = RegistrationParameters.defaults().withThreads(2);
		final Volume<?> f = VolumeIO.read(fixedFile), m = VolumeIO.read(movingFile);
		final Volume<?> lf = LazyVolume.open(fixedFile, Double.NaN, 4), lm = LazyVolume.open(movingFile, Double.NaN, 4);
		final RegistrationResult whole = RigidRegistration.register(f, m, p, Progress.NONE, Cancellation.NEVER);
		final RegistrationResult lazy = RigidRegistration.register(lf, lm, p, Progress.NONE, Cancellation.NEVER);
		for (int r = 0; r < 4; r++)
			assertArrayEquals(whole.movingToFixedVoxel()[r], lazy.movingToFixedVoxel()[r], 0, "row " + r);
		assertTrue(RegistrationAccuracy.meanBoneDisplacementVoxels(f, lazy.movingToFixedVoxel(), truth) < 0.05);
		// the registered scan, computed plane by plane while it is written, equals the whole resampling
		@SuppressWarnings("unchecked")
		final Volume<UnsignedShortType> lmu = (Volume<UnsignedShortType>) lm, mu = (Volume<UnsignedShortType>) m;
		final Volume<UnsignedShortType> streamed = Resampler.resample(lmu, lazy.movingToFixedVoxel(), lf, 2);
		assertTrue(LazyVolume.isLazy(streamed));
		final Path out = tmp.resolve("registered.tif");
		VolumeIO.write(streamed, out);
		assertEquals(lf.depth(), LazyVolume.planesRead(streamed), "each output plane computed once");
		assertSame(Resampler.resample(mu, whole.movingToFixedVoxel(), f, 2), VolumeIO.read(out));
		// the lazy scans' own caches were never filled by the registration (it reads through its plane windows)
		assertTrue(LazyVolume.planesRead(lf) <= lf.depth() && LazyVolume.planesRead(lm) <= lm.depth());
	}

	@Test
	void aPlaneWindowReadsEachPlaneOnceInAStreamingPass() throws Exception {
		final Volume<?> lf = LazyVolume.open(fixedFile, Double.NaN, 2);
		final PlaneSource src = PlaneSource.lazy(lf, 1);
		assertEquals(16, src.capacity, "at least 16 planes, whatever the budget");
		final FloatGrid reduced = src.reduce(3, lf.voxelSizeUm());
		assertEquals((lf.depth() - 1) / 3 + 1, reduced.nz);
		// a reduction by 3 reads each plane once (blocks of planes overlap by 2, which stay in the window)
		assertEquals(lf.depth(), src.planesRead());
	}

	@Test
	void reducedCopiesAreRefinedAtFullResolutionReadingEachPlaneABoundedNumberOfTimes() throws Exception {
		// a working copy of at most 0.4 M voxels: the 8 M-voxel pair is reduced by 3, as a gigavoxel pair is
		final RegistrationParameters p = RegistrationParameters.defaults().withThreads(2).withMaxVoxels(400_000);
		final Volume<?> lf = LazyVolume.open(fixedFile, Double.NaN, 4), lm = LazyVolume.open(movingFile, Double.NaN, 4);
		final AtomicLong fixedReads = new AtomicLong(), movingReads = new AtomicLong();
		final Volume<?> cf = counting(lf, fixedReads), cm = counting(lm, movingReads);
		final Volume<?> whole = VolumeIO.read(fixedFile);
		final long depth = lf.depth();
		// the reduced copies alone (no full-resolution step)
		final FloatGrid rf = RigidRegistration.grid(lf, p.maxVoxels(), 2), rm = RigidRegistration.grid(lm, p.maxVoxels(),
			2);
		assertEquals(3, (int) Math.round(rf.vs[0] / lf.voxelSizeUm()[0]), "reduced by 3");
		final RegistrationResult coarse = RigidRegistration.register(rf, rm, lf.voxelSizeUm(), lm.voxelSizeUm(), p,
			Progress.NONE, Cancellation.NEVER, "coarse", System.nanoTime());
		final RegistrationResult fine = RigidRegistration.register(cf, cm, p, Progress.NONE, Cancellation.NEVER);
		final double eCoarse = RegistrationAccuracy.meanBoneDisplacementVoxels(whole, coarse.movingToFixedVoxel(), truth);
		final double eFine = RegistrationAccuracy.meanBoneDisplacementVoxels(whole, fine.movingToFixedVoxel(), truth);
		// measured: 0.008 voxel on the reduced copies, 0.003 after the full-resolution step
		assertTrue(eFine <= eCoarse && eFine < 0.05, "full resolution " + eFine + " vs reduced " + eCoarse);
		assertTrue(fine.reliable(), fine.reason());
		// the reduction reads each plane once, the full-resolution step once per pass (at most MAX_PASSES)
		assertTrue(fixedReads.get() <= 2 * depth, "fixed planes read: " + fixedReads.get());
		assertTrue(movingReads.get() > depth && movingReads.get() <= (1 + FullResolution.MAX_PASSES) * depth,
			"moving planes read: " + movingReads.get());
	}

	@Test
	void aSmallWorkingCopyIsNotRefinedAgain() throws Exception {
		// below the working-copy limit the scans are the grids: no full-resolution step, no second reading
		final RegistrationParameters p = RegistrationParameters.defaults().withThreads(2);
		final Volume<?> lf = LazyVolume.open(fixedFile, Double.NaN, 4), lm = LazyVolume.open(movingFile, Double.NaN, 4);
		final AtomicLong fixedReads = new AtomicLong(), movingReads = new AtomicLong();
		RigidRegistration.register(counting(lf, fixedReads), counting(lm, movingReads), p, Progress.NONE,
			Cancellation.NEVER);
		assertEquals(lf.depth(), fixedReads.get());
		assertEquals(lm.depth(), movingReads.get());
	}

	/** A lazy volume reading through {@code v}'s file that counts the planes it decodes. */
	private static Volume<?> counting(final Volume<?> v, final AtomicLong reads) {
		return LazyVolume.computed(v.dimensions(), v.type(), z -> {
			reads.incrementAndGet();
			return LazyVolume.readPlane(v, z);
		}, 2, v.voxelSizeUm(), v.originUm(), v.name());
	}

	private static void assertSame(final Volume<?> a, final Volume<?> b) throws IOException {
		assertArrayEquals(a.dimensions(), b.dimensions());
		final Cursor<? extends RealType<?>> ca = Views.flatIterable(a.image()).cursor();
		final Cursor<? extends RealType<?>> cb = Views.flatIterable(b.image()).cursor();
		while (ca.hasNext())
			assertEquals(ca.next().getRealDouble(), cb.next().getRealDouble(), 0);
	}
}
