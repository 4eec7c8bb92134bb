package org.osteocast.nn.convrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.osteocast.nn.blocks.ConvRnnReference.*;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/** {@link ConvLstmCell} against the gate equations evaluated in plain Java on known weights. */
class ConvLstmCellTest {

	@Test
	void gatesMatchHandComputation() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(3);
		final int b = 2, in = 1, hid = 2, s = 3, k = 3;
		final Random r = new Random(11);
		try (NDManager m = NDManager.newBaseManager()) {
			final ConvLstmCell cell = new ConvLstmCell(in, hid, k);
			final Shape xs = new Shape(b, in, s, s), hs = new Shape(b, hid, s, s);
			cell.initialize(m, DataType.FLOAT32, xs, hs, hs);
			final Known gates = setRandom(cell.gates(), r, 0.5);
			final float[] x = random(r, b * in * s * s, 1), h = random(r, b * hid * s * s, 1), c = random(r, b * hid * s *
				s, 1);
			final NDList out = cell.forward(new ParameterStore(m, false), new NDList(m.create(x, xs), m.create(h, hs), m
				.create(c, hs)), false);
			assertEquals(hs, out.get(0).getShape());
			final float[] hOut = out.get(0).toFloatArray(), cOut = out.get(1).toFloatArray();
			for (int n = 0; n < b; n++) {
				final double[][][] xn = unflatten(x, n * in * s * s, in, s, s);
				final double[][][] hn = unflatten(h, n * hid * s * s, hid, s, s);
				final double[][][] cn = unflatten(c, n * hid * s * s, hid, s, s);
				final double[][][] g = gates.apply(concat(xn, hn), 4 * hid);
				final double[][][] cExp = new double[hid][s][s], hExp = new double[hid][s][s];
				for (int j = 0; j < hid; j++)
					for (int yy = 0; yy < s; yy++)
						for (int xx = 0; xx < s; xx++) {
							final double i = sigmoid(g[j][yy][xx]);
							final double f = sigmoid(g[hid + j][yy][xx] + 1);
							final double gg = Math.tanh(g[2 * hid + j][yy][xx]);
							final double o = sigmoid(g[3 * hid + j][yy][xx]);
							cExp[j][yy][xx] = f * cn[j][yy][xx] + i * gg;
							hExp[j][yy][xx] = o * Math.tanh(cExp[j][yy][xx]);
						}
				assertClose(cExp, cOut, n * hid * s * s, 1e-5, "c of sequence " + n);
				assertClose(hExp, hOut, n * hid * s * s, 1e-5, "h of sequence " + n);
			}
		}
	}
}
