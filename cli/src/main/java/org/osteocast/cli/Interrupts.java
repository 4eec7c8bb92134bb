package org.osteocast.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osteocast.core.Cancellation;

/**
 * Ctrl-C for long commands: a shutdown hook raises the core's cancellation
 * flag and then waits (at most five minutes) for the work to stop at its next
 * check, so that what it writes on the way out (a checkpoint, a clean message)
 * is complete before the JVM exits.
 */
final class Interrupts {

	private Interrupts() {}

	/** Runs {@code work}; Ctrl-C cancels {@code cancel} with {@code reason} and lets the work wind down. */
	static <T> T cancellable(final Cancellation cancel, final String reason, final Callable<T> work) throws Exception {
		final CountDownLatch finished = new CountDownLatch(1);
		final Thread hook = new Thread(() -> {
			cancel.cancel(reason);
			try {
				finished.await(5, TimeUnit.MINUTES);
			}
			catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}, "osteocast-cancel");
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			return work.call();
		}
		finally {
			finished.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (final IllegalStateException e) {
				// already shutting down (Ctrl-C)
			}
		}
	}
}
