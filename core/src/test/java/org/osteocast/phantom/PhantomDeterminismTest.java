package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;

/** Same seed → same bytes, whatever the thread count; another seed → another cohort; both output formats. */
class PhantomDeterminismTest {

	@TempDir
	Path tmp;

	@Test
	void sameSeedGivesIdenticalFilesWhateverTheThreadCount() throws Exception {
		final PhantomParameters p = PhantomTestSupport.tiny().voxelUm(60).mice(3).weeks(3).noiseSd(1500).rings(true).missingWeekProb(
			0.3).hardFraction(0.5).seed(42).build();
		PhantomGenerator.generate(p.toBuilder().threads(1).build(), tmp.resolve("a"), Progress.NONE, new Cancellation());
		PhantomGenerator.generate(p.toBuilder().threads(3).build(), tmp.resolve("b"), Progress.NONE, new Cancellation());
		final Map<String, String> a = PhantomTestSupport.hashes(tmp.resolve("a"));
		final Map<String, String> b = PhantomTestSupport.hashes(tmp.resolve("b"));
		assertTrue(a.size() > 20, "files: " + a.keySet());
		assertEquals(a, b);

		// one mouse, four threads: the spare threads render, blur and resample slices in parallel
		final PhantomParameters one = p.toBuilder().mice(1).build();
		PhantomGenerator.generate(one.toBuilder().threads(1).build(), tmp.resolve("d"), Progress.NONE, new Cancellation());
		PhantomGenerator.generate(one.toBuilder().threads(4).build(), tmp.resolve("e"), Progress.NONE, new Cancellation());
		assertEquals(PhantomTestSupport.hashes(tmp.resolve("d")), PhantomTestSupport.hashes(tmp.resolve("e")));

		PhantomGenerator.generate(p.toBuilder().seed(43).build(), tmp.resolve("c"), Progress.NONE, new Cancellation());
		final Map<String, String> c = PhantomTestSupport.hashes(tmp.resolve("c"));
		assertNotEquals(a.get("M001/week1.tif"), c.get("M001/week1.tif"));
		assertNotEquals(a.get("truth/M001/week1_ideal.tif"), c.get("truth/M001/week1_ideal.tif"));
	}

	@Test
	void skyscanFormatWritesNReconFoldersListedInTheCohort() throws Exception {
		final Path out = tmp.resolve("sky");
		final PhantomParameters p = PhantomTestSupport.tiny().mice(1).weeks(2).format(PhantomParameters.Format.SKYSCAN)
			.build();
		PhantomGenerator.generate(p, out, Progress.NONE, new Cancellation());
		final List<String[]> rows = PhantomTestSupport.rows(out.resolve("cohort.csv"));
		assertEquals(2, rows.size());
		for (final String[] r : rows) {
			final Path dir = out.resolve(r[2]);
			assertTrue(Files.isDirectory(dir), r[2]);
			final String prefix = "M001_week" + r[1];
			final String log = Files.readString(dir.resolve(prefix + ".log"), java.nio.charset.StandardCharsets.ISO_8859_1);
			final int first = Integer.parseInt(log.split("First Section=")[1].split("\r\n")[0]);
			final int last = Integer.parseInt(log.split("Last Section=")[1].split("\r\n")[0]);
			assertEquals(p.scanDepth(), last - first + 1);
			assertTrue(log.contains("Pixel Size (um)=40.00000\r\n"));
			for (int s = first; s <= last; s++)
				assertTrue(Files.isRegularFile(dir.resolve(String.format("%s_rec%08d.tif", prefix, s))), "slice " + s);
			try (var files = Files.list(dir)) {
				assertEquals(p.scanDepth() + 2, files.count(), "slices + log + scout image");
			}
		}
	}
}
