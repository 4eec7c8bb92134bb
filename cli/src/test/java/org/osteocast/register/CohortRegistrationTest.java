package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.register.bench.SyntheticBone;
import org.osteocast.cli.Main;
import org.osteocast.cli.RegisterCommand;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

import picocli.CommandLine;

/**
 * A small cohort on disk (16-bit TIFF stacks): mouse m1 with three weeks, m2
 * with two, m3 whose second "week" is noise. Checks every output, the
 * transforms against the truth, the verdicts, the reference composition and
 * the command line.
 */
class CohortRegistrationTest {

	@TempDir
	static Path tmp;
	static Path cohortDir;
	static final List<double[][]> TRUTH = new ArrayList<>();

	@BeforeAll
	static void writeCohort() throws Exception {
		cohortDir = tmp.resolve("cohort");
		final SyntheticBone.Spec s = new SyntheticBone.Spec();
		s.nx = 48;
		s.ny = 48;
		s.nz = 56;
		s.lesionRadiusVoxels = 3;
		// m1: week1 + two moved copies of the same phantom (same seed -> same bone)
		for (int w = 2; w <= 3; w++) {
			final SyntheticBone.Pair p = SyntheticBone.pair(s, 500, 500 + w); // one bone, a motion per week
			TRUTH.add(p.movingToFixedVoxel);
			if (w == 2) write(p.fixed, "m1", 1);
			write(p.moving, "m1", w);
		}
		final SyntheticBone.Pair p2 = SyntheticBone.pair(s, 77);
		write(p2.fixed, "m2", 1);
		write(p2.moving, "m2", 2);
		final SyntheticBone.Pair p3 = SyntheticBone.pair(s, 88);
		write(p3.fixed, "m3", 1);
		VolumeIO.write(TestScans.to16bit(SyntheticBone.noise(48, 48, 56, 10, 3), 0, 1200), cohortDir.resolve("m3")
			.resolve("week2.tif"));
	}

	private static void write(final Volume<net.imglib2.type.numeric.real.FloatType> v, final String mouse, final int week)
		throws Exception
	{
		final Volume<UnsignedShortType> u = TestScans.to16bit(v, 0, 1200);
		VolumeIO.write(u, cohortDir.resolve(mouse).resolve("week" + week + ".tif"));
	}

	@Test
	void registersTheCohortAndWritesEveryOutput() throws Exception {
		final Path out = tmp.resolve("out");
		final CohortRegistration.Summary s = CohortRegistration.run(Cohort.read(cohortDir), out, null,
			RegistrationParameters.defaults(), Progress.NONE, Cancellation.NEVER);
		assertEquals(7, s.rows.size());
		for (final CohortRegistration.Row r : s.rows) {
			assertTrue(Files.isRegularFile(r.image), r.image.toString());
			assertTrue(Files.isRegularFile(r.transform), r.transform.toString());
			if (r.week > 1) assertTrue(Files.size(r.qc) > 100, "QC picture " + r.qc);
			// registered volume: same type as the input, on week 1's grid
			final Volume<?> v = VolumeIO.read(r.image);
			assertTrue(v.type() instanceof UnsignedShortType, "pixel type kept");
			assertEquals(48, v.width());
			assertEquals(56, v.depth());
		}
		// the transform files hold the contract and match the truth for m1 week 2
		final TransformFile t = TransformFile.read(out.resolve("m1").resolve("week2.transform.json"));
		final Volume<?> w1 = VolumeIO.read(cohortDir.resolve("m1").resolve("week1.tif"));
		final double e = RegistrationAccuracy.meanBoneDisplacementVoxels(w1, t.movingToFixedVoxel(), TRUTH.get(0));
		assertTrue(e < 0.15, "error from the transform file " + e);
		assertTrue(t.extra().containsKey("rotation_deg") && t.extra().containsKey("reliable") && t.extra().containsKey(
			"translation_um") && t.extra().containsKey("reason"));
		// the noise pair is flagged, the others are not
		for (final CohortRegistration.Row r : s.rows)
			assertEquals(!(r.mouse.equals("m3") && r.week == 2), r.result.reliable(), r.mouse + " week " + r.week + ": " + r
				.result);
		assertFalse(TransformFile.read(out.resolve("m3").resolve("week2.transform.json")).extra().get("reliable")
			.getAsBoolean());
		// summary CSV and registered manifest
		final Csv.Table sum = Csv.read(s.summaryCsv);
		assertEquals(7, sum.rows.size());
		assertTrue(sum.has("reliable") && sum.has("reason") && sum.has("rotation_deg") && sum.has("metric"));
		final Cohort registered = Cohort.read(s.manifest);
		assertEquals(List.of("m1", "m2", "m3"), registered.mice());
		assertEquals(out.resolve("m1").resolve("week3.tif").toAbsolutePath().normalize(), registered.scans("m1").get(2).image);
	}

	@Test
	void referenceFrameComposesTheTransforms() throws Exception {
		final Path out = tmp.resolve("out-ref");
		// the reference: m2's week 2 (a moved copy of m2's bone); register m2 only
		final Cohort one = Cohort.of(cohortDir, Cohort.read(cohortDir).scans("m2"));
		final Path ref = cohortDir.resolve("m2").resolve("week2.tif");
		final CohortRegistration.Summary s = CohortRegistration.run(one, out, ref, RegistrationParameters.defaults(),
			Progress.NONE, Cancellation.NEVER);
		assertEquals(2, s.rows.size());
		// week 2 is the reference itself: its composed transform must be (close to) the identity
		final double[][] m = TransformFile.read(out.resolve("m2").resolve("week2.transform.json")).movingToFixedVoxel();
		final Volume<?> refVol = VolumeIO.read(ref);
		final double e = RegistrationAccuracy.meanBoneDisplacementVoxels(refVol, m, RigidTransforms.identity());
		// two registrations composed (each within the 0.15-voxel target): their errors add up
		assertTrue(e < 0.3, "week 2 -> week 1 -> reference should be the identity; error " + e);
		assertTrue(s.rows.stream().allMatch(r -> r.fixed.equals("reference")));
	}

	@Test
	void refusesToOverwriteInputs() {
		final java.io.IOException e = assertThrows(java.io.IOException.class, () -> CohortRegistration.run(Cohort.read(
			cohortDir), cohortDir, null, RegistrationParameters.defaults(), Progress.NONE, Cancellation.NEVER));
		assertTrue(e.getMessage().contains("holds the input"), e.getMessage());
	}

	@Test
	void commandLineStrictFailsOnTheNoisePair() throws Exception {
		final CommandLine cl = Main.commandLine();
		final StringWriter text = new StringWriter();
		cl.setOut(new PrintWriter(text));
		final int strict = cl.execute("register", "--cohort", cohortDir.toString(), "--out", tmp.resolve("cli")
			.toString(), "--strict", "--threads", "2");
		assertEquals(RegisterCommand.EXIT_UNRELIABLE, strict, text.toString());
		assertTrue(text.toString().contains("UNRELIABLE"), text.toString());
		final int lenient = Main.commandLine().execute("register", "--cohort", cohortDir.resolve("m1").getParent()
			.toString(), "--out", tmp.resolve("cli2").toString());
		assertEquals(0, lenient);
		assertTrue(Files.isRegularFile(tmp.resolve("cli2").resolve(CohortRegistration.SUMMARY)));
		// bad input: a missing cohort is a one-line error with exit code 2
		assertEquals(Main.EXIT_BAD_INPUT, Main.commandLine().execute("register", "--cohort", tmp.resolve("nope")
			.toString(), "--out", tmp.resolve("cli3").toString()));
	}
}
