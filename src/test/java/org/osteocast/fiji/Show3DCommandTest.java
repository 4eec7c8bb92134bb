package org.osteocast.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Hyperstack;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** Without Fiji's 3D Viewer (as here) the command falls back to ImageJ's 3-D projection, headless. */
class Show3DCommandTest {

	@TempDir
	Path tmp;

	@Test
	void fallsBackToProjectionWithTheLesionInRed() throws Exception {
		final int n = 24, s = 8;
		final Hyperstack data = new Hyperstack(n, n, s, 3, new double[] { 20, 20, 20 }, "m");
		final Hyperstack pred = new Hyperstack(n, n, s, 1, new double[] { 20, 20, 20 }, "m_pred");
		for (int z = 0; z < s; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final boolean bone = Math.hypot(x - 11.5, y - 11.5) < 8;
					for (int t = 0; t < 3; t++)
						data.plane(z, t)[y * n + x] = bone ? 0.9f : 0.1f;
					pred.plane(z, 0)[y * n + x] = bone && x < 14 ? 0.9f : 0.1f; // a lesion on one side
				}
		data.write(tmp.resolve("m.tif"));
		pred.write(tmp.resolve("m_pred.tif"));
		assertFalse(Show3DCommand.viewerAvailable());
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("data", tmp.resolve("m.tif").toFile());
			in.put("forecast", tmp.resolve("m_pred.tif").toFile());
			final CommandModule m = context.service(CommandService.class).run(Show3DCommand.class, true, in).get();
			assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
			assertEquals(Show3DCommand.PROJECTION, m.getOutput("used"));
			final ImagePlus r = (ImagePlus) m.getOutput("rendering");
			assertNotNull(r);
			assertEquals(24, r.getStackSize(), "360 degrees in 15-degree steps");
			boolean red = false;
			final int[] px = (int[]) r.getStack().getPixels(1);
			for (final int p : px)
				red |= (p >> 16 & 255) > 200 && (p >> 8 & 255) < 80;
			assertTrue(red, "the predicted lesion is drawn in red");
		}
	}
}
