package org.osteocast.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.osteocast.metrics.Calibration;

/**
 * A reliability diagram of a {@link Calibration.Reliability} table, drawn with
 * Java2D (headless): per bin a bar up to the observed frequency of bone and a
 * dot at (mean predicted probability, observed frequency), the diagonal of
 * perfect calibration, and below it a histogram of the pixels per bin. The
 * histogram's height is logarithmic because forecasts put most pixels at
 * p = 0 or 1, which on a linear scale would flatten every other bin to
 * nothing. ECE, Brier score and the number of pixels are in the title.
 */
public final class ReliabilityDiagram {

	private ReliabilityDiagram() {}

	/** The file name of a run's diagram in a folder of its own (a benchmark run). */
	public static final String FILE_NAME = "reliability.png";

	/**
	 * Where evaluation writes the cohort's diagram beside its CSV:
	 * {@code <csv name without .csv>_reliability.png}, so that two evaluations
	 * in one folder never write over each other's diagram.
	 */
	public static java.nio.file.Path besideCsv(final java.nio.file.Path csv) {
		final String n = csv.getFileName().toString();
		final String stem = n.toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? n.substring(0, n.length() - 4) : n;
		return csv.toAbsolutePath().resolveSibling(stem + "_" + FILE_NAME);
	}

	/** Size of the square plot and of the histogram under it, in pixels. */
	static final int PLOT = 360, HIST = 90;
	/** Margins: left (axis labels), top (title), gap between plot and histogram, bottom (axis labels), right. */
	static final int LEFT = 70, TOP = 50, GAP = 20, BOTTOM = 48, RIGHT = 20;

	/** Colours of the bars, the dots and the histogram (tests read them back). */
	static final Color BAR = new Color(158, 202, 225), BAR_EDGE = new Color(49, 130, 189), DOT = new Color(222, 45, 38),
		HIST_BAR = new Color(150, 150, 150);

	/** Image x of probability p. */
	static int x(final double p) {
		return LEFT + (int) Math.round(p * PLOT);
	}

	/** Image y of frequency f in the plot. */
	static int y(final double f) {
		return TOP + (int) Math.round((1 - f) * PLOT);
	}

	/** Image y of the histogram's base line. */
	static int histBase() {
		return TOP + PLOT + GAP + HIST;
	}

	/** Height in pixels of a histogram bar of {@code count} when the largest bin holds {@code max}. */
	static int histHeight(final long count, final long max) {
		if (count <= 0) return 0;
		return (int) Math.max(1, Math.round(HIST * Math.log10(count + 1.0) / Math.log10(max + 1.0)));
	}

