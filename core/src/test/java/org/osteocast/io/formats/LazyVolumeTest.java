package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;

/** Scans read plane by plane on demand, and written plane by plane, hold the same values as whole ones. */
class LazyVolumeTest {

	@TempDir
	Path tmp;

	private static <T extends RealType<T>> Volume<T> noise(final Img<T> img, final double lo, final double hi) {
		final SplittableRandom r = new SplittableRandom(7);
		final Cursor<T> c = img.cursor();
		while (c.hasNext())
			c.next().setReal(Math.rint(lo + (hi - lo) * r.nextDouble()));
		return new Volume<>(img, new double[] { 7, 7, 9 }, new double[3], "noise");
	}

	private static void assertSameValues(final Volume<?> a, final Volume<?> b) {
		assertArrayEquals(a.dimensions(), b.dimensions());
		final Cursor<? extends RealType<?>> ca = Views.flatIterable(a.image()).cursor();
		final Cursor<? extends RealType<?>> cb = Views.flatIterable(b.image()).cursor();
		while (ca.hasNext())
			assertEquals(ca.next().getRealDouble(), cb.next().getRealDouble(), 0);
	}

	@Test
	void everyFormatReadsLazilyToTheSameValuesWithABoundedCache() throws Exception {
		final Volume<?>[] vols = { noise(PlanarImgs.unsignedBytes(23, 17, 12), 0, 255), noise(PlanarImgs
			.unsignedShorts(23, 17, 12), 0, 65535), noise(PlanarImgs.shorts(23, 17, 12), -32768, 32767), noise(PlanarImgs
				.floats(23, 17, 12), -5, 5) };
		for (final Volume<?> v : vols)
			for (final String ext : new String[] { ".tif", ".nii", ".nii.gz" }) {
				final Path f = tmp.resolve(v.type().getClass().getSimpleName() + ext);
				VolumeIO.write(v, f);
				final Volume<?> whole = VolumeIO.read(f);
				final Volume<?> lazy = LazyVolume.open(f, Double.NaN, 3);
				assertTrue(LazyVolume.isLazy(lazy));
				assertEquals(whole.type().getClass(), lazy.type().getClass(), f.toString());
				assertArrayEquals(whole.voxelSizeUm(), lazy.voxelSizeUm(), 1e-9);
				assertSameValues(whole, lazy);
				// one pass in z order decodes each plane once, whatever the cache size
				assertEquals(12, LazyVolume.planesRead(lazy), f.toString());
				assertEquals(3, LazyVolume.cachePlanes(lazy));
			}
	}

	@Test
	void nreconFolderAndSliceFolderReadLazily() throws Exception {
		@SuppressWarnings("unchecked")
		final Volume<net.imglib2.type.numeric.integer.UnsignedShortType> v = (Volume<net.imglib2.type.numeric.integer.UnsignedShortType>) (Volume<?>) noise(
			PlanarImgs.unsignedShorts(20, 16, 9), 0, 4000);
		final Path nrecon = tmp.resolve("scan");
		SkyScanWriter.write(v, nrecon, "M01_week1", new SkyScanWriter.Metadata());
		assertSameValues(VolumeIO.read(nrecon), LazyVolume.open(nrecon, Double.NaN, 2));
		final Path slices = tmp.resolve("slices");
		Files.createDirectories(slices);
		final ij.ImageStack st = ImagePlusVolumes.toImagePlus(v).getStack();
		for (int z = 1; z <= st.getSize(); z++)
			ij.IJ.save(new ij.ImagePlus("s", st.getProcessor(z)), slices.resolve("s" + z + ".tif").toString());
		final Volume<?> lazy = LazyVolume.open(slices, Double.NaN, 2);
		assertSameValues(VolumeIO.read(slices), lazy);
		assertSameValues(v, lazy);
	}

	@Test
	void aLazyVolumeIsWrittenPlaneByPlaneAndReadsBackTheSame() throws Exception {
		for (final Volume<?> v : new Volume<?>[] { noise(PlanarImgs.unsignedShorts(31, 19, 14), 0, 65535), noise(
			PlanarImgs.shorts(31, 19, 14), -3000, 3000), noise(PlanarImgs.floats(31, 19, 14), -1, 1) })
		{
			final Path src = tmp.resolve("src.nii");
			VolumeIO.write(v, src);
			final Volume<?> lazy = LazyVolume.open(src, Double.NaN, 2);
			final Path out = tmp.resolve("out" + v.type().getClass().getSimpleName() + ".tif");
			VolumeIO.write(lazy, out);
			final Volume<?> back = VolumeIO.read(out);
			assertEquals(v.type().getClass(), back.type().getClass());
			assertArrayEquals(v.voxelSizeUm(), back.voxelSizeUm(), 1e-6);
			assertSameValues(v, back);
			// the writer asked for each plane once and the cache never held more than its capacity
			assertEquals(14, LazyVolume.planesRead(lazy));
		}
	}

	@Test
	void openReadsWholeWhatFitsAndLazilyWhatDoesNot() throws Exception {
		final Volume<?> v = noise(PlanarImgs.unsignedShorts(16, 16, 8), 0, 1000);
		final Path f = tmp.resolve("small.tif");
		VolumeIO.write(v, f);
		assertFalse(LazyVolume.isLazy(VolumeIO.open(f)), "a small scan is read whole, as read() does");
		assertSameValues(v, VolumeIO.open(f));
	}

	@Test
	void aLazyScanShownInImageJIsAVirtualStackThatWrapsBackLazily() throws Exception {
		final Volume<?> v = noise(PlanarImgs.unsignedShorts(40, 30, 20), 0, 5000);
		final Path f = tmp.resolve("v.nii");
		VolumeIO.write(v, f);
		final Volume<?> lazy = LazyVolume.open(f, Double.NaN, 2);
		final ij.ImagePlus imp = ImagePlusVolumes.toImagePlus(lazy);
		assertTrue(imp.getStack().isVirtual());
		assertEquals(20, imp.getStackSize());
		assertEquals(v.voxelSizeUm(2), imp.getCalibration().pixelDepth, 1e-5); // NIfTI stores float32
		final Volume<?> back = ImagePlusVolumes.wrap(imp, null);
		assertTrue(LazyVolume.isLazy(back), "no copy of the planes");
		assertSameValues(v, back);
	}
}
