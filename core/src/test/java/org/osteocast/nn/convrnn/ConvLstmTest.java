package org.osteocast.nn.convrnn;

/** The shared recurrent-baseline checks ({@link ConvRnnModelChecks}) on {@link ConvLstm}. */
class ConvLstmTest extends ConvRnnModelChecks {

	@Override
	String architecture() {
		return ConvLstm.ARCHITECTURE;
	}

	@Override
	int defaultLayers() {
		return ConvLstm.DEFAULT_LAYERS;
	}
}
