package org.osteocast.phantom;

import java.util.function.IntConsumer;

import org.osteocast.core.Parallel;

/**
 * Runs a loop body over indices 0 … n−1 (slices, rows) on a few threads.
 * Each index writes only its own part of the output, so the result does not
 * depend on the thread count; used inside one mouse when the cohort has fewer
 * mice than threads.
 */
final class Slices {

	private Slices() {}

	/** Calls {@code body} for every index, on up to {@code threads} threads (sequentially when 1). */
	static void run(final int n, final int threads, final IntConsumer body) {
		Parallel.forEach("phantom-slices", n, threads, body);
	}
}
