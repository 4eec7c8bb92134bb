package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The edge-aware loss weights every forecaster's reconstruction uses:
 * {@code 1 + λ·G_σ(week 1)} per pixel, a Gaussian blur ({@link GaussianBlur})
 * of the first week, highest on and around the bone, where lesions appear.
 * λ = 0 gives weight 1 everywhere (plain MSE).
 */
public final class EdgeWeights {

	private EdgeWeights() {}

	/** Per-pixel weights of slices: {@code (B, 1, H, W) → (B, 1, H, W)}. */
	public static NDArray of(final NDArray week1, final double lambda, final double sigma) {
		if (lambda == 0) return week1.onesLike();
		return GaussianBlur.blur(week1, sigma).mul((float) lambda).add(1f);
	}

	/** {@link #of} slice by slice of volumes: {@code (B, 1, D, H, W) → (B, 1, D, H, W)}. */
	public static NDArray perSlice(final NDArray week1, final double lambda, final double sigma) {
		final Shape s = week1.getShape();
		final long b = s.get(0), d = s.get(2), h = s.get(3), w = s.get(4);
		return of(week1.reshape(b * d, 1, h, w), lambda, sigma).reshape(b, 1, d, h, w);
	}
}
