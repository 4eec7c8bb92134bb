package org.osteocast.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * The decoder's up-sampling: 3×3 convolution + depth-to-space reproduces a
 * 4×4 stride-2 padding-1 transposed convolution exactly, given the sub-kernel
 * weight mapping; and depth-to-space follows PyTorch's pixel_shuffle order.
 */
class PixelShuffleTest {

	@Test
	void depthToSpaceOrder() {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final int c = 2, h = 3, w = 2;
			final NDArray x = m.arange(4f * c * h * w).reshape(1, 4 * c, h, w);
			final float[] y = PixelShuffle.depthToSpace(x).toFloatArray();
			final float[] xs = x.toFloatArray();
			for (int o = 0; o < c; o++)
				for (int i = 0; i < 2 * h; i++)
					for (int j = 0; j < 2 * w; j++) {
						final int in = ((o * 4 + (i % 2) * 2 + j % 2) * h + i / 2) * w + j / 2;
						assertEquals(xs[in], y[(o * 2 * h + i) * 2 * w + j], 0f);
					}
			final float[] n = PixelShuffle.nearest2x(x).toFloatArray();
			assertEquals(xs[1], n[2], 0f); // row 0, col 2 of channel 0 is input (0, 1)
			assertEquals(xs[w], n[2 * (2 * w)], 0f); // row 2 is input row 1
		}
	}

	@Test
	void convPlusShuffleEqualsTransposedConv() {
		EngineSetup.engine();
		final int cin = 3, cout = 2, h = 4, w = 5;
		final Random r = new Random(11);
		final float[] x = new float[cin * h * w], wt = new float[cin * cout * 16];
		for (int i = 0; i < x.length; i++)
			x[i] = (float) r.nextGaussian();
		for (int i = 0; i < wt.length; i++)
			wt[i] = (float) r.nextGaussian();
		// reference: transposed convolution, kernel 4, stride 2, padding 1: out[2y-1+ky, 2x-1+kx] += in[y, x] W[ky, kx]
		final int oh = 2 * h, ow = 2 * w;
		final double[] ref = new double[cout * oh * ow];
		for (int c = 0; c < cin; c++)
			for (int o = 0; o < cout; o++)
				for (int y = 0; y < h; y++)
					for (int xx = 0; xx < w; xx++)
						for (int ky = 0; ky < 4; ky++)
							for (int kx = 0; kx < 4; kx++) {
								final int Y = 2 * y - 1 + ky, X = 2 * xx - 1 + kx;
								if (Y < 0 || Y >= oh || X < 0 || X >= ow) continue;
								ref[(o * oh + Y) * ow + X] += x[(c * h + y) * w + xx] * wt[((c * cout + o) * 4 + ky) * 4 + kx];
							}
		// phase a = 0 uses kernel rows ky = 3 (input row i-1) and 1 (row i); a = 1 uses 2 (row i) and 0 (row i+1)
		final int[][] tap = { { 3, 1, -1 }, { -1, 2, 0 } };
		final float[] k = new float[4 * cout * cin * 9];
		for (int o = 0; o < cout; o++)
			for (int a = 0; a < 2; a++)
				for (int b = 0; b < 2; b++)
					for (int c = 0; c < cin; c++)
						for (int dy = 0; dy < 3; dy++)
							for (int dx = 0; dx < 3; dx++) {
								final int ky = tap[a][dy], kx = tap[b][dx];
								if (ky < 0 || kx < 0) continue;
								k[(((o * 4 + a * 2 + b) * cin + c) * 3 + dy) * 3 + dx] = wt[((c * cout + o) * 4 + ky) * 4 + kx];
							}
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray conv = Conv2d.conv2d(m.create(x, new Shape(1, cin, h, w)), m.create(k, new Shape(4 * cout, cin,
				3, 3)), null, new Shape(1, 1), new Shape(1, 1)).head();
			final float[] got = PixelShuffle.depthToSpace(conv).toFloatArray();
			final float[] expected = new float[ref.length];
			for (int i = 0; i < ref.length; i++)
				expected[i] = (float) ref[i];
			assertArrayEquals(expected, got, 1e-4f);

			// the same with a 2×2 convolution on the padded input (the SUBPIXEL decoder): rows (3, 1) and (2, 0)
			final int[][] tap2 = { { 3, 1 }, { 2, 0 } };
			final float[] k2 = new float[4 * cout * cin * 4];
			for (int o = 0; o < cout; o++)
				for (int a = 0; a < 2; a++)
					for (int b = 0; b < 2; b++)
						for (int c = 0; c < cin; c++)
							for (int dy = 0; dy < 2; dy++)
								for (int dx = 0; dx < 2; dx++)
									k2[(((o * 4 + a * 2 + b) * cin + c) * 2 + dy) * 2 + dx] = wt[((c * cout + o) * 4 + tap2[a][dy]) * 4 +
										tap2[b][dx]];
			final NDArray padded = m.create(x, new Shape(1, cin, h, w)).pad(new Shape(1, 1, 1, 1), 0);
			final NDArray conv2 = Conv2d.conv2d(padded, m.create(k2, new Shape(4 * cout, cin, 2, 2))).head();
			assertArrayEquals(expected, PixelShuffle.subpixel(conv2).toFloatArray(), 1e-4f);
		}
	}

	/** The slicing formulation {@link PixelShuffle#subpixel} replaced (four phase slices, stack, depth-to-space). */
	private static NDArray subpixelBySlices(final NDArray y) {
		final Shape s = y.getShape();
		final long n = s.get(0), c = s.get(1) / 4, h = s.get(2) - 1, w = s.get(3) - 1;
		final NDArray g = y.reshape(n, c, 4, h + 1, w + 1);
		final NDList phases = new NDList(4);
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 2; b++)
				phases.add(g.get(":, :, {}, {}:{}, {}:{}", a * 2 + b, a, a + h, b, b + w));
		return PixelShuffle.depthToSpace(NDArrays.stack(phases, 2).reshape(n, 4 * c, h, w));
	}

	/** The gather equals the slicing formulation in value and in gradient (non-square, several channels). */
	@Test
	void subpixelGatherEqualsSlicesWithGradients() {
		EngineSetup.engine();
		final Random r = new Random(5);
		final int n = 2, c = 3, h = 4, w = 6;
		final float[] y = new float[n * 4 * c * (h + 1) * (w + 1)], up = new float[n * c * 4 * h * w];
		for (int i = 0; i < y.length; i++)
			y[i] = (float) r.nextGaussian();
		for (int i = 0; i < up.length; i++)
			up[i] = (float) r.nextGaussian();
		final float[][] val = new float[2][], grad = new float[2][];
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray weights = m.create(up, new Shape(n, c, 2 * h, 2 * w));
			for (int k = 0; k < 2; k++) {
				final NDArray x = m.create(y, new Shape(n, 4 * c, h + 1, w + 1));
				x.setRequiresGradient(true);
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					final NDArray out = k == 0 ? PixelShuffle.subpixel(x) : subpixelBySlices(x);
					assertEquals(new Shape(n, c, 2 * h, 2 * w), out.getShape());
					val[k] = out.toFloatArray();
					gc.backward(out.mul(weights).sum());
				}
				grad[k] = x.getGradient().toFloatArray();
			}
		}
		assertArrayEquals(val[1], val[0], 0f);
		assertArrayEquals(grad[1], grad[0], 1e-6f);
		// every input outside the read windows gets no gradient: phase (0, 0) never reads the last row
		final float g = grad[0][(h * (w + 1))];
		assertEquals(0f, g, 0f);
	}

	/**
	 * The gather's index must outlive the forward call: the backward reads it,
	 * and the engine holds it without a copy of the Java-side buffer, so an
	 * index closed after the forward lets the backward read freed memory
	 * (wrong gradients, or "index … is out of bounds", whenever the garbage
	 * collector happens to free it first). Checked deterministically: after the
	 * forward the index is still open in the input's manager, and the backward
	 * run after it gives the reference gradients.
	 */
	@Test
	void subpixelKeepsItsIndexOpenUntilTheBackward() {
		EngineSetup.engine();
		final int n = 2, c = 2, h = 8, w = 8;
		final float[] y = new float[n * 4 * c * (h + 1) * (w + 1)];
		final Random r = new Random(7);
		for (int i = 0; i < y.length; i++)
			y[i] = (float) r.nextGaussian();
		final float[][] grad = new float[2][];
		try (NDManager base = NDManager.newBaseManager()) {
			for (int k = 0; k < 2; k++)
				try (NDManager m = base.newSubManager()) {
					final NDArray x = m.create(y, new Shape(n, 4 * c, h + 1, w + 1));
					x.setRequiresGradient(true);
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						final NDArray out = k == 0 ? PixelShuffle.subpixel(x) : subpixelBySlices(x);
						if (k == 0) {
							int open = 0;
							for (final NDArray a : m.getManagedArrays())
								if (a.getDataType() == ai.djl.ndarray.types.DataType.INT64 && a.size() == 4L * h * w && !a
									.isReleased()) open++;
							assertEquals(1, open, "the gather's index is open in the input's manager after the forward");
						}
						gc.backward(out.mul(out).sum());
					}
					grad[k] = x.getGradient().toFloatArray();
				}
		}
		assertArrayEquals(grad[1], grad[0], 1e-5f);
	}
}
