package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.register.RigidTransforms;

import picocli.CommandLine;

/**
 * {@code osteocast bench registration-accuracy} on the committed phantom
 * cohort ({@code test-data}, 2 mice × 4 weeks): transforms made from the truth
 * by a known translation score exactly that translation's length, and
 * OsteoCast's own registration of the cohort scores well below a voxel.
 */
class BenchRegistrationAccuracyCommandTest {

	static final Path TEST_DATA = Path.of("test-data");

	private static String[] run(final String... args) {
		final CommandLine cl = Main.commandLine();
		final StringWriter out = new StringWriter(), err = new StringWriter();
		cl.setOut(new PrintWriter(out));
		cl.setErr(new PrintWriter(err));
		final int code = cl.execute(args);
		return new String[] { Integer.toString(code), out.toString(), err.toString() };
	}

	/** Writes the true transform of a pair moved by a translation t (voxels) as a "registration". */
	private static void shifted(final Path registered, final String mouse, final int week, final double[] t)
		throws Exception
	{
		final TransformFile truth = TransformFile.read(TEST_DATA.resolve("truth").resolve(mouse).resolve("week" + week +
			".transform.json"));
		final double[][] shift = RigidTransforms.identity();
		for (int i = 0; i < 3; i++)
			shift[i][3] = t[i];
		final double[] vs = { 60, 60, 60 };
		final Path f = registered.resolve(mouse).resolve("week" + week + ".transform.json");
		Files.createDirectories(f.getParent());
		TransformFile.fromVoxelMatrix(RigidTransforms.multiply(shift, truth.movingToFixedVoxel()), vs, vs, 0).write(f);
	}

	@Test
	void knownErrorsAreScoredExactly(@TempDir final Path tmp) throws Exception {
		final Path reg = tmp.resolve("registered");
		shifted(reg, "M001", 2, new double[] { 0, 0, 0 });
		shifted(reg, "M001", 3, new double[] { 0, 3, 4 }); // |t| = 5 at every voxel
		shifted(reg, "M002", 4, new double[] { 1, 0, 0 });
		final Path csv = tmp.resolve("accuracy.csv");
		final String[] r = run("bench", "registration-accuracy", "--registered", reg.toString(), "--truth", TEST_DATA
			.toString(), "--out", csv.toString());
		assertEquals("0", r[0], r[1] + r[2]);
		final Csv.Table t = Csv.read(csv);
		assertEquals(List.of("mouse", "moving_week", "mean_displacement_vox", "max_displacement_vox", "bone_voxels"),
			t.header);
		assertEquals(6, t.rows.size(), "3 pairs and 3 summary rows");
		final double[][] expected = { { 0, 0 }, { 5, 5 }, { 1, 1 } };
		final String[][] keys = { { "M001", "2" }, { "M001", "3" }, { "M002", "4" } };
		for (int i = 0; i < 3; i++) {
			final Csv.Row row = t.rows.get(i);
			assertEquals(keys[i][0], row.get("mouse"));
			assertEquals(keys[i][1], row.get("moving_week"));
			assertEquals(expected[i][0], Double.parseDouble(row.get("mean_displacement_vox")), 1e-5, keys[i][0]);
			assertEquals(expected[i][1], Double.parseDouble(row.get("max_displacement_vox")), 1e-5, keys[i][0]);
			assertTrue(Long.parseLong(row.get("bone_voxels")) > 100, "bone of week 1: " + row.get("bone_voxels"));
		}
		assertEquals("median", t.rows.get(3).get("moving_week"));
		assertEquals(1.0, Double.parseDouble(t.rows.get(3).get("mean_displacement_vox")), 1e-5);
		assertEquals(2.0, Double.parseDouble(t.rows.get(4).get("mean_displacement_vox")), 1e-5);
		assertEquals(5.0, Double.parseDouble(t.rows.get(5).get("max_displacement_vox")), 1e-5);
		assertTrue(r[1].contains("3 pairs: mean displacement over the bone median 1.0000 voxel (range 0.0000-5.0000"), r[1]);
		assertTrue(r[1].contains("not registered") && r[1].contains("M001 week 4") && r[1].contains("M002 week 2"), r[1]);
		// an existing --out is not replaced without --overwrite
		final String[] again = run("bench", "registration-accuracy", "--registered", reg.toString(), "--truth",
			TEST_DATA.toString(), "--out", csv.toString());
		assertEquals("2", again[0]);
		assertTrue(again[2].contains("already exists"), again[2]);
	}

	@Test
	void aTransformWithoutTruthIsBadInput(@TempDir final Path tmp) throws Exception {
		final Path reg = tmp.resolve("registered");
		shifted(reg, "M001", 2, new double[] { 0, 0, 0 });
		Files.copy(reg.resolve("M001/week2.transform.json"), reg.resolve("M001/week7.transform.json"));
		final String[] r = run("bench", "registration-accuracy", "--registered", reg.toString(), "--truth", TEST_DATA
			.toString());
		assertEquals("2", r[0], r[1] + r[2]);
		assertTrue(r[2].contains("week7.transform.json") && r[2].contains("has no true transform"), r[2]);
	}

	@Test
	void osteoCastsOwnRegistrationOfThePhantomIsSubVoxel(@TempDir final Path tmp) throws Exception {
		final Path reg = tmp.resolve("registered");
		final String[] r1 = run("register", "--cohort", TEST_DATA.toString(), "--out", reg.toString());
		assertEquals("0", r1[0], r1[1] + r1[2]);
		final Path csv = tmp.resolve("accuracy.csv");
		final String[] r = run("bench", "registration-accuracy", "--registered", reg.toString(), "--truth", TEST_DATA
			.toString(), "--out", csv.toString());
		assertEquals("0", r[0], r[1] + r[2]);
		final Csv.Table t = Csv.read(csv);
		assertEquals(6 + 3, t.rows.size(), "every week 2-4 of both mice, then the summary");
		for (final Csv.Row row : t.rows)
			if (!row.get("mouse").equals("ALL")) assertTrue(Double.parseDouble(row.get("mean_displacement_vox")) < 0.5,
				row.get("mouse") + " week " + row.get("moving_week") + ": " + row.get("mean_displacement_vox"));
		assertTrue(!r[1].contains("not registered"), r[1]);
	}
}
