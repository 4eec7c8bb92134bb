package org.osteocast.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osteocast.nn.blocks.ConvRnnReference.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * {@link ConvRnnConv} gives a plain-Java convolution's outputs and input
 * gradients, including the channel counts the CPU engine's own convolution
 * gets wrong (inputs 17–47 not a multiple of 16, 8 outputs).
 */
class ConvRnnConvTest {

	@Test
	void forwardAndInputGradientMatchPlainJava() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(2);
		assertEquals(16, ConvRnnConv.safeInputs(16));
		assertEquals(3, ConvRnnConv.safeInputs(3));
		assertEquals(32, ConvRnnConv.safeInputs(24));
		assertEquals(80, ConvRnnConv.safeInputs(80));
		assertEquals(16, ConvRnnConv.safeFilters(8));
		assertEquals(448, ConvRnnConv.safeFilters(448));
		final int[][] cases = { { 3, 24, 8, 3 }, { 5, 40, 56, 2 }, { 3, 3, 8, 2 }, { 1, 16, 16, 3 }, { 5, 16, 24, 2 } };
		final Random r = new Random(5);
		final int s = 6;
		try (NDManager m = NDManager.newBaseManager()) {
			for (final int[] c : cases) {
				final int k = c[0], cin = c[1], cout = c[2], b = c[3], px = s * s;
				final String what = "k " + k + ", " + cin + " -> " + cout + ", batch " + b;
				final ConvRnnConv conv = new ConvRnnConv(cin, cout, k, true);
				conv.initialize(m, DataType.FLOAT32, new Shape(b, cin, s, s));
				final Known known = setRandom(conv, r, 0.3);
				final float[] xv = random(r, b * cin * px, 1), rv = random(r, b * cout * px, 1);
				final NDArray x = m.create(xv, new Shape(b, cin, s, s));
				x.setRequiresGradient(true);
				final float[] y;
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					final NDArray out = conv.forward(new ParameterStore(m, false), new NDList(x), true).head();
					assertEquals(new Shape(b, cout, s, s), out.getShape(), what);
					y = out.toFloatArray();
					gc.backward(out.mul(m.create(rv, out.getShape())).sum());
				}
				final float[] gx = x.getGradient().toFloatArray();
				final int r0 = k / 2;
				for (int n = 0; n < b; n++) {
					assertClose(known.apply(unflatten(xv, n * cin * px, cin, s, s), cout), y, n * cout * px, 1e-4, what +
						": output of sequence " + n);
					// d/dx of sum(r ⊙ conv(x)) = Σ_o Σ_(a,c) r[o, y-a+r0, x-c+r0] · w[o, i, a, c]
					final double[][][] g = new double[cin][s][s];
					for (int o = 0; o < cout; o++)
						for (int i = 0; i < cin; i++)
							for (int yy = 0; yy < s; yy++)
								for (int xx = 0; xx < s; xx++)
									for (int a = 0; a < k; a++)
										for (int cc = 0; cc < k; cc++) {
											final int oy = yy - a + r0, ox = xx - cc + r0;
											if (oy < 0 || oy >= s || ox < 0 || ox >= s) continue;
											g[i][yy][xx] += rv[((n * cout + o) * s + oy) * s + ox] * known.w[((o * known.in + i) * k + a) * k +
												cc];
										}
					assertClose(g, gx, n * cin * px, 1e-4, what + ": input gradient of sequence " + n);
				}
				// the padding weights are inert: no gradient reaches them
				final float[] gw = conv.inner().getParameters().get("weight").getArray().getGradient().toFloatArray();
				for (int o = 0; o < known.out; o++)
					for (int i = 0; i < known.in; i++)
						if (o >= cout || i >= cin) for (int j = 0; j < k * k; j++)
							assertEquals(0f, gw[(o * known.in + i) * k * k + j], what + ": padding weight gradient");
				assertTrue(known.in >= cin && known.out >= cout);
			}
		}
	}
}
