package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.formats.VolumeIO;

/**
 * Scans streamed to disk plane by plane hold the values of scans written from
 * whole arrays: one cohort generated both ways (each in its own process, the
 * streamed one forced by {@link StreamedScans#PROPERTY}).
 */
class PhantomStreamingTest {

	@TempDir
	Path tmp;

	private Path generate(final String name, final boolean stream) throws Exception {
		final Path out = tmp.resolve(name);
		final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xmx512m"));
		if (stream) cmd.add("-D" + StreamedScans.PROPERTY + "=always");
		cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.osteocast.cli.Main", "phantom", "--out", out
			.toString(), "--mice", "2", "--weeks", "3", "--voxel-um", "60", "--rings", "--noise", "1500", "--seed", "7"));
		final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		final String log = new String(p.getInputStream().readAllBytes());
		assertTrue(p.waitFor(3, TimeUnit.MINUTES));
		assertEquals(0, p.exitValue(), log);
		return out;
	}

	@Test
	void streamedScansEqualHeldScans() throws Exception {
		final Path held = generate("held", false), streamed = generate("streamed", true);
		final Map<String, String> a = PhantomTestSupport.hashes(held), b = PhantomTestSupport.hashes(streamed);
		assertEquals(a.keySet(), b.keySet());
		int tiffs = 0;
		for (final String f : a.keySet()) {
			if (f.endsWith(".tif")) {
				// the pixels, not the header (ImageJ records a display range that a streamed stack does not know)
				final float[] x = PhantomTestSupport.values(VolumeIO.read(held.resolve(f)));
				final float[] y = PhantomTestSupport.values(LazyVolume.open(streamed.resolve(f), Double.NaN));
				assertArrayEquals(x, y, 0, f);
				tiffs++;
			}
			else if (!f.endsWith(".png") && !f.equals("phantom.json")) assertEquals(a.get(f), b.get(f), f);
		}
		assertTrue(tiffs >= 2 * 3 * 3 - 1, "scans, ideal images and lesion masks compared: " + tiffs);
		assertTrue(Files.readString(held.resolve("truth").resolve("summary.csv")).contains("M002"));
	}
}
