package org.osteocast.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * The 3-D up-sampling: depth-to-space order, nearest ×2, and that a 2×2×2
 * convolution on the padded input assembled by {@link VolumePixelShuffle#subpixel}
 * equals a 4×4×4 stride-2 padding-1 transposed convolution computed by hand;
 * and the depth padding used by the 3-D models.
 */
class VolumePixelShuffleTest {

	@Test
	void depthToSpaceAndNearestOrder() {
		EngineSetup.engine();
		try (NDManager m = NDManager.newBaseManager()) {
			final int c = 2, d = 2, h = 3, w = 2;
			final NDArray x = m.arange(8f * c * d * h * w).reshape(1, 8 * c, d, h, w);
			final float[] xs = x.toFloatArray(), y = VolumePixelShuffle.depthToSpace(x).toFloatArray();
			for (int o = 0; o < c; o++)
				for (int k = 0; k < 2 * d; k++)
					for (int i = 0; i < 2 * h; i++)
						for (int j = 0; j < 2 * w; j++) {
							final int ch = o * 8 + (k % 2) * 4 + (i % 2) * 2 + j % 2;
							assertEquals(xs[((ch * d + k / 2) * h + i / 2) * w + j / 2], y[((o * 2 * d + k) * 2 * h + i) * 2 * w + j],
								0f);
						}
			final NDArray small = m.arange(8f).reshape(1, 1, 2, 2, 2);
			final float[] n = VolumePixelShuffle.nearest2x(small).toFloatArray();
			for (int k = 0; k < 4; k++)
				for (int i = 0; i < 4; i++)
					for (int j = 0; j < 4; j++)
						assertEquals((k / 2) * 4 + (i / 2) * 2 + j / 2, n[(k * 4 + i) * 4 + j], 0f);
			assertThrows(IllegalArgumentException.class, () -> VolumePixelShuffle.depthToSpace(m.zeros(new Shape(1, 4, 2, 2,
				2))));
		}
	}

	@Test
	void subpixelEqualsTransposedConvolution() {
		EngineSetup.engine();
		final int cin = 2, cout = 2, d = 3, h = 4, w = 2;
		final Random r = new Random(5);
		final float[] x = new float[cin * d * h * w], wt = new float[cin * cout * 64];
		for (int i = 0; i < x.length; i++)
			x[i] = (float) r.nextGaussian();
		for (int i = 0; i < wt.length; i++)
			wt[i] = (float) r.nextGaussian();
		// reference: out[2z-1+kz, 2y-1+ky, 2x-1+kx] += in[z, y, x] W[c, o, kz, ky, kx]
		final int od = 2 * d, oh = 2 * h, ow = 2 * w;
		final double[] ref = new double[cout * od * oh * ow];
		for (int c = 0; c < cin; c++)
			for (int o = 0; o < cout; o++)
				for (int z = 0; z < d; z++)
					for (int y = 0; y < h; y++)
						for (int xx = 0; xx < w; xx++)
							for (int kz = 0; kz < 4; kz++)
								for (int ky = 0; ky < 4; ky++)
									for (int kx = 0; kx < 4; kx++) {
										final int Z = 2 * z - 1 + kz, Y = 2 * y - 1 + ky, X = 2 * xx - 1 + kx;
										if (Z < 0 || Z >= od || Y < 0 || Y >= oh || X < 0 || X >= ow) continue;
										ref[((o * od + Z) * oh + Y) * ow + X] += x[((c * d + z) * h + y) * w + xx] * wt[(((c * cout + o) * 4 +
											kz) * 4 + ky) * 4 + kx];
									}
		// phase 0 takes kernel taps (3, 1) at offsets (0, 1) of the padded input, phase 1 taps (2, 0)
		final int[][] tap = { { 3, 1 }, { 2, 0 } };
		final float[] k = new float[8 * cout * cin * 8];
		for (int o = 0; o < cout; o++)
			for (int a = 0; a < 2; a++)
				for (int b = 0; b < 2; b++)
					for (int e = 0; e < 2; e++)
						for (int c = 0; c < cin; c++)
							for (int dz = 0; dz < 2; dz++)
								for (int dy = 0; dy < 2; dy++)
									for (int dx = 0; dx < 2; dx++)
										k[((((o * 8 + a * 4 + b * 2 + e) * cin + c) * 2 + dz) * 2 + dy) * 2 + dx] = wt[(((c * cout + o) * 4 +
											tap[a][dz]) * 4 + tap[b][dy]) * 4 + tap[e][dx]];
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray conv = Conv3d.conv3d(m.create(x, new Shape(1, cin, d, h, w)), m.create(k, new Shape(8 * cout, cin,
				2, 2, 2)), null, new Shape(1, 1, 1), new Shape(1, 1, 1)).head();
			final float[] expected = new float[ref.length];
			for (int i = 0; i < ref.length; i++)
				expected[i] = (float) ref[i];
			final NDArray got = VolumePixelShuffle.subpixel(conv);
			assertEquals(new Shape(1, cout, od, oh, ow), got.getShape());
			assertArrayEquals(expected, got.toFloatArray(), 1e-4f);
		}
	}

	@Test
	void depthPaddingReplicatesEdgesAndCropsBack() {
		EngineSetup.engine();
		assertEquals(48, Conv3dDepthPad.paddedDepth(48, 4));
		assertEquals(64, Conv3dDepthPad.paddedDepth(50, 4));
		assertEquals(16, Conv3dDepthPad.paddedDepth(1, 4));
		assertEquals(8, Conv3dDepthPad.paddedDepth(5, 2));
		assertThrows(IllegalArgumentException.class, () -> Conv3dDepthPad.paddedDepth(0, 2));
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray x = m.arange(2f * 5 * 3).reshape(2, 1, 5, 3); // depth axis 2
			final NDArray p = Conv3dDepthPad.pad(x, 2, 8); // 1 slice before, 2 after
			assertEquals(new Shape(2, 1, 8, 3), p.getShape());
			assertEquals(new Shape(2, 1, 5, 3), x.getShape());
			assertArrayEquals(x.get(":, :, 0").toFloatArray(), p.get(":, :, 0").toFloatArray(), 0f);
			assertArrayEquals(x.get(":, :, 4").toFloatArray(), p.get(":, :, 6").toFloatArray(), 0f);
			assertArrayEquals(x.get(":, :, 4").toFloatArray(), p.get(":, :, 7").toFloatArray(), 0f);
			assertArrayEquals(x.toFloatArray(), p.get(":, :, 1:6").toFloatArray(), 0f);
			assertArrayEquals(x.toFloatArray(), Conv3dDepthPad.crop(p, 2, 5).toFloatArray(), 0f);
			assertEquals(x, Conv3dDepthPad.pad(x, 2, 5));
		}
	}
}
