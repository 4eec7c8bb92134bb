package org.osteocast.io.formats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import org.osteocast.io.VolumeIOException;

/**
 * A Bruker SkyScan / NRecon {@code .log} file: INI-like sections
 * ({@code [System]}, {@code [Acquisition]}, {@code [Reconstruction]},
 * {@code [File name convention]}, ...) of {@code Key=Value} lines.
 * <p>
 * Keys are looked up by section <em>and exact key</em>, never by suffix: the
 * text {@code Pixel Size (um)=} ends three different keys
 * ({@code [System] Camera Pixel Size (um)}, {@code [Acquisition] Image Pixel
 * Size (um)} and {@code [Reconstruction] Pixel Size (um)}), and only the last is
 * the reconstructed voxel size. The file is read as ISO-8859-1 (NRecon writes
 * Windows text), keys and values are trimmed, CR/LF line ends are both
 * accepted, and lines before the first section header land in section
 * {@code ""}. When a key repeats inside a section the first value is kept (NRecon
 * does not repeat keys; the first is the one a reader of the file sees).
 */
public final class NReconLog {

	public static final String SYSTEM = "System";
	public static final String ACQUISITION = "Acquisition";
	public static final String RECONSTRUCTION = "Reconstruction";
	public static final String FILE_NAME_CONVENTION = "File name convention";

	private final Path file;
	private final Map<String, Map<String, String>> sections;

	private NReconLog(final Path file, final Map<String, Map<String, String>> sections) {
		this.file = file;
		this.sections = sections;
	}

