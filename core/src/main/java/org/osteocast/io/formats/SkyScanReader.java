package org.osteocast.io.formats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;

/**
 * Reads a Bruker SkyScan NRecon reconstruction folder: a reconstruction
 * {@code .log} plus one image per slice, named
 * {@code <Filename Prefix><index zero-padded to Filename Index Length>.<ext>}
 * for every index from {@code [Reconstruction] First Section} to
 * {@code Last Section} (step {@code Section to Section Step}).
 * <p>
 * Choices, and why:
 * <ul>
 * <li>The voxel size is {@code [Reconstruction] Pixel Size (um)}, looked up by
 * section and exact key ({@link NReconLog}); the acquisition's
 * {@code Image Pixel Size (um)} is the projection pixel, not the voxel.</li>
 * <li>Slice names come from {@code [File name convention]}. A log without it
 * (older NRecon) falls back to {@code <Dataset Prefix>_rec} and any index
 * width. A {@code #} in the prefix (anonymised logs, as in public data sets)
 * matches any text, as long as one prefix fits all slices.</li>
 * <li>When a folder holds several logs, acquisition logs (no
 * {@code [Reconstruction]} section range) are ignored and the log whose prefix
 * matches the slice files is used; if several match, one with a
 * {@code [File name convention]} wins, then the one with the most slices.</li>
 * <li>The {@code _spr} scout image and other files never match the pattern.
 * A missing slice, or a slice file outside the logged range, is an error that
 * names the gap: a silently shortened volume would shift every later slice.</li>
 * <li>TIFF slices are read as they are (16-bit); BMP, PNG and JPEG through
 * ImageJ's {@code Opener}, colour converted to 8-bit grey.</li>
 * </ul>
 */
public final class SkyScanReader {

	private SkyScanReader() {}

	/** The resolved slice files of a reconstruction folder. */
	public static final class Layout {
		private final Path folder;
		private final NReconLog log;
		private final String prefix;
		private final int indexLength;
		private final List<Integer> indices;
		private final List<Path> files;

		Layout(final Path folder, final NReconLog log, final String prefix, final int indexLength,
			final List<Integer> indices, final List<Path> files)
		{
			this.folder = folder;
			this.log = log;
			this.prefix = prefix;
			this.indexLength = indexLength;
			this.indices = Collections.unmodifiableList(indices);
			this.files = Collections.unmodifiableList(files);
		}

		/** The reconstruction folder. */
		public Path folder() {
			return folder;
		}

		/** The reconstruction log used. */
		public NReconLog log() {
			return log;
		}

		/** The slice-name prefix actually found on disk. */
		public String prefix() {
			return prefix;
		}

		/** Zero-padded index width (from the log, else from the files). */
		public int indexLength() {
			return indexLength;
		}

		/** Section indices, ascending (slice z = position in this list). */
		public List<Integer> indices() {
			return indices;
		}

		/** Slice files, in z order. */
		public List<Path> files() {
			return files;
		}
	}

	/** Whether a folder holds a reconstruction {@code .log} (cheap: reads only the logs). */
	public static boolean isReconstructionFolder(final Path folder) {
		if (!Files.isDirectory(folder)) return false;
		try {
			for (final Path p : logs(folder))
				try {
					if (NReconLog.read(p).isReconstruction()) return true;
				}
				catch (final VolumeIOException e) {
					// not a log: keep looking
				}
		}
		catch (final VolumeIOException e) {
			return false;
		}
		return false;
	}

	/** Finds the reconstruction log and the slice files, checking for gaps. */
	public static Layout layout(final Path folder) throws VolumeIOException {
		if (!Files.isDirectory(folder)) throw new VolumeIOException(folder, "not a folder");
		final List<Path> logFiles = logs(folder);
		if (logFiles.isEmpty()) throw new VolumeIOException(folder, "no NRecon .log file in this folder");
		final List<NReconLog> recon = new ArrayList<>();
		final List<String> ignored = new ArrayList<>();
		for (final Path p : logFiles) {
			try {
				final NReconLog log = NReconLog.read(p);
				if (log.isReconstruction()) recon.add(log);
				else ignored.add(p.getFileName() + " (no [Reconstruction] section range: an acquisition log)");
			}
			catch (final VolumeIOException e) {
				ignored.add(p.getFileName() + " (not an NRecon log)");
			}
		}
		if (recon.isEmpty()) throw new VolumeIOException(folder, "no reconstruction log: " + String.join(", ", ignored));
		final List<String> names = fileNames(folder);
		Candidate best = null;
		final List<String> tried = new ArrayList<>();
		for (final NReconLog log : recon) {
			final Candidate c = match(log, names, folder);
			tried.add(log.file().getFileName() + " expects " + c.expected);
			if (c.byPrefix.isEmpty()) continue;
			if (best == null || c.better(best)) best = c;
		}
		if (best == null) throw new VolumeIOException(folder, "no slice files match the reconstruction log: " + String.join(
			"; ", tried));
		return best.toLayout(folder);
	}

