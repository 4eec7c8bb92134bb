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

/** {@link StLstmCell} against the ST-LSTM equations of PredRNN's reference cell, in plain Java on known weights. */
class StLstmCellTest {

	@Test
	void gatesMatchHandComputation() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(5);
		final int b = 2, in = 2, hid = 2, s = 3, k = 3;
		final Random r = new Random(17);
		try (NDManager m = NDManager.newBaseManager()) {
			final StLstmCell cell = new StLstmCell(in, hid, k);
			final Shape xs = new Shape(b, in, s, s), hs = new Shape(b, hid, s, s);
			cell.initialize(m, DataType.FLOAT32, xs, hs, hs, hs);
			final Known wx = setRandom(cell.conv("conv_x"), r, 0.5), wh = setRandom(cell.conv("conv_h"), r, 0.5);
			final Known wm = setRandom(cell.conv("conv_m"), r, 0.5), wo = setRandom(cell.conv("conv_o"), r, 0.5);
			final Known wl = setRandom(cell.conv("conv_last"), r, 0.5);
			assertEquals(3, wo.k);
			assertEquals(1, wl.k);
			final int px = s * s;
			final float[] x = random(r, b * in * px, 1), h = random(r, b * hid * px, 1);
			final float[] c = random(r, b * hid * px, 1), mm = random(r, b * hid * px, 1);
			final NDList out = cell.forward(new ParameterStore(m, false), new NDList(m.create(x, xs), m.create(h, hs), m
				.create(c, hs), m.create(mm, hs)), false);
			final float[] hOut = out.get(0).toFloatArray(), cOut = out.get(1).toFloatArray(), mOut = out.get(2)
				.toFloatArray();
			for (int n = 0; n < b; n++) {
				final double[][][] gx = wx.apply(unflatten(x, n * in * px, in, s, s), 7 * hid);
				final double[][][] gh = wh.apply(unflatten(h, n * hid * px, hid, s, s), 4 * hid);
				final double[][][] gm = wm.apply(unflatten(mm, n * hid * px, hid, s, s), 3 * hid);
				final double[][][] cn = unflatten(c, n * hid * px, hid, s, s), mn = unflatten(mm, n * hid * px, hid, s, s);
				final double[][][] cExp = new double[hid][s][s], mExp = new double[hid][s][s];
				for (int j = 0; j < hid; j++)
					for (int yy = 0; yy < s; yy++)
						for (int xx = 0; xx < s; xx++) {
							final double i = sigmoid(gx[j][yy][xx] + gh[j][yy][xx]);
							final double f = sigmoid(gx[hid + j][yy][xx] + gh[hid + j][yy][xx] + 1);
							final double g = Math.tanh(gx[2 * hid + j][yy][xx] + gh[2 * hid + j][yy][xx]);
							cExp[j][yy][xx] = f * cn[j][yy][xx] + i * g;
							final double i2 = sigmoid(gx[3 * hid + j][yy][xx] + gm[j][yy][xx]);
							final double f2 = sigmoid(gx[4 * hid + j][yy][xx] + gm[hid + j][yy][xx] + 1);
							final double g2 = Math.tanh(gx[5 * hid + j][yy][xx] + gm[2 * hid + j][yy][xx]);
							mExp[j][yy][xx] = f2 * mn[j][yy][xx] + i2 * g2;
						}
				final double[][][] mem = concat(cExp, mExp);
				final double[][][] co = wo.apply(mem, hid), cl = wl.apply(mem, hid);
				final double[][][] hExp = new double[hid][s][s];
				for (int j = 0; j < hid; j++)
					for (int yy = 0; yy < s; yy++)
						for (int xx = 0; xx < s; xx++) {
							final double o = sigmoid(gx[6 * hid + j][yy][xx] + gh[3 * hid + j][yy][xx] + co[j][yy][xx]);
							hExp[j][yy][xx] = o * Math.tanh(cl[j][yy][xx]);
						}
				assertClose(cExp, cOut, n * hid * px, 1e-5, "c of sequence " + n);
				assertClose(mExp, mOut, n * hid * px, 1e-5, "m of sequence " + n);
				assertClose(hExp, hOut, n * hid * px, 1e-5, "h of sequence " + n);
			}
		}
	}
}
