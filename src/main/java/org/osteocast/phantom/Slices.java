package org.osteocast.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
		final int t = Math.min(threads, n);
		if (t <= 1) {
			for (int i = 0; i < n; i++)
				body.accept(i);
			return;
		}
		final ExecutorService pool = Parallel.pool("phantom-slices", t);
		try {
			final List<Future<?>> fs = new ArrayList<>();
			for (int c = 0; c < t; c++) {
				final int lo = (int) ((long) n * c / t), hi = (int) ((long) n * (c + 1) / t);
				fs.add(pool.submit(() -> {
					for (int i = lo; i < hi; i++)
						body.accept(i);
				}));
			}
			for (final Future<?> f : fs)
				f.get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", e);
		}
		catch (final ExecutionException e) {
			final Throwable c = e.getCause();
			if (c instanceof RuntimeException) throw (RuntimeException) c;
			if (c instanceof Error) throw (Error) c;
			throw new IllegalStateException(c);
		}
		finally {
			pool.shutdownNow();
		}
	}
}
