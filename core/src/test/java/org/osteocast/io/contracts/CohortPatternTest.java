package org.osteocast.io.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.util.AtomicFiles;

/** Cohort manifests from folder and file names: sides, weeks from 0, folders as scans, and every refusal. */
class CohortPatternTest {

	@TempDir
	Path root;

	private void touch(final String rel) throws Exception {
		final Path p = root.resolve(rel);
		Files.createDirectories(p.getParent());
		Files.writeString(p, "x");
	}

	@Test
	void leftAndRightBecomeTwoSubjectsAndWeeksFromZeroAreShifted() throws Exception {
		touch("batch 1/M 12 week 0 left tibia.tif");
		touch("batch 1/M 12 week 0 right tibia.tif");
		touch("batch 1/M 12 week 1 L tibia.tif");
		touch("batch 1/M 12 week 1 R tibia.tif");
		touch("batch 1/notes.txt");
		touch("batch 1/M 12 week 1 L tibia.json");
		Files.createDirectories(root.resolve("batch 2/M7_week_2_Right_tibia")); // a SkyScan folder is one scan
		touch("batch 2/M7_week_2_Right_tibia/M7_rec00000001.tif");
		final CohortPattern.Result r = CohortPattern.find(root, "{mouse} week {week} {side} tibia", true);
		final List<CohortPattern.Entry> e = r.entries();
		assertEquals(5, e.size(), e.toString());
		assertEquals("M7_right", e.get(0).subject());
		assertEquals(3, e.get(0).week());
		assertEquals(2, e.get(0).sourceWeek());
		assertEquals("M_12_left", e.get(1).subject());
		assertEquals(1, e.get(1).week());
		assertEquals("M 12", e.get(1).animal());
		assertTrue(e.stream().allMatch(x -> Ids.isValid(x.subject())));
		assertTrue(r.notes().get(0).contains("start at 0"), r.notes().toString());
		final Path csv = root.resolve("cohort.csv");
		AtomicFiles.writeString(csv, CohortPattern.manifest(e, root));
		final Cohort c = Cohort.read(csv);
		assertEquals(List.of("M7_right", "M_12_left", "M_12_right"), c.mice());
		assertEquals(2, c.scans("M_12_right").size());
		// kept as named
		assertEquals(0, CohortPattern.find(root, "{mouse} week {week} {side} tibia", false).entries().get(1).week());
	}

	@Test
	void refusesDuplicatesAmbiguityBadSidesAndNoMatch() throws Exception {
		touch("a/M1 week 1 left tibia.tif");
		touch("b/M1 week 1 left tibia.nii.gz");
		VolumeIOException e = assertThrows(VolumeIOException.class, () -> CohortPattern.find(root,
			"{mouse} week {week} {side} tibia", true));
		assertTrue(e.getMessage().contains("subject M1_left week 1 matched twice"), e.getMessage());

		final Path other = root.resolve("x");
		Files.createDirectories(other);
		Files.writeString(other.resolve("M1 2 3.tif"), "x");
		e = assertThrows(VolumeIOException.class, () -> CohortPattern.find(other, "{mouse} {week}{*}", true));
		assertTrue(e.getMessage().contains("reads two ways"), e.getMessage());

		Files.writeString(other.resolve("M2 week 1 up tibia.tif"), "x");
		e = assertThrows(VolumeIOException.class, () -> CohortPattern.find(other, "{mouse} week {week} {side} tibia",
			true));
		assertTrue(e.getMessage().contains("nothing under it matches"), e.getMessage());

		final IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> CohortPattern.find(root,
			"{mouse} tibia", true));
		assertTrue(p.getMessage().contains("needs {mouse} and {week}"), p.getMessage());
	}
}
