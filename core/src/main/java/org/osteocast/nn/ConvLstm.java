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
 * The ConvLSTM baseline (Shi et al. 2015): a stack of {@link ConvLstmCell}s
 * (standard, peephole-free form) on patched frames, layer {@code l}'s hidden
 * state being layer {@code l+1}'s input, the top hidden state decoded to the
 * next week ({@link ConvRnnForecast}). Shi et al. predict from all layers'
 * states; reading the top layer only keeps the head the same as PredRNN's, so
 * the two baselines differ in their cells alone.
 * <p>
 * Architecture and preset {@value #ARCHITECTURE}; defaults 2 layers of 64
 * channels, 5 × 5 kernels, patch 4.
 */
public final class ConvLstm extends ConvRnnForecast {

	public static final String ARCHITECTURE = "convlstm";
	public static final int DEFAULT_LAYERS = 2;

	private final List<ConvLstmCell> cells = new ArrayList<>();

	public ConvLstm(final ConvRnnConfig cfg) {
		super(cfg);
		for (int l = 0; l < cfg.layers; l++)
			cells.add(addChildBlock("layer" + l, new ConvLstmCell(l == 0 ? cfg.frameChannels() : cfg.hidden, cfg.hidden,
				cfg.kernel)));
	}

	/** From {@code model.json}'s hyper-parameters (missing keys: defaults). */
	public static ConvLstm fromJson(final JsonObject h) {
		return new ConvLstm(ConvRnnConfig.fromJson(ARCHITECTURE, DEFAULT_LAYERS, h));
	}

	/** Layer {@code l}'s cell (for tests). */
	ConvLstmCell cell(final int l) {
		return cells.get(l);
	}

	/** State {@code [h_0, c_0, h_1, c_1, …]}. */
	@Override
	protected NDList zeroState(final NDManager manager, final long batch) {
		final NDList s = new NDList();
		for (int l = 0; l < cfg.layers; l++) {
			s.add(zeros(manager, batch));
			s.add(zeros(manager, batch));
		}
		return s;
	}

	@Override
	protected NDList step(final ParameterStore ps, final NDArray x, final NDList state, final boolean training) {
		final NDList next = new NDList();
		NDArray in = x;
		for (int l = 0; l < cfg.layers; l++) {
			final NDList hc = cells.get(l).forward(ps, new NDList(in, state.get(2 * l), state.get(2 * l + 1)), training);
			next.addAll(hc);
			in = hc.get(0);
		}
		return next;
	}

	@Override
	protected NDArray top(final NDList state) {
		return state.get(2 * (cfg.layers - 1));
	}

	@Override
	protected void initializeCells(final NDManager manager, final DataType dataType, final Shape cell) {
		Shape x = cell;
		for (final ConvLstmCell c : cells) {
			final Shape h = new Shape(x.get(0), cfg.hidden, x.get(2), x.get(3));
			c.initialize(manager, dataType, x, h, h);
			x = h;
		}
	}
}
