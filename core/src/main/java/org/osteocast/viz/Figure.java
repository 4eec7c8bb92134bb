package org.osteocast.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.osteocast.io.util.AtomicFiles;

/**
 * A grid of {@link Panel}s with titles, row labels and colour bars, rendered
 * with Java2D (headless) and saved as PNG: the montages of the reports, the
 * "Show Forecast" command and the benchmark figures.
 */
public final class Figure {

	private final List<List<Panel>> rows = new ArrayList<>();
	private final List<String> rowLabels = new ArrayList<>();
	private final int scale;
	private String title;

	/** @param scale integer magnification of every panel (nearest neighbour, so pixels stay honest) */
	public Figure(final int scale) {
		if (scale < 1) throw new IllegalArgumentException("scale must be >= 1");
		this.scale = scale;
	}

	public Figure title(final String t) {
		this.title = t;
		return this;
	}

	/** Adds a row of panels with an optional label on its left. */
	public Figure row(final String label, final List<Panel> panels) {
		rows.add(new ArrayList<>(panels));
		rowLabels.add(label);
		return this;
	}

	private static final int PAD = 6, BAR_W = 12, BAR_TEXT = 40;

	/** Renders the figure. */
	public BufferedImage render() {
		final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
		final Font bold = font.deriveFont(Font.BOLD, 14f);
		final BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
		final Graphics2D pg = probe.createGraphics();
		final FontMetrics fm = pg.getFontMetrics(font);
		int labelW = 0;
		for (final String l : rowLabels)
			if (l != null) labelW = Math.max(labelW, fm.stringWidth(l) + PAD);
		final int cols = rows.stream().mapToInt(List::size).max().orElse(0);
		final int[] colW = new int[cols];
		final int[] rowH = new int[rows.size()];
		for (int r = 0; r < rows.size(); r++)
			for (int c = 0; c < rows.get(r).size(); c++) {
				final Panel p = rows.get(r).get(c);
				colW[c] = Math.max(colW[c], Math.max(p.width * scale + (p.colorBar ? BAR_W + BAR_TEXT : 0), fm.stringWidth(
					p.title == null ? "" : p.title)));
				rowH[r] = Math.max(rowH[r], p.height * scale + fm.getHeight());
			}
		pg.dispose();
		final int titleH = title != null ? 24 : 0;
		int width = labelW + PAD, height = titleH + PAD;
		for (final int w : colW)
			width += w + PAD;
		for (final int h : rowH)
			height += h + PAD;
		final BufferedImage img = new BufferedImage(Math.max(width, 1), Math.max(height, 1), BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = img.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, img.getWidth(), img.getHeight());
		g.setColor(Color.BLACK);
		if (title != null) {
			g.setFont(bold);
			g.drawString(title, PAD, 17);
		}
		g.setFont(font);
		int y = titleH + PAD;
		for (int r = 0; r < rows.size(); r++) {
			if (rowLabels.get(r) != null) {
				g.setColor(Color.BLACK);
				g.drawString(rowLabels.get(r), PAD, y + fm.getHeight() + rowH[r] / 2 - fm.getHeight());
			}
			int x = labelW + PAD;
			for (int c = 0; c < rows.get(r).size(); c++) {
				final Panel p = rows.get(r).get(c);
				g.setColor(Color.BLACK);
				if (p.title != null) g.drawString(p.title, x, y + fm.getAscent());
				final int top = y + fm.getHeight();
				for (int py = 0; py < p.height; py++)
					for (int px = 0; px < p.width; px++) {
						final int argb = p.argb(py * p.width + px);
						for (int sy = 0; sy < scale; sy++)
							for (int sx = 0; sx < scale; sx++)
								img.setRGB(x + px * scale + sx, top + py * scale + sy, argb);
					}
				if (p.colorBar) drawBar(g, fm, p, x + p.width * scale + 4, top, p.height * scale);
				x += colW[c] + PAD;
			}
			y += rowH[r] + PAD;
		}
		g.dispose();
		return img;
	}

	private static void drawBar(final Graphics2D g, final FontMetrics fm, final Panel p, final int x, final int top,
		final int h)
	{
		for (int i = 0; i < h; i++) {
			g.setColor(new Color(p.map.argb(1 - i / (double) Math.max(1, h - 1)), true));
			g.drawLine(x, top + i, x + BAR_W - 1, top + i);
		}
		g.setColor(Color.BLACK);
		g.drawRect(x, top, BAR_W - 1, h - 1);
		g.drawString(format(p.hi), x + BAR_W + 2, top + fm.getAscent());
		g.drawString(format(p.lo), x + BAR_W + 2, top + h);
	}

	static String format(final double v) {
		return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(
			Locale.ROOT, "%.2f", v);
	}

	/** Renders and writes a PNG atomically. */
	public void writePng(final Path file) throws IOException {
		writePng(render(), file);
	}

	/** Writes any image as PNG atomically. */
	public static void writePng(final BufferedImage img, final Path file) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		if (!ImageIO.write(img, "png", out)) throw new IOException(file + ": no PNG writer available");
		AtomicFiles.writeBytes(file, out.toByteArray());
	}
}
