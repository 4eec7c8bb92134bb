package org.osteocast.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;

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

	private final List<StLstmCell> cells = new ArrayList<>();

	public PredRnn(final ConvRnnConfig cfg) {
		super(cfg);
		for (int l = 0; l < cfg.layers; l++)
			cells.add(addChildBlock("layer" + l, new StLstmCell(l == 0 ? cfg.frameChannels() : cfg.hidden, cfg.hidden,
				cfg.kernel)));
	}

	/** From {@code model.json}'s hyper-parameters (missing keys: defaults). */
	public static PredRnn fromJson(final JsonObject h) {
		return new PredRnn(ConvRnnConfig.fromJson(ARCHITECTURE, DEFAULT_LAYERS, h));
	}

	/** Layer {@code l}'s cell (for tests). */
	StLstmCell cell(final int l) {
		return cells.get(l);
	}

	/** State {@code [h_0, c_0, …, h_{L-1}, c_{L-1}, M]}. */
	@Override
	protected NDList zeroState(final NDManager manager, final long batch) {
		final NDList s = new NDList();
		for (int l = 0; l < cfg.layers; l++) {
			s.add(zeros(manager, batch));
			s.add(zeros(manager, batch));
		}
		s.add(zeros(manager, batch));
		return s;
	}

	@Override
	protected NDList step(final ParameterStore ps, final NDArray x, final NDList state, final boolean training) {
		final NDList next = new NDList();
		NDArray in = x, m = state.get(2 * cfg.layers);
		for (int l = 0; l < cfg.layers; l++) {
			final NDList hcm = cells.get(l).forward(ps, new NDList(in, state.get(2 * l), state.get(2 * l + 1), m),
				training);
			next.add(hcm.get(0));
			next.add(hcm.get(1));
			in = hcm.get(0);
			m = hcm.get(2);
		}
		next.add(m);
		return next;
	}

	@Override
	protected NDArray top(final NDList state) {
		return state.get(2 * (cfg.layers - 1));
	}

	@Override
	protected void initializeCells(final NDManager manager, final DataType dataType, final Shape cell) {
		Shape x = cell;
		for (final StLstmCell c : cells) {
			final Shape h = new Shape(x.get(0), cfg.hidden, x.get(2), x.get(3));
			c.initialize(manager, dataType, x, h, h, h);
			x = h;
		}
	}
}
