package org.osteocast.voi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.osteocast.core.Parallel;

/** A parallel for-loop over indices with {@link Parallel#threads()} threads; exceptions propagate. */
final class Loops {

	private Loops() {}

	static void forEach(final int n, final IntConsumer body) {
		final int threads = Math.min(n, Parallel.threads());
		if (threads <= 1) {
			for (int i = 0; i < n; i++)
				body.accept(i);
			return;
		}
		final ExecutorService pool = Parallel.pool("voi", threads);
		try {
			final AtomicInteger next = new AtomicInteger();
			final List<Future<?>> fs = new ArrayList<>();
			for (int t = 0; t < threads; t++)
				fs.add(pool.submit(() -> {
					for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement())
						body.accept(i);
				}));
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