	/** Reads the volume: slices in section order, voxel size from the log. */
	public static Volume<?> read(final Path folder) throws VolumeIOException {
		return read(folder, Progress.NONE, Cancellation.NEVER);
	}

	/** Reads the volume, reporting progress per slice and checking cancellation between slices. */
	public static Volume<?> read(final Path folder, final Progress progress, final Cancellation cancel)
		throws VolumeIOException
	{
		final Layout l = layout(folder);
		final double um = l.log().voxelSizeUm();
		final Volume<?> v = SliceStack.read(l.files(), folder, folder.getFileName().toString(), progress, cancel);
		return new Volume<>(v.image(), new double[] { um, um, um }, new double[3], v.name());
	}

	/** Dimensions, type and voxel size from the log and the first slice's header; pixels are not read. */
	public static VolumeHeader readHeader(final Path folder) throws VolumeIOException {
		final Layout l = layout(folder);
		final double um = l.log().voxelSizeUm();
		final SliceStack.Slice s = SliceStack.probe(l.files().get(0));
		final String type = s.kind == SliceStack.Kind.UINT8 ? "uint8" : s.kind == SliceStack.Kind.UINT16 ? "uint16"
			: s.kind == SliceStack.Kind.INT16 ? "int16" : "float32";
		return new VolumeHeader(folder, "SkyScan NRecon (" + l.log().resultFileType() + ", log " + l.log().file()
			.getFileName() + ")", new long[] { s.width, s.height, l.files().size() }, 1, type, new double[] { um, um,
				um }, new double[3], true);
	}

