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
import org.osteocast.io.contracts.Hyperstack;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Without Fiji's 3D Viewer (as here) the command falls back to a rotating
 * brightest-point projection, headless: its frames show the forecast's bone in
 * grey and the predicted lesion (bone of week 1 that the forecast lost) in red,
 * where the lesion is, and no red at all when nothing is lost.
 */
class Show3DCommandTest {

	@TempDir
	Path tmp;

	static final int N = 24, S = 8;
	static final int RED = 0xffff2020;

	/** Week-1 bone: a disc of radius 8 through every slice. */
	static boolean bone(final int x, final int y) {
		return Math.hypot(x - 11.5, y - 11.5) < 8;
	}

	private ImagePlus render(final boolean lesion) throws Exception {
		final Hyperstack data = new Hyperstack(N, N, S, 3, new double[] { 20, 20, 20 }, "m");
		final Hyperstack pred = new Hyperstack(N, N, S, 1, new double[] { 20, 20, 20 }, "m_pred");
		for (int z = 0; z < S; z++)
			for (int y = 0; y < N; y++)
				for (int x = 0; x < N; x++) {
					for (int t = 0; t < 3; t++)
						data.plane(z, t)[y * N + x] = bone(x, y) ? 0.9f : 0.1f;
					// the lesion: the forecast loses the bone at x >= 14
					pred.plane(z, 0)[y * N + x] = bone(x, y) && (!lesion || x < 14) ? 0.9f : 0.1f;
				}
		final String tag = lesion ? "l" : "c";
		data.write(tmp.resolve(tag + ".tif"));
		pred.write(tmp.resolve(tag + "_pred.tif"));
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("data", tmp.resolve(tag + ".tif").toFile());
			in.put("forecast", tmp.resolve(tag + "_pred.tif").toFile());
			final CommandModule m = context.service(CommandService.class).run(Show3DCommand.class, true, in).get();
			assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
			assertEquals(Show3DCommand.PROJECTION, m.getOutput("used"));
			final ImagePlus r = (ImagePlus) m.getOutput("rendering");
			assertNotNull(r);
			assertEquals(24, r.getStackSize(), "360 degrees in 15-degree steps");
			assertEquals(N, r.getHeight(), "rotation about the y axis keeps the rows");
			return r;
		}
	}

	private static int count(final int[] px, final int colour) {
		int n = 0;
		for (final int p : px)
			if (p == colour) n++;
		return n;
	}

	@Test
	void fallbackDrawsTheLesionInRedWhereItIs() throws Exception {
		assertFalse(Show3DCommand.viewerAvailable());
		final ImagePlus r = render(true);
		final int w = r.getWidth();
		int lesionColumns = 0;
		for (int y = 0; y < N; y++)
			for (int x = 14; x < N; x++)
				if (bone(x, y)) lesionColumns++;
		// seen along the slices (0 deg), each lesion column (x, y) is one red pixel; bone kept is grey
		final int[] front = (int[]) r.getStack().getPixels(1);
		assertEquals(lesionColumns, count(front, RED), "red pixels at 0 deg");
		assertTrue(count(front, 0xffe5e5e5) > 50, "the forecast's bone in grey (0.9 of the range)");
		// the lesion is on the +x side: right of the centre at 0 deg, left of it at 180 deg (the view turned round)
		final int[] back = (int[]) r.getStack().getPixels(13);
		assertEquals(lesionColumns, count(back, RED), "red pixels at 180 deg");
		for (int i = 0; i < front.length; i++) {
			if (front[i] == RED) assertTrue(i % w > w / 2, "0 deg: red at column " + i % w + " of " + w);
			if (back[i] == RED) assertTrue(i % w < w / 2, "180 deg: red at column " + i % w + " of " + w);
		}
	}

	@Test
	void fallbackDrawsNoRedWhenNothingIsLost() throws Exception {
		final ImagePlus r = render(false);
		for (int v = 1; v <= r.getStackSize(); v++) {
			final int[] px = (int[]) r.getStack().getPixels(v);
			assertEquals(0, count(px, RED), "view " + v);
			assertTrue(count(px, 0xffe5e5e5) > 50, "view " + v + " shows the bone");
		}
	}
}
