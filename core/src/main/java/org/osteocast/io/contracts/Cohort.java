package org.osteocast.io.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osteocast.core.BadInputException;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.util.Csv;
import org.osteocast.io.util.NaturalOrder;

/**
 * A longitudinal cohort: mice, their weekly scans and groups. Read from the
 * manifest {@code cohort.csv} (columns {@code mouse,week,image} and optional
 * {@code group}; {@code image} relative to the CSV: a TIFF stack, a NIfTI file
 * or a SkyScan reconstruction folder) or, without a manifest, from a folder
 * laid out as {@code <mouse>/week<k>.<ext>} or {@code <mouse>/week<k>/}.
 * <p>
 * Structural validation reports every problem at once (missing files, a
 * duplicate (mouse, week), non-numeric weeks) in one {@link VolumeIOException}.
 */
public final class Cohort {

	/** One scan of one mouse. {@code image} is absolute; {@code group} may be null. */
	public static final class Scan {
		public final String mouse;
		public final int week;
		public final Path image;
		public final String group;

		public Scan(final String mouse, final int week, final Path image, final String group) {
			this.mouse = Objects.requireNonNull(mouse);
			this.week = week;
			this.image = image.toAbsolutePath().normalize();
			this.group = group == null || group.isBlank() ? null : group;
		}

		@Override
		public String toString() {
			return mouse + "/week" + week;
		}
	}

	private static final Pattern WEEK_NAME = Pattern.compile("(?i)week[_-]?(\\d+)(\\..+)?");
	/** Natural order: "m2" before "m10". */
	public static final Comparator<String> NATURAL = NaturalOrder.NATURAL;

	private final Path root;
	private final Map<String, List<Scan>> byMouse;

	private Cohort(final Path root, final List<Scan> scans) {
		this.root = root.toAbsolutePath().normalize();
		final Map<String, List<Scan>> m = new TreeMap<>(NATURAL);
		for (final Scan s : scans)
			m.computeIfAbsent(s.mouse, k -> new ArrayList<>()).add(s);
		for (final List<Scan> l : m.values())
			l.sort(Comparator.comparingInt(s -> s.week));
		final Map<String, List<Scan>> frozen = new LinkedHashMap<>();
		m.forEach((k, v) -> frozen.put(k, Collections.unmodifiableList(v)));
		this.byMouse = Collections.unmodifiableMap(frozen);
	}

	/** A cohort from scans (e.g. built by a generator); checks duplicates. */
	public static Cohort of(final Path root, final List<Scan> scans) {
		final Map<String, Scan> seen = new HashMap<>();
		for (final Scan s : scans)
			Ids.check("mouse", s.mouse);
		for (final Scan s : scans)
			if (seen.put(s.mouse + "\u0000" + s.week, s) != null) throw new IllegalArgumentException("mouse " + s.mouse +
				" has week " + s.week + " twice");
		return new Cohort(root, scans);
	}

	/** The folder of the manifest (or the cohort folder). */
	public Path root() {
		return root;
	}

	/** Mice in natural order. */
	public List<String> mice() {
		return new ArrayList<>(byMouse.keySet());
	}

	/** One mouse's scans sorted by week (empty if unknown). */
	public List<Scan> scans(final String mouse) {
		return byMouse.getOrDefault(mouse, List.of());
	}

	/** All scans, by mouse then week. */
	public List<Scan> scans() {
		final List<Scan> all = new ArrayList<>();
		byMouse.values().forEach(all::addAll);
		return all;
	}

	/** The mouse's group (from any of its scans), or null. */
	public String group(final String mouse) {
		for (final Scan s : scans(mouse))
			if (s.group != null) return s.group;
		return null;
	}

	/** Reads a manifest CSV or a folder (its {@code cohort.csv} if present, else the folder convention). */
	public static Cohort read(final Path path) throws BadInputException {
		if (Files.isRegularFile(path)) return readManifest(path);
		if (!Files.isDirectory(path)) throw new VolumeIOException(path, "no such cohort file or folder");
		final Path csv = path.resolve("cohort.csv");
		if (Files.isRegularFile(csv)) return readManifest(csv);
		return readFolder(path);
	}

