package org.osteocast.io.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.osteocast.core.BadInputException;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.util.Csv;

/**
 * The slice-sequence data set (model input): a folder with {@code cohort.csv}
 * (columns {@code mouse,image} and optional {@code group}, {@code split} ∈
 * {train, val, test}) and one 32-bit ImageJ hyperstack TIFF per mouse (frames =
 * weeks, slices = VOI slices, values in [0, 1]). A single hyperstack file also
 * counts as a data set of one mouse (split "test").
 */
public final class SliceDataset {

	/** The split a mouse belongs to. */
	public enum Split {
		TRAIN, VAL, TEST;

		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Split parse(final String s, final Path file, final int line) throws VolumeIOException {
			if (s == null) return TRAIN;
			switch (s.trim().toLowerCase(Locale.ROOT)) {
				case "train":
				case "training":
					return TRAIN;
				case "val":
				case "valid":
				case "validation":
					return VAL;
				case "test":
					return TEST;
				default:
					throw new VolumeIOException(file, "line " + line + ": split must be train, val or test, not '" + s + "'");
			}
		}
	}

	/** One mouse's entry. {@code image} is absolute. */
	public static final class Entry {
		public final String mouse;
		public final Path image;
		public final String group;
		public final Split split;

		public Entry(final String mouse, final Path image, final String group, final Split split) {
			this.mouse = mouse;
			this.image = image;
			this.group = group;
			this.split = split;
		}

		/** Reads this mouse's hyperstack. */
		public Hyperstack read() throws VolumeIOException {
			return Hyperstack.read(image);
		}

		@Override
		public String toString() {
			return mouse + " (" + split.label() + (group != null ? ", " + group : "") + ")";
		}
	}

	private final Path root;
	private final List<Entry> entries;

	public SliceDataset(final Path root, final List<Entry> entries) {
		this.root = root;
		this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
	}

	/** The folder holding {@code cohort.csv}. */
	public Path root() {
		return root;
	}

	public List<Entry> entries() {
		return entries;
	}

	/** The entries of one split, in manifest order. */
	public List<Entry> entries(final Split split) {
		final List<Entry> out = new ArrayList<>();
		for (final Entry e : entries)
			if (e.split == split) out.add(e);
		return out;
	}

	/**
	 * Opens a data set folder (with {@code cohort.csv}), a manifest file, or a
	 * single hyperstack TIFF. Checks that every image exists and mice are unique.
	 */
	public static SliceDataset open(final Path path) throws BadInputException {
		if (Files.isRegularFile(path) && isTiff(path)) {
			final String mouse = Ids.sanitize(stripExtension(path.getFileName().toString()));
			return new SliceDataset(path.toAbsolutePath().getParent(), List.of(new Entry(mouse, path.toAbsolutePath(),
				null, Split.TEST)));
		}
		final Path csv = Files.isDirectory(path) ? path.resolve("cohort.csv") : path;
		if (!Files.isRegularFile(csv)) throw new VolumeIOException(path,
			"not a slice data set: expected a folder with cohort.csv, a cohort.csv, or a hyperstack .tif");
		final Csv.Table t = Csv.read(csv);
		if (!t.has("mouse") || !t.has("image")) throw new VolumeIOException(csv, "needs columns mouse,image (found " +
			String.join(",", t.header) + ")");
		final Path base = csv.toAbsolutePath().getParent();
		final List<Entry> entries = new ArrayList<>();
		final Set<String> seen = new HashSet<>();
		final List<String> problems = new ArrayList<>();
		for (final Csv.Row r : t.rows) {
			final String mouse = r.get("mouse"), image = r.get("image");
			if (mouse == null || image == null) {
				problems.add("line " + r.line() + ": empty mouse or image");
				continue;
			}
			if (!Ids.isValid(mouse)) {
				problems.add("line " + r.line() + ": " + Ids.problem("mouse", mouse));
				continue;
			}
			if (!seen.add(mouse)) problems.add("line " + r.line() + ": mouse '" + mouse + "' listed twice");
			final Path img = base.resolve(image).normalize();
			if (!Files.isRegularFile(img)) problems.add("line " + r.line() + ": missing image " + image);
			entries.add(new Entry(mouse, img, r.get("group"), Split.parse(r.get("split"), csv, r.line())));
		}
		if (!problems.isEmpty()) throw new VolumeIOException(csv, String.join("; ", problems));
		if (entries.isEmpty()) throw new VolumeIOException(csv, "lists no mice");
		return new SliceDataset(base, entries);
	}

	/** Writes {@code cohort.csv} into {@link #root()} (atomically), image paths relative to it. */
	public void writeManifest() throws IOException {
		final StringBuilder b = new StringBuilder(Csv.line("mouse", "image", "group", "split")).append('\n');
		for (final Entry e : entries)
			b.append(Csv.line(e.mouse, Csv.relative(root, e.image), e.group == null ? "" : e.group, e.split.label()))
				.append('\n');
		AtomicFiles.writeString(root.resolve("cohort.csv"), b.toString());
	}

	static boolean isTiff(final Path p) {
		final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		return n.endsWith(".tif") || n.endsWith(".tiff");
	}

	static String stripExtension(final String name) {
		final int dot = name.indexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}
}
