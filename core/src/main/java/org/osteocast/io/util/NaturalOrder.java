package org.osteocast.io.util;

import java.util.Comparator;

/**
 * The natural order of names that carry numbers: runs of digits compare as
 * numbers ({@code M2 < M10}, {@code slice_0009 < slice_10}), everything else
 * character by character. Mouse IDs, week folders and slice files are sorted
 * this way everywhere.
 */
public final class NaturalOrder {

	/** {@link #compare(String, String)} as a comparator. */
	public static final Comparator<String> NATURAL = NaturalOrder::compare;

	private NaturalOrder() {}

	/** Compares names with runs of digits as numbers ({@code week2 < week10}; leading zeros ignored). */
	public static int compare(final String a, final String b) {
		int i = 0, j = 0;
		while (i < a.length() && j < b.length()) {
			final char ca = a.charAt(i), cb = b.charAt(j);
			if (Character.isDigit(ca) && Character.isDigit(cb)) {
				int ei = i, ej = j;
				while (ei < a.length() && Character.isDigit(a.charAt(ei)))
					ei++;
				while (ej < b.length() && Character.isDigit(b.charAt(ej)))
					ej++;
				final String na = a.substring(i, ei).replaceFirst("^0+(?=.)", ""), nb = b.substring(j, ej).replaceFirst(
					"^0+(?=.)", "");
				if (na.length() != nb.length()) return na.length() - nb.length();
				final int c = na.compareTo(nb);
				if (c != 0) return c;
				i = ei;
				j = ej;
			}
			else {
				if (ca != cb) return Character.compare(ca, cb);
				i++;
				j++;
			}
		}
		return (a.length() - i) - (b.length() - j);
	}
}