	private static Cohort readManifest(final Path csv) throws BadInputException {
		final Csv.Table t = Csv.read(csv);
		final List<String> problems = new ArrayList<>();
		for (final String col : new String[] { "mouse", "week", "image" })
			if (!t.has(col)) problems.add("missing column '" + col + "'");
		if (!problems.isEmpty()) throw new VolumeIOException(csv, String.join("; ", problems) + " (found " + String.join(
			",", t.header) + "; expected mouse,week,image[,group])");
		final Path base = csv.toAbsolutePath().getParent();
		final List<Scan> scans = new ArrayList<>();
		final Map<String, Integer> firstLine = new HashMap<>();
		for (final Csv.Row r : t.rows) {
			final String mouse = r.get("mouse"), week = r.get("week"), image = r.get("image");
			if (mouse == null) {
				problems.add("line " + r.line() + ": empty mouse");
				continue;
			}
			if (!Ids.isValid(mouse)) {
				problems.add("line " + r.line() + ": " + Ids.problem("mouse", mouse));
				continue;
			}
			int w;
			try {
				w = Integer.parseInt(week == null ? "" : week.replaceFirst("(?i)^week[_-]?", ""));
			}
			catch (final NumberFormatException e) {
				problems.add("line " + r.line() + ": week '" + week + "' is not a number");
				continue;
			}
			if (w < 0) problems.add("line " + r.line() + ": negative week " + w);
			if (image == null) {
				problems.add("line " + r.line() + ": empty image");
				continue;
			}
			final Path img = base.resolve(image).normalize();
			if (!Files.exists(img)) problems.add("line " + r.line() + ": missing image " + image);
			final Integer prev = firstLine.putIfAbsent(mouse + "\u0000" + w, r.line());
			if (prev != null) problems.add("line " + r.line() + ": mouse " + mouse + " week " + w +
				" already listed on line " + prev);
			scans.add(new Scan(mouse, w, img, r.get("group")));
		}
		if (scans.isEmpty() && problems.isEmpty()) problems.add("lists no scans");
		if (!problems.isEmpty()) throw new VolumeIOException(csv, problems.size() + " problem(s): " + String.join("; ",
			problems));
		return new Cohort(base, scans);
	}

