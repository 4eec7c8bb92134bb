package org.osteocast.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.fiji.CommandContractTest;

/** macros/morphometry.ijm in plain ImageJ 1.x (no BoneJ there): OsteoCast's fallback fills the table. */
class MorphometryMacroIT {

	@TempDir
	Path tmp;

	@Test
	void fallsBackToOsteoCastWithoutBoneJ() throws Exception {
		final ImageJ1 ij = ImageJ1.install();
		final ImagePlus tube = CommandContractTest.tube(true);
		final Path image = tmp.resolve("forecast.tif");
		IJ.saveAsTiff(tube, image.toString());
		final Path csv = tmp.resolve("morphometry.csv");
		final ImageJ1.Result r = ij.runMacro(Path.of("macros/morphometry.ijm"), image + "|" + csv, 180);
		assertTrue(r.output.contains("BoneJ not installed"), r.output);
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(2, lines.size(), lines.toString());
		assertTrue(lines.get(0).contains("BV/TV") && lines.get(0).contains("Ct.Th (um)"), lines.get(0));
		assertTrue(lines.get(1).contains("forecast.tif"), lines.get(1));
		// then the rigidity step: one row per slice of the tube, the weakest slice marked once
		final Path rigidity = tmp.resolve("morphometry_rigidity.csv");
		assertTrue(r.output.contains("wrote " + rigidity), r.output);
		final List<String> rows = Files.readAllLines(rigidity);
		assertEquals(1 + tube.getStackSize(), rows.size(), rows.toString());
		final List<String> head = List.of(rows.get(0).split(",", -1));
		for (final String c : List.of("Slice", "EA", "EI_min", "EI_max", "GJ", "Weakest", "Units"))
			assertTrue(head.contains(c), c + " in " + head);
		// the tube (10 um pixels, cortex 13 < r <= 18 px, a window through it): EA about its area in mm^2,
		// EI_min < EI_max (the window breaks the symmetry), GJ = (EI_min + EI_max) / 2.6
		final double area = Math.PI * (18 * 18 - 13 * 13) * 1e-4;
		int weakest = 0;
		for (final String row : rows.subList(1, rows.size())) {
			final String[] c = row.split(",", -1);
			final double ea = Double.parseDouble(c[head.indexOf("EA")]), min = Double.parseDouble(c[head.indexOf(
				"EI_min")]), max = Double.parseDouble(c[head.indexOf("EI_max")]), gj = Double.parseDouble(c[head.indexOf(
					"GJ")]);
			assertTrue(ea > 0.7 * area && ea < area, "EA " + ea + " mm^2 vs the full ring's " + area + ": " + row);
			assertTrue(min > 0 && min < max, row);
			assertEquals((min + max) / 2.6, gj, 1e-3 * gj, row);
			assertTrue(c[head.indexOf("Units")].replace("\"", "").startsWith("relative"), row);
			for (final String col : List.of("EA", "EI_min", "EI_max", "GJ")) // small numbers keep their digits
				assertTrue(new java.math.BigDecimal(c[head.indexOf(col)]).precision() >= 6, col + " rounded: " + row);
			weakest += (int) Double.parseDouble(c[head.indexOf("Weakest")]);
		}
		assertEquals(1, weakest, "one weakest slice");
	}

	@Test
	void missingImageStopsWithAMessage() throws Exception {
		final ImageJ1 ij = ImageJ1.install();
		final ImageJ1.Result r = ij.runMacro(Path.of("macros/morphometry.ijm"), tmp.resolve("none.tif") + "|" + tmp
			.resolve("x.csv"), 120);
		assertTrue(r.output.contains("no such image"), r.output);
		assertTrue(Files.notExists(tmp.resolve("x.csv")));
	}
}
