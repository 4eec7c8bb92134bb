package org.osteocast.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

class ShowForecastCommandTest {

	@TempDir
	Path tmp;

	private static Hyperstack stack(final int frames, final float value) {
		final Hyperstack h = new Hyperstack(16, 16, 5, frames, new double[] { 30, 30, 40 }, "m1");
		for (int t = 0; t < frames; t++)
			for (int z = 0; z < 5; z++)
				java.util.Arrays.fill(h.plane(z, t), value * (t + 1) / frames);
		return h;
	}

	private CommandModule run(final boolean all) throws Exception {
		stack(4, 0.8f).write(tmp.resolve("m1.tif"));
		final Path preds = java.nio.file.Files.createDirectories(tmp.resolve("pred"));
		stack(1, 0.5f).write(preds.resolve("m1_pred.tif"));
		stack(2, 0.9f).write(preds.resolve("m1_uncertainty.tif"));
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("data", tmp.resolve("m1.tif").toFile());
			in.put("predictions", preds.toFile());
			in.put("all_slices", all);
			in.put("zoom", 2);
			return context.service(CommandService.class).run(ShowForecastCommand.class, true, in).get();
		}
	}

	@Test
	void montageOfOneSliceHasEveryPanel() throws Exception {
		final CommandModule m = run(false);
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		final ImagePlus imp = (ImagePlus) m.getOutput("montage");
		assertEquals(1, imp.getStackSize());
		// 3 observed + forecast + truth + P(bone) + SD + change = 8 panels of 32 px
		assertTrue(imp.getWidth() > 8 * 32, "width " + imp.getWidth());
		assertTrue(imp.getTitle().contains("slice 3"), imp.getTitle());
	}

	@Test
	void stackOverAllSlices() throws Exception {
		final CommandModule m = run(true);
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		assertEquals(5, ((ImagePlus) m.getOutput("montage")).getStackSize());
	}

	@Test
	void missingForecastIsNamed() throws Exception {
		stack(4, 0.8f).write(tmp.resolve("m1.tif"));
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("data", tmp.resolve("m1.tif").toFile());
			in.put("predictions", tmp.toFile());
			final CommandModule m = context.service(CommandService.class).run(ShowForecastCommand.class, true, in).get();
			assertTrue(m.isCanceled());
			assertTrue(m.getCancelReason().contains("m1_pred.tif"), m.getCancelReason());
		}
	}
}