	/**
	 * Draws the diagram.
	 *
	 * @param r the table (at least one pixel)
	 * @param title first part of the title (e.g. the data set); ECE, Brier and n are appended
	 */
	public static BufferedImage render(final Calibration.Reliability r, final String title) {
		if (r == null || r.n == 0) throw new IllegalArgumentException("a reliability diagram needs at least one pixel");
		final int w = LEFT + PLOT + RIGHT, h = histBase() + BOTTOM;
		final BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = img.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, w, h);
		final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12), bold = font.deriveFont(Font.BOLD, 13f);
		final FontMetrics fm = g.getFontMetrics(font);
		// title: two lines
		g.setColor(Color.BLACK);
		g.setFont(bold);
		g.drawString(title == null || title.isEmpty() ? "Reliability of P(bone)" : title, 8, 18);
		g.setFont(font);
		g.drawString(String.format(Locale.ROOT, "ECE %.4f   Brier %.4f   n = %,d pixels", r.ece, r.brier, r.n), 8, 36);
		// grid and frame
		g.setColor(new Color(230, 230, 230));
		for (int k = 1; k < 5; k++) {
			g.drawLine(x(k / 5.0), y(0), x(k / 5.0), y(1));
			g.drawLine(x(0), y(k / 5.0), x(1), y(k / 5.0));
		}
		// bars of observed frequency, one per non-empty bin
		for (int b = 0; b < r.bins(); b++) {
			if (r.count(b) == 0) continue;
			final int x0 = x(r.lower(b)) + 1, x1 = x(r.upper(b)) - 1, yt = y(r.observedFrequency(b));
			g.setColor(BAR);
			g.fillRect(x0, yt, Math.max(1, x1 - x0), y(0) - yt);
			g.setColor(BAR_EDGE);
			g.drawRect(x0, yt, Math.max(1, x1 - x0), y(0) - yt);
		}
		// the diagonal of perfect calibration
		final Stroke plain = g.getStroke();
		g.setColor(Color.DARK_GRAY);
		g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 6f, 4f }, 0f));
		g.drawLine(x(0), y(0), x(1), y(1));
		g.setStroke(plain);
		// dots at (mean p, frequency)
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		for (int b = 0; b < r.bins(); b++) {
			if (r.count(b) == 0) continue;
			final int cx = x(r.meanPredicted(b)), cy = y(r.observedFrequency(b));
			g.setColor(DOT);
			g.fillOval(cx - 4, cy - 4, 9, 9);
		}
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
		g.setColor(Color.BLACK);
		g.drawRect(x(0), y(1), PLOT, PLOT);
		// histogram of counts (log scale)
		long max = 0;
		for (int b = 0; b < r.bins(); b++)
			max = Math.max(max, r.count(b));
		final int base = histBase();
		for (int b = 0; b < r.bins(); b++) {
			final int hh = histHeight(r.count(b), max);
			if (hh == 0) continue;
			final int x0 = x(r.lower(b)) + 1, x1 = x(r.upper(b)) - 1;
			g.setColor(HIST_BAR);
			g.fillRect(x0, base - hh, Math.max(1, x1 - x0), hh);
		}
		g.setColor(Color.BLACK);
		g.drawRect(x(0), base - HIST, PLOT, HIST);
		// ticks and labels
		for (int k = 0; k <= 5; k++) {
			final String s = String.format(Locale.ROOT, "%.1f", k / 5.0);
			g.drawLine(x(k / 5.0), base, x(k / 5.0), base + 4);
			g.drawString(s, x(k / 5.0) - fm.stringWidth(s) / 2, base + 4 + fm.getAscent());
			g.drawLine(x(0) - 4, y(k / 5.0), x(0), y(k / 5.0));
			g.drawString(s, x(0) - 6 - fm.stringWidth(s), y(k / 5.0) + fm.getAscent() / 2 - 1);
		}
		final String xl = "predicted P(bone)";
		g.drawString(xl, x(0.5) - fm.stringWidth(xl) / 2, h - 8);
		final String maxLabel = compact(max);
		g.drawString(maxLabel, x(0) - 6 - fm.stringWidth(maxLabel), base - HIST + fm.getAscent());
		g.drawString("1", x(0) - 6 - fm.stringWidth("1"), base);
		vertical(g, fm, "observed frequency of bone", 14, y(0.5));
		vertical(g, fm, "pixels (log)", 14, base - HIST / 2);
		g.dispose();
		return img;
	}

	/** A count in at most 5 characters: 950, 12k, 122k, 9.8M. */
	static String compact(final long n) {
		if (n < 10_000) return Long.toString(n);
		if (n < 1_000_000) return Math.round(n / 1e3) + "k";
		if (n < 10_000_000) return String.format(Locale.ROOT, "%.1fM", n / 1e6);
		if (n < 1_000_000_000) return Math.round(n / 1e6) + "M";
		return String.format(Locale.ROOT, "%.1fG", n / 1e9);
	}

	private static void vertical(final Graphics2D g, final FontMetrics fm, final String s, final int x, final int cy) {
		final AffineTransform t = g.getTransform();
		g.rotate(-Math.PI / 2, x, cy);
		g.drawString(s, x - fm.stringWidth(s) / 2, cy + fm.getAscent() / 2);
		g.setTransform(t);
	}

	/** Renders and writes the diagram as PNG, atomically. */
	public static void write(final Calibration.Reliability r, final String title, final Path png) throws IOException {
		Figure.writePng(render(r, title), png);
	}
}
