package org.osteocast.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared real micro-CT data: {@code ../shared/realdata} relative to the
 * project root (the first {@code shared/realdata} found walking up from the
 * working directory, so git worktrees nested one level deeper find it too), or
 * the system property {@code osteocast.realdata}. Tests skip when it is absent.
 */
public final class RealData {

	private RealData() {}

	public static final Path ROOT = find();

	private static Path find() {
		final String prop = System.getProperty("osteocast.realdata");
		if (prop != null) return Path.of(prop);
		Path dir = Path.of("").toAbsolutePath().getParent();
		while (dir != null) {
			final Path p = dir.resolve("shared/realdata");
			if (Files.isDirectory(p)) return p;
			dir = dir.getParent();
		}
		return Path.of("../shared/realdata");
	}

	/** A folder or file under the real-data root, or a skipped test if absent. */
	public static Path require(final String relative) {
		final Path p = ROOT.resolve(relative);
		assumeTrue(Files.exists(p), "real data not available: " + p);
		return p;
	}
}
