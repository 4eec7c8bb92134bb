package org.osteocast.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one place that decides how many threads OsteoCast's own (non-PyTorch)
 * work uses: the system property {@code osteocast.threads} (set by the
 * launcher from {@code OSTEOCAST_THREADS}), else all available cores.
 */
public final class Parallel {

	private Parallel() {}

	/** Threads for OsteoCast's own parallel loops (≥ 1). */
	public static int threads() {
		final String p = System.getProperty("osteocast.threads");
		if (p != null) {
			try {
				final int n = Integer.parseInt(p.trim());
				if (n > 0) return n;
			}
			catch (final NumberFormatException e) {
				// fall through to the core count
			}
		}
		return Math.max(1, Runtime.getRuntime().availableProcessors());
	}

	/** A fixed pool of daemon threads named {@code osteocast-<name>-N}. Callers shut it down. */
	public static ExecutorService pool(final String name, final int threads) {
		final AtomicInteger n = new AtomicInteger();
		final ThreadFactory f = r -> {
			final Thread t = new Thread(r, "osteocast-" + name + "-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
		return Executors.newFixedThreadPool(Math.max(1, threads), f);
	}

	/**
	 * Calls {@code body} for every index 0 … n−1 on up to {@code threads}
	 * threads (sequentially when 1), handing out indices one at a time so
	 * uneven work balances. Each index must write only its own part of the
	 * output, so results do not depend on the thread count. The first exception
	 * of a body is rethrown.
	 */
	public static void forEach(final String name, final int n, final int threads, final IntConsumer body) {
		final int t = Math.min(threads, n);
		if (t <= 1) {
			for (int i = 0; i < n; i++)
				body.accept(i);
			return;
		}
		final ExecutorService pool = pool(name, t);
		try {
			final AtomicInteger next = new AtomicInteger();
			final List<Future<?>> fs = new ArrayList<>();
			for (int c = 0; c < t; c++)
				fs.add(pool.submit(() -> {
					for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement())
						body.accept(i);
				}));
			join(fs);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Waits for every future; rethrows a task's runtime exception or error as itself. */
	public static void join(final List<? extends Future<?>> futures) {
		try {
			for (final Future<?> f : futures)
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
	}
}
