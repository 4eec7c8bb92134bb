package org.osteocast.ij1;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, plain ImageJ 1.x installation for integration tests: {@code ij.jar}
 * from the Maven repository, the packaged OsteoCast jar in {@code plugins/},
 * its dependencies in {@code plugins/jars/}, run in {@code -batch} mode under a
 * virtual display ({@code xvfb-run -a}), as users run it on servers.
 */
final class ImageJ1 {

	/** This module's build folder (tests run in the top folder; Maven passes it as {@code osteocast.build}). */
	static final Path BUILD = Path.of(System.getProperty("osteocast.build", "target"));


	/** What a run printed and returned. */
	static final class Result {
		final int exitCode;
		final String output;

		Result(final int exitCode, final String output) {
			this.exitCode = exitCode;
			this.output = output;
		}
	}

	private final Path root;
	private final Path ijJar;

	private ImageJ1(final Path root, final Path ijJar) {
		this.root = root;
		this.ijJar = ijJar;
	}

	/**
	 * Lays out a fresh ImageJ folder under {@code target/it/} (not a JUnit temp
	 * folder: it links to the jars in target/lib); skips the test when xvfb-run
	 * is missing.
	 */
	static ImageJ1 install() throws IOException {
		final Path dir = Files.createTempDirectory(Files.createDirectories(BUILD.resolve("it")), "imagej-");
		assumeTrue(onPath("xvfb-run"), "xvfb-run is not installed (Debian package xvfb; .ci/run installs it)");
		final Path target = BUILD;
		final Path jar;
		try (Stream<Path> s = Files.list(target)) {
			jar = s.filter(p -> p.getFileName().toString().matches("OsteoCast_-.*\\.jar") && !p.getFileName().toString()
				.contains("sources")).findFirst().orElseThrow(() -> new IOException("no packaged jar in target/; run mvn verify"));
		}
		final Path plugins = Files.createDirectories(dir.resolve("plugins/jars"));
		Files.copy(jar, dir.resolve("plugins").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
		Path ij = null;
		try (Stream<Path> s = Files.list(target.resolve("lib"))) {
			for (final Path p : (Iterable<Path>) s::iterator) {
				if (p.getFileName().toString().matches("ij-\\d.*\\.jar")) ij = p;
				else Files.createSymbolicLink(plugins.resolve(p.getFileName()), p.toAbsolutePath());
			}
		}
		if (ij == null) throw new IOException("ij.jar not found in target/lib");
		return new ImageJ1(dir, ij.toAbsolutePath());
	}

	static boolean onPath(final String exe) {
		final String path = System.getenv("PATH");
		if (path == null) return false;
		for (final String d : path.split(":"))
			if (Files.isExecutable(Path.of(d, exe))) return true;
		return false;
	}

	Path root() {
		return root;
	}

	/** Runs a macro file with an argument string; waits at most {@code seconds}. */
	Result runMacro(final Path macro, final String argument, final int seconds) throws IOException,
		InterruptedException
	{
		return runMacro(macro, argument, seconds, new String[0]);
	}

	/** Runs a macro file with an argument string and extra JVM options; waits at most {@code seconds}. */
	Result runMacro(final Path macro, final String argument, final int seconds, final String... jvmOptions)
		throws IOException, InterruptedException
	{
		final List<String> cmd = new ArrayList<>(List.of("xvfb-run", "-a", "java", "-Xmx3g"));
		cmd.addAll(List.of(jvmOptions));
		cmd.addAll(List.of("-Dosteocast.config.dir=" + root.resolve("config"),
			"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar", ijJar.toString(), "-ijpath", root.toString(),
			"-batch", macro.toAbsolutePath().toString()));
		if (argument != null) cmd.add(argument);
		final Path log = Files.createTempFile(root, "ij-", ".log");
		final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new IOException("ImageJ did not finish within " + seconds + " s: " + Files.readString(log));
		}
		return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
	}
}
