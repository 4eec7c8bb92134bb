package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.RealData;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;

class VolumeIOTest {

	@TempDir
	Path tmp;

	private static <T extends RealType<T>> Volume<T> ramp(final Img<T> img, final double[] voxel, final double[] origin) {
		final Cursor<T> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().setReal(c.getIntPosition(0) + 10 * c.getIntPosition(1) + 50 * c.getIntPosition(2));
		}
		return new Volume<>(img, voxel, origin, "ramp");
	}

	private static void assertSameValues(final Volume<?> a, final Volume<?> b) {
		assertArrayEquals(a.dimensions(), b.dimensions());
		final Cursor<? extends RealType<?>> ca = net.imglib2.view.Views.flatIterable(a.image()).cursor();
		final Cursor<? extends RealType<?>> cb = net.imglib2.view.Views.flatIterable(b.image()).cursor();
		while (ca.hasNext())
			assertEquals(ca.next().getRealDouble(), cb.next().getRealDouble(), 0);
	}

	@Test
	void tiffAndNiftiRoundTripsFor8_16_32Bit() throws Exception {
		final Volume<?>[] vols = { ramp(PlanarImgs.unsignedBytes(6, 5, 4), new double[] { 10, 10, 20 }, new double[] {
			100, 200, 300 }), ramp(PlanarImgs.unsignedShorts(6, 5, 4), new double[] { 105.32, 105.32, 105.32 },
				new double[3]), ramp(PlanarImgs.floats(6, 5, 4), new double[] { 2.5, 3, 4 }, new double[] { -50, 0, 8 }) };
		for (final Volume<?> v : vols)
			for (final String ext : new String[] { ".tif", ".nii", ".nii.gz" }) {
				final Path f = tmp.resolve(VolumeHeader.pixelType(v.type()) + ext);
				write(v, f);
				final Volume<?> back = VolumeIO.read(f);
				assertEquals(v.type().getClass(), back.type().getClass(), f.toString());
				assertArrayEquals(v.voxelSizeUm(), back.voxelSizeUm(), 1e-4, f.toString());
				assertArrayEquals(v.originUm(), back.originUm(), 1e-3, f.toString());
				assertSameValues(v, back);
				final VolumeHeader h = VolumeIO.readHeader(f);
				assertArrayEquals(v.dimensions(), h.dimensions());
				assertEquals(VolumeHeader.pixelType(v.type()), h.pixelType());
				assertArrayEquals(v.voxelSizeUm(), h.voxelSizeUm(), 1e-4, f.toString());
				assertTrue(h.calibrated());
			}
		try (Stream<Path> s = Files.list(tmp)) {
			assertEquals(9, s.count(), "no temporary files left behind");
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void write(final Volume v, final Path f) throws Exception {
		VolumeIO.write(v, f);
	}

	@Test
	void tiffInMillimetresAndSigned16Bit() throws Exception {
		final ImagePlus imp = IJ.createImage("mm", "16-bit black", 4, 3, 3);
		final Calibration cal = imp.getCalibration();
		cal.setUnit("mm");
		cal.pixelWidth = cal.pixelHeight = 0.0195;
		cal.pixelDepth = 0.039;
		cal.setSigned16BitCalibration();
		imp.getStack().getProcessor(2).set(1, 1, 32768 - 1000); // -1000 in signed terms
		imp.getStack().getProcessor(3).set(2, 2, 32768 + 1234);
		final Path f = tmp.resolve("mm.tif");
		new FileSaver(imp).saveAsTiffStack(f.toString());
		final Volume<?> v = VolumeIO.read(f);
		assertArrayEquals(new double[] { 19.5, 19.5, 39 }, v.voxelSizeUm(), 1e-5);
		assertTrue(v.type() instanceof ShortType, v.type().getClass().toString());
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		ra.setPosition(new long[] { 1, 1, 1 });
		assertEquals(-1000, ra.get().getRealDouble(), 0);
		ra.setPosition(new long[] { 2, 2, 2 });
		assertEquals(1234, ra.get().getRealDouble(), 0);
		ra.setPosition(new long[] { 0, 0, 0 });
		assertEquals(-32768, ra.get().getRealDouble(), 0, "raw 0 is the most negative signed value");
		assertEquals("int16", VolumeIO.readHeader(f).pixelType());
	}

	@Test
	void folderOfSingleSliceTiffsInNaturalOrder() throws Exception {
		final Path dir = Files.createDirectories(tmp.resolve("slices"));
		for (final int i : new int[] { 1, 2, 10, 9 }) {
			final ByteProcessor bp = new ByteProcessor(5, 4);
			bp.set(0, 0, i);
			final ImagePlus imp = new ImagePlus("s", bp);
			imp.getCalibration().setUnit("micron");
			imp.getCalibration().pixelWidth = imp.getCalibration().pixelHeight = 7.5;
			new FileSaver(imp).saveAsTiff(dir.resolve("s" + i + ".tif").toString());
		}
		Files.writeString(dir.resolve("notes.txt"), "not a slice");
		assertEquals(VolumeIO.Format.TIFF_FOLDER, VolumeIO.detect(dir));
		final Volume<?> v = VolumeIO.read(dir);
		assertArrayEquals(new long[] { 5, 4, 4 }, v.dimensions());
		assertTrue(v.type() instanceof UnsignedByteType);
		assertArrayEquals(new double[] { 7.5, 7.5, 7.5 }, v.voxelSizeUm(), 1e-4, "TIFF rationals round");
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		final int[] order = { 1, 2, 9, 10 };
		for (int z = 0; z < 4; z++) {
			ra.setPosition(new long[] { 0, 0, z });
			assertEquals(order[z], ra.get().getRealDouble(), 0);
		}
		final VolumeHeader h = VolumeIO.readHeader(dir);
		assertArrayEquals(new long[] { 5, 4, 4 }, h.dimensions());
		assertEquals("uint8", h.pixelType());
		// an odd slice: another size, then another type
		new FileSaver(new ImagePlus("s", new ByteProcessor(6, 4))).saveAsTiff(dir.resolve("s5.tif").toString());
		VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(dir));
		assertTrue(e.getMessage().contains("s5.tif") && e.getMessage().contains("6x4 8-bit") && e.getMessage().contains(
			"s1.tif"), e.getMessage());
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.readHeader(dir)).getMessage().contains("s5.tif"));
		new FileSaver(new ImagePlus("s", new ShortProcessor(5, 4))).saveAsTiff(dir.resolve("s5.tif").toString());
		e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(dir));
		assertTrue(e.getMessage().contains("s5.tif") && e.getMessage().contains("16-bit"), e.getMessage());
	}

	@Test
	void realHumanTrabecularFolderWithVoxelOverride() throws Exception {
		final Path dir = RealData.require("human-trabecular-lhdl-3155");
		final VolumeHeader h = VolumeIO.readHeader(dir, 19.5);
		assertArrayEquals(new long[] { 200, 200, 200 }, h.dimensions());
		final Volume<?> v = VolumeIO.read(dir, 19.5);
		assertArrayEquals(new long[] { 200, 200, 200 }, v.dimensions());
		assertTrue(v.type() instanceof UnsignedByteType);
		assertArrayEquals(new double[] { 19.5, 19.5, 19.5 }, v.voxelSizeUm(), 0);
		final double[] range = VolumeIO.valueRange(v);
		assertTrue(range[1] > range[0], Arrays.toString(range));
		// slice 57 is file _0057 (big-endian ImageJ TIFF), pixel for pixel as ImageJ opens it
		final byte[] expected = (byte[]) new ij.io.Opener().openImage(dir.resolve("3155_D_4_bc_0057.tif").toString())
			.getProcessor().getPixels();
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		for (int i = 0; i < expected.length; i += 7) {
			ra.setPosition(new long[] { i % 200, i / 200, 57 });
			assertEquals(expected[i] & 0xff, ra.get().getRealDouble(), 0);
		}
	}

	@Test
	void emptyFolderAndFolderWithoutImages() throws Exception {
		final Path empty = Files.createDirectories(tmp.resolve("empty"));
		VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(empty));
		assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("empty folder"), e.getMessage());
		Files.writeString(empty.resolve("a.txt"), "x");
		e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(empty));
		assertTrue(e.getMessage().contains("no TIFF slices"), e.getMessage());
		final Path missing = tmp.resolve("nope.tif");
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.read(missing)).getMessage().contains(
			"nope.tif: no such file"));
		final Path odd = tmp.resolve("scan.xyz");
		Files.writeString(odd, "not an image");
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.read(odd)).getMessage().contains(
			"unsupported file type"));
	}

	@Test
	void truncatedTiffIsRefused() throws Exception {
		final Path f = tmp.resolve("t.tif");
		new FileSaver(IJ.createImage("t", "16-bit ramp", 32, 32, 4)).saveAsTiffStack(f.toString());
		final byte[] all = Files.readAllBytes(f);
		// ImageJ writes pixels right after the header; cut into the last slice
		final Path cut = tmp.resolve("cut.tif");
		Files.write(cut, Arrays.copyOf(all, all.length - 1500));
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(cut));
		assertTrue(e.getMessage().contains("cut.tif") && e.getMessage().contains("truncated"), e.getMessage());
		Files.write(cut, Arrays.copyOf(all, 5));
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.read(cut)).getMessage().contains("cut.tif"));
	}

	@Test
	void rgbAnd64BitAreUnsupportedBitDepths() throws Exception {
		final Path rgb = tmp.resolve("rgb.tif");
		new FileSaver(IJ.createImage("rgb", "RGB black", 4, 4, 3)).saveAsTiffStack(rgb.toString());
		VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(rgb));
		assertTrue(e.getMessage().contains("rgb.tif") && e.getMessage().contains("RGB colour"), e.getMessage());
		final Path f64 = tmp.resolve("f64.tif");
		Files.write(f64, tiff64(3, 2));
		e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(f64));
		assertTrue(e.getMessage().contains("f64.tif") && e.getMessage().contains("unsupported bit depth") && e
			.getMessage().contains("64"), e.getMessage());
	}

	/** A minimal little-endian single-strip TIFF of 64-bit floats. */
	static byte[] tiff64(final int w, final int h) {
		final int entries = 10, ifd = 8, data = ifd + 2 + entries * 12 + 4;
		final ByteBuffer b = ByteBuffer.allocate(data + w * h * 8).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
		b.putShort((short) entries);
		final int[][] tags = { { 256, 3, w }, { 257, 3, h }, { 258, 3, 64 }, { 259, 3, 1 }, { 262, 3, 1 }, { 273, 4,
			data }, { 277, 3, 1 }, { 278, 3, h }, { 279, 4, w * h * 8 }, { 339, 3, 3 } };
		for (final int[] t : tags) {
			b.putShort((short) t[0]).putShort((short) t[1]).putInt(1);
			if (t[1] == 3) b.putShort((short) t[2]).putShort((short) 0);
			else b.putInt(t[2]);
		}
		b.putInt(0);
		for (int i = 0; i < w * h; i++)
			b.putDouble(i);
		return b.array();
	}

	@Test
	void nanAndInfinityAreCountedWithTheFirstPosition() throws Exception {
		final Img<FloatType> img = PlanarImgs.floats(4, 3, 3);
		final RandomAccess<FloatType> ra = img.randomAccess();
		ra.setPosition(new long[] { 2, 1, 1 });
		ra.get().set(Float.NaN);
		ra.setPosition(new long[] { 0, 2, 2 });
		ra.get().set(Float.POSITIVE_INFINITY);
		ra.setPosition(new long[] { 3, 0, 2 });
		ra.get().set(Float.NaN);
		final Volume<FloatType> v = new Volume<>(img, new double[] { 1, 1, 1 }, new double[3], "nan");
		for (final String ext : new String[] { ".tif", ".nii" }) {
			final Path f = tmp.resolve("nan" + ext);
			VolumeIO.write(v, f);
			final VolumeIOException e = assertThrows(VolumeIOException.class, () -> VolumeIO.read(f));
			assertTrue(e.getMessage().contains("nan" + ext) && e.getMessage().contains("3 NaN or infinite values") && e
				.getMessage().contains("first at x=2, y=1, z=1"), e.getMessage());
		}
	}

	@Test
	void aSingleImageIsNotAVolume() throws Exception {
		final Path tif = tmp.resolve("flat.tif");
		new FileSaver(IJ.createImage("flat", "8-bit ramp", 8, 8, 1)).saveAsTiff(tif.toString());
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.read(tif)).getMessage().contains(
			"flat.tif: " + VolumeIO.NOT_3D));
		final Path nii = tmp.resolve("flat.nii");
		VolumeIO.write(new Volume<>(PlanarImgs.floats(4, 4, 1), new double[] { 1, 1, 1 }, new double[3], "f"), nii);
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.read(nii)).getMessage().contains(VolumeIO.NOT_3D));
		final Path dir = Files.createDirectories(tmp.resolve("one"));
		new FileSaver(IJ.createImage("s", "8-bit ramp", 8, 8, 1)).saveAsTiff(dir.resolve("s1.tif").toString());
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.read(dir)).getMessage().contains(VolumeIO.NOT_3D));
	}

	@Test
	void hyperstackHeaderReportsFramesAndReadRefusesIt() throws Exception {
		final Hyperstack hs = new Hyperstack(4, 3, 5, 2, new double[] { 2, 2, 6 }, "m");
		final Path f = tmp.resolve("m.tif");
		hs.write(f);
		final VolumeHeader h = VolumeIO.readHeader(f);
		assertArrayEquals(new long[] { 4, 3, 5 }, h.dimensions());
		assertEquals(2, h.frames());
		assertArrayEquals(new double[] { 2, 2, 6 }, h.voxelSizeUm(), 1e-9);
		assertTrue(assertThrows(VolumeIOException.class, () -> VolumeIO.read(f)).getMessage().contains("2 frames"));
	}

	@Test
	void writeRefusesUnknownExtensionKeepsInt16AndConvertsOtherTypesToFloatTiff() throws Exception {
		final Volume<ShortType> v = ramp(PlanarImgs.shorts(3, 3, 2), new double[] { 1, 1, 1 }, new double[3]);
		assertThrows(IllegalArgumentException.class, () -> VolumeIO.write(v, tmp.resolve("x.png")));
		v.image().randomAccess().setPositionAndGet(new long[] { 1, 1, 1 }).set((short) -1234);
		final Path f = tmp.resolve("s.tif");
		VolumeIO.write(v, f);
		final Volume<?> back = VolumeIO.read(f);
		assertTrue(back.type() instanceof ShortType, "int16 stays int16 (ImageJ signed 16-bit)");
		assertSameValues(v, back);
		final Volume<net.imglib2.type.numeric.real.DoubleType> dv = ramp(PlanarImgs.doubles(3, 3, 2), new double[] { 1, 1,
			1 }, new double[3]);
		VolumeIO.write(dv, f);
		final Volume<?> dback = VolumeIO.read(f);
		assertTrue(dback.type() instanceof FloatType, "float64 becomes float32 in TIFF");
		assertSameValues(dv, dback);
		final Volume<UnsignedShortType> u = ramp(PlanarImgs.unsignedShorts(3, 3, 2), new double[] { 1, 1, 1 },
			new double[3]);
		VolumeIO.write(u, f); // overwrite atomically
		assertTrue(VolumeIO.read(f).type() instanceof UnsignedShortType);
	}

	@Test
	void stackWithoutCalibrationIsFlaggedUncalibrated() throws Exception {
		final Path f = tmp.resolve("raw.tif");
		final ImageStack st = new ImageStack(3, 3);
		st.addSlice(new ByteProcessor(3, 3));
		st.addSlice(new ByteProcessor(3, 3));
		new FileSaver(new ImagePlus("raw", st)).saveAsTiffStack(f.toString());
		final VolumeHeader h = VolumeIO.readHeader(f);
		assertTrue(!h.calibrated());
		assertArrayEquals(new double[] { 1, 1, 1 }, h.voxelSizeUm(), 0);
		assertArrayEquals(new double[] { 8, 8, 8 }, VolumeIO.readHeader(f, 8).voxelSizeUm(), 0);
		assertArrayEquals(new double[] { 8, 8, 8 }, VolumeIO.read(f, 8).voxelSizeUm(), 0);
	}
}
