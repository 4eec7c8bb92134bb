package org.osteocast.core;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancellation flag that long-running core work checks between units of
 * work (a slice, a batch, an optimiser iteration). Thread-safe.
 */
public class Cancellation {

	/** A flag that is never raised, for callers that cannot cancel. */
	public static final Cancellation NEVER = new Cancellation() {
		@Override
		public void cancel(final String reason) {
			throw new UnsupportedOperationException("Cancellation.NEVER cannot be cancelled");
		}
	};

	private final AtomicBoolean cancelled = new AtomicBoolean();
	private volatile String reason = "cancelled";

	public void cancel(final String why) {
		this.reason = why == null ? "cancelled" : why;
		cancelled.set(true);
	}

	/** True once cancelled; subclasses may add other sources (a UI's cancel button, the Esc key). */
	public boolean isCancelled() {
		return cancelled.get();
	}

	/** Why it was cancelled. */
	public String reason() {
		return reason;
	}

	/** @throws CancelledException if {@link #cancel(String)} was called */
	public void check() {
		if (isCancelled()) throw new CancelledException(reason);
	}

	/** Raised by {@link Cancellation#check()}; unchecked so that it crosses lambdas. */
	public static final class CancelledException extends RuntimeException {
		private static final long serialVersionUID = 1L;

		public CancelledException(final String message) {
			super(message);
		}
	}
}
