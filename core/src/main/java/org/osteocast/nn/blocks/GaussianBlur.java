package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Gaussian blur of single-channel images as a fixed (not learned)
 * convolution, {@code (N, 1, H, W) → (N, 1, H, W)}. Kernel radius
 * {@code ceil(3σ)}; the result is divided by the blur of an all-ones image,
 * so the borders are a weighted mean of the pixels inside (no darkening from
 * zero padding).
 */
public final class GaussianBlur {

	private GaussianBlur() {}

	/** The normalised 1-D kernel, length {@code 2 ceil(3σ) + 1}. */
	public static float[] kernel1d(final double sigma) {
		if (!(sigma > 0)) throw new IllegalArgumentException("sigma must be > 0, not " + sigma);
		final int r = (int) Math.ceil(3 * sigma);
		final float[] k = new float[2 * r + 1];
		double sum = 0;
		for (int i = -r; i <= r; i++)
			sum += Math.exp(-i * i / (2 * sigma * sigma));
		for (int i = -r; i <= r; i++)
			k[i + r] = (float) (Math.exp(-i * i / (2 * sigma * sigma)) / sum);
		return k;
	}

	/** Blurs {@code x (N, 1, H, W)}; the result lives in {@code x}'s manager. */
	public static NDArray blur(final NDArray x, final double sigma) {
		final float[] k1 = kernel1d(sigma);
		final int n = k1.length, r = n / 2;
		final float[] k2 = new float[n * n];
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				k2[i * n + j] = k1[i] * k1[j];
		final NDManager m = x.getManager();
		final NDArray w = m.create(k2, new Shape(1, 1, n, n));
		final Shape pad = new Shape(r, r);
		final NDArray num = Conv2d.conv2d(x, w, null, new Shape(1, 1), pad).head();
		final Shape s = x.getShape();
		final NDArray den = Conv2d.conv2d(m.ones(new Shape(1, 1, s.get(2), s.get(3))), w, null, new Shape(1, 1), pad)
			.head();
		return num.div(den);
	}
}
