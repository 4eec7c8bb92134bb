package org.osteocast.io.contracts;

import java.util.regex.Pattern;

/**
 * Identifiers that become file names: mouse IDs, week labels, model and run
 * names. An identifier is never a path: it starts with a letter or digit and
 * holds only letters, digits, '.', '_' and '-' (at most {@value #MAX_LENGTH}
 * characters), so {@code out.resolve(id)} always names an entry directly
 * inside {@code out} on every operating system ({@code ..}, separators,
 * drive letters and hidden names are impossible).
 */
public final class Ids {

	/** The longest identifier accepted. */
	public static final int MAX_LENGTH = 100;

	private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

	/** What the user is told a valid identifier looks like (tests assert on it). */
	public static final String RULE = "use letters, digits, '.', '_' and '-', starting with a letter or digit, at most " +
		MAX_LENGTH + " characters";

	private Ids() {}

	/** Whether {@code id} is a safe identifier. */
	public static boolean isValid(final String id) {
		return id != null && SAFE.matcher(id).matches();
	}

	/**
	 * Checks an identifier.
	 *
	 * @param kind what it names, for the message ("mouse", "model")
	 * @return {@code id}
	 * @throws IllegalArgumentException naming the identifier and the rule
	 */
	public static String check(final String kind, final String id) {
		if (!isValid(id)) throw new IllegalArgumentException(problem(kind, id));
		return id;
	}

	/**
	 * An identifier made from a file name (characters outside the safe set
	 * become '_', a leading '.' or '-' gets an 'x' before it), for names the
	 * user did not declare as IDs, such as a single hyperstack's file name.
	 */
	public static String sanitize(final String name) {
		String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
		if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) s = "x" + s;
		return s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) : s;
	}

	/** The message for an invalid identifier (without the file it came from). */
	public static String problem(final String kind, final String id) {
		return kind + " '" + id + "' is not a valid " + kind + " ID (" + RULE + "; it names output files)";
	}
}
