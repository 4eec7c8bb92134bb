package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.osteocast.io.Volume;

class RigidResamplerTest {

	/** f(x, y, z) = 2x + 3y + 5z: trilinear interpolation reproduces it exactly. */
	private static Volume<FloatType> linear(final int n) {
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(n, n, n);
		final Cursor<FloatType> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set(2 * c.getIntPosition(0) + 3 * c.getIntPosition(1) + 5 * c.getIntPosition(2));
		}
		return Volume.of(img, 10, "lin");
	}

	@Test
	void translationMovesContentByTheShift() {
		final Volume<FloatType> moving = linear(8);
		// moving voxel p lands on fixed voxel p + (1.5, 0, -1)
		final double[][] m = Rigid.translation(1.5, 0, -1);
		final Volume<FloatType> out = RigidResampler.resample(moving, m, new long[] { 8, 8, 8 }, Double.NaN);
		final RandomAccess<FloatType> ra = out.image().randomAccess();
		ra.setPosition(new long[] { 4, 2, 3 });
		// fixed (4, 2, 3) samples moving (2.5, 2, 4)
		assertEquals(2 * 2.5 + 3 * 2 + 5 * 4, ra.get().get(), 1e-4);
		ra.setPosition(new long[] { 0, 0, 0 }); // moving (-1.5, 0, 1): outside
		assertTrue(Float.isNaN(ra.get().get()));
		assertArrayEquals(new double[] { 10, 10, 10 }, out.voxelSizeUm(), 0);
	}

	@Test
	void rotationAndItsInverseComposeToIdentity() {
		final double[][] r = Rigid.aboutCentre(Rigid.rotation(3, -4, 5), new double[] { 3.5, 3.5, 3.5 }, new double[] { 1,
			-2, 0.5 });
		final double[][] id = Rigid.multiply(Rigid.invert(r), r);
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 4; j++)
				assertEquals(i == j ? 1 : 0, id[i][j], 1e-12);
		// a rigid map keeps lengths
		final double[] a = Rigid.apply(r, 0, 0, 0), b = Rigid.apply(r, 1, 2, 2);
		assertEquals(3, Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2)), 1e-12);
	}

	@Test
	void rotatedLinearFieldIsSampledExactlyInside() {
		final Volume<FloatType> moving = linear(10);
		final double[][] m = Rigid.aboutCentre(Rigid.rotation(0, 0, 10), new double[] { 4.5, 4.5, 4.5 }, new double[3]);
		final Volume<FloatType> out = RigidResampler.resample(moving, m, new long[] { 10, 10, 10 }, Double.NaN);
		final double[][] inv = Rigid.invert(m);
		final RandomAccess<FloatType> ra = out.image().randomAccess();
		ra.setPosition(new long[] { 5, 4, 6 });
		final double[] p = Rigid.apply(inv, 5, 4, 6);
		assertEquals(2 * p[0] + 3 * p[1] + 5 * p[2], ra.get().get(), 1e-3);
	}
}
