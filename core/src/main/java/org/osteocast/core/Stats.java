package org.osteocast.core;

import java.util.Arrays;

/** Order statistics shared by the metrics, the registration and the benchmarks. */
public final class Stats {

	private Stats() {}

	/**
	 * The median of the values (the mean of the two middle ones for an even
	 * count), NaN for none; the array is left as it is.
	 */
	public static double median(final double[] values) {
		return medianInPlace(values.clone());
	}

	/**
	 * {@link #median} without a copy, for large scratch arrays: sorts
	 * {@code values}.
	 */
	public static double medianInPlace(final double[] values) {
		if (values.length == 0) return Double.NaN;
		Arrays.sort(values);
		final int n = values.length;
		return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
	}
}
