package org.osteocast.io.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osteocast.core.BadInputException;

/**
 * Minimal CSV for the project's manifests and tables: comma-separated, a header
 * row, optional double quotes (RFC 4180 style), '#' comment lines and blank
 * lines ignored. Column names are matched case-insensitively.
 */
public final class Csv {

	private Csv() {}

	/** One data row with its 1-based line number for error messages. */
	public static final class Row {
		private final Map<String, String> cells;
		private final int line;

		Row(final Map<String, String> cells, final int line) {
			this.cells = cells;
			this.line = line;
		}

		/** The cell of a column, trimmed; null if the column is absent or the cell is empty. */
		public String get(final String column) {
			final String v = cells.get(column.toLowerCase(Locale.ROOT));
			return v == null || v.isBlank() ? null : v.trim();
		}

		public int line() {
			return line;
		}
	}

	/** Parsed table: header (lower case) and rows. */
	public static final class Table {
		public final List<String> header;
		public final List<Row> rows;

		Table(final List<String> header, final List<Row> rows) {
			this.header = header;
			this.rows = rows;
		}

		public boolean has(final String column) {
			return header.contains(column.toLowerCase(Locale.ROOT));
		}
	}

	/** Reads a CSV file. */
	public static Table read(final Path file) throws BadInputException {
		final List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (final java.nio.charset.CharacterCodingException e) {
			throw new BadInputException(file, "not a text CSV file (its bytes are not UTF-8 text)", e);
		}
		catch (final IOException e) {
			throw new BadInputException(file, "cannot read CSV (" + IoErrors.reason(e) + ")", e);
		}
		List<String> header = null;
		final List<Row> rows = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
			if (line.isBlank() || line.startsWith("#")) continue;
			final List<String> cells = split(line);
			if (header == null) {
				header = new ArrayList<>();
				for (final String c : cells)
					header.add(c.trim().toLowerCase(Locale.ROOT));
				continue;
			}
			if (cells.size() > header.size()) throw new BadInputException(file, "line " + (i + 1) + " has " + cells
				.size() + " cells but the header has " + header.size());
			final Map<String, String> m = new LinkedHashMap<>();
			for (int c = 0; c < cells.size(); c++)
				m.put(header.get(c), cells.get(c));
			rows.add(new Row(m, i + 1));
		}
		if (header == null) throw new BadInputException(file, "empty CSV (no header row)");
		return new Table(header, rows);
	}

	static List<String> split(final String line) {
		final List<String> out = new ArrayList<>();
		final StringBuilder b = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			final char ch = line.charAt(i);
			if (quoted) {
				if (ch == '"') {
					if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
						b.append('"');
						i++;
					}
					else quoted = false;
				}
				else b.append(ch);
			}
			else if (ch == '"') quoted = true;
			else if (ch == ',') {
				out.add(b.toString());
				b.setLength(0);
			}
			else b.append(ch);
		}
		out.add(b.toString());
		return out;
	}

	/** Quotes a cell when needed. */
	public static String cell(final Object value) {
		final String s = value == null ? "" : value.toString();
		return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
	}

	/** Joins cells into one CSV line (no newline). */
	public static String line(final Object... cells) {
		final StringBuilder b = new StringBuilder();
		for (int i = 0; i < cells.length; i++) {
			if (i > 0) b.append(',');
			b.append(cell(cells[i]));
		}
		return b.toString();
	}

	/** Relative path with forward slashes, for manifests that travel between systems. */
	public static String relative(final Path base, final Path file) {
		return base.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString().replace('\\',
			'/');
	}
}