	/** Reads and parses a log file (ISO-8859-1). */
	public static NReconLog read(final Path file) throws VolumeIOException {
		final byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read the NRecon log (" + e.getMessage() + ")", e);
		}
		return parse(new String(bytes, StandardCharsets.ISO_8859_1), file);
	}

	/**
	 * Parses the text of a log.
	 *
	 * @param source the file it came from, for error messages (may be null)
	 * @throws VolumeIOException if the text has no {@code [section]} at all (not an NRecon log)
	 */
	public static NReconLog parse(final String text, final Path source) throws VolumeIOException {
		final Path where = source != null ? source : Path.of("(log text)");
		final Map<String, Map<String, String>> s = new LinkedHashMap<>();
		Map<String, String> current = null;
		for (String line : text.split("\r\n|\r|\n")) {
			if (line.startsWith("\uFEFF")) line = line.substring(1);
			final String t = line.trim();
			if (t.isEmpty() || t.startsWith(";")) continue;
			if (t.startsWith("[") && t.endsWith("]")) {
				current = s.computeIfAbsent(t.substring(1, t.length() - 1).trim(), k -> new LinkedHashMap<>());
				continue;
			}
			final int eq = line.indexOf('=');
			if (eq <= 0) continue; // free text (NRecon does not write any; tolerate it)
			if (current == null) current = s.computeIfAbsent("", k -> new LinkedHashMap<>());
			current.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
		}
		s.remove("");
		if (s.isEmpty()) throw new VolumeIOException(where, "not an NRecon log: no [section] headers");
		final Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
		s.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(v)));
		return new NReconLog(source, Collections.unmodifiableMap(frozen));
	}

	/** The file this log was read from (null if parsed from text). */
	public Path file() {
		return file;
	}

	/** Section name -&gt; (key -&gt; value), in file order; unmodifiable. */
	public Map<String, Map<String, String>> sections() {
		return sections;
	}

	/** Whether the log has a section of exactly this name (without brackets). */
	public boolean hasSection(final String section) {
		return sections.containsKey(section);
	}

	/** The value of an exact key in a section, or null. */
	public String get(final String section, final String key) {
		final Map<String, String> m = sections.get(section);
		final String v = m == null ? null : m.get(key);
		return v == null || v.isEmpty() ? null : v;
	}

	/** The value of an exact key; a {@link VolumeIOException} naming the log, section and key when absent. */
	public String require(final String section, final String key) throws VolumeIOException {
		final String v = get(section, key);
		if (v == null) throw new VolumeIOException(where(), "the NRecon log has no '" + key + "' in [" + section + "]");
		return v;
	}

	/** A number; accepts a decimal comma. Empty when absent or not a number. */
	public OptionalDouble optDouble(final String section, final String key) {
		final String v = get(section, key);
		if (v == null) return OptionalDouble.empty();
		try {
			return OptionalDouble.of(Double.parseDouble(v.indexOf('.') < 0 ? v.replace(',', '.') : v));
		}
		catch (final NumberFormatException e) {
			return OptionalDouble.empty();
		}
	}

	/** An integer. Empty when absent or not an integer. */
	public OptionalInt optInt(final String section, final String key) {
		final String v = get(section, key);
		if (v == null) return OptionalInt.empty();
		try {
			return OptionalInt.of(Integer.parseInt(v));
		}
		catch (final NumberFormatException e) {
			return OptionalInt.empty();
		}
	}

	/** A required number. */
	public double requireDouble(final String section, final String key) throws VolumeIOException {
		final String v = require(section, key);
		final OptionalDouble d = optDouble(section, key);
		if (d.isEmpty()) throw new VolumeIOException(where(), "[" + section + "] " + key + " is not a number: '" + v + "'");
		return d.getAsDouble();
	}

	/** A required integer. */
	public int requireInt(final String section, final String key) throws VolumeIOException {
		final String v = require(section, key);
		final OptionalInt d = optInt(section, key);
		if (d.isEmpty()) throw new VolumeIOException(where(), "[" + section + "] " + key + " is not an integer: '" + v +
			"'");
		return d.getAsInt();
	}

	/**
	 * Whether this is a reconstruction log (NRecon wrote a {@code [Reconstruction]}
	 * section with the section range); an acquisition log is not.
	 */
	public boolean isReconstruction() {
		return hasSection(RECONSTRUCTION) && get(RECONSTRUCTION, "First Section") != null && get(RECONSTRUCTION,
			"Last Section") != null;
	}

	/** The reconstructed voxel size: {@code [Reconstruction] Pixel Size (um)}, positive. */
	public double voxelSizeUm() throws VolumeIOException {
		final double v = requireDouble(RECONSTRUCTION, "Pixel Size (um)");
		if (!(v > 0) || Double.isInfinite(v)) throw new VolumeIOException(where(),
			"[Reconstruction] Pixel Size (um) must be positive, found " + v);
		return v;
	}

	/** The projection pixel size, {@code [Acquisition] Image Pixel Size (um)}, if present. */
	/**
	 * The attenuation coefficients NRecon mapped to the lowest and highest grey
	 * value ({@code Minimum/Maximum for CS to Image Conversion} in
	 * [Reconstruction], in the reconstruction's units, mm⁻¹ for current NRecon):
	 * the scan's own calibration from grey to attenuation. Empty when the log
	 * does not record it.
	 */
	public java.util.Optional<double[]> attenuationRange() {
		final OptionalDouble lo = optDouble(RECONSTRUCTION, "Minimum for CS to Image Conversion"), hi = optDouble(
			RECONSTRUCTION, "Maximum for CS to Image Conversion");
		if (lo.isEmpty() || hi.isEmpty() || !(hi.getAsDouble() > lo.getAsDouble())) return java.util.Optional.empty();
		return java.util.Optional.of(new double[] { lo.getAsDouble(), hi.getAsDouble() });
	}

	public OptionalDouble imagePixelSizeUm() {
		return optDouble(ACQUISITION, "Image Pixel Size (um)");
	}

	/** The detector pixel size, {@code [System] Camera Pixel Size (um)}, if present. */
	public OptionalDouble cameraPixelSizeUm() {
		return optDouble(SYSTEM, "Camera Pixel Size (um)");
	}

	/** {@code [Reconstruction] First Section}: the index of the first slice file. */
	public int firstSection() throws VolumeIOException {
		return requireInt(RECONSTRUCTION, "First Section");
	}

	/** {@code [Reconstruction] Last Section}: the index of the last slice file. */
	public int lastSection() throws VolumeIOException {
		return requireInt(RECONSTRUCTION, "Last Section");
	}

	/** {@code [Reconstruction] Section to Section Step}, 1 when absent. */
	public int sectionStep() {
		final OptionalInt s = optInt(RECONSTRUCTION, "Section to Section Step");
		return s.isPresent() && s.getAsInt() > 0 ? s.getAsInt() : 1;
	}

	/** {@code [Reconstruction] Sections Count}, if present. */
	public OptionalInt sectionsCount() {
		return optInt(RECONSTRUCTION, "Sections Count");
	}

	/** {@code [Reconstruction] Result File Type} in upper case (TIF, BMP, PNG, JPG), TIF when absent. */
	public String resultFileType() {
		final String t = get(RECONSTRUCTION, "Result File Type");
		return t == null ? "TIF" : t.toUpperCase(Locale.ROOT);
	}

	/** Slice-name prefix from {@code [File name convention] Filename Prefix}, if present. */
	public Optional<String> filenamePrefix() {
		return Optional.ofNullable(get(FILE_NAME_CONVENTION, "Filename Prefix"));
	}

	/** Zero-padded index width from {@code [File name convention] Filename Index Length}, if present. */
	public OptionalInt filenameIndexLength() {
		return optInt(FILE_NAME_CONVENTION, "Filename Index Length");
	}

	/** {@code [Reconstruction] Dataset Prefix} (the projections' prefix), or null. */
	public String datasetPrefix() {
		return get(RECONSTRUCTION, "Dataset Prefix");
	}

	/** {@code [Reconstruction] Result Image Width (pixels)}, if present. */
	public OptionalInt resultImageWidth() {
		return optInt(RECONSTRUCTION, "Result Image Width (pixels)");
	}

	/** {@code [Reconstruction] Result Image Height (pixels)}, if present. */
	public OptionalInt resultImageHeight() {
		return optInt(RECONSTRUCTION, "Result Image Height (pixels)");
	}

	/** {@code [System] Scanner}, or null. */
	public String scanner() {
		return get(SYSTEM, "Scanner");
	}

	private Path where() {
		return file != null ? file : Path.of("(log text)");
	}

	@Override
	public String toString() {
		return "NReconLog[" + (file == null ? "" : file.getFileName()) + " " + sections.keySet() + "]";
	}
}
