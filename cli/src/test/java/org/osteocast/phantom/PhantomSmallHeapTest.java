package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

/**
 * {@code osteocast phantom} in a heap smaller than its canonical fields (own
 * process): the anatomy is rendered plane by plane and the scans streamed to
 * disk; where even the plane window does not fit, one line names the scan
 * size and the heap to set.
 */
class PhantomSmallHeapTest {

	@TempDir
	Path tmp;

	private static String[] run(final long heapMb, final String... args) throws Exception {
		final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
			"org.osteocast.cli.Main", "phantom"));
		cmd.addAll(List.of(args));
		final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		final String log = new String(p.getInputStream().readAllBytes());
		assertTrue(p.waitFor(3, TimeUnit.MINUTES));
		return new String[] { Integer.toString(p.exitValue()), log };
	}

	@Test
	void scansWhoseAnatomyExceedsTheHeapAreRenderedPlaneByPlane() throws Exception {
		final long heapMb = 48;
		final Path out = tmp.resolve("cohort");
		final String[] r = run(heapMb, "--out", out.toString(), "--mice", "1", "--weeks", "2", "--voxel-um", "16",
			"--seed", "5");
		assertEquals("0", r[0], r[1]);
		// the first scan the cohort lists (a week may be missed on purpose)
		final String first = Files.readAllLines(out.resolve("cohort.csv")).get(1);
		final Path scan = out.resolve(first.split(",")[2]);
		final long[] d = VolumeIO.readHeader(scan).dimensions();
		final long voxels = d[0] * d[1] * d[2];
		// held, the canonical fields alone take 20 bytes per voxel of a grid at least as large as a scan
		assertTrue(20 * voxels > heapMb << 20, "the anatomy must not fit the heap: " + voxels + " voxels");
		final Volume<?> v = LazyVolume.open(scan, Double.NaN);
		final float[] values = PhantomTestSupport.values(v);
		float max = 0;
		for (final float x : values)
			max = Math.max(max, x);
		assertTrue(max > 10000, "bone in the scan: max " + max);
		assertTrue(Files.readString(out.resolve("truth").resolve("summary.csv")).contains("M001"));
	}

	@Test
	void aScanWhosePlaneWindowDoesNotFitIsRefusedWithTheHeapToSet() throws Exception {
		final Path out = tmp.resolve("big");
		final String[] r = run(64, "--out", out.toString(), "--mice", "2", "--weeks", "2", "--voxel-um", "4");
		assertEquals("2", r[0], r[1]);
		assertTrue(r[1].contains("600 x 600 x 800 voxels") && r[1].contains("OSTEOCAST_XMX="), r[1]);
		assertFalse(r[1].contains("OutOfMemoryError"), r[1]);
		assertFalse(Files.exists(out), "nothing left behind");
	}
}
