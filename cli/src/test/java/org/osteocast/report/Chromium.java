package org.osteocast.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Chromium (Debian's package) for rendering reports to PNG in tests. */
public final class Chromium {

	private Chromium() {}

	static String executable() {
		for (final String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"))
			if (Files.isExecutable(Path.of(c))) return c;
		return null;
	}

	/** Renders a local HTML file to a PNG screenshot; skips the test when Chromium is missing. */
	public static void screenshot(final Path html, final Path png, final int width, final int height)
		throws IOException, InterruptedException
	{
		final String exe = executable();
		assumeTrue(exe != null, "Chromium is not installed (Debian package chromium; .ci/run installs it)");
		final Path profile = Files.createTempDirectory("chromium-profile");
		final Process p = new ProcessBuilder(exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--hide-scrollbars", "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--screenshot=" + png
				.toAbsolutePath(), html.toUri().toString()).redirectErrorStream(true).redirectOutput(profile.resolve("log")
					.toFile()).start();
		if (!p.waitFor(120, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new IOException("Chromium did not finish: " + Files.readString(profile.resolve("log")));
		}
		if (!Files.isRegularFile(png)) throw new IOException("Chromium wrote no screenshot: " + Files.readString(profile
			.resolve("log")));
	}
}
