package org.osteocast.io.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.imglib2.img.planar.PlanarImgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.io.VolumeIOException;

class CohortTest {

	@TempDir
	Path tmp;

	private void scan(final Path file, final long w, final long h, final long d, final double um) throws Exception {
		Files.createDirectories(file.toAbsolutePath().getParent());
		VolumeIO.write(new Volume<>(PlanarImgs.unsignedShorts(w, h, d), new double[] { um, um, um }, new double[3], "s"),
			file);
	}

	@Test
	void manifestWithSeveralImageProblemsListsThemAllInOneMessage() throws Exception {
		scan(tmp.resolve("m1/week1.nii"), 8, 8, 4, 10);
		scan(tmp.resolve("m1/week2.nii"), 8, 9, 4, 10); // dimensions differ
		scan(tmp.resolve("m2/week1.tif"), 8, 8, 4, 10);
		scan(tmp.resolve("m2/week2.tif"), 8, 8, 4, 12); // voxel size differs
		scan(tmp.resolve("m3/week1.nii.gz"), 8, 8, 4, 10);
		Files.writeString(tmp.resolve("m3/week2.tif"), "this is not a TIFF"); // unreadable
		scan(tmp.resolve("m4/week1.nii"), 8, 8, 4, 10);
		scan(tmp.resolve("m4/week2.nii"), 8, 8, 4, 10);
		Files.writeString(tmp.resolve("cohort.csv"), "mouse,week,image,group\nm1,1,m1/week1.nii,ctrl\n" +
			"m1,2,m1/week2.nii,ctrl\nm2,1,m2/week1.tif,tumour\nm2,2,m2/week2.tif,tumour\nm3,1,m3/week1.nii.gz,\n" +
			"m3,2,m3/week2.tif,\nm4,week1,m4/week1.nii,ctrl\nm4,week2,m4/week2.nii,ctrl\n");
		final Cohort c = Cohort.read(tmp);
		assertEquals(List.of("m1", "m2", "m3", "m4"), c.mice());
		assertEquals("tumour", c.group("m2"));
		assertNull(c.group("m3"));
		final VolumeIOException e = assertThrows(VolumeIOException.class, c::validateImages);
		final String m = e.getMessage();
		assertTrue(m.startsWith(tmp.toAbsolutePath().normalize().toString()), m);
		assertTrue(m.contains("3 problem(s)"), m);
		assertTrue(m.contains("mouse m1: dimensions differ between weeks (week 1: 8x8x4, week 2: 8x9x4)"), m);
		assertTrue(m.contains("mouse m2: voxel sizes differ between weeks"), m);
		assertTrue(m.contains("m3/week2: unreadable") && m.contains("week2.tif"), m);
		assertTrue(!m.contains("m4"), m);
		// the report keeps the headers of the readable scans
		final Cohort.ImageReport r = c.checkImages(Double.NaN);
		assertEquals(7, r.headers.size());
		assertEquals(3, r.problems.size());
		// an override of the voxel size removes the voxel-size problem (the user states the calibration)
		assertEquals(2, c.checkImages(10).problems.size());
	}

	@Test
	void aGoodFolderConventionCohortValidates() throws Exception {
		for (final String m : new String[] { "m10", "m2" })
			for (int w = 1; w <= 3; w++)
				scan(tmp.resolve(m + "/week" + w + ".nii"), 6, 5, 4, 20);
		Files.writeString(tmp.resolve("m2/week1.transform.json"), "{}"); // ignored
		final Cohort c = Cohort.read(tmp);
		assertEquals(List.of("m2", "m10"), c.mice(), "natural order");
		assertEquals(List.of(1, 2, 3), c.scans("m10").stream().map(s -> s.week).collect(Collectors.toList()));
		final Map<Cohort.Scan, VolumeHeader> h = c.validateImages();
		assertEquals(6, h.size());
		for (final VolumeHeader v : h.values())
			assertEquals(20, v.voxelSizeUm()[0], 1e-3);
	}

	@Test
	void structuralProblemsAreListedTogether() throws Exception {
		Files.writeString(tmp.resolve("cohort.csv"), "mouse,week,image\nm1,1,a.nii\nm1,x,b.nii\nm1,1,a.nii\n");
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> Cohort.read(tmp));
		final String m = e.getMessage();
		assertTrue(m.contains("cohort.csv") && m.contains("missing image a.nii") && m.contains("'x' is not a number") && m
			.contains("already listed on line 2"), m);
	}
}
