package org.osteocast.phantom;

import org.osteocast.core.Affine;

/**
 * Small 4 × 4 homogeneous-matrix helpers for rigid and affine maps between
 * voxel grids (rows = output coordinates x, y, z, 1). Kept here rather than
 * pulled from a linear-algebra library because the phantom needs only
 * rotations, products and inverses of affine maps.
 */
public final class Rigid {

	private Rigid() {}

	/** The 4 × 4 identity. */
	public static double[][] identity() {
		return Affine.identity();
	}

	/**
	 * The rotation R = Rz(γ) · Ry(β) · Rx(α) (angles in degrees) as a 3 × 3 matrix.
	 */
	public static double[][] rotation(final double alphaDeg, final double betaDeg, final double gammaDeg) {
		final double a = Math.toRadians(alphaDeg), b = Math.toRadians(betaDeg), g = Math.toRadians(gammaDeg);
		final double ca = Math.cos(a), sa = Math.sin(a), cb = Math.cos(b), sb = Math.sin(b), cg = Math.cos(g), sg = Math
			.sin(g);
		final double[][] rx = { { 1, 0, 0 }, { 0, ca, -sa }, { 0, sa, ca } };
		final double[][] ry = { { cb, 0, sb }, { 0, 1, 0 }, { -sb, 0, cb } };
		final double[][] rz = { { cg, -sg, 0 }, { sg, cg, 0 }, { 0, 0, 1 } };
		return mul3(rz, mul3(ry, rx));
	}

	/** The map p ↦ R (p − c) + c + s as a 4 × 4 matrix. */
	public static double[][] aboutCentre(final double[][] r, final double[] centre, final double[] shift) {
		final double[][] m = identity();
		for (int i = 0; i < 3; i++) {
			double t = centre[i] + shift[i];
			for (int j = 0; j < 3; j++) {
				m[i][j] = r[i][j];
				t -= r[i][j] * centre[j];
			}
			m[i][3] = t;
		}
		return m;
	}

	/** A pure translation. */
	public static double[][] translation(final double tx, final double ty, final double tz) {
		final double[][] m = identity();
		m[0][3] = tx;
		m[1][3] = ty;
		m[2][3] = tz;
		return m;
	}

	/** The product a · b (apply b first). */
	public static double[][] multiply(final double[][] a, final double[][] b) {
		return Affine.multiply(a, b);
	}

	/**
	 * The inverse of an affine 4 × 4 matrix (last row 0 0 0 1).
	 *
	 * @throws IllegalArgumentException if the linear part is singular
	 */
	public static double[][] invert(final double[][] m) {
		return Affine.invert(m);
	}

	/** m · (x, y, z, 1), the first three components. */
	public static double[] apply(final double[][] m, final double x, final double y, final double z) {
		return new double[] { m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3], m[1][0] * x + m[1][1] * y + m[1][2] *
			z + m[1][3], m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3] };
	}

	/** The linear part applied to a direction. */
	public static double[] applyLinear(final double[][] m, final double[] v) {
		return new double[] { m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2], m[1][0] * v[0] + m[1][1] * v[1] +
			m[1][2] * v[2], m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2] };
	}

	/** The rotation by {@code deg} degrees about a unit axis (right hand), as a 3 × 3 matrix (Rodrigues). */
	public static double[][] axisAngle(final double[] axis, final double deg) {
		final double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
		final double x = axis[0] / n, y = axis[1] / n, z = axis[2] / n;
		final double a = Math.toRadians(deg), c = Math.cos(a), s = Math.sin(a), t = 1 - c;
		return new double[][] { { t * x * x + c, t * x * y - s * z, t * x * z + s * y }, { t * x * y + s * z, t * y * y + c,
			t * y * z - s * x }, { t * x * z - s * y, t * y * z + s * x, t * z * z + c } };
	}

	/** The product of two 3 × 3 matrices, a · b. */
	public static double[][] multiply3(final double[][] a, final double[][] b) {
		return mul3(a, b);
	}

	private static double[][] mul3(final double[][] a, final double[][] b) {
		final double[][] c = new double[3][3];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
		return c;
	}
}
