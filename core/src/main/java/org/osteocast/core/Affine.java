package org.osteocast.core;

/**
 * 4 × 4 homogeneous affine matrices (last row 0 0 0 1) as {@code double[4][4]}:
 * the representation of the rigid-transform contract, shared by the phantom's
 * ground truth and the registration.
 */
public final class Affine {

	private Affine() {}

	/** The identity. */
	public static double[][] identity() {
		final double[][] m = new double[4][4];
		for (int i = 0; i < 4; i++)
			m[i][i] = 1;
		return m;
	}

	/** The product {@code a · b} (apply b first). */
	public static double[][] multiply(final double[][] a, final double[][] b) {
		final double[][] c = new double[4][4];
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 4; j++) {
				double s = 0;
				for (int k = 0; k < 4; k++)
					s += a[i][k] * b[k][j];
				c[i][j] = s;
			}
		return c;
	}

	/**
	 * The inverse (cofactors of the linear part, then the translation).
	 *
	 * @throws IllegalArgumentException if the linear part is singular
	 */
	public static double[][] invert(final double[][] m) {
		final double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2], g = m[2][0],
				h = m[2][1], k = m[2][2];
		final double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
		if (!(Math.abs(det) > 1e-12)) throw new IllegalArgumentException("singular transform (det " + det + ")");
		final double[][] r = new double[4][4];
		r[0][0] = (e * k - f * h) / det;
		r[0][1] = (c * h - b * k) / det;
		r[0][2] = (b * f - c * e) / det;
		r[1][0] = (f * g - d * k) / det;
		r[1][1] = (a * k - c * g) / det;
		r[1][2] = (c * d - a * f) / det;
		r[2][0] = (d * h - e * g) / det;
		r[2][1] = (b * g - a * h) / det;
		r[2][2] = (a * e - b * d) / det;
		for (int i = 0; i < 3; i++)
			r[i][3] = -(r[i][0] * m[0][3] + r[i][1] * m[1][3] + r[i][2] * m[2][3]);
		r[3][3] = 1;
		return r;
	}
}
