package org.osteocast.core;

/**
 * How the core reports progress. The core never imports a UI: the Fiji
 * adapter maps this onto the status bar, the command line onto a console bar,
 * tests onto nothing. Implementations must be cheap and thread-safe.
 */
public interface Progress {

	/** A progress sink that ignores everything. */
	Progress NONE = new Progress() {
		@Override
		public void status(final String message) {}

		@Override
		public void progress(final long done, final long total) {}
	};

	/** A short human-readable description of the current unit of work. */
	void status(String message);

	/** {@code done} units of {@code total} finished (0 ≤ done ≤ total). */
	void progress(long done, long total);
}
