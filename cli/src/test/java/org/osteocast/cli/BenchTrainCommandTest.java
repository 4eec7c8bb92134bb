package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The bench command reads the peer script's best line (the figure both ratios
 * are computed from); {@code bench train} and {@code bench predict} are wired
 * for both precisions, with OsteoCast timed in fresh JVMs (the default) or in
 * the command's own (a tiny smoke run: no timing is asserted).
 */
class BenchTrainCommandTest {

	/** Exit code and standard output of one command line (the bench commands print to System.out). */
	private static String[] run(final String... args) {
		final PrintStream before = System.out;
		final ByteArrayOutputStream buf = new ByteArrayOutputStream();
		final int code;
		try (PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
			System.setOut(p);
			code = Main.commandLine().execute(args);
		}
		finally {
			System.setOut(before);
		}
		return new String[] { Integer.toString(code), buf.toString(StandardCharsets.UTF_8) };
	}

	@Test
	void benchTrainAndPredictRunBothPrecisions() {
		final String[] t = run("bench", "train", "--nf", "16", "--size", "16", "--batch", "2", "--steps", "1", "--repeats",
			"1", "--threads", "1", "--precision", "fp32,bf16", "--python", "none");
		assertEquals("0", t[0], t[1]);
		assertTrue(t[1].contains("bf16 matmul through DJL"), t[1]);
		assertTrue(t[1].contains("DJL nf 16 subpixel fp32:") && t[1].contains("DJL nf 16 subpixel bf16:"), t[1]);
		assertTrue(t[1].contains("OsteoCast nf 16 subpixel: bf16 "), t[1]);
		assertTrue(t[1].contains("OsteoCast timed in a fresh JVM per configuration"), t[1]);
		final String[] shared = run("bench", "train", "--nf", "16", "--size", "16", "--batch", "2", "--steps", "1",
			"--repeats", "1", "--threads", "1", "--precision", "bf16", "--python", "none", "--process", "shared");
		assertEquals("0", shared[0], shared[1]);
		assertTrue(shared[1].contains("in this JVM, one configuration after another") && shared[1].contains(
			"DJL nf 16 subpixel bf16:"), shared[1]);
		assertEquals("2", run("bench", "train", "--process", "forked", "--python", "none")[0]);
		final String[] p = run("bench", "predict", "--nf", "16", "--size", "16", "--slices", "2", "--samples", "2",
			"--repeats", "1", "--threads", "1");
		assertEquals("0", p[0], p[1]);
		assertTrue(p[1].contains("predict fp32: ") && p[1].contains("predict bf16: "), p[1]);
	}

	@Test
	void thePeerRunsAtOsteoCastsThreadsWhenTheyArePinned() {
		assertEquals(java.util.List.of("1"), BenchTrainCommand.peerThreads(1, 1, 8));
		assertEquals(java.util.List.of("2"), BenchTrainCommand.peerThreads(2, 2, 8));
		// not pinned: the peer's best of 1 to all cores
		assertEquals(java.util.List.of("1", "2", "3", "4"), BenchTrainCommand.peerThreads(null, 2, 4));
	}

	@Test
	void readsTheLastTimingAChildPrinted() {
		assertEquals(812.5, BenchTrainCommand.childMs(java.util.List.of("device cpu()", BenchTrainCommand.CHILD_LINE + "900",
			BenchTrainCommand.CHILD_LINE + "812.5")), 1e-9);
		assertTrue(Double.isNaN(BenchTrainCommand.childMs(java.util.List.of("osteocast: out of memory"))));
	}

	@Test
	void readsMsPerStepOfThePeersBestLine() {
		assertEquals(933.25, BenchTrainCommand.peerMs(
			"{\"best\": {\"nf\": 32, \"upsample\": \"subpixel\", \"batch\": 48, \"threads\": 1, \"ms_per_step\": 933.25, \"sequences_per_s\": 51.4}}"),
			1e-9);
		assertEquals(1.5e3, BenchTrainCommand.peerMs("{\"ms_per_step\": 1.5e3}"), 1e-9);
		assertTrue(Double.isNaN(BenchTrainCommand.peerMs("ModuleNotFoundError: No module named 'torch'")));
	}
}
