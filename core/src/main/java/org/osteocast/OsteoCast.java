package org.osteocast;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Project-wide constants: the software version and code version that outputs record. */
public final class OsteoCast {

	private OsteoCast() {}

	private static final Properties BUILD = readBuild();

	/** The version of this build, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" outside a build. */
	public static final String VERSION = BUILD.getProperty("version", "unknown");

	/**
	 * The git commit the build was made from (recorded at build time by the
	 * buildnumber plugin, offline, from the checkout); "unknown" when the build
	 * was not made in a git checkout.
	 */
	public static final String COMMIT = commit(BUILD.getProperty("commit"));

	/**
	 * The code version: {@link #VERSION}, then {@code +} and {@link #COMMIT}
	 * when the commit is known. Two results made by the same code version came
	 * from the same sources (uncommitted changes aside).
	 */
	public static String codeVersion() {
		return "unknown".equals(COMMIT) ? VERSION : VERSION + "+" + COMMIT;
	}

	static String commit(final String recorded) {
		if (recorded == null) return "unknown";
		final String c = recorded.trim();
		return c.isEmpty() || c.startsWith("${") || c.equalsIgnoreCase("UNKNOWN") ? "unknown" : c;
	}

	private static Properties readBuild() {
		final Properties p = new Properties();
		try (InputStream in = OsteoCast.class.getResourceAsStream("/org/osteocast/version.properties")) {
			if (in != null) p.load(in);
		}
		catch (final IOException e) {
			// "unknown" below
		}
		return p;
	}
}
