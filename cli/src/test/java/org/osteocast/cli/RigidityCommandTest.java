package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code osteocast rigidity --scan} on a SkyScan folder: the density calibration through the log's attenuation. */
class RigidityCommandTest {

	@TempDir
	static Path tmp;

	private static String run(final String... args) {
		final StringWriter out = new StringWriter(), err = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(out));
		cl.setErr(new PrintWriter(err));
		assertEquals(0, cl.execute(args), err.toString());
		return out.toString();
	}

	@Test
	void aSkyScanScanIsCalibratedThroughItsLogsAttenuation() throws Exception {
		final Path cohort = tmp.resolve("sky");
		assertEquals(0, Main.run("phantom", "--out", cohort.toString(), "--mice", "1", "--weeks", "2", "--voxel-um", "60",
			"--format", "skyscan", "--missing-week-prob", "0"));
		final Path scan = cohort.resolve("M001/week1");
		// the phantom's NRecon log maps 16-bit grey 0..65535 to attenuation -0.007..0.05
		assertArrayEquals(new double[] { 0.057 / 65535, -0.007 }, RigidityCommand.attenuation(scan), 1e-15);
		final String viaLog = run("rigidity", "--scan", scan.toString(), "--slope", "20000", "--intercept", "-100", "--slices", "30-40");
		assertTrue(viaLog.contains("grey values to attenuation from the scan's reconstruction log"), viaLog);
		final String viaGrey = run("rigidity", "--scan", scan.toString(), "--slope", "0.02", "--intercept", "-100",
			"--grey-calibration", "--slices", "30-40");
		assertTrue(!viaGrey.contains("reconstruction log"), viaGrey);
		assertNotEquals(summary(viaLog), summary(viaGrey), "another calibration, other rigidities");
		assertTrue(!summary(viaLog).contains(" 0.00000 "), "bone in slices 30-40: " + viaLog);
		// a TIFF stack has no such calibration
		assertNull(RigidityCommand.attenuation(Path.of("test-data/M001/week1.tif")));
	}

	private static String summary(final String out) {
		final String[] lines = out.split("\n");
		for (int i = 0; i < lines.length; i++)
			if (lines[i].startsWith("image")) return lines[i + 1];
		throw new AssertionError("no summary in " + out);
	}
}
