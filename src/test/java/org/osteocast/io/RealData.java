package org.osteocast.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real micro-CT data ({@code ../shared/realdata}); tests skip when it is absent. */
final class RealData {

	private RealData() {}

	static final Path ROOT = Path.of("../shared/realdata");

	/** A folder or file under the real-data root, or a skipped test if absent. */
	static Path require(final String relative) {
		final Path p = ROOT.resolve(relative);
		assumeTrue(Files.exists(p), "real data not available: " + p);
		return p;
	}
}