	static List<Path> logs(final Path folder) throws VolumeIOException {
		try (Stream<Path> s = Files.list(folder)) {
			return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".log") && Files
				.isRegularFile(p)).sorted().collect(java.util.stream.Collectors.toList());
		}
		catch (final IOException e) {
			throw new VolumeIOException(folder, "cannot list folder (" + e.getMessage() + ")", e);
		}
	}

	private static List<String> fileNames(final Path folder) throws VolumeIOException {
		try (Stream<Path> s = Files.list(folder)) {
			final List<String> n = new ArrayList<>();
			s.filter(Files::isRegularFile).forEach(p -> n.add(p.getFileName().toString()));
			return n;
		}
		catch (final IOException e) {
			throw new VolumeIOException(folder, "cannot list folder (" + e.getMessage() + ")", e);
		}
	}

	/** File extensions that a {@code Result File Type} may have on disk. */
	static List<String> extensions(final String resultFileType) {
		switch (resultFileType) {
			case "TIF":
			case "TIFF":
				return List.of("tif", "tiff");
			case "JPG":
			case "JPEG":
				return List.of("jpg", "jpeg");
			default:
				return List.of(resultFileType.toLowerCase(Locale.ROOT));
		}
	}

	/** The slice files one log would use. */
	private static final class Candidate {
		final NReconLog log;
		final String expected;
		final int indexLength; // -1: any
		final boolean convention;
		/** actual prefix -> (index -> file name) */
		final Map<String, TreeMap<Integer, String>> byPrefix = new TreeMap<>();

		Candidate(final NReconLog log, final String expected, final int indexLength, final boolean convention) {
			this.log = log;
			this.expected = expected;
			this.indexLength = indexLength;
			this.convention = convention;
		}

		int count() {
			return byPrefix.values().stream().mapToInt(Map::size).max().orElse(0);
		}

		boolean better(final Candidate o) {
			if (convention != o.convention) return convention;
			return count() > o.count();
		}

		Layout toLayout(final Path folder) throws VolumeIOException {
			final Path logFile = log.file();
			if (byPrefix.size() > 1) throw new VolumeIOException(folder, "the log " + logFile.getFileName() +
				" (prefix '" + log.filenamePrefix().orElse(log.datasetPrefix()) + "') fits several slice series: " + byPrefix
					.keySet() + "; keep one series per folder");
			final String prefix = byPrefix.keySet().iterator().next();
			final TreeMap<Integer, String> found = byPrefix.get(prefix);
			final int first = log.firstSection(), last = log.lastSection(), step = log.sectionStep();
			if (last < first) throw new VolumeIOException(logFile, "Last Section " + last + " is before First Section " +
				first);
			final int width = indexLength > 0 ? indexLength : found.values().iterator().next().length() - prefix
				.length() - ext(found.values().iterator().next()).length() - 1;
			final List<Integer> missing = new ArrayList<>();
			final List<Integer> indices = new ArrayList<>();
			for (int i = first; i <= last; i += step) {
				indices.add(i);
				if (!found.containsKey(i)) missing.add(i);
			}
			final TreeSet<Integer> extra = new TreeSet<>(found.keySet());
			extra.removeAll(indices);
			final List<String> problems = new ArrayList<>();
			final String ext = ext(found.firstEntry().getValue());
			if (!missing.isEmpty()) problems.add((missing.size() == 1 ? "slice " : "slices ") + runs(missing, step,
				width) + " missing");
			if (!extra.isEmpty()) problems.add((extra.size() == 1 ? "slice " : "slices ") + runs(new ArrayList<>(extra), 1,
				width) + " outside the logged range");
			if (!problems.isEmpty()) throw new VolumeIOException(folder, String.join("; ", problems) + " (the log " + logFile
				.getFileName() + " expects " + prefix + pad(first, width) + ".." + pad(last, width) + "." + ext +
				(step != 1 ? " in steps of " + step : "") + ")");
			final List<Path> files = new ArrayList<>();
			for (final int i : indices)
				files.add(folder.resolve(found.get(i)));
			return new Layout(folder, log, prefix, width, indices, files);
		}
	}

	private static Candidate match(final NReconLog log, final List<String> names, final Path folder) {
		final boolean convention = log.filenamePrefix().isPresent();
		final String prefix = convention ? log.filenamePrefix().get() : (log.datasetPrefix() == null ? "" : log
			.datasetPrefix()) + "_rec";
		final OptionalInt len = log.filenameIndexLength();
		final int indexLength = len.isPresent() && len.getAsInt() > 0 ? len.getAsInt() : -1;
		final List<String> exts = extensions(log.resultFileType());
		final StringBuilder re = new StringBuilder("(");
		final String[] parts = prefix.split("#+", -1);
		for (int i = 0; i < parts.length; i++) {
			if (i > 0) re.append(".+?");
			re.append(Pattern.quote(parts[i]));
		}
		re.append(")(\\d").append(indexLength > 0 ? "{" + indexLength + "}" : "+").append(")\\.(").append(String.join(
			"|", exts)).append(")");
		final Pattern p = Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
		final String shown = prefix + (indexLength > 0 ? "N".repeat(indexLength) : "N...") + "." + exts.get(0);
		final Candidate c = new Candidate(log, shown, indexLength, convention);
		for (final String n : names) {
			final Matcher m = p.matcher(n);
			if (!m.matches()) continue;
			final int index;
			try {
				index = Integer.parseInt(m.group(2));
			}
			catch (final NumberFormatException e) {
				continue;
			}
			c.byPrefix.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(index, n);
		}
		return c;
	}

	private static String ext(final String name) {
		final int dot = name.lastIndexOf('.');
		return dot < 0 ? "" : name.substring(dot + 1);
	}

	private static String pad(final int i, final int width) {
		final String s = Integer.toString(i);
		return width > s.length() ? "0".repeat(width - s.length()) + s : s;
	}

	/** "00000300..00000302, 00000310" for runs of consecutive indices (at most 8 runs shown). */
	static String runs(final List<Integer> sorted, final int step, final int width) {
		final List<String> out = new ArrayList<>();
		int i = 0, shown = 0;
		while (i < sorted.size()) {
			int j = i;
			while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + step)
				j++;
			if (shown < 8) out.add(i == j ? pad(sorted.get(i), width) : pad(sorted.get(i), width) + ".." + pad(sorted.get(
				j), width));
			shown++;
			i = j + 1;
		}
		if (shown > 8) out.add("and " + (shown - 8) + " more runs");
		return String.join(", ", out);
	}
}
