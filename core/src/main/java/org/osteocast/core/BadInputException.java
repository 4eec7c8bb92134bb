package org.osteocast.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Bad input: a file or folder that cannot be used as given (a damaged model
 * archive, a checkpoint of other settings, an unreadable scan). The message
 * always names the file and the problem, so the command line prints it as one
 * line with exit code 2, and the Fiji commands cancel with it.
 */
public class BadInputException extends IOException {

	private static final long serialVersionUID = 1L;
	private final Path file;

	public BadInputException(final Path file, final String problem) {
		super(file + ": " + problem);
		this.file = file;
	}

	public BadInputException(final Path file, final String problem, final Throwable cause) {
		super(file + ": " + problem, cause);
		this.file = file;
	}

	/** The offending file or folder. */
	public Path file() {
		return file;
	}
}
