package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code osteocast bench scale --format}: a small pair written as a TIFF
 * stack, an NRecon folder and a NIfTI file goes through the command's wiring
 * (pair written, register and slice in their own processes, results rows).
 */
class BenchScaleCommandTest {

	@TempDir
	Path tmp;

	@Test
	void everyFormatIsWrittenRegisteredAndSliced() throws Exception {
		for (final String format : List.of("tiff", "nrecon", "nifti")) {
			final Path out = tmp.resolve("results-" + format), work = tmp.resolve("work-" + format);
			final int code = Main.run("bench", "scale", "--sizes", "64x56x72", "--work", work.toString(), "--out", out
				.toString(), "--runs", "1", "--elastix", "none", "--format", format, "--keep");
			assertEquals(0, code, format);
			final Path m1 = work.resolve("64x56x72" + ("tiff".equals(format) ? "" : "_" + format)).resolve("cohort")
				.resolve("m1");
			switch (format) {
				case "nrecon":
					assertTrue(Files.isRegularFile(m1.resolve("week1").resolve("m1_week1.log")), "NRecon log");
					assertTrue(Files.isRegularFile(m1.resolve("week2").resolve("m1_week2_rec00000071.tif")), "72 slices");
					break;
				case "nifti":
					assertTrue(Files.isRegularFile(m1.resolve("week1.nii")));
					break;
				default:
					assertTrue(Files.isRegularFile(m1.resolve("week1.tif")));
			}
			final List<String> rows = Files.readAllLines(out.resolve("results.csv"));
			assertTrue(rows.get(0).endsWith(",status,format"), rows.get(0));
			assertEquals(3, rows.size(), String.join("\n", rows));
			for (final String row : rows.subList(1, 3)) {
				final String[] c = row.split(",");
				assertEquals("ok", c[15], row);
				assertEquals(format, c[16], row);
			}
			final String[] reg = rows.get(1).split(",");
			assertEquals("register", reg[6]);
			assertTrue(Double.parseDouble(reg[10]) < 0.5, "registration error " + reg[10] + " voxel (" + format + ")");
			assertTrue(Files.readString(out.resolve("environment.txt")).contains("pairs as " + format));
		}
	}
}
