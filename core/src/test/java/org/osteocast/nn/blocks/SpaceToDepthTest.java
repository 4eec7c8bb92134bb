package org.osteocast.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/** Space-to-depth puts each pixel where PyTorch's pixel_unshuffle does, and depth-to-space undoes it. */
class SpaceToDepthTest {

	@Test
	void placesPixelsAndRoundTrips() {
		EngineSetup.engine();
		final int n = 2, c = 2, p = 4, hh = 8, ww = 12;
		final float[] v = new float[n * c * hh * ww];
		for (int i = 0; i < v.length; i++)
			v[i] = i;
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray x = m.create(v, new Shape(n, c, hh, ww));
			final NDArray d = SpaceToDepth.spaceToDepth(x, p);
			assertEquals(new Shape(n, c * p * p, hh / p, ww / p), d.getShape());
			final float[] dv = d.toFloatArray();
			final int h = hh / p, w = ww / p;
			for (int b = 0; b < n; b++)
				for (int ch = 0; ch < c; ch++)
					for (int y = 0; y < hh; y++)
						for (int xx = 0; xx < ww; xx++) {
							final int oc = ch * p * p + (y % p) * p + xx % p;
							final int at = ((b * c * p * p + oc) * h + y / p) * w + xx / p;
							assertEquals(v[((b * c + ch) * hh + y) * ww + xx], dv[at], "pixel (" + ch + ", " + y + ", " + xx +
								")");
						}
			assertArrayEquals(v, SpaceToDepth.depthToSpace(d, p).toFloatArray());
			assertEquals(x.getShape(), SpaceToDepth.depthToSpace(d, p).getShape());
			// p = 2 agrees with the decoder's depth-to-space
			final NDArray d2 = SpaceToDepth.spaceToDepth(x, 2);
			assertArrayEquals(v, PixelShuffle.depthToSpace(d2).toFloatArray());
			assertThrows(IllegalArgumentException.class, () -> SpaceToDepth.spaceToDepth(x, 5));
			assertThrows(IllegalArgumentException.class, () -> SpaceToDepth.depthToSpace(d, 3));
		}
	}
}
