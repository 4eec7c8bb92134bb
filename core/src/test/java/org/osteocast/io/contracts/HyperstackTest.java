package org.osteocast.io.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.VolumeIOException;

class HyperstackTest {

	@TempDir
	Path tmp;

	@Test
	void roundTripKeepsPlanesOrderAndCalibration() throws Exception {
		final Hyperstack h = new Hyperstack(5, 4, 3, 2, new double[] { 2, 2, 7 }, "m1");
		for (int t = 0; t < 2; t++)
			for (int z = 0; z < 3; z++)
				h.plane(z, t)[z + 5 * t] = 0.1f * (1 + z + 3 * t);
		final Path f = tmp.resolve("m1.tif");
		h.write(f);
		final Hyperstack back = Hyperstack.read(f);
		assertEquals(3, back.slices());
		assertEquals(2, back.frames());
		assertArrayEquals(new double[] { 2, 2, 7 }, back.voxelSizeUm(), 1e-9);
		for (int t = 0; t < 2; t++)
			for (int z = 0; z < 3; z++)
				assertArrayEquals(h.plane(z, t), back.plane(z, t));
		// no temporary file is left beside the output
		try (var s = Files.list(tmp)) {
			assertEquals(1, s.count());
		}
	}

	@Test
	void frameSharesArrays() {
		final Hyperstack h = new Hyperstack(4, 4, 2, 3, new double[] { 1, 1, 1 }, "x");
		final RandomAccess<FloatType> ra = h.frame(2).image().randomAccess();
		ra.setPosition(new long[] { 1, 2, 1 });
		ra.get().set(0.5f);
		assertEquals(0.5f, h.plane(1, 2)[2 * 4 + 1]);
		assertSame(h.plane(0, 0), h.toImagePlus().getStack().getPixels(1));
	}

	@Test
	void rejectsNonFloat() throws Exception {
		final ij.ImagePlus imp = ij.IJ.createImage("b", "8-bit black", 4, 4, 2);
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> Hyperstack.fromImagePlus(imp, Path.of(
			"b.tif")));
		assertTrue(e.getMessage().contains("b.tif") && e.getMessage().contains("32-bit"), e.getMessage());
	}
}
