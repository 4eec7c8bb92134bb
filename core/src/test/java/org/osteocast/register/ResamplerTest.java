package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.RandomAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.junit.jupiter.api.Test;
import org.osteocast.io.Volume;

class ResamplerTest {

	private static Volume<UnsignedShortType> ramp() {
		final PlanarImg<UnsignedShortType, ?> img = PlanarImgs.unsignedShorts(10, 8, 6);
		final RandomAccess<UnsignedShortType> ra = img.randomAccess();
		for (int z = 0; z < 6; z++)
			for (int y = 0; y < 8; y++)
				for (int x = 0; x < 10; x++) {
					ra.setPosition(new int[] { x, y, z });
					ra.get().set(1000 + 100 * x + 10 * y + z);
				}
		return new Volume<>(img, new double[] { 2, 2, 3 }, new double[3], "ramp");
	}

	@Test
	void integerShiftMovesVoxelsExactlyAndKeepsTheType() {
		final Volume<UnsignedShortType> m = ramp();
		final double[][] shift = RigidTransforms.identity();
		shift[0][3] = 2; // moving voxel x lands on fixed voxel x + 2
		shift[2][3] = -1;
		final Volume<UnsignedShortType> out = Resampler.resample(m, shift, m);
		assertTrue(out.type() instanceof UnsignedShortType);
		assertArrayEquals(m.dimensions(), out.dimensions());
		assertArrayEquals(new double[] { 2, 2, 3 }, out.voxelSizeUm(), 0);
		final RandomAccess<UnsignedShortType> ra = out.image().randomAccess();
		ra.setPosition(new int[] { 5, 3, 2 });
		assertEquals(1000 + 100 * 3 + 10 * 3 + 3, ra.get().get());
		// fixed voxel x = 0 comes from moving x = -2: outside, so 0
		ra.setPosition(new int[] { 0, 3, 2 });
		assertEquals(0, ra.get().get());
	}

	@Test
	void nonPlanarImagesResampleThroughTheGenericPath() {
		final Volume<UnsignedShortType> planar = ramp();
		final net.imglib2.img.array.ArrayImg<UnsignedShortType, ?> arr = net.imglib2.img.array.ArrayImgs.unsignedShorts(10,
			8, 6);
		org.osteocast.io.formats.ImagePlusVolumes.copyReal(planar.image(), arr);
		final Volume<UnsignedShortType> v = planar.withImage(arr);
		final double[][] m = RigidTransforms.about(RigidTransforms.eulerXyz(0.1, 0, 0.2), new double[] { 5, 4, 3 },
			new double[] { 0.3, -0.2, 0.1 });
		final RandomAccess<UnsignedShortType> a = Resampler.resample(planar, m, planar).image().randomAccess();
		final RandomAccess<UnsignedShortType> b = Resampler.resample(v, m, planar).image().randomAccess();
		for (int z = 0; z < 6; z++)
			for (int y = 0; y < 8; y++)
				for (int x = 0; x < 10; x++) {
					a.setPosition(new int[] { x, y, z });
					b.setPosition(new int[] { x, y, z });
					assertEquals(a.get().get(), b.get().get());
				}
	}

	@Test
	void halfVoxelShiftInterpolatesLinearlyAndRoundsIntegerTypes() {
		final PlanarImg<UnsignedByteType, ?> img = PlanarImgs.unsignedBytes(4, 2, 2);
		final RandomAccess<UnsignedByteType> ra = img.randomAccess();
		for (int z = 0; z < 2; z++)
			for (int y = 0; y < 2; y++)
				for (int x = 0; x < 4; x++) {
					ra.setPosition(new int[] { x, y, z });
					ra.get().set(x == 1 ? 11 : 0);
				}
		final Volume<UnsignedByteType> v = Volume.of(img, 1, "line");
		final double[][] half = RigidTransforms.identity();
		half[0][3] = 0.5;
		final RandomAccess<UnsignedByteType> o = Resampler.resample(v, half, v).image().randomAccess();
		o.setPosition(new int[] { 1, 0, 0 }); // moving x = 0.5: (0 + 11) / 2 = 5.5 -> 6
		assertEquals(6, o.get().get());
		o.setPosition(new int[] { 2, 1, 1 }); // moving x = 1.5
		assertEquals(6, o.get().get());
		o.setPosition(new int[] { 3, 1, 1 }); // moving x = 2.5: 0
		assertEquals(0, o.get().get());
	}
}
