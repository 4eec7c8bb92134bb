package org.osteocast;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Project-wide constants: the software version that outputs record. */
public final class OsteoCast {

	private OsteoCast() {}

	/** The version of this build, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" outside a build. */
	public static final String VERSION = readVersion();

	private static String readVersion() {
		try (InputStream in = OsteoCast.class.getResourceAsStream("/org/osteocast/version.properties")) {
			if (in == null) return "unknown";
			final Properties p = new Properties();
			p.load(in);
			return p.getProperty("version", "unknown");
		}
		catch (final IOException e) {
			return "unknown";
		}
	}
}
