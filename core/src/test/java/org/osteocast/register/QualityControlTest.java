package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ColorProcessor;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.register.bench.SyntheticBone;
import org.osteocast.io.Volume;

class QualityControlTest {

	@TempDir
	Path tmp;

	@Test
	void identicalScansAreGreyAndMisalignedOnesShowMagentaAndGreen() throws Exception {
		final SyntheticBone.Pair p = SyntheticBone.pair(new SyntheticBone.Spec(), 3);
		final ColorProcessor same = QualityControl.overlay(p.fixed, p.fixed);
		int coloured = 0;
		for (int i = 0; i < same.getPixelCount(); i++) {
			final int c = same.get(i);
			if (((c >> 16) & 255) != ((c >> 8) & 255)) coloured++;
		}
		assertEquals(0, coloured, "identical scans give a grey overlay");
		final Volume<?> moved = Resampler.resample(p.fixed, shift(4), p.fixed);
		final ColorProcessor diff = QualityControl.overlay(p.fixed, moved);
		int magenta = 0, green = 0;
		for (int i = 0; i < diff.getPixelCount(); i++) {
			final int c = diff.get(i), r = (c >> 16) & 255, g = (c >> 8) & 255;
			if (r > g + 100) magenta++;
			if (g > r + 100) green++;
		}
		assertTrue(magenta > 50 && green > 50, "fringes: magenta " + magenta + ", green " + green);
		// three panels side by side: xy (64 wide), xz (64), yz (64) with 4-pixel gaps; height max(64, 80)
		assertEquals(64 * 3 + 8, diff.getWidth());
		assertEquals(80, diff.getHeight());
		final Path png = tmp.resolve("qc.png");
		QualityControl.writePng(p.fixed, moved, png);
		final ImagePlus back = new ImagePlus(png.toString());
		assertEquals(diff.getWidth(), back.getWidth());
	}

	private static double[][] shift(final double dx) {
		final double[][] m = RigidTransforms.identity();
		m[0][3] = dx;
		return m;
	}
}
