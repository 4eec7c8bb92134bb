package org.osteocast.cli;

import java.io.PrintStream;
import java.util.Locale;

import org.osteocast.core.Progress;

/**
 * A console progress bar with elapsed time and ETA. On a terminal it redraws
 * one line; otherwise (a log file, CI) it prints a line every 10 %.
 */
public final class ConsoleProgress implements Progress {

	private final PrintStream out;
	private final boolean terminal;
	private final long start = System.nanoTime();
	private volatile String status = "";
	private int lastDecile = -1;
	private long lastDraw;

	public ConsoleProgress(final PrintStream out) {
		this(out, System.console() != null);
	}

	public ConsoleProgress(final PrintStream out, final boolean terminal) {
		this.out = out;
		this.terminal = terminal;
	}

	@Override
	public synchronized void status(final String message) {
		status = message;
		if (!terminal) out.println(message);
	}

	@Override
	public synchronized void progress(final long done, final long total) {
		if (total <= 0) return;
		final double f = Math.min(1, Math.max(0, done / (double) total));
		final double elapsed = (System.nanoTime() - start) / 1e9;
		final String eta = done > 0 && done < total ? " ETA " + time(elapsed / f - elapsed) : "";
		final String line = String.format(Locale.ROOT, "%s [%s] %3.0f%% %d/%d %s%s", status, bar(f), 100 * f, done,
			total, time(elapsed), eta);
		if (terminal) {
			final long now = System.nanoTime();
			if (done == total || now - lastDraw > 100_000_000L) {
				out.print("\r" + line + "\u001b[K");
				if (done == total) out.println();
				out.flush();
				lastDraw = now;
			}
		}
		else {
			final int decile = (int) Math.floor(f * 10);
			if (decile != lastDecile) {
				lastDecile = decile;
				out.println(line);
			}
		}
	}

	private static String bar(final double f) {
		final int n = 24, k = (int) Math.round(f * n);
		return "#".repeat(k) + ".".repeat(n - k);
	}

	static String time(final double seconds) {
		final long s = Math.round(seconds);
		return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(
			Locale.ROOT, "%d:%02d", s / 60, s % 60);
	}
}
