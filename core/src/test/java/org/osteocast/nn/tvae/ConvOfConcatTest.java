package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * The decoder's skip convolution without the concatenation
 * ({@link ConvDecoder#convOfConcat}) equals a convolution of the concatenated
 * input, in value and in the gradients of both inputs, the weight and the
 * bias (2×2 kernel with padding 1 as the subpixel decoder, 3×3 as the others;
 * 16 output channels, as the decoder never has 2 to 15: see package-info for
 * the engine's wrong input gradients at 8).
 */
class ConvOfConcatTest {

	@Test
	void equalsConvolutionOfConcatenation() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(7);
		for (final int k : new int[] { 2, 3 })
			try (NDManager m = NDManager.newBaseManager()) {
				final NDArray a0 = m.randomNormal(new Shape(2, 3, 5, 6)), b0 = m.randomNormal(new Shape(2, 5, 5, 6));
				final NDArray w0 = m.randomNormal(new Shape(16, 8, k, k)), bias0 = m.randomNormal(new Shape(16));
				final long oh = 5 + 2 - k + 1, ow = 6 + 2 - k + 1;
				final NDArray up = m.randomNormal(new Shape(2, 16, oh, ow));
				final float[][][] res = new float[2][][];
				for (int mode = 0; mode < 2; mode++) {
					final NDArray a = a0.duplicate(), b = b0.duplicate(), w = w0.duplicate(), bias = bias0.duplicate();
					for (final NDArray x : new NDArray[] { a, b, w, bias })
						x.setRequiresGradient(true);
					final float[] y;
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						final NDArray out = mode == 0 ? ConvDecoder.convOfConcat(a, b, w, bias, new Shape(1, 1))
							: Conv2d.conv2d(a.concat(b, 1), w, bias, new Shape(1, 1), new Shape(1, 1)).head();
						assertEquals(new Shape(2, 16, oh, ow), out.getShape());
						y = out.toFloatArray();
						gc.backward(out.mul(up).sum());
					}
					res[mode] = new float[][] { y, a.getGradient().toFloatArray(), b.getGradient().toFloatArray(), w
						.getGradient().toFloatArray(), bias.getGradient().toFloatArray() };
				}
				for (int i = 0; i < res[0].length; i++)
					assertArrayEquals(res[1][i], res[0][i], 1e-4f, "kernel " + k + ", output " + i);
			}
	}
}
