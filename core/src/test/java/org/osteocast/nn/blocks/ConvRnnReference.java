package org.osteocast.nn.blocks;

import ai.djl.ndarray.types.Shape;

import java.util.Random;

/** Plain-Java reference maths for the recurrent-cell tests: "same" convolution, activations, known weights. */
public final class ConvRnnReference {

	private ConvRnnReference() {}

	/**
	 * Cross-correlation with zero padding {@code k/2} (PyTorch's conv2d):
	 * {@code in [C][H][W]}, {@code w} flat {@code (O, C, k, k)}, bias {@code (O)}.
	 */
	public static double[][][] conv(final double[][][] in, final float[] w, final float[] bias, final int out, final int k) {
		final int c = in.length, h = in[0].length, wd = in[0][0].length, r = k / 2;
		final double[][][] y = new double[out][h][wd];
		for (int o = 0; o < out; o++)
			for (int yy = 0; yy < h; yy++)
				for (int xx = 0; xx < wd; xx++) {
					double s = bias[o];
					for (int i = 0; i < c; i++)
						for (int dy = 0; dy < k; dy++)
							for (int dx = 0; dx < k; dx++) {
								final int sy = yy + dy - r, sx = xx + dx - r;
								if (sy < 0 || sy >= h || sx < 0 || sx >= wd) continue;
								s += w[((o * c + i) * k + dy) * k + dx] * in[i][sy][sx];
							}
					y[o][yy][xx] = s;
				}
		return y;
	}

	/** Channels {@code from .. from+n-1} of {@code a}. */
	public static double[][][] channels(final double[][][] a, final int from, final int n) {
		final double[][][] r = new double[n][][];
		System.arraycopy(a, from, r, 0, n);
		return r;
	}

	public static double[][][] concat(final double[][][] a, final double[][][] b) {
		final double[][][] r = new double[a.length + b.length][][];
		System.arraycopy(a, 0, r, 0, a.length);
		System.arraycopy(b, 0, r, a.length, b.length);
		return r;
	}

	public static double sigmoid(final double x) {
		return 1 / (1 + Math.exp(-x));
	}

	/** {@code (C, H, W)} from a flat array at {@code offset}. */
	public static double[][][] unflatten(final float[] f, final int offset, final int c, final int h, final int w) {
		final double[][][] a = new double[c][h][w];
		for (int i = 0; i < c; i++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					a[i][y][x] = f[offset + (i * h + y) * w + x];
		return a;
	}

	public static float[] random(final Random r, final int n, final double scale) {
		final float[] f = new float[n];
		for (int i = 0; i < n; i++)
			f[i] = (float) (scale * (2 * r.nextDouble() - 1));
		return f;
	}

	/** A convolution's weights, known to the test, and the same convolution in plain Java. */
	public static final class Known {
		public final float[] w, b;
		public final int out, in, k;

		Known(final float[] w, final float[] b, final Shape ws) {
			this.w = w;
			this.b = b;
			out = (int) ws.get(0);
			in = (int) ws.get(1);
			k = (int) ws.get(2);
		}

		/** The first {@code realOut} output channels for input {@code x} (padded with zero channels to the weight's). */
		public double[][][] apply(final double[][][] x, final int realOut) {
			final double[][][] pad = new double[in][x[0].length][x[0][0].length];
			System.arraycopy(x, 0, pad, 0, x.length);
			return channels(conv(pad, w, b, out, k), 0, realOut);
		}
	}

	/** Sets every weight and bias of a {@link ConvRnnConv} (padding channels included) to seeded uniform values. */
	public static Known setRandom(final ConvRnnConv conv, final Random r, final double scale) {
		final var p = conv.inner().getParameters();
		final Shape ws = p.get("weight").getArray().getShape();
		final float[] w = random(r, (int) ws.size(), scale);
		final float[] b = random(r, (int) p.get("bias").getArray().size(), scale);
		p.get("weight").getArray().set(w);
		p.get("bias").getArray().set(b);
		return new Known(w, b, ws);
	}

	public static void assertClose(final double[][][] expected, final float[] actual, final int offset, final double tol,
		final String what)
	{
		int k = offset;
		for (int c = 0; c < expected.length; c++)
			for (int y = 0; y < expected[c].length; y++)
				for (int x = 0; x < expected[c][y].length; x++, k++)
					if (Math.abs(expected[c][y][x] - actual[k]) > tol) throw new AssertionError(what + " at (" + c + ", " +
						y + ", " + x + "): expected " + expected[c][y][x] + ", got " + actual[k]);
	}
}
