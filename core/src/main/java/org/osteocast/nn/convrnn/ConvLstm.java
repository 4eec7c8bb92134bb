package org.osteocast.nn.convrnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;

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

	public ConvLstm(final ConvRnnConfig cfg) {
		super(cfg, 0, ConvLstmCell::new);
	}

	/** From {@code model.json}'s hyper-parameters (missing keys: defaults). */
	public static ConvLstm fromJson(final JsonObject h) {
		return new ConvLstm(ConvRnnConfig.fromJson(ARCHITECTURE, DEFAULT_LAYERS, h));
	}

	/** Layer {@code l}'s cell (for tests). */
	@Override
	protected ConvLstmCell cell(final int l) {
		return (ConvLstmCell) super.cell(l);
	}

	/** Each layer's {@code (h, c)} from its input and state; the input of layer {@code l+1} is {@code h_l}. */
	@Override
	protected NDList step(final ParameterStore ps, final NDArray x, final NDList state, final boolean training) {
		final NDList next = new NDList();
		NDArray in = x;
		for (int l = 0; l < cfg.layers; l++) {
			final NDList hc = cell(l).forward(ps, new NDList(in, state.get(2 * l), state.get(2 * l + 1)), training);
			next.addAll(hc);
			in = hc.get(0);
		}
		return next;
	}
}
