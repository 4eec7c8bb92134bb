package org.osteocast.io.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osteocast.io.VolumeIOException;
import org.osteocast.io.util.Csv;

/**
 * The cohort manifest from folder or file names: {@code osteocast cohort
 * --root DIR --pattern '{mouse} week {week} {side} tibia'}.
 * <p>
 * The pattern is matched against the name of every file and folder under the
 * root (a file's name without its volume extension: {@code .tif},
 * {@code .tiff}, {@code .nii}, {@code .nii.gz}), or, when it holds a '/',
 * against the path relative to the root. A folder that matches is one scan (a
 * SkyScan reconstruction) and is not looked into. Placeholders:
 * <ul>
 * <li>{@code {mouse}} (required): the animal;</li>
 * <li>{@code {week}} (required): a whole number; weeks may start at 0 (then
 * every week is written one higher, so that the first scan is week 1 as the
 * pipeline expects, and {@code source_week} keeps the name's number);</li>
 * <li>{@code {side}} (optional): left or right ({@code l}, {@code r}, any
 * case); the left and right tibia of one mouse become two subjects,
 * {@code <mouse>_left} and {@code <mouse>_right};</li>
 * <li>{@code {group}} (optional): the experimental group;</li>
 * <li>{@code {*}}: anything (not '/').</li>
 * </ul>
 * A space in the pattern matches a run of spaces, '_' or '-'; other text
 * matches itself, ignoring case. Subject IDs are made valid identifiers
 * ({@link Ids#sanitize}). Refused with one message naming the entries: a name
 * the pattern reads in two ways, two entries for one subject and week, two
 * animals whose IDs become the same, a side that is neither left nor right,
 * and a root where nothing matches.
 */
public final class CohortPattern {

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{(mouse|week|side|group|\\*)\\}");
	private static final String[] VOLUME_EXTENSIONS = { ".nii.gz", ".tiff", ".tif", ".nii" };

	private CohortPattern() {}

	/** One matched scan. */
	public record Entry(String subject, String animal, String side, int week, int sourceWeek, String group,
		Path image)
	{}

	/** What was found: the entries (by subject, then week) and notes for the user. */
	public record Result(List<Entry> entries, List<String> notes) {}

	/**
	 * Finds the scans under {@code root}.
	 *
	 * @param shiftZeroWeeks write weeks one higher when the names start at week 0
	 * @throws IllegalArgumentException for a bad pattern
	 * @throws VolumeIOException naming the root or the entries for every other problem
	 */
	public static Result find(final Path root, final String pattern, final boolean shiftZeroWeeks)
		throws IOException
	{
		if (!Files.isDirectory(root)) throw new VolumeIOException(root, "no such folder");
		final boolean paths = pattern.contains("/");
		final Pattern lazy = compile(pattern, true), greedy = compile(pattern, false);
		final List<String> problems = new ArrayList<>();
		final List<Object[]> raw = new ArrayList<>(); // {animal, side, week, group, path}
		final List<Path> seen = new ArrayList<>();
		walk(root, root, paths, lazy, greedy, raw, problems, seen);
		if (raw.isEmpty() && problems.isEmpty()) throw new VolumeIOException(root, "nothing under it matches the " +
			"pattern '" + pattern + "'" + (seen.isEmpty() ? "" : " (e.g. '" + name(root, seen.get(0), paths) + "')") +
			"; a space in the pattern matches spaces, '_' or '-', other text matches itself");
		int minWeek = Integer.MAX_VALUE;
		for (final Object[] r : raw)
			minWeek = Math.min(minWeek, (Integer) r[2]);
		final int shift = shiftZeroWeeks && minWeek == 0 ? 1 : 0;
		final List<String> notes = new ArrayList<>();
		if (shift == 1) notes.add("weeks in the names start at 0: written one higher (week 1 = the first scan); " +
			"source_week keeps the names' numbers");
		final Map<String, String> animalOfId = new TreeMap<>();
		final Map<String, Path> byKey = new LinkedHashMap<>();
		final List<Entry> entries = new ArrayList<>();
		for (final Object[] r : raw) {
			final String animal = (String) r[0], side = (String) r[1], group = (String) r[3];
			final Path image = (Path) r[4];
			final String subject = Ids.sanitize(side == null ? animal : animal + "_" + side);
			final String prev = animalOfId.putIfAbsent(subject, animal + "\u0000" + side);
			if (prev != null && !prev.equals(animal + "\u0000" + side)) problems.add("'" + animal + "'" + (side == null ? ""
				: " " + side) + " and '" + prev.replace("\u0000null", "").replace('\u0000', ' ') +
				"' both become the subject ID " + subject);
			final int week = (Integer) r[2] + shift;
			final Path other = byKey.putIfAbsent(subject + "\u0000" + week, image);
			if (other != null) {
				problems.add("subject " + subject + " week " + week + " matched twice: '" + root.relativize(other) +
					"' and '" + root.relativize(image) + "'");
				continue;
			}
			entries.add(new Entry(subject, animal, side, week, (Integer) r[2], group, image));
		}
		if (!problems.isEmpty()) throw new VolumeIOException(root, problems.size() + " problem(s) with the pattern '" +
			pattern + "': " + String.join("; ", problems));
		entries.sort(Comparator.comparing(Entry::subject, Cohort.NATURAL).thenComparingInt(Entry::week));
		return new Result(Collections.unmodifiableList(entries), Collections.unmodifiableList(notes));
	}

