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
