package org.osteocast.updatesite;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksums of the ImageJ updater ({@code net.imagej.updater.util.UpdaterUtil#getDigest}),
 * reimplemented so that a site built here is judged "up to date" by Fiji after
 * installation (a different checksum would mark every installed file as locally
 * modified).
 * <ul>
 * <li>A {@code .jar}: SHA-1 over its entries sorted by name; for each entry the
 * name's ASCII bytes, then its content, where {@code .properties} entries skip
 * comment lines (a build date lives there) and {@code META-INF/MANIFEST.MF}
 * keeps only lines whose upper-cased form starts with {@code "Main-Class:"} —
 * which, as in the updater, is none of them.</li>
 * <li>Any other file: SHA-1 over the path (relative to the Fiji folder) in ASCII,
 * then the content.</li>
 * </ul>
 */
public final class UpdaterChecksum {

	private UpdaterChecksum() {}

	/**
	 * @param relativePath the path inside Fiji.app, e.g. {@code jars/api-0.36.0.jar}
	 * @param file the file's content
	 */
	public static String checksum(final String relativePath, final Path file) throws IOException {
		final MessageDigest digest = sha1();
		if (relativePath.endsWith(".jar")) {
			try (JarFile jar = new JarFile(file.toFile())) {
				final List<JarEntry> entries = new ArrayList<>(java.util.Collections.list(jar.entries()));
				entries.sort(Comparator.comparing(JarEntry::getName));
				for (final JarEntry e : entries) {
					digest.update(e.getName().getBytes(StandardCharsets.US_ASCII));
					try (InputStream in = jar.getInputStream(e)) {
						final byte[] content = in.readAllBytes();
						if (e.getName().endsWith(".properties")) digest.update(skipHashedLines(content));
						else if (e.getName().equals("META-INF/MANIFEST.MF")) digest.update(filterManifest(content));
						else digest.update(content);
					}
				}
			}
		}
		else {
			digest.update(relativePath.getBytes(StandardCharsets.US_ASCII));
			digest.update(Files.readAllBytes(file));
		}
		return hex(digest.digest());
	}

	/**
	 * The updater's {@code SkipHashedLines} stream, byte for byte: a '#' at a
	 * line start drops the comment up to (not including) its newline; quirk kept:
	 * for an empty comment ("#\n") the following line is not at a line start.
	 */
	static byte[] skipHashedLines(final byte[] in) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
		final int[] pos = { 0 };
		final boolean[] atLineStart = { true };
		int ch;
		while ((ch = read(in, pos, atLineStart)) >= 0)
			out.write(ch);
		return out.toByteArray();
	}

	private static int read(final byte[] in, final int[] pos, final boolean[] atLineStart) {
		int ch = pos[0] < in.length ? in[pos[0]++] & 0xff : -1;
		if (atLineStart[0]) {
			if (ch == '#') {
				while ((ch = read(in, pos, atLineStart)) != '\n' && ch != -1) {
					// skip the comment
				}
			}
			else atLineStart[0] = false;
		}
		else if (ch == '\n') atLineStart[0] = true;
		return ch;
	}

	/** The updater's {@code FilterManifest(in, keepOnlyMainClass = true)}. */
	static byte[] filterManifest(final byte[] in) throws IOException {
		final StringBuilder b = new StringBuilder();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.io.ByteArrayInputStream(in)))) {
			for (String line = r.readLine(); line != null; line = r.readLine())
				if (line.toUpperCase().startsWith("Main-Class:")) b.append(line).append('\n');
		}
		return b.toString().getBytes();
	}

	private static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	static String hex(final byte[] bytes) {
		final StringBuilder b = new StringBuilder(bytes.length * 2);
		for (final byte x : bytes)
			b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
		return b.toString();
	}
}
