package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

/**
 * The VOI cut on a real scan nobody on the project made (a SkyScan mouse thorax,
 * 16-bit, 105 µm voxels; not a tibia, so the start is given by hand). Skipped
 * when {@code ../shared/realdata} is absent.
 */
class RealScanSliceTest {

	/** {@code ../shared/realdata} (property {@code osteocast.realdata} overrides it for worktrees elsewhere). */
	private static final Path THORAX = Path.of(System.getProperty("osteocast.realdata", "../shared/realdata"),
		"skyscan-mouse-thorax");

	@Test
	void manualVoiOnARealSkyScanReconstruction() throws Exception {
		assumeTrue(Files.isDirectory(THORAX), "real data not available");
		final Volume<?> v = VolumeIO.read(THORAX);
		assertEquals(105.32, v.voxelSizeUm(2), 1e-6);
		final SliceOptions o = new SliceOptions();
		o.voiStart = 100;
		o.proximal = GrowthPlateDetector.Proximal.TOP;
		// the rib cage's bounding square over the VOI is wider than this scan's field of view: a clear error
		final IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> SliceExtractor
			.extract(List.of(v), o, null, "thorax"));
		assertTrue(tooBig.getMessage().contains("thorax") && tooBig.getMessage().contains("larger than the image"),
			tooBig.getMessage());
		o.cropMm = 8.0;
		final SliceExtractor.Extraction e = SliceExtractor.extract(List.of(v, v), o, null, "thorax");
		// the mineral threshold selects bone, a small part of the scan, not the whole body
		final VolumePlanes vp = new VolumePlanes(v);
		long above = 0;
		for (int z = 0; z < vp.depth(); z++)
			for (final float x : vp.read(z))
				if (x > e.geometry.threshold()) above++;
		final double fraction = above / (double) (vp.width() * vp.height() * vp.depth());
		System.out.println("thorax: mineral fraction " + fraction);
		assertTrue(fraction > 0.001 && fraction < 0.15, "fraction above the bone threshold " + fraction);
		final Hyperstack h = e.slices;
		assertEquals(48, h.slices());
		assertEquals(2, h.frames());
		assertEquals(99.5, e.geometry.startSlice(), 1e-9);
		// 2.1 mm of 105.32 um slices: the VOI is about 20 source slices, enlarged to 48 by linear interpolation
		assertEquals(100 - 0.5 + 2100 / 105.32, e.geometry.endSlice(), 1e-9);
		double lo = 1, hi = 0, bright = 0;
		for (int z = 0; z < 48; z++)
			for (final float x : h.plane(z, 0)) {
				lo = Math.min(lo, x);
				hi = Math.max(hi, x);
				if (x > 0.5) bright++;
			}
		assertTrue(lo >= 0 && hi <= 1 && hi > 0.9 && lo < 0.1, lo + " " + hi);
		assertTrue(bright > 0, "no bone in the crop");
		assertTrue(e.window.hi() > e.window.lo());
		System.out.println("thorax: " + e.geometry + " window " + e.window + " warnings " + e.warnings);
		// automatic detection on a non-tibia either finds some minimum or says clearly why not
		try {
			final GrowthPlateDetector.Result r = GrowthPlateDetector.detect(v, new GrowthPlateDetector.Options());
			assertTrue(r.plateSlice >= 0 && r.plateSlice < v.depth());
		}
		catch (final IllegalArgumentException ex) {
			assertTrue(ex.getMessage().contains("growth plate") || ex.getMessage().contains("no bone"), ex.getMessage());
		}
	}
}
