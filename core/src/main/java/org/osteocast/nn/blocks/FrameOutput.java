package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

import java.util.Locale;

/**
 * How a decoder's last layer becomes a frame in [0, 1], recorded in
 * {@code model.json} as {@code output}: the T-VAE's decoders (2-D and 3-D)
 * and the GAN's generator map their output through one of these.
 */
public enum FrameOutput {
	/** sigmoid(decoder) (the paper). */
	SIGMOID,
	/** clamp(x_last + Δ, 0, 1): the decoder predicts the change from the last observed week. */
	RESIDUAL_CLAMP,
	/** sigmoid(logit(x_last) + Δ): residual in logit space, smooth at 0 and 1. */
	RESIDUAL_LOGIT;

	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static FrameOutput parse(final String s) {
		return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
	}

	/** Whether the frame is the last observed week plus a change (so a zero last layer starts as persistence). */
	public boolean residual() {
		return this != SIGMOID;
	}

	/**
	 * Maps the last layer's output {@code y} to [0, 1]: {@code sigmoid(y)};
	 * {@code clamp(x_last + y)}; or {@code sigmoid(logit(x_last) + y)} with
	 * {@code x_last} clipped to [1e-4, 1 − 1e-4] (the residual in logit space).
	 */
	public NDArray apply(final NDArray y, final NDArray xLast) {
		switch (this) {
			case RESIDUAL_CLAMP:
				return xLast.add(y).clip(0f, 1f);
			case RESIDUAL_LOGIT: {
				final NDArray p = xLast.clip(1e-4f, 1f - 1e-4f);
				return Activation.sigmoid(p.div(p.neg().add(1f)).log().add(y));
			}
			case SIGMOID:
			default:
				return Activation.sigmoid(y);
		}
	}
}
