package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;

class NiftiIOTest {

	@TempDir
	Path tmp;

	private static <T extends RealType<T>> Img<T> fill(final Img<T> img, final double scale, final double offset) {
		final Cursor<T> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().setReal(offset + scale * (c.getIntPosition(0) + 7 * c.getIntPosition(1) + 31 * c.getIntPosition(2)));
		}
		return img;
	}

	private static void assertSameValues(final Volume<?> a, final Volume<?> b) {
		assertArrayEquals(a.dimensions(), b.dimensions());
		final Cursor<? extends RealType<?>> ca = Views.flatIterable(a.image()).cursor();
		final Cursor<? extends RealType<?>> cb = Views.flatIterable(b.image()).cursor();
		while (ca.hasNext())
			assertEquals(ca.next().getRealDouble(), cb.next().getRealDouble(), 0);
	}

	@Test
	void roundTripEveryTypeBothCompressions() throws Exception {
		final long[] d = { 5, 4, 3 };
		final Img<?>[] imgs = { fill(PlanarImgs.unsignedBytes(d), 1, 0), fill(PlanarImgs.bytes(d), 1, -60),
			fill(PlanarImgs.shorts(d), 100, -20000), fill(PlanarImgs.unsignedShorts(d), 500, 1000), fill(PlanarImgs.ints(
				d), 1e6, -5e7), fill(PlanarImgs.floats(d), 0.25, -3), fill(PlanarImgs.doubles(d), 1e-3, 1e-9) };
		final String[] types = { "uint8", "int8", "int16", "uint16", "int32", "float32", "float64" };
		for (int i = 0; i < imgs.length; i++)
			for (final String ext : new String[] { ".nii", ".nii.gz" }) {
				@SuppressWarnings({ "unchecked", "rawtypes" })
				final Volume<?> v = new Volume(imgs[i], new double[] { 10.5, 11, 105.32 }, new double[] { -500, 250, 1000 },
					"v");
				final Path f = tmp.resolve(types[i] + ext);
				write(v, f);
				final Volume<?> back = NiftiIO.read(f);
				assertEquals(types[i], VolumeHeader.pixelType(back.type()), f.toString());
				assertArrayEquals(v.voxelSizeUm(), back.voxelSizeUm(), 1e-4);
				assertArrayEquals(v.originUm(), back.originUm(), 1e-3);
				assertSameValues(v, back);
				final VolumeHeader h = NiftiIO.readHeader(f);
				assertArrayEquals(d, h.dimensions());
				assertEquals(types[i], h.pixelType());
				assertEquals(ext.endsWith("gz") ? "NIfTI-1 (gzip)" : "NIfTI-1", h.format());
			}
		// the gz file really is gzip
		final byte[] gz = Files.readAllBytes(tmp.resolve("uint8.nii.gz"));
		assertEquals(0x1f, gz[0] & 0xff);
		assertEquals(0x8b, gz[1] & 0xff);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static void write(final Volume v, final Path f) throws Exception {
		NiftiIO.write(v, f);
	}

	@Test
	void writtenHeaderHasSformAndQformInMillimetres() throws Exception {
		final Volume<FloatType> v = new Volume<>(PlanarImgs.floats(3, 2, 2), new double[] { 20, 30, 40 }, new double[] {
			1000, -2000, 3000 }, "x");
		final Path f = tmp.resolve("h.nii");
		NiftiIO.write(v, f);
		final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(348, b.getInt(0));
		assertEquals(352 + 3 * 2 * 2 * 4, b.capacity());
		assertEquals(2, b.get(123)); // mm
		assertEquals(1, b.getShort(252)); // qform_code
		assertEquals(1, b.getShort(254)); // sform_code
		assertEquals(0.02f, b.getFloat(280), 1e-9f); // srow_x[0]
		assertEquals(1.0f, b.getFloat(292), 1e-9f); // srow_x[3]
		assertEquals(0.03f, b.getFloat(296 + 4), 1e-9f); // srow_y[1]
		assertEquals(-2.0f, b.getFloat(296 + 12), 1e-9f);
		assertEquals(3.0f, b.getFloat(276), 1e-9f); // qoffset_z
		assertEquals("n+1", new String(new byte[] { b.get(344), b.get(345), b.get(346) }));
	}

	/** A hand-built header: 348 bytes + 4 extension bytes, order as given. */
	static byte[] header(final ByteOrder order, final short datatype, final short bitpix, final int[] dims,
		final float[] pixdim, final int units, final float slope, final float inter, final short qcode,
		final short scode)
	{
		final ByteBuffer b = ByteBuffer.allocate(352).order(order);
		b.putInt(0, 348);
		b.putShort(40, (short) dims.length);
		for (int i = 0; i < dims.length; i++)
			b.putShort(42 + 2 * i, (short) dims[i]);
		for (int i = dims.length; i < 7; i++)
			b.putShort(42 + 2 * i, (short) 1);
		b.putShort(70, datatype);
		b.putShort(72, bitpix);
		for (int i = 0; i < pixdim.length; i++)
			b.putFloat(80 + 4 * i, pixdim[i]);
		b.putFloat(108, 352);
		b.putFloat(112, slope);
		b.putFloat(116, inter);
		b.put(123, (byte) units);
		b.putShort(252, qcode);
		b.putShort(254, scode);
		b.putFloat(268, 7f); // qoffset
		b.putFloat(272, 8f);
		b.putFloat(276, 9f);
		b.putFloat(280 + 12, 1.5f); // srow_x[3]
		b.putFloat(296 + 12, 2.5f);
		b.putFloat(312 + 12, 3.5f);
		b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
		return b.array();
	}

	@Test
	void bigEndianInt16WithScalingBecomesFloatInMicrons() throws Exception {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(header(ByteOrder.BIG_ENDIAN, (short) 4, (short) 16, new int[] { 2, 2, 2 }, new float[] { 12.5f, 12.5f,
			25f }, 3 /* micron */, 2f, -100f, (short) 1, (short) 0));
		final ByteBuffer data = ByteBuffer.allocate(8 * 2).order(ByteOrder.BIG_ENDIAN);
		for (int i = 0; i < 8; i++)
			data.putShort((short) (i * 1000 - 3000));
		out.write(data.array());
		final Path f = tmp.resolve("be.nii");
		Files.write(f, out.toByteArray());
		final Volume<?> v = NiftiIO.read(f);
		assertTrue(v.type() instanceof FloatType);
		assertArrayEquals(new double[] { 12.5, 12.5, 25 }, v.voxelSizeUm(), 1e-9);
		assertArrayEquals(new double[] { 7, 8, 9 }, v.originUm(), 1e-9, "qform origin (sform_code 0)");
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		ra.setPosition(new long[] { 1, 1, 1 });
		assertEquals((7 * 1000 - 3000) * 2 - 100, ra.get().getRealDouble(), 0);
		assertEquals("float32", NiftiIO.readHeader(f).pixelType());
	}

	@Test
	void handBuiltGzipUint16WithSformAndUnknownUnitsIsMillimetres() throws Exception {
		final ByteArrayOutputStream raw = new ByteArrayOutputStream();
		raw.write(header(ByteOrder.LITTLE_ENDIAN, (short) 512, (short) 16, new int[] { 3, 2, 2, 1 }, new float[] {
			0.01f, 0.02f, 0.03f }, 0 /* unknown -> mm */, 0f, 0f, (short) 1, (short) 2));
		final ByteBuffer data = ByteBuffer.allocate(12 * 2).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < 12; i++)
			data.putShort((short) (60000 + i));
		raw.write(data.array());
		final Path f = tmp.resolve("hand.nii.gz");
		try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
			o.write(raw.toByteArray());
		}
		final Volume<?> v = NiftiIO.read(f);
		assertTrue(v.type() instanceof UnsignedShortType, "slope 0 means no scaling");
		assertArrayEquals(new double[] { 10, 20, 30 }, v.voxelSizeUm(), 1e-3);
		assertArrayEquals(new double[] { 1500, 2500, 3500 }, v.originUm(), 1e-3, "sform wins over qform");
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		ra.setPosition(new long[] { 2, 1, 1 });
		assertEquals(60000 + 11, ra.get().getRealDouble(), 0);
	}

	@Test
	void badFilesNameTheReason() throws Exception {
		final Path f = tmp.resolve("t.nii");
		final byte[] good = header(ByteOrder.LITTLE_ENDIAN, (short) 16, (short) 32, new int[] { 4, 4, 4 }, new float[] {
			1, 1, 1 }, 2, 1, 0, (short) 0, (short) 0);
		// truncated pixels
		Files.write(f, Arrays.copyOf(good, 352 + 4 * 4 * 4 * 4 - 10));
		VolumeIOException e = assertThrows(VolumeIOException.class, () -> NiftiIO.read(f));
		assertTrue(e.getMessage().contains("t.nii") && e.getMessage().contains("truncated"), e.getMessage());
		assertTrue(assertThrows(VolumeIOException.class, () -> NiftiIO.readHeader(f)).getMessage().contains("truncated"));
		// truncated header
		Files.write(f, Arrays.copyOf(good, 100));
		assertTrue(assertThrows(VolumeIOException.class, () -> NiftiIO.read(f)).getMessage().contains("348"));
		// RGB and 64-bit integer
		Files.write(f, header(ByteOrder.LITTLE_ENDIAN, (short) 128, (short) 24, new int[] { 4, 4, 4 }, new float[] { 1, 1,
			1 }, 2, 1, 0, (short) 0, (short) 0));
		e = assertThrows(VolumeIOException.class, () -> NiftiIO.read(f));
		assertTrue(e.getMessage().contains("RGB24"), e.getMessage());
		Files.write(f, header(ByteOrder.LITTLE_ENDIAN, (short) 1024, (short) 64, new int[] { 4, 4, 4 }, new float[] { 1,
			1, 1 }, 2, 1, 0, (short) 0, (short) 0));
		assertTrue(assertThrows(VolumeIOException.class, () -> NiftiIO.read(f)).getMessage().contains("int64"));
		// not NIfTI at all
		Files.writeString(f, "hello".repeat(100));
		assertTrue(assertThrows(VolumeIOException.class, () -> NiftiIO.read(f)).getMessage().contains("not a NIfTI-1"));
		// 4-D
		Files.write(f, Arrays.copyOf(header(ByteOrder.LITTLE_ENDIAN, (short) 2, (short) 8, new int[] { 2, 2, 2, 3 },
			new float[] { 1, 1, 1 }, 2, 1, 0, (short) 0, (short) 0), 352 + 24));
		assertEquals(3, NiftiIO.readHeader(f).frames());
		assertTrue(assertThrows(VolumeIOException.class, () -> NiftiIO.read(f)).getMessage().contains("3 volumes"));
	}

	@Test
	void otherTypesAreWrittenAsTheirNiftiType() throws Exception {
		final Img<IntType> ints = fill(ArrayImgs.ints(3, 3, 2), 1, -4);
		final Path f = tmp.resolve("i.nii");
		NiftiIO.write(new Volume<>(ints, new double[] { 1, 1, 1 }, new double[3], "i"), f);
		final Volume<?> back = NiftiIO.read(f);
		assertTrue(back.type() instanceof IntType);
		assertSameValues(new Volume<>(ints, new double[] { 1, 1, 1 }, new double[3], "i"), back);
		// unsupported by NIfTI-1 mapping here -> float32; check class names of other types map as documented
		assertEquals("uint8", VolumeHeader.pixelType(new UnsignedByteType()));
		assertEquals("int8", VolumeHeader.pixelType(new ByteType()));
		assertEquals("int16", VolumeHeader.pixelType(new ShortType()));
		assertEquals("float64", VolumeHeader.pixelType(new DoubleType()));
	}
}
