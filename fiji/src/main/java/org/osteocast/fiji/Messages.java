package org.osteocast.fiji;

/** User-facing messages of the Fiji commands; tests assert on these constants. */
public final class Messages {

	private Messages() {}

	public static final String CANCELLED = "Cancelled.";
	public static final String NO_IMAGE = "No image is open: open a scan (or a hyperstack) first, or give a file.";
	public static final String NO_INPUT = "No input given: choose a file or folder.";
	public static final String NO_OUTPUT = "No output folder given.";

	/** "The parameter 'x' is required." */
	public static String required(final String parameter) {
		return "The parameter '" + parameter + "' is required.";
	}
}