	private static Cohort readFolder(final Path dir) throws VolumeIOException {
		final List<Scan> scans = new ArrayList<>();
		final List<String> problems = new ArrayList<>();
		try (Stream<Path> mice = Files.list(dir)) {
			for (final Path m : (Iterable<Path>) mice.sorted()::iterator) {
				if (!Files.isDirectory(m) || m.getFileName().toString().startsWith(".")) continue;
				final Map<Integer, Path> weeks = new TreeMap<>();
				try (Stream<Path> files = Files.list(m)) {
					for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
						final Matcher mt = WEEK_NAME.matcher(f.getFileName().toString());
						if (!mt.matches()) continue;
						if (f.getFileName().toString().endsWith(".json")) continue; // transforms beside scans
						final boolean folder = Files.isDirectory(f);
						if (!folder && mt.group(2) == null) continue;
						final int w = Integer.parseInt(mt.group(1));
						final Path prev = weeks.put(w, f);
						if (prev != null) problems.add(m.getFileName() + ": week " + w + " is both " + prev.getFileName() +
							" and " + f.getFileName());
					}
				}
				final String mouse = m.getFileName().toString();
				if (weeks.isEmpty()) continue;
				if (!Ids.isValid(mouse)) {
					problems.add("folder " + mouse + ": " + Ids.problem("mouse", mouse));
					continue;
				}
				weeks.forEach((w, f) -> scans.add(new Scan(mouse, w, f, null)));
			}
		}
		catch (final IOException e) {
			throw new VolumeIOException(dir, "cannot list cohort folder (" + e.getMessage() + ")", e);
		}
		if (scans.isEmpty()) problems.add(
			"no cohort.csv and no scans laid out as <mouse>/week<k>.<ext> or <mouse>/week<k>/");
		if (!problems.isEmpty()) throw new VolumeIOException(dir, String.join("; ", problems));
		return new Cohort(dir, scans);
	}

	/** The image headers of a cohort and every problem found in them. */
	public static final class ImageReport {
		/** Header of each readable scan, by mouse then week. */
		public final Map<Scan, VolumeHeader> headers;
		/** Human-readable problems, one per entry, naming the mouse and week (empty when all is well). */
		public final List<String> problems;

		ImageReport(final Map<Scan, VolumeHeader> headers, final List<String> problems) {
			this.headers = Collections.unmodifiableMap(headers);
			this.problems = Collections.unmodifiableList(problems);
		}
	}

	/**
	 * Reads every scan's header (not its pixels) and collects all problems
	 * instead of stopping at the first: unreadable images, images that are not
	 * one 3-D volume, and dimensions or voxel sizes that differ between the
	 * weeks of one mouse (a longitudinal model compares voxel to voxel).
	 *
	 * @param voxelUmOverride isotropic voxel size in µm to assume for every
	 *          scan, or NaN to use what the files state
	 */
	public ImageReport checkImages(final double voxelUmOverride) {
		final Map<Scan, VolumeHeader> headers = new LinkedHashMap<>();
		final List<String> problems = new ArrayList<>();
		for (final String mouse : mice()) {
			final List<Scan> scans = scans(mouse);
			for (final Scan s : scans) {
				try {
					final VolumeHeader h = VolumeIO.readHeader(s.image, voxelUmOverride);
					headers.put(s, h);
					if (h.frames() > 1) problems.add(s + ": " + h.frames() + " frames in one image; a scan is one volume");
					else if (h.dimensions()[2] < 2) problems.add(s + ": " + VolumeIO.NOT_3D);
				}
				catch (final VolumeIOException e) {
					problems.add(s + ": unreadable: " + e.getMessage());
				}
			}
			final List<Scan> read = new ArrayList<>();
			for (final Scan s : scans)
				if (headers.containsKey(s)) read.add(s);
			if (read.size() < 2) continue;
			final VolumeHeader ref = headers.get(read.get(0));
			boolean dimsDiffer = false, voxelsDiffer = false;
			for (final Scan s : read.subList(1, read.size())) {
				final VolumeHeader h = headers.get(s);
				dimsDiffer |= !java.util.Arrays.equals(ref.dimensions(), h.dimensions());
				for (int d = 0; d < 3; d++)
					voxelsDiffer |= Math.abs(ref.voxelSizeUm()[d] - h.voxelSizeUm()[d]) > 1e-3 * ref.voxelSizeUm()[d];
			}
			if (dimsDiffer) problems.add("mouse " + mouse + ": dimensions differ between weeks (" + describe(read, headers,
				true) + ")");
			if (voxelsDiffer) problems.add("mouse " + mouse + ": voxel sizes differ between weeks (" + describe(read, headers,
				false) + ")");
		}
		return new ImageReport(headers, problems);
	}

	/**
	 * {@link #checkImages(double)} with the files' own calibration, failing
	 * with one {@link VolumeIOException} that lists every problem.
	 *
	 * @return each scan's header
	 */
	public Map<Scan, VolumeHeader> validateImages() throws VolumeIOException {
		return validateImages(Double.NaN);
	}

	/** As {@link #validateImages()}, with a voxel size (µm) assumed for every scan. */
	public Map<Scan, VolumeHeader> validateImages(final double voxelUmOverride) throws VolumeIOException {
		final ImageReport r = checkImages(voxelUmOverride);
		if (!r.problems.isEmpty()) throw new VolumeIOException(root, r.problems.size() + " problem(s) in the cohort's images: " +
			String.join("; ", r.problems));
		return r.headers;
	}

	private static String describe(final List<Scan> scans, final Map<Scan, VolumeHeader> headers, final boolean dims) {
		final List<String> parts = new ArrayList<>();
		for (final Scan s : scans) {
			final VolumeHeader h = headers.get(s);
			final long[] d = h.dimensions();
			final double[] v = h.voxelSizeUm();
			parts.add("week " + s.week + ": " + (dims ? d[0] + "x" + d[1] + "x" + d[2] : String.format(java.util.Locale.ROOT,
				"%.4g x %.4g x %.4g um", v[0], v[1], v[2])));
		}
		return String.join(", ", parts);
	}

	/** Writes a manifest (atomically) with image paths relative to the CSV's folder. */
	public void writeManifest(final Path csv) throws IOException {
		final Path base = csv.toAbsolutePath().getParent();
		final boolean groups = scans().stream().anyMatch(s -> s.group != null);
		final StringBuilder b = new StringBuilder(groups ? Csv.line("mouse", "week", "image", "group") : Csv.line(
			"mouse", "week", "image")).append('\n');
		for (final Scan s : scans()) {
			final String rel = Csv.relative(base, s.image);
			b.append(groups ? Csv.line(s.mouse, s.week, rel, s.group == null ? "" : s.group) : Csv.line(s.mouse, s.week,
				rel)).append('\n');
		}
		AtomicFiles.writeString(csv, b.toString());
	}
}
