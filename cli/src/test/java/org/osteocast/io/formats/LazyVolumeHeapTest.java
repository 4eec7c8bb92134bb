package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;

/** A scan whose plane windows do not fit the heap: one line naming its size and the heap to set, no stack trace. */
class LazyVolumeHeapTest {

	@TempDir
	Path tmp;

	@Test
	void aScanWhosePlanesDoNotFitTheHeapIsRefusedWithTheHeapToSet() throws Exception {
		final Img<UnsignedShortType> img = PlanarImgs.unsignedShorts(1024, 1024, 4);
		final SplittableRandom r = new SplittableRandom(7);
		final Cursor<UnsignedShortType> c = img.cursor();
		while (c.hasNext())
			c.next().set(r.nextInt(1000));
		final Path f = tmp.resolve("wide.tif");
		VolumeIO.write(Volume.of(img, 7, "wide"), f);
		final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-Xmx32m", "-cp", System.getProperty("java.class.path"), "org.osteocast.cli.Main", "info", f.toString())
				.redirectErrorStream(true).start();
		final String out = new String(p.getInputStream().readAllBytes());
		assertTrue(p.waitFor(2, TimeUnit.MINUTES));
		assertEquals(2, p.exitValue(), out);
		assertTrue(out.contains(VolumeIO.TOO_BIG) && out.contains("1024 x 1024 x 4 voxels") && out.contains(
			"OSTEOCAST_XMX="), out);
		assertFalse(out.contains("OutOfMemoryError"), out);
	}
}
