package org.osteocast.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarchingTetrahedraTest {

	@TempDir
	Path tmp;

	/** A smooth field whose 0.5 level set is a sphere of the given radius (voxels). */
	private static ArrayImg<FloatType, FloatArray> sphere(final int n, final double cx, final double cy,
		final double cz, final double r)
	{
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(n, n, n);
		final Cursor<FloatType> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			final double d = Math.sqrt(Math.pow(c.getDoublePosition(0) - cx, 2) + Math.pow(c.getDoublePosition(1) - cy, 2) +
				Math.pow(c.getDoublePosition(2) - cz, 2));
			c.get().setReal(0.5 + (r - d) / 2);
		}
		return img;
	}

	@Test
	void sphereVolumeAreaAndClosure() {
		final double r = 8;
		final Mesh m = MarchingTetrahedra.extract(sphere(24, 11.3, 12.1, 11.7, r), 0.5, new double[] { 2, 2, 2 });
		final double rPhys = r * 2;
		assertEquals(4.0 / 3 * Math.PI * Math.pow(rPhys, 3), m.volume(), 0.02 * 4.0 / 3 * Math.PI * Math.pow(rPhys, 3),
			"enclosed volume of a sphere, outward normals give a positive sign");
		assertEquals(4 * Math.PI * rPhys * rPhys, m.area(), 0.05 * 4 * Math.PI * rPhys * rPhys);
		assertWatertight(m);
	}

	@Test
	void objectTouchingTheBorderIsClosedAndAnisotropicVoxelsScale() {
		// a sphere cut by the volume's faces is still closed (outside counts as background)
		final Mesh iso = MarchingTetrahedra.extract(sphere(12, 2, 6, 6, 5), 0.5, new double[] { 1, 1, 1 });
		assertWatertight(iso);
		final Mesh aniso = MarchingTetrahedra.extract(sphere(12, 2, 6, 6, 5), 0.5, new double[] { 1, 1, 3 });
		assertEquals(3 * iso.volume(), aniso.volume(), 1e-3 * aniso.volume());
	}

	@Test
	void emptyAndFullVolumes() {
		assertEquals(0, MarchingTetrahedra.extract(ArrayImgs.floats(5, 5, 5), 0.5, new double[] { 1, 1, 1 })
			.triangleCount());
		final ArrayImg<FloatType, FloatArray> cube = ArrayImgs.floats(8, 8, 8);
		final Cursor<FloatType> c = cube.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			boolean in = true;
			for (int d = 0; d < 3; d++)
				in &= c.getIntPosition(d) >= 2 && c.getIntPosition(d) <= 5;
			c.get().set(in ? 1 : 0);
		}
		final Mesh box = MarchingTetrahedra.extract(cube, 0.5, new double[] { 1, 1, 1 });
		// a 4-voxel binary cube: half-way faces give 4^3, minus what the tetrahedral split chamfers off the edges
		assertEquals(64, box.volume(), 0.12 * 64);
		assertWatertight(box);
	}

	@Test
	void binaryStl() throws Exception {
		final Mesh m = MarchingTetrahedra.extract(sphere(10, 5, 5, 5, 3), 0.5, new double[] { 1, 1, 1 });
		final Path f = tmp.resolve("s.stl");
		m.writeStl(f, "test");
		final byte[] b = Files.readAllBytes(f);
		assertEquals(84 + 50L * m.triangleCount(), b.length);
		assertEquals(m.triangleCount(), ByteBuffer.wrap(b, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
	}

	/** Every edge is shared by exactly two triangles, in opposite directions. */
	private static void assertWatertight(final Mesh m) {
		try {
			final Path f = Files.createTempFile("mesh", ".stl");
			m.writeStl(f, "");
			final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
			Files.delete(f);
			b.position(84);
			final Map<String, Integer> directed = new HashMap<>();
			for (int t = 0; t < m.triangleCount(); t++) {
				b.position(b.position() + 12);
				final String[] v = new String[3];
				for (int k = 0; k < 3; k++)
					v[k] = b.getFloat() + "," + b.getFloat() + "," + b.getFloat();
				b.getShort();
				for (int k = 0; k < 3; k++)
					directed.merge(v[k] + ">" + v[(k + 1) % 3], 1, Integer::sum);
			}
			int open = 0;
			for (final Map.Entry<String, Integer> e : directed.entrySet()) {
				final String[] ab = e.getKey().split(">");
				final String[] a = ab[0].split(","), bb = ab[1].split(",");
				if (ab[0].equals(ab[1])) continue; // degenerate edge of a zero-area triangle
				if (e.getValue() != 1 || directed.getOrDefault(ab[1] + ">" + ab[0], 0) != 1) open++;
				assertTrue(a.length == 3 && bb.length == 3);
			}
			assertEquals(0, open, "edges without exactly one opposite partner");
		}
		catch (final java.io.IOException e) {
			throw new AssertionError(e);
		}
	}
}
