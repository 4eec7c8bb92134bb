package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

/** A cohort written as SkyScan NRecon folders reads back through the project's own reader. */
class SkyScanRoundTripTest {

	@TempDir
	Path tmp;

	@Test
	void nreconFoldersReadBackWithTheirVoxelSize() throws Exception {
		final Path sky = tmp.resolve("sky"), tif = tmp.resolve("tif");
		final PhantomParameters.Builder b = PhantomParameters.builder().mice(1).weeks(2).seed(4).voxelUm(60)
			.missingWeekProb(0);
		PhantomGenerator.generate(b.format(PhantomParameters.Format.SKYSCAN).build(), sky, Progress.NONE,
			Cancellation.NEVER);
		PhantomGenerator.generate(b.format(PhantomParameters.Format.TIFF).build(), tif, Progress.NONE,
			Cancellation.NEVER);
		final Cohort c = Cohort.read(sky);
		assertEquals(2, c.scans("M001").size());
		final Volume<?> fromSky = VolumeIO.read(c.scans("M001").get(0).image);
		final Volume<?> fromTif = VolumeIO.read(tif.resolve("M001/week1.tif"));
		assertArrayEquals(fromTif.dimensions(), fromSky.dimensions());
		assertArrayEquals(new double[] { 60, 60, 60 }, fromSky.voxelSizeUm(), 1e-9);
		assertEquals(UnsignedShortType.class, fromSky.type().getClass());
		// the same pixels, whichever format
		final var a = net.imglib2.view.Views.flatIterable(fromSky.image()).cursor();
		final var t = net.imglib2.view.Views.flatIterable(fromTif.image()).cursor();
		while (a.hasNext())
			assertEquals(t.next().getRealDouble(), a.next().getRealDouble(), 0.0);
	}
}
