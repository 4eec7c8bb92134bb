package org.osteocast.io;

import java.nio.file.Path;

/**
 * Bad input that is a volume: an unreadable, truncated or unsupported scan or
 * image file. The message always names the file and the problem, so the
 * command line can print it as one line.
 */
public class VolumeIOException extends org.osteocast.core.BadInputException {

	private static final long serialVersionUID = 1L;

	public VolumeIOException(final Path file, final String problem) {
		super(file, problem);
	}

	public VolumeIOException(final Path file, final String problem, final Throwable cause) {
		super(file, problem, cause);
	}
}