	/** The manifest text: {@code mouse,week,image[,group],source_week,animal,side}, images relative to {@code base}. */
	public static String manifest(final List<Entry> entries, final Path base) {
		final boolean groups = entries.stream().anyMatch(e -> e.group() != null);
		final StringBuilder b = new StringBuilder(groups ? Csv.line("mouse", "week", "image", "group", "source_week",
			"animal", "side") : Csv.line("mouse", "week", "image", "source_week", "animal", "side")).append('\n');
		for (final Entry e : entries) {
			final String rel = Csv.relative(base.toAbsolutePath().normalize(), e.image().toAbsolutePath().normalize());
			final String side = e.side() == null ? "" : e.side();
			b.append(groups ? Csv.line(e.subject(), e.week(), rel, e.group() == null ? "" : e.group(), e.sourceWeek(), e
				.animal(), side) : Csv.line(e.subject(), e.week(), rel, e.sourceWeek(), e.animal(), side)).append('\n');
		}
		return b.toString();
	}

	private static void walk(final Path root, final Path dir, final boolean paths, final Pattern lazy,
		final Pattern greedy, final List<Object[]> raw, final List<String> problems, final List<Path> seen)
		throws IOException
	{
		final List<Path> children;
		try (Stream<Path> s = Files.list(dir)) {
			children = s.sorted().toList();
		}
		for (final Path p : children) {
			final String fileName = p.getFileName().toString();
			if (fileName.startsWith(".")) continue;
			final boolean folder = Files.isDirectory(p);
			if (!folder && stem(fileName) == null) continue;
			final String name = name(root, p, paths);
			seen.add(p);
			final Matcher a = lazy.matcher(name), b = greedy.matcher(name);
			if (a.matches() && b.matches()) {
				final String[] ra = reading(a), rb = reading(b);
				if (!java.util.Arrays.equals(ra, rb)) {
					problems.add("'" + root.relativize(p) + "' reads two ways (" + describe(ra) + " or " + describe(rb) +
						"); make the pattern more specific");
					continue;
				}
				final String side = side(ra[1]);
				if (ra[1] != null && side == null) {
					problems.add("'" + root.relativize(p) + "': side '" + ra[1] + "' is neither left nor right");
					continue;
				}
				final int week;
				try {
					week = Integer.parseInt(ra[2]);
				}
				catch (final NumberFormatException e) {
					problems.add("'" + root.relativize(p) + "': week '" + ra[2] + "' is too large");
					continue;
				}
				raw.add(new Object[] { ra[0].trim(), side, week, ra[3], p });
				continue; // a matching folder is one scan
			}
			if (folder) walk(root, p, paths, lazy, greedy, raw, problems, seen);
		}
	}

