package org.osteocast.nn.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/** The step-wise {@link LstmCell} gives DJL's own whole-sequence LSTM's numbers on the same weights. */
class LstmCellTest {

	@Test
	void stepwiseCellMatchesDjlLstm() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(7);
		final int in = 5, hid = 6, b = 3, t = 4;
		try (NDManager m = NDManager.newBaseManager()) {
			final LSTM ref = LSTM.builder().setStateSize(hid).setNumLayers(1).optBatchFirst(true).build();
			ref.initialize(m, DataType.FLOAT32, new Shape(b, t, in));
			final Map<String, NDArray> p = new HashMap<>();
			for (final var e : ref.getParameters())
				p.put(e.getKey(), e.getValue().getArray());
			final LstmCell cell = new LstmCell(in, hid);
			cell.initialize(m, DataType.FLOAT32, new Shape(b, in), new Shape(b, hid), new Shape(b, hid));
			// gate order i, f, g, o in both; one weight [W_ih | W_hh], one bias b_ih + b_hh
			final Parameter w = cell.gates().getParameters().get("weight"), bias = cell.gates().getParameters().get(
				"bias");
			w.getArray().set(p.get("l_0_i2h_WEIGHT").concat(p.get("l_0_h2h_WEIGHT"), 1).toFloatArray());
			bias.getArray().set(p.get("l_0_i2h_BIAS").add(p.get("l_0_h2h_BIAS")).toFloatArray());

			final NDArray x = m.randomNormal(new Shape(b, t, in));
			final ParameterStore ps = new ParameterStore(m, false);
			// Reference in grad mode: on this machine's libtorch 2.7.1 CPU build (AVX-512), the no-grad (oneDNN
			// inference) path of torch::lstm ignores some input features (one-hot inputs at feature 1..3 give exactly
			// zero output); the autograd path is correct and is the one training uses.
			final NDArray expected;
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				expected = ref.forward(ps, new NDList(x), true).head(); // (b, t, hid)
			}
			NDArray h = m.zeros(new Shape(b, hid)), c = m.zeros(new Shape(b, hid));
			for (int s = 0; s < t; s++) {
				final NDList hc = cell.forward(ps, new NDList(x.get(":, {}", s), h, c), false);
				h = hc.get(0);
				c = hc.get(1);
				assertArrayEquals(expected.get(":, {}", s).toFloatArray(), h.toFloatArray(), 1e-5f, "step " + s);
			}
			assertEquals(new Shape(b, hid), c.getShape());
		}
	}
}
