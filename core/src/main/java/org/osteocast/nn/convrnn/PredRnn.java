package org.osteocast.nn.convrnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;

/**
 * The PredRNN baseline (Wang et al., NeurIPS 2017): a stack of
 * {@link StLstmCell}s on patched frames. Each layer keeps its own hidden state
 * {@code h} and temporal memory {@code c}; the one spatio-temporal memory
 * {@code M} zigzags: within a step it goes up from layer 1 to the top layer,
 * and the top layer's {@code M} at step {@code t-1} is the bottom layer's
 * input at step {@code t} (as {@code thuml/predrnn-pytorch}'s
 * {@code predrnn.py}). The top hidden state is decoded to the next week
 * ({@link ConvRnnForecast}). No scheduled sampling: the observed weeks are
 * always the true ones, and the forecast horizon feeds predictions back.
 * <p>
 * Architecture and preset {@value #ARCHITECTURE}; defaults 4 layers of 64
 * channels, 5 × 5 kernels, patch 4 (the reference's settings).
 */
public final class PredRnn extends ConvRnnForecast {

	public static final String ARCHITECTURE = "predrnn";
	public static final int DEFAULT_LAYERS = 4;

	public PredRnn(final ConvRnnConfig cfg) {
		super(cfg, 1, StLstmCell::new);
	}

	/** From {@code model.json}'s hyper-parameters (missing keys: defaults). */
	public static PredRnn fromJson(final JsonObject h) {
		return new PredRnn(ConvRnnConfig.fromJson(ARCHITECTURE, DEFAULT_LAYERS, h));
	}

	/** Layer {@code l}'s cell (for tests). */
	@Override
	protected StLstmCell cell(final int l) {
		return (StLstmCell) super.cell(l);
	}

	/** State {@code [h_0, c_0, …, h_{L-1}, c_{L-1}, M]}: {@code M} goes up through the layers. */
	@Override
	protected NDList step(final ParameterStore ps, final NDArray x, final NDList state, final boolean training) {
		final NDList next = new NDList();
		NDArray in = x, m = state.get(2 * cfg.layers);
		for (int l = 0; l < cfg.layers; l++) {
			final NDList hcm = cell(l).forward(ps, new NDList(in, state.get(2 * l), state.get(2 * l + 1), m),
				training);
			next.add(hcm.get(0));
			next.add(hcm.get(1));
			in = hcm.get(0);
			m = hcm.get(2);
		}
		next.add(m);
		return next;
	}
}