	/** The text the pattern is matched against. */
	private static String name(final Path root, final Path p, final boolean paths) {
		final String n = Files.isDirectory(p) ? p.getFileName().toString() : stem(p.getFileName().toString());
		if (!paths) return n;
		final Path rel = root.relativize(p);
		final StringBuilder b = new StringBuilder();
		for (int i = 0; i < rel.getNameCount() - 1; i++)
			b.append(rel.getName(i)).append('/');
		return b.append(n).toString();
	}

	/** A file name without its volume extension, or null for a file that is no volume. */
	private static String stem(final String fileName) {
		final String lower = fileName.toLowerCase(Locale.ROOT);
		for (final String ext : VOLUME_EXTENSIONS)
			if (lower.endsWith(ext) && lower.length() > ext.length()) return fileName.substring(0, fileName.length() - ext
				.length());
		return null;
	}

	private static String[] reading(final Matcher m) {
		return new String[] { group(m, "mouse"), group(m, "side"), group(m, "week"), group(m, "group") };
	}

	private static String group(final Matcher m, final String name) {
		try {
			return m.group(name);
		}
		catch (final IllegalArgumentException e) {
			return null;
		}
	}

	private static String describe(final String[] r) {
		return "mouse '" + r[0] + "'" + (r[1] == null ? "" : " side '" + r[1] + "'") + " week " + r[2] + (r[3] == null
			? "" : " group '" + r[3] + "'");
	}

	private static String side(final String s) {
		if (s == null) return null;
		switch (s.toLowerCase(Locale.ROOT)) {
			case "l":
			case "left":
				return "left";
			case "r":
			case "right":
				return "right";
			default:
				return null;
		}
	}

	/**
	 * The pattern as a regular expression; {@code lazy} makes the free
	 * placeholders as short as possible, otherwise as long as possible (two
	 * readings differ exactly when a name is ambiguous).
	 */
	static Pattern compile(final String pattern, final boolean lazy) {
		final Matcher m = PLACEHOLDER.matcher(pattern);
		final StringBuilder re = new StringBuilder("(?i)");
		final List<String> used = new ArrayList<>();
		int last = 0;
		final String q = lazy ? "?" : "";
		while (m.find()) {
			re.append(literal(pattern.substring(last, m.start())));
			final String p = m.group(1);
			if (!p.equals("*")) {
				if (used.contains(p)) throw new IllegalArgumentException("--pattern holds {" + p + "} twice: '" + pattern +
					"'");
				used.add(p);
			}
			switch (p) {
				case "mouse":
					re.append("(?<mouse>[^/]*").append(q).append("[^/ _-])"); // never ends on a separator
					break;
				case "group":
					re.append("(?<group>[^/]*").append(q).append("[^/ _-])");
					break;
				case "week":
					re.append("(?<week>\\d+)");
					break;
				case "side":
					re.append("(?<side>left|right|l|r)");
					break;
				default:
					re.append("[^/]*").append(q);
			}
			last = m.end();
		}
		re.append(literal(pattern.substring(last)));
		if (!used.contains("mouse") || !used.contains("week")) throw new IllegalArgumentException(
			"--pattern needs {mouse} and {week} (and may hold {side}, {group}, {*}), not '" + pattern + "'");
		if (pattern.replaceAll("\\{(mouse|week|side|group|\\*)\\}", "").matches(".*[{}].*"))
			throw new IllegalArgumentException("--pattern knows {mouse}, {week}, {side}, {group} and {*} only: '" + pattern +
				"'");
		return Pattern.compile(re.toString());
	}

	private static String literal(final String s) {
		final StringBuilder b = new StringBuilder();
		int i = 0;
		while (i < s.length()) {
			if (Character.isWhitespace(s.charAt(i))) {
				while (i < s.length() && Character.isWhitespace(s.charAt(i)))
					i++;
				b.append("[ _-]+");
				continue;
			}
			int j = i;
			while (j < s.length() && !Character.isWhitespace(s.charAt(j)))
				j++;
			b.append(Pattern.quote(s.substring(i, j)));
			i = j;
		}
		return b.toString();
	}
}
