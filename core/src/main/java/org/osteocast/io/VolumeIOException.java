package org.osteocast.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Bad input: an unreadable, truncated or unsupported file. The message always
 * names the file and the problem, so the command line can print it as one line.
 */
public class VolumeIOException extends IOException {

	private static final long serialVersionUID = 1L;
	private final Path file;

	public VolumeIOException(final Path file, final String problem) {
		super(file + ": " + problem);
		this.file = file;
	}

	public VolumeIOException(final Path file, final String problem, final Throwable cause) {
		super(file + ": " + problem, cause);
		this.file = file;
	}

	/** The offending file or folder. */
	public Path file() {
		return file;
	}
}
