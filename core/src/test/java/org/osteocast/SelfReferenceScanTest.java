package org.osteocast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The repository speaks of the project, not of how it was made: no issue
 * numbers, no words about who ran what, no absolute paths of the machine it was
 * built on. Scans every tracked text file (sources, docs, bench, scripts,
 * resources, README; {@code git ls-files} when git is available, else a walk of
 * the tree without build outputs) and fails listing each hit as
 * {@code file:line: text}.
 * <p>
 * Rules ({@link #hits(String, String, String)}): an issue reference (the word
 * "issue" followed by a number sign, or a number sign and digits standing as a
 * word); the phrases about earlier work sessions and about a lead
 * engineer; the absolute path of the folder above the checkout; home folders and
 * the root user's home; the system's temporary folder, except in documented
 * examples (inside Markdown code, or in a {@code ${TMPDIR:-…}} default). Binary
 * files (a NUL byte in the first 8 KiB) are skipped.
 */
class SelfReferenceScanTest {

	/** The word issue (or issues) followed by a number sign. */
	static final Pattern ISSUE = Pattern.compile("(?i)\\bissues?\\s*#");
	/**
	 * A number sign and digits standing as a word; not an HTML entity, and not a
	 * CSS colour (three digits count only when a parenthesis closes them).
	 */
	static final Pattern ISSUE_NUMBER = Pattern.compile(
		"(?<![\\w&:#/=\"'.-])#(?:\\d{1,2}|\\d{4,5}|\\d{3}(?=\\)))(?![\\w;])");
	/** Words about how the work was organised. */
	static final Pattern ORGANISATION = Pattern.compile(
		"(?i)\\b(previous|earlier|last|this|next|helper)\\s+sessions?\\b|\\bthe\\s+lead\\b(?!\\s+time)|\\blead(?:'s)?\\s+engineer");
	/** Home folders: the root user's, and any user's under the home root. */
	static final Pattern HOME = Pattern.compile("(?<![\\w.~-])/(roo[t]|hom[e]/[A-Za-z_][\\w.-]*)(/|\\b)");
	/** The temporary folder. */
	static final Pattern TEMP = Pattern.compile("(?<![\\w.~-])/tm[p](/|\\b)");
	/** A temporary-folder default that a user's environment overrides. */
	static final Pattern TEMP_DEFAULT = Pattern.compile("\\$\\{TMPDIR:-/tm[p]\\}");

	private static final Set<String> BINARY_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "tif", "tiff", "zip",
		"jar", "pt", "gz", "nii", "bin", "class", "ico");

	@Test
	void trackedFilesDoNotSpeakOfTheirHistoryOrMachine() throws IOException {
		final Path root = repositoryRoot();
		final String above = folderAbove(root);
		final List<Path> files = trackedFiles(root);
		assertTrue(files.size() > 50, "found only " + files.size() + " files under " + root);
		final List<String> found = new ArrayList<>();
		int scanned = 0;
		for (final Path rel : files) {
			final Path f = root.resolve(rel);
			if (!Files.isRegularFile(f) || isBinary(f)) continue;
			scanned++;
			final String name = rel.toString().replace('\\', '/');
			final String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
			for (final String h : hits(name, text, above))
				found.add(name + ":" + h);
		}
		assertTrue(scanned > 50, "scanned only " + scanned + " text files");
		assertEquals(List.of(), found, "the repository must speak of the project only (" + found.size() + " hits)");
	}

	@Test
	void rulesCatchWhatTheyShouldAndSpareTheRest() {
		final String above = "/srv/build";
		assertEquals(1, hits("a.md", "as asked in issue" + " #" + "6\n", above).size());
		assertEquals(1, hits("a.java", "// fixed (" + "#15)\n", above).size());
		assertEquals(1, hits("a.md", "see " + "#7 for why\n", above).size());
		assertEquals(1, hits("a.md", "measured in the previous " + " session\n", above).size());
		assertEquals(1, hits("a.md", "while the " + "Lead's training ran\n", above).size());
		assertEquals(1, hits("a.sh", "data=/srv/build/shared/realdata\n", above).size());
		assertEquals(1, hits("a.sh", "cp x /roo" + "t/.m2\n", above).size());
		assertEquals(1, hits("a.java", "new File(\"/hom" + "e/alice/data\")\n", above).size());
		assertEquals(1, hits("a.sh", "out=/tm" + "p/x\n", above).size());
		assertEquals(1, hits("a.md", "write to /tm" + "p/x first\n", above).size());
		// a checkout in the temporary folder: its parent is no machine path (the temporary-folder rule applies)
		assertEquals(null, folderAbove(Paths.get("/tm" + "p", "clone")));
		assertEquals("/srv/ci", folderAbove(Paths.get("/srv", "ci", "clone")));
		// spared: CSS colours, HTML entities, Markdown headings, lead time, documented temporary examples
		assertEquals(List.of(), hits("a.java", "\"color:#222;border:1px solid #444\" &#12; x#1\n", above));
		assertEquals(List.of(), hits("a.md", "## 3. Results\n# Title\n", above));
		assertEquals(List.of(), hits("a.java", "a hard focus has no lead time; the leading edge\n", above));
		assertEquals(List.of(), hits("a.md", "run `osteocast x --out /tm" + "p/x` or\n\n    cp a /tm" + "p/b\n", above));
		assertEquals(List.of(), hits("a.md", "```bash\nosteocast x --out /tm" + "p/x\n```\n", above));
		assertEquals(List.of(), hits("a.sh", "log=\"${TMPDIR:-/tm" + "p}/ci.log\"\n", above));
		assertEquals(List.of(), hits("a.java", "Path.of(\"/srv/buildings\")\n", above));
		assertEquals(List.of(), hits("a.sh", "run.sh \"/data/study|/scratch/srv/build\"\n", above));
	}

	@Test
	void binaryFilesAreRecognised() throws IOException {
		final Path dir = Files.createTempDirectory("scan");
		try {
			final Path bin = dir.resolve("x.dat"), txt = dir.resolve("x.txt");
			Files.write(bin, new byte[] { 'a', 0, 'b' });
			Files.writeString(txt, "plain text");
			assertTrue(isBinary(bin));
			assertFalse(isBinary(txt));
		}
		finally {
			try (Stream<Path> s = Files.walk(dir)) {
				for (final Path p : s.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList()))
					Files.deleteIfExists(p);
			}
		}
	}

	/** The hits of one file, as {@code line: text}. */
	static List<String> hits(final String name, final String text, final String above) {
		final boolean markdown = name.toLowerCase(Locale.ROOT).endsWith(".md");
		final List<String> out = new ArrayList<>();
		final String[] lines = text.split("\r?\n", -1);
		boolean fenced = false;
		for (int i = 0; i < lines.length; i++) {
			final String line = lines[i];
			if (markdown && line.trim().startsWith("```")) {
				fenced = !fenced;
				continue;
			}
			final List<String> why = new ArrayList<>();
			if (ISSUE.matcher(line).find()) why.add("issue reference");
			else if (ISSUE_NUMBER.matcher(markdown ? line.replaceFirst("^\\s*#+\\s", "") : line).find() && !isHeading(
				line, markdown)) why.add("issue number");
			if (ORGANISATION.matcher(line).find()) why.add("how the work was organised");
			if (above != null && containsPath(line, above)) why.add("path of the build machine");
			if (HOME.matcher(line).find()) why.add("home folder");
			if (TEMP.matcher(TEMP_DEFAULT.matcher(line).replaceAll("")).find() && !(markdown && (fenced || line.startsWith(
				"    ") || inCodeSpan(line)))) why.add("temporary folder outside a documented example");
			if (!why.isEmpty()) out.add((i + 1) + ": " + String.join(", ", why) + ": " + line.trim());
		}
		return out;
	}

	private static boolean isHeading(final String line, final boolean markdown) {
		return markdown && line.matches("^\\s*#+\\s.*") && !ISSUE_NUMBER.matcher(line.replaceFirst("^\\s*#+\\s", ""))
			.find();
	}

	/** Whether every temporary-folder path on the line lies inside a Markdown code span. */
	private static boolean inCodeSpan(final String line) {
		final Matcher m = TEMP.matcher(line);
		while (m.find()) {
			int ticks = 0;
			for (int k = 0; k < m.start(); k++)
				if (line.charAt(k) == '`') ticks++;
			if (ticks % 2 == 0) return false;
		}
		return true;
	}

	/** Whether the line holds the path (followed by a separator or its end, not a longer name). */
	static boolean containsPath(final String line, final String path) {
		int from = 0, at;
		while ((at = line.indexOf(path, from)) >= 0) {
			final int end = at + path.length();
			final boolean starts = at == 0 || !isPathChar(line.charAt(at - 1));
			if (starts && (end == line.length() || !isPathChar(line.charAt(end)) || line.charAt(end) == '/')) return true;
			from = at + 1;
		}
		return false;
	}

	private static boolean isPathChar(final char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '~';
	}

	/**
	 * The absolute path of the folder above the checkout, or null when that is
	 * the file system's root, too short to mean anything, or the system's
	 * temporary folder (a checkout made there: temporary paths have their own
	 * rule, which spares documented examples).
	 */
	static String folderAbove(final Path root) {
		final Path parent = root.toAbsolutePath().normalize().getParent();
		if (parent == null || parent.getParent() == null) return null;
		final String p = parent.toString().replace('\\', '/');
		final String tmp = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize().toString().replace(
			'\\', '/');
		if (TEMP.matcher(p + "/").lookingAt() || p.equals(tmp)) return null;
		return p.length() < 4 ? null : p;
	}

	/** The checkout: the nearest folder at or above the working directory holding pom.xml. */
	static Path repositoryRoot() {
		Path p = Paths.get("").toAbsolutePath();
		while (p != null && !Files.isRegularFile(p.resolve("pom.xml")))
			p = p.getParent();
		assertTrue(p != null, "no pom.xml at or above " + Paths.get("").toAbsolutePath());
		return p;
	}

	/** Tracked files (relative paths): {@code git ls-files}, else a walk without build outputs and hidden folders. */
	static List<Path> trackedFiles(final Path root) throws IOException {
		final List<Path> git = gitLsFiles(root);
		if (git != null && !git.isEmpty()) return git;
		try (Stream<Path> s = Files.walk(root)) {
			return s.filter(Files::isRegularFile).map(root::relativize).filter(r -> {
				for (final Path part : r) {
					final String n = part.toString();
					if (n.equals("target") || n.startsWith(".") && !n.equals(".ci") && !n.equals(".gitignore")) return false;
				}
				return true;
			}).collect(Collectors.toList());
		}
	}

	private static List<Path> gitLsFiles(final Path root) {
		try {
			final Process p = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile()).redirectError(
				ProcessBuilder.Redirect.DISCARD).start();
			final byte[] out;
			try (InputStream in = p.getInputStream()) {
				out = in.readAllBytes();
			}
			if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
			final List<Path> files = new ArrayList<>();
			for (final String s : new String(out, StandardCharsets.UTF_8).split("\0"))
				if (!s.isEmpty()) files.add(Paths.get(s));
			return files;
		}
		catch (final IOException e) {
			return null; // no git on this machine
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/** A known binary extension, or a NUL byte in the first 8 KiB. */
	static boolean isBinary(final Path f) throws IOException {
		final String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
		final int dot = n.lastIndexOf('.');
		if (dot >= 0 && BINARY_EXTENSIONS.contains(n.substring(dot + 1))) return true;
		final byte[] head = new byte[8192];
		try (InputStream in = Files.newInputStream(f)) {
			final int n2 = in.readNBytes(head, 0, head.length);
			for (int i = 0; i < n2; i++)
				if (head[i] == 0) return true;
		}
		return false;
	}
}
