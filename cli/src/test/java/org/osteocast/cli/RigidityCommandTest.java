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

/**
 * {@code osteocast rigidity --scan} on a SkyScan folder: the density calibration through the log's attenuation;
 * {@code --data}: the proximal margin below the growth plate.
 */
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

	/** A ring of outer radius 18 px and inner radius {@code inner} px (binary) on a 48 × 48 plane. */
	private static float[] ring(final double inner) {
		final float[] p = new float[48 * 48];
		for (int y = 0; y < 48; y++)
			for (int x = 0; x < 48; x++) {
				final double r = Math.hypot(x + 0.5 - 24, y + 0.5 - 24);
				p[y * 48 + x] = r <= 18 && r >= inner ? 0.9f : 0.1f;
			}
		return p;
	}

	@Test
	void theSlicesAtTheGrowthPlatesEdgeAreLeftOutOfTheMinima() throws Exception {
		final Path data = plateEdgeData("margin-data");
		final String shaft = run("rigidity", "--data", data.toString(), "--proximal-margin-mm", "0.05");
		assertTrue(shaft.contains("minima from slice 3 on (the first 2 within 0.050 mm"), shaft);
		assertEquals(0, drop(shaft, 2), 1e-4, shaft);
		final String defaults = run("rigidity", "--data", data.toString());
		assertTrue(defaults.contains("minima from slice 4 on (the first 3 within 0.100 mm"), defaults);
		assertEquals(0, drop(defaults, 2), 1e-4, defaults);
		final String edge = run("rigidity", "--data", data.toString(), "--proximal-margin-mm", "0");
		assertTrue(!edge.contains("minima from slice"), edge);
		assertTrue(drop(edge, 2) > 0.35, "measured at the plate's edge the thinner wall reads as a drop: " + edge);

		final StringWriter out = new StringWriter(), err = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(out));
		cl.setErr(new PrintWriter(err));
		assertEquals(Main.EXIT_BAD_INPUT, cl.execute("rigidity", "--data", data.toString(), "--proximal-margin-mm", "-1"));
		assertTrue(err.toString().contains("proximal margin must be >= 0"), err.toString());
		assertEquals(1, err.toString().strip().lines().filter(l -> !l.contains("--verbose")).count(), err.toString());
	}

	/**
	 * One test mouse, 4 slices of 40 um below the growth plate, 2 weeks: the shaft (slices 2-4) unchanged, the
	 * wall of slice 1 (the plate's edge) thinner in week 2; {@code slices.json} of a growth-plate VOI; and a
	 * forecast folder whose forecast of week 2 is week 1.
	 */
	private static Path plateEdgeData(final String name) throws Exception {
		final Path data = tmp.resolve(name);
		java.nio.file.Files.createDirectories(data.resolve("pred"));
		final org.osteocast.io.contracts.Hyperstack h = new org.osteocast.io.contracts.Hyperstack(48, 48, 4, 2,
			new double[] { 20, 20, 40 }, "m");
		final org.osteocast.io.contracts.Hyperstack f = new org.osteocast.io.contracts.Hyperstack(48, 48, 4, 1,
			new double[] { 20, 20, 40 }, "m_pred");
		for (int t = 0; t < 2; t++)
			for (int z = 0; z < 4; z++)
				System.arraycopy(ring(z > 0 ? 12 : t == 0 ? 14 : 17), 0, h.plane(z, t), 0, 48 * 48);
		for (int z = 0; z < 4; z++)
			System.arraycopy(h.plane(z, 0), 0, f.plane(z, 0), 0, 48 * 48);
		h.write(data.resolve("m.tif"));
		f.write(data.resolve("pred").resolve("m_pred.tif"));
		new org.osteocast.io.contracts.SliceDataset(data, java.util.List.of(new org.osteocast.io.contracts.SliceDataset.Entry(
			"m", data.resolve("m.tif"), null, org.osteocast.io.contracts.SliceDataset.Split.TEST))).writeManifest();
		java.nio.file.Files.writeString(data.resolve("slices.json"), "{\"window\": {\"lo\": 0, \"hi\": 1}, " +
			"\"options\": {\"offset_mm\": 0}, \"mice\": [{\"mouse\": \"m\", \"geometry\": {\"voi_start_method\": " +
			"\"growth plate\", \"voi_thickness_um\": 160, \"slices\": 4, \"crop_side_um\": 960, \"size\": 48}}]}");
		return data;
	}

	@Test
	void evaluateLeavesTheSameMarginOutOfItsRigidityColumns() throws Exception {
		final Path data = plateEdgeData("margin-evaluate");
		final Path pred = data.resolve("pred");
		run("evaluate", "--data", data.toString(), "--pred", pred.toString(), "--out", tmp.resolve("shaft.csv").toString());
		run("evaluate", "--data", data.toString(), "--pred", pred.toString(), "--out", tmp.resolve("edge.csv").toString(),
			"--proximal-margin-mm", "0");
		// the forecast (week 1) of mouse m: rigidity_drop_truth, and the risk class agreement
		final String[] shaft = forecastRow(tmp.resolve("shaft.csv")), edge = forecastRow(tmp.resolve("edge.csv"));
		assertEquals(0, Double.parseDouble(shaft[0]), 1e-4, "below the margin nothing changed");
		assertEquals("1", shaft[1], "no risk, as the forecast says");
		assertTrue(Double.parseDouble(edge[0]) > 0.35, "at the plate's edge the thinner wall reads as a drop: " + edge[0]);
		assertEquals("0", edge[1], "and the forecast of week 1 misses it");
		final StringWriter out = new StringWriter(), err = new StringWriter();
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(out));
		cl.setErr(new PrintWriter(err));
		assertEquals(Main.EXIT_BAD_INPUT, cl.execute("evaluate", "--data", data.toString(), "--pred", pred.toString(),
			"--proximal-margin-mm", "-0.1"));
		assertTrue(err.toString().contains("proximal margin must be >= 0 mm"), err.toString());
	}

	/** rigidity_drop_truth and risk_agrees of the forecast row of mouse m in an evaluation CSV. */
	private static String[] forecastRow(final Path csv) throws Exception {
		final java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
		final java.util.List<String> head = java.util.List.of(lines.get(0).split(","));
		for (final String l : lines) {
			final String[] c = l.split(",");
			if (c[0].equals("m") && c[1].equals("forecast")) return new String[] { c[head.indexOf("rigidity_drop_truth")],
				c[head.indexOf("risk_agrees")] };
		}
		throw new AssertionError("no forecast row of m in " + lines);
	}

	/** The drop column of the summary row of week {@code week} (truth) in the console. */
	private static double drop(final String console, final int week) {
		for (final String l : console.split("\n")) {
			final String[] c = l.trim().split("\\s+");
			if (c.length > 9 && c[0].equals("m") && c[1].equals(Integer.toString(week)) && c[2].equals("truth"))
				return Double.parseDouble(c[9]);
		}
		throw new AssertionError("no summary row for week " + week + " in\n" + console);
	}
}
