package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;

import java.nio.file.Path;

import net.imglib2.RandomAccess;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;

class ImagePlusVolumesTest {

	@ParameterizedTest
	@ValueSource(ints = { 8, 16, 32 })
	void wrapAndBackShareTheSliceArrays(final int bits) throws Exception {
		final ImagePlus imp = IJ.createImage("s", bits + "-bit black", 7, 5, 4);
		final Volume<?> v = ImagePlusVolumes.wrap(imp, null);
		final Class<?> expected = bits == 8 ? UnsignedByteType.class : bits == 16 ? UnsignedShortType.class
			: FloatType.class;
		assertEquals(expected, v.type().getClass());
		final PlanarImg<?, ?> p = (PlanarImg<?, ?>) v.image();
		for (int z = 0; z < 4; z++)
			assertSame(imp.getStack().getPixels(z + 1), ((ArrayDataAccess<?>) p.getPlane(z)).getCurrentStorageArray());
		// a write through the volume shows in the ImagePlus and vice versa
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		ra.setPosition(new long[] { 3, 2, 1 });
		ra.get().setReal(42);
		assertEquals(42, imp.getStack().getProcessor(2).getf(3, 2), 0);
		imp.getStack().getProcessor(4).setf(6, 4, 17);
		ra.setPosition(new long[] { 6, 4, 3 });
		assertEquals(17, ra.get().getRealDouble(), 0);
		// and back to an ImagePlus without a copy
		final ImagePlus again = ImagePlusVolumes.toImagePlus(cast(v));
		for (int z = 0; z < 4; z++)
			assertSame(imp.getStack().getPixels(z + 1), again.getStack().getPixels(z + 1));
		assertEquals(bits, again.getBitDepth());
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Volume cast(final Volume<?> v) {
		return v;
	}

	@Test
	void calibrationRoundTripInMicronsAndMillimetres() throws Exception {
		final ImagePlus imp = IJ.createImage("c", "16-bit black", 4, 4, 3);
		final Calibration cal = imp.getCalibration();
		cal.setUnit("mm");
		cal.pixelWidth = 0.0105;
		cal.pixelHeight = 0.011;
		cal.pixelDepth = 0.02;
		cal.xOrigin = 10; // ImageJ: origin in pixels, negated position of voxel 0
		cal.yOrigin = -4;
		cal.zOrigin = 0;
		final Volume<?> v = ImagePlusVolumes.wrap(imp, Path.of("c.tif"));
		assertArrayEquals(new double[] { 10.5, 11, 20 }, v.voxelSizeUm(), 1e-9);
		assertArrayEquals(new double[] { -105, 44, 0 }, v.originUm(), 1e-9);
		final ImagePlus back = ImagePlusVolumes.toImagePlus(cast(v));
		final Calibration c2 = back.getCalibration();
		assertEquals("micron", c2.getUnit());
		assertEquals(10.5, c2.pixelWidth, 1e-9);
		assertEquals(20, c2.pixelDepth, 1e-9);
		assertArrayEquals(v.originUm(), ImagePlusVolumes.wrap(back, null).originUm(), 1e-9);
		cal.setUnit("pixel");
		assertArrayEquals(new double[] { 0.0105, 0.011, 0.02 }, ImagePlusVolumes.wrap(imp, null).voxelSizeUm(), 1e-12,
			"unknown units are taken as µm, as documented");
	}

	@Test
	void rgbAndHyperstacksAreRefusedWithTheFile() {
		final ImagePlus rgb = IJ.createImage("rgb", "RGB black", 4, 4, 2);
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> ImagePlusVolumes.wrap(rgb, Path.of(
			"rgb.tif")));
		assertTrue(e.getMessage().contains("rgb.tif") && e.getMessage().contains("bit depth 24"), e.getMessage());
		final ImagePlus hs = IJ.createImage("h", "32-bit black", 4, 4, 1, 2, 3);
		assertTrue(assertThrows(VolumeIOException.class, () -> ImagePlusVolumes.wrap(hs, Path.of("h.tif"))).getMessage()
			.contains("3 frames"));
	}
}
