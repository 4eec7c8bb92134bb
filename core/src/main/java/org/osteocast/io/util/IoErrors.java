package org.osteocast.io.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** What went wrong with a file, in the words a user reads in a one-line error. */
public final class IoErrors {

	private IoErrors() {}

	/** A file-system error as the user should read it: the cause, without Java's class names. */
	public static String reason(final IOException e) {
		if (e instanceof AccessDeniedException) return "permission denied";
		if (e instanceof NoSuchFileException) return "no such file or folder";
		if (e instanceof FileSystemException) {
			final String r = ((FileSystemException) e).getReason();
			if (r != null) return r;
		}
		final String m = e.getMessage();
		return m == null ? e.getClass().getSimpleName() : m;
	}
}
