package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bench command reads the peer script's best line (the figure both ratios are computed from). */
class BenchTrainCommandTest {

	@Test
	void readsMsPerStepOfThePeersBestLine() {
		assertEquals(933.25, BenchTrainCommand.peerMs(
			"{\"best\": {\"nf\": 32, \"upsample\": \"subpixel\", \"batch\": 48, \"threads\": 1, \"ms_per_step\": 933.25, \"sequences_per_s\": 51.4}}"),
			1e-9);
		assertEquals(1.5e3, BenchTrainCommand.peerMs("{\"ms_per_step\": 1.5e3}"), 1e-9);
		assertTrue(Double.isNaN(BenchTrainCommand.peerMs("ModuleNotFoundError: No module named 'torch'")));
	}
}
