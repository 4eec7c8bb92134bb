package org.osteocast.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

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
}
