package org.osteocast.fiji;

import ij.IJ;

import java.io.IOException;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;

/**
 * Base of every OsteoCast menu command: parameters in, one call into the core,
 * outputs out. It maps the core's {@link Progress} onto Fiji's status bar,
 * bridges cancellation (the command's own cancel, and ImageJ's Esc key) into
 * the core's {@link Cancellation}, and turns bad input into a clean cancel with
 * a message — never a modal dialog that would hang a headless macro.
 * <p>
 * Every input of an OsteoCast command is declared {@code persist = false}: a
 * macro line then means the same thing every time it runs, instead of silently
 * taking a value left over from an earlier dialog (an old cohort folder, say).
 */
public abstract class OsteoCastCommand extends ContextCommand {

	@Parameter(required = false)
	protected StatusService status;

	@Parameter(required = false)
	protected LogService log;

	private final Cancellation cancellation = new Cancellation() {
		@Override
		public boolean isCancelled() {
			return super.isCancelled() || OsteoCastCommand.this.isCanceled() || escapePressed();
		}
	};

	@Override
	public final void run() {
		if (isCanceled()) return; // honour a cancel from pre-processing (e.g. a dialog closed)
		try {
			execute();
			if (status != null) status.clearStatus();
		}
		catch (final Cancellation.CancelledException e) {
			fail(Messages.CANCELLED);
		}
		catch (final IOException | IllegalArgumentException | IllegalStateException e) {
			fail(e.getMessage());
		}
	}

	/** The command's work. Throw IOException/IllegalArgumentException with a user-facing message for bad input. */
	protected abstract void execute() throws IOException;

	/** Cancels the command with a message (logged; shown by Fiji in a GUI session). */
	protected void fail(final String message) {
		cancel(message);
		if (log != null) log.error("OsteoCast: " + message);
		else System.err.println("OsteoCast: " + message);
	}

	/** Progress on Fiji's status bar (or nothing outside Fiji). */
	protected Progress progress() {
		return status == null ? Progress.NONE : new StatusProgress(status);
	}

	/** Raised when the command is cancelled or Esc is pressed in ImageJ. */
	protected Cancellation cancellation() {
		return cancellation;
	}

	private static boolean escapePressed() {
		try {
			return IJ.escapePressed();
		}
		catch (final Throwable t) { // ImageJ 1.x absent or headless
			return false;
		}
	}

	/** Maps {@link Progress} onto a SciJava {@link StatusService}. */
	static final class StatusProgress implements Progress {
		private final StatusService status;
		private volatile String message = "";

		StatusProgress(final StatusService status) {
			this.status = status;
		}

		@Override
		public void status(final String m) {
			message = m;
			status.showStatus(m);
		}

		@Override
		public void progress(final long done, final long total) {
			final int scale = total > Integer.MAX_VALUE ? (int) (total / Integer.MAX_VALUE + 1) : 1;
			status.showStatus((int) (done / scale), (int) (total / scale), message);
		}
	}
}
