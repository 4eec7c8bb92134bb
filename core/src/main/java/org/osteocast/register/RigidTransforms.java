package org.osteocast.register;

import org.osteocast.core.Affine;

/**
 * Small 4 × 4 homogeneous-matrix helpers for rigid transforms: products,
 * inverses, rotation vectors, Euler angles and the change between
 * voxel-index and micrometre coordinates.
 * <p>
 * Coordinates in µm are {@code index · voxelSize} (the volumes' origins are
 * ignored on purpose: weekly scans' origins are arbitrary, and the transform
 * contract is the voxel-index matrix).
 */
public final class RigidTransforms {

	private RigidTransforms() {}

	/** The 4 × 4 identity. */
	public static double[][] identity() {
		return Affine.identity();
	}

	/** {@code a · b} (apply b first). */
	public static double[][] multiply(final double[][] a, final double[][] b) {
		return Affine.multiply(a, b);
	}

	/** Inverse of an affine 4 × 4 matrix (last row 0 0 0 1). */
	public static double[][] invert(final double[][] m) {
		return Affine.invert(m);
	}

	/** {@code m · p} for a 3-D point. */
	public static double[] apply(final double[][] m, final double[] p) {
		final double[] q = new double[3];
		for (int i = 0; i < 3; i++)
			q[i] = m[i][0] * p[0] + m[i][1] * p[1] + m[i][2] * p[2] + m[i][3];
		return q;
	}

	/** Rotation matrix (3 × 3) of a rotation vector (axis · angle in radians), by Rodrigues' formula. */
	public static double[][] rotation(final double[] w) {
		final double th = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
		final double[][] r = new double[3][3];
		if (th < 1e-12) {
			// first order: I + [w]x
			r[0][0] = r[1][1] = r[2][2] = 1;
			r[0][1] = -w[2];
			r[0][2] = w[1];
			r[1][0] = w[2];
			r[1][2] = -w[0];
			r[2][0] = -w[1];
			r[2][1] = w[0];
			return r;
		}
		final double x = w[0] / th, y = w[1] / th, z = w[2] / th, c = Math.cos(th), s = Math.sin(th), t = 1 - c;
		r[0][0] = t * x * x + c;
		r[0][1] = t * x * y - s * z;
		r[0][2] = t * x * z + s * y;
		r[1][0] = t * x * y + s * z;
		r[1][1] = t * y * y + c;
		r[1][2] = t * y * z - s * x;
		r[2][0] = t * x * z - s * y;
		r[2][1] = t * y * z + s * x;
		r[2][2] = t * z * z + c;
		return r;
	}

	/** The rigid 4 × 4 transform {@code x ↦ R (x − c) + c + t}. */
	public static double[][] about(final double[][] r, final double[] c, final double[] t) {
		final double[][] m = new double[4][4];
		for (int i = 0; i < 3; i++) {
			double rc = 0;
			for (int j = 0; j < 3; j++) {
				m[i][j] = r[i][j];
				rc += r[i][j] * c[j];
			}
			m[i][3] = c[i] - rc + t[i];
		}
		m[3][3] = 1;
		return m;
	}

	/** Total rotation angle of the 3 × 3 part, in degrees (0 … 180). */
	public static double rotationAngleDeg(final double[][] m) {
		final double tr = m[0][0] + m[1][1] + m[2][2];
		return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, (tr - 1) / 2))));
	}

	/**
	 * Euler angles (degrees) about x, then y, then z ({@code R = Rz · Ry · Rx}),
	 * for reporting.
	 */
	public static double[] eulerXyzDeg(final double[][] m) {
		final double sy = -m[2][0];
		final double ry = Math.asin(Math.max(-1, Math.min(1, sy)));
		final double rx, rz;
		if (Math.abs(sy) < 1 - 1e-9) {
			rx = Math.atan2(m[2][1], m[2][2]);
			rz = Math.atan2(m[1][0], m[0][0]);
		}
		else {
			rx = Math.atan2(-m[1][2], m[1][1]);
			rz = 0;
		}
		return new double[] { Math.toDegrees(rx), Math.toDegrees(ry), Math.toDegrees(rz) };
	}

	/** {@code Rz(c) · Ry(b) · Rx(a)} for angles in radians (3 × 3). */
	public static double[][] eulerXyz(final double a, final double b, final double c) {
		final double[][] rx = { { 1, 0, 0 }, { 0, Math.cos(a), -Math.sin(a) }, { 0, Math.sin(a), Math.cos(a) } };
		final double[][] ry = { { Math.cos(b), 0, Math.sin(b) }, { 0, 1, 0 }, { -Math.sin(b), 0, Math.cos(b) } };
		final double[][] rz = { { Math.cos(c), -Math.sin(c), 0 }, { Math.sin(c), Math.cos(c), 0 }, { 0, 0, 1 } };
		return mul3(rz, mul3(ry, rx));
	}

	/** The product of two 3 × 3 matrices. */
	public static double[][] mul3(final double[][] a, final double[][] b) {
		final double[][] c = new double[3][3];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				for (int k = 0; k < 3; k++)
					c[i][j] += a[i][k] * b[k][j];
		return c;
	}

	/**
	 * Converts a µm-space matrix (moving µm → fixed µm) into voxel-index space:
	 * {@code S_fixed⁻¹ · M · S_moving} with {@code S = diag(voxel size)}.
	 */
	public static double[][] umToVoxel(final double[][] um, final double[] movingVs, final double[] fixedVs) {
		final double[][] v = new double[4][4];
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				v[r][c] = um[r][c] * movingVs[c] / fixedVs[r];
			v[r][3] = um[r][3] / fixedVs[r];
		}
		v[3][3] = 1;
		return v;
	}

	/** The inverse of {@link #umToVoxel}: {@code S_fixed · V · S_moving⁻¹}. */
	public static double[][] voxelToUm(final double[][] vox, final double[] movingVs, final double[] fixedVs) {
		final double[][] u = new double[4][4];
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				u[r][c] = fixedVs[r] * vox[r][c] / movingVs[c];
			u[r][3] = fixedVs[r] * vox[r][3];
		}
		u[3][3] = 1;
		return u;
	}

	/** A deep copy of a 4 × 4 matrix. */
	public static double[][] copy(final double[][] m) {
		final double[][] c = new double[m.length][];
		for (int i = 0; i < m.length; i++)
			c[i] = m[i].clone();
		return c;
	}
}
