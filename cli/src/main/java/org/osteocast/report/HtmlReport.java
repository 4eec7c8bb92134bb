package org.osteocast.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.osteocast.io.util.AtomicFiles;

/**
 * A self-contained HTML report: one file, images embedded as data URIs, inline
 * CSS, no scripts and nothing fetched from the network, so it opens anywhere
 * (an e-mail attachment, a lab notebook, an air-gapped workstation).
 */
public final class HtmlReport {

	private final StringBuilder body = new StringBuilder();
	private final String title;

	public HtmlReport(final String title) {
		this.title = title;
	}

	public HtmlReport heading(final String text) {
		body.append("<h2>").append(esc(text)).append("</h2>\n");
		return this;
	}

	public HtmlReport subheading(final String text) {
		body.append("<h3>").append(esc(text)).append("</h3>\n");
		return this;
	}

	/** A paragraph of plain text (escaped). */
	public HtmlReport paragraph(final String text) {
		body.append("<p>").append(esc(text)).append("</p>\n");
		return this;
	}

	/** A highlighted note (e.g. "quick mode: smaller cohort and model"). */
	public HtmlReport note(final String text) {
		body.append("<p class=\"note\">").append(esc(text)).append("</p>\n");
		return this;
	}

	/** An image, embedded, with a caption. */
	public HtmlReport image(final BufferedImage img, final String caption) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(img, "png", out);
		return imagePng(out.toByteArray(), caption);
	}

	/** A PNG file, embedded, with a caption. */
	public HtmlReport image(final Path png, final String caption) throws IOException {
		return imagePng(Files.readAllBytes(png), caption);
	}

	private HtmlReport imagePng(final byte[] png, final String caption) {
		body.append("<figure><img alt=\"").append(esc(caption)).append("\" src=\"data:image/png;base64,").append(Base64
			.getEncoder().encodeToString(png)).append("\"><figcaption>").append(esc(caption)).append(
				"</figcaption></figure>\n");
		return this;
	}

	/** A table; numbers right-aligned. */
	public HtmlReport table(final List<String> header, final List<List<String>> rows) {
		body.append("<table><thead><tr>");
		for (final String h : header)
			body.append("<th>").append(esc(h)).append("</th>");
		body.append("</tr></thead><tbody>\n");
		for (final List<String> r : rows) {
			body.append("<tr>");
			for (final String c : r)
				body.append(c != null && c.matches("[-+]?[0-9.]+(e[-+]?\\d+)?%?( ± [0-9.]+)?") ? "<td class=\"n\">" : "<td>")
					.append(esc(c)).append("</td>");
			body.append("</tr>\n");
		}
		body.append("</tbody></table>\n");
		return this;
	}

	/** Preformatted text (command lines, logs). */
	public HtmlReport code(final String text) {
		body.append("<pre>").append(esc(text)).append("</pre>\n");
		return this;
	}

	/** The complete document. */
	public String html() {
		return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" + esc(title) + "</title>\n" +
			"<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}" +
			"h1{border-bottom:2px solid #444}h2{margin-top:1.8em;border-bottom:1px solid #bbb}" +
			"figure{margin:1em 0}img{max-width:100%;image-rendering:pixelated}figcaption{color:#555;font-size:.9em}" +
			"table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em}" +
			"th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}" +
			"pre{background:#f6f6f6;padding:.8em;overflow-x:auto}.note{background:#fff6d6;padding:.6em;border-left:4px solid #e0b000}" +
			"</style></head><body>\n<h1>" + esc(title) + "</h1>\n" + body + "</body></html>\n";
	}

	/** Writes the report atomically. */
	public void write(final Path file) throws IOException {
		AtomicFiles.writeString(file, html());
	}

	static String esc(final String s) {
		if (s == null) return "";
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}
}
