package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.Cohort;

/** The committed test-data/ cohort is exactly what its documented command makes, and reads as a cohort. */
class TestDataTest {

	static final Path TEST_DATA = Path.of("test-data");

	@TempDir
	Path tmp;

	@Test
	void matchesItsRegenerationCommand() throws Exception {
		// the command in test-data/README.md (made before the fibula joined the tibia: --fibula separate)
		PhantomGenerator.generate(PhantomParameters.builder().mice(2).weeks(4).seed(7).voxelUm(60).missingWeekProb(0)
			.tumourFraction(0.5).fibula(PhantomParameters.Fibula.SEPARATE).build(), tmp, Progress.NONE, Cancellation.NEVER);
		final List<Path> committed = files(TEST_DATA), made = files(tmp);
		assertEquals(made, committed, "the same files");
		for (final Path rel : made) {
			final byte[] a = Files.readAllBytes(TEST_DATA.resolve(rel)), b = Files.readAllBytes(tmp.resolve(rel));
			if (rel.toString().endsWith(".json")) assertEquals(withoutVersion(b), withoutVersion(a), rel.toString());
			else assertArrayEquals(b, a, rel.toString());
		}
	}

	@Test
	void readsAsACohortOfTwoMiceAndFourWeeks() throws Exception {
		final Cohort c = Cohort.read(TEST_DATA);
		assertEquals(List.of("M001", "M002"), c.mice());
		for (final String m : c.mice())
			assertEquals(4, c.scans(m).size());
		assertTrue(c.validateImages().size() == 8);
	}

	private static List<Path> files(final Path root) throws Exception {
		try (Stream<Path> s = Files.walk(root)) {
			return s.filter(Files::isRegularFile).map(root::relativize).filter(p -> !p.toString().equals("README.md"))
				.sorted().collect(Collectors.toList());
		}
	}

	private static String withoutVersion(final byte[] json) {
		return new String(json, StandardCharsets.UTF_8).replaceAll("\"version\": \"[^\"]*\"", "\"version\": \"\"");
	}
}
