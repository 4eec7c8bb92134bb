package org.osteocast.mesh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import org.osteocast.io.util.AtomicFiles;

/** A triangle soup (float coordinates), with its area, enclosed volume and binary STL output. */
public final class Mesh {

	private float[] xyz = new float[9 * 1024];
	private int triangles;

	/**
	 * Adds a triangle; vertices counter-clockwise seen from outside. A triangle
	 * with two equal vertices (a cut through a sample that equals the level) has
	 * no area and its two edges cancel; it is dropped.
	 */
	public void add(final double[] a, final double[] b, final double[] c) {
		if (same(a, b) || same(b, c) || same(a, c)) return;
		if ((triangles + 1) * 9 > xyz.length) xyz = Arrays.copyOf(xyz, xyz.length * 2);
		final int o = triangles * 9;
		for (int k = 0; k < 3; k++) {
			xyz[o + k] = (float) a[k];
			xyz[o + 3 + k] = (float) b[k];
			xyz[o + 6 + k] = (float) c[k];
		}
		triangles++;
	}

	private static boolean same(final double[] a, final double[] b) {
		return (float) a[0] == (float) b[0] && (float) a[1] == (float) b[1] && (float) a[2] == (float) b[2];
	}

	public int triangleCount() {
		return triangles;
	}

	/** Total surface area. */
	public double area() {
		double s = 0;
		for (int t = 0; t < triangles; t++) {
			final double[] n = normal(t);
			s += Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) / 2;
		}
		return s;
	}

	/** Signed enclosed volume (divergence theorem); positive for a closed, outward-oriented surface. */
	public double volume() {
		double v = 0;
		for (int t = 0; t < triangles; t++) {
			final int o = t * 9;
			final double ax = xyz[o], ay = xyz[o + 1], az = xyz[o + 2], bx = xyz[o + 3], by = xyz[o + 4], bz = xyz[o + 5],
					cx = xyz[o + 6], cy = xyz[o + 7], cz = xyz[o + 8];
			v += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
		}
		return v / 6;
	}

	private double[] normal(final int t) {
		final int o = t * 9;
		final double ux = xyz[o + 3] - xyz[o], uy = xyz[o + 4] - xyz[o + 1], uz = xyz[o + 5] - xyz[o + 2];
		final double vx = xyz[o + 6] - xyz[o], vy = xyz[o + 7] - xyz[o + 1], vz = xyz[o + 8] - xyz[o + 2];
		return new double[] { uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx };
	}

	/** Writes binary STL (units as given, usually µm), atomically. */
	public void writeStl(final Path file, final String header) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(84 + 50 * triangles).order(ByteOrder.LITTLE_ENDIAN);
		final byte[] h = new byte[80];
		final byte[] text = (header == null ? "OsteoCast" : header).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		System.arraycopy(text, 0, h, 0, Math.min(80, text.length));
		b.put(h).putInt(triangles);
		for (int t = 0; t < triangles; t++) {
			final double[] n = normal(t);
			final double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
			for (int k = 0; k < 3; k++)
				b.putFloat(len > 0 ? (float) (n[k] / len) : 0f);
			for (int k = 0; k < 9; k++)
				b.putFloat(xyz[t * 9 + k]);
			b.putShort((short) 0);
		}
		AtomicFiles.writeBytes(file, b.array());
	}
}
