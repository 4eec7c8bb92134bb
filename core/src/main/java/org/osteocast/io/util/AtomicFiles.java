package org.osteocast.io.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;

import org.osteocast.core.BadInputException;

/**
 * Writes outputs atomically: into a temporary file beside the target, then a
 * rename. A killed run leaves either the old file or the new one, never half a
 * file, and never touches an input.
 */
public final class AtomicFiles {

	private AtomicFiles() {}

	/** Something that writes a file at the given (temporary) path. */
	@FunctionalInterface
	public interface Writer {
		void write(Path tmp) throws IOException;
	}

	/** Runs {@code writer} on a temporary path next to {@code target}, then moves it into place. */
	public static void write(final Path target, final Writer writer) throws IOException {
		final Path abs = target.toAbsolutePath();
		final Path dir = abs.getParent();
		try {
			writeOrFail(abs, dir, writer);
		}
		catch (final BadInputException e) {
			throw e;
		}
		catch (final IOException e) {
			// disk full, permissions, a vanished folder: name the file and the cause
			throw new BadInputException(target, "cannot write (" + IoErrors.reason(e) + ")", e);
		}
	}

	private static void writeOrFail(final Path abs, final Path dir, final Writer writer) throws IOException {
		if (dir != null) Files.createDirectories(dir);
		final String fileName = abs.getFileName().toString();
		// keep the extension: some writers choose the format by it
		final int dot = fileName.indexOf('.');
		final String ext = dot > 0 ? fileName.substring(dot) : "";
		final Path tmp = Files.createTempFile(dir, "." + (dot > 0 ? fileName.substring(0, dot) : fileName) + ".", ".tmp" + ext);
		boolean done = false;
		try {
			writer.write(tmp);
			readableByAll(tmp);
			try {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
			}
			done = true;
		}
		finally {
			if (!done) Files.deleteIfExists(tmp);
		}
	}

	/**
	 * Temporary files are created owner-only (0600); an output must look like any
	 * other file the user writes, so give it the usual rw-r--r--.
	 */
	private static void readableByAll(final Path tmp) throws IOException {
		try {
			Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
		}
		catch (final UnsupportedOperationException e) {
			// not a POSIX file system: its defaults apply
		}
	}

	/** Writes bytes atomically. */
	public static void writeBytes(final Path target, final byte[] bytes) throws IOException {
		write(target, tmp -> Files.write(tmp, bytes));
	}

	/** Writes UTF-8 text atomically. */
	public static void writeString(final Path target, final String text) throws IOException {
		writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
	}

	/** Streams into a file atomically. */
	public static void writeStream(final Path target, final StreamWriter writer) throws IOException {
		write(target, tmp -> {
			try (OutputStream out = Files.newOutputStream(tmp)) {
				writer.write(out);
			}
		});
	}

	@FunctionalInterface
	public interface StreamWriter {
		void write(OutputStream out) throws IOException;
	}
}
