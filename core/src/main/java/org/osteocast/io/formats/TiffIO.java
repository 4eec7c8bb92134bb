package org.osteocast.io.formats;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.measure.Calibration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.util.NaturalOrder;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.util.IoErrors;

/**
 * TIFF through ImageJ 1.x's own decoder and encoder (the format every Fiji
 * user already has): multi-page stacks, ImageJ hyperstacks with calibration,
 * and folders of single-slice TIFFs. Reads check the file before trusting it
 * (a truncated file is an error, not zeros; colour and 64-bit data are refused
 * with the reason); writes are atomic.
 */
public final class TiffIO {

	private TiffIO() {}

	/**
	 * The TIFF's image descriptions (ImageJ's {@link FileInfo}s), without
	 * reading pixels, checked against the file's length.
	 *
	 * @throws VolumeIOException naming the file when it is missing, not a TIFF or truncated
	 */
	public static FileInfo[] info(final Path file) throws VolumeIOException {
		if (!Files.isRegularFile(file)) throw new VolumeIOException(file, "no such file");
		if (!Files.isReadable(file)) throw new VolumeIOException(file, "not readable");
		try {
			if (Files.size(file) == 0) throw new VolumeIOException(file, "empty file (0 bytes): not a TIFF");
		}
		catch (final VolumeIOException e) {
			throw e;
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read file size (" + IoErrors.reason(e) + ")", e);
		}
		final FileInfo[] info;
		try {
			final Path abs = file.toAbsolutePath();
			info = new TiffDecoder(abs.getParent().toString() + "/", abs.getFileName().toString()).getTiffInfo();
		}
		catch (final IOException | RuntimeException e) {
			final String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
			if (m.contains("BitsPerSample")) throw new VolumeIOException(file, "unsupported bit depth (" + m +
				"; OsteoCast reads grey-scale 8-, 16- and 32-bit images)", e);
			throw new VolumeIOException(file, "not a readable TIFF (" + m + ")", e);
		}
		if (info == null || info.length == 0) throw new VolumeIOException(file, "not a TIFF file");
		checkLength(file, info);
		return info;
	}

	/**
	 * Opens a TIFF (single image, stack or ImageJ hyperstack) as an
	 * {@link ImagePlus}, with its calibration.
	 *
	 * @throws VolumeIOException naming the file when it is missing, not a TIFF or truncated
	 */
	public static ImagePlus read(final Path file) throws VolumeIOException {
		info(file);
		final ImagePlus imp;
		synchronized (TiffIO.class) { // ImageJ's Opener keeps static state
			imp = new Opener().openTiff(file.toAbsolutePath().getParent().toString() + "/", file.getFileName()
				.toString());
		}
		if (imp == null || imp.getStackSize() == 0) throw new VolumeIOException(file, "ImageJ could not decode this TIFF");
		return imp;
	}

	/**
	 * Reads a TIFF stack as a volume: 8-, 16- (unsigned, or signed as ImageJ or
	 * the SampleFormat tag marks it) or 32-bit float, one channel, one frame.
	 * The slice arrays ImageJ decoded become the volume's planes (no second copy).
	 */
	public static Volume<?> readVolume(final Path file) throws VolumeIOException {
		final VolumeHeader h = readHeader(file); // refuses colour / 64-bit before decoding
		final ImagePlus imp = read(file);
		if (imp.getNChannels() > 1 || imp.getNFrames() > 1) throw new VolumeIOException(file, "an ImageJ hyperstack with " +
			imp.getNChannels() + " channels and " + imp.getNFrames() +
			" frames; a scan is one channel and one frame (slice sequences are read with Hyperstack)");
		final Volume<?> v = SliceStack.wrapOwned(imp, file);
		return new Volume<>(v.image(), h.voxelSizeUm(), h.originUm(), v.name());
	}

	/** Dimensions, frames, type and calibration of a TIFF, decoding one image at most. */
	public static VolumeHeader readHeader(final Path file) throws VolumeIOException {
		final FileInfo[] info = info(file);
		final FileInfo fi = info[0];
		final SliceStack.Kind kind = SliceStack.kind(fi, file);
		final Properties props;
		final Calibration cal;
		synchronized (TiffIO.class) {
			final FileInfo one = (FileInfo) fi.clone();
			one.nImages = 1;
			final FileOpener fo = new FileOpener(one);
			props = fo.decodeDescriptionString((FileInfo) fi.clone());
			final ImagePlus first = fo.openImage(); // one slice: ImageJ's calibration logic, not a copy of it
			if (first == null) throw new VolumeIOException(file, "ImageJ could not decode this TIFF");
			cal = first.getCalibration();
		}
		final int images = info.length > 1 ? info.length : Math.max(1, fi.nImages);
		int frames = intProp(props, "frames", 1), slices = intProp(props, "slices", 0);
		final int channels = intProp(props, "channels", 1);
		if (slices <= 0) slices = images / Math.max(1, frames * channels);
		final boolean ok = calibrated(cal);
		final double[] voxel = ok ? ImagePlusVolumes.voxelSizeUm(cal) : new double[] { 1, 1, 1 };
		if (ok && !(props != null && props.getProperty("spacing") != null) && slices > 1 && cal.pixelDepth == 1 &&
			cal.pixelWidth != 1)
		{
			voxel[2] = voxel[0]; // no spacing stored: ImageJ's default 1 unit would be wrong; assume isotropic
		}
		final double[] exact = exactVoxelSizeUm(fi.info, voxel);
		final String type = kind == SliceStack.Kind.UINT8 ? "uint8" : kind == SliceStack.Kind.UINT16 ? cal
			.isSigned16Bit() ? "int16" : "uint16" : kind == SliceStack.Kind.INT16 ? "int16" : "float32";
		return new VolumeHeader(file, frames > 1 || channels > 1 ? "ImageJ hyperstack TIFF" : "TIFF stack", new long[] {
			fi.width, fi.height, slices }, frames, type, exact != null ? exact : voxel, ok ? ImagePlusVolumes.originUm(cal) : new double[3], ok);
	}

	/** The key under which {@link #write(ImagePlus, Path)} records the exact voxel size in ImageJ's "Info". */
	static final String VOXEL_INFO_KEY = "osteocast_voxel_size_um=";

	/**
	 * TIFF stores pixel size as a rational (1 / size, truncated), which loses
	 * about 1e-4 of a 105.32 µm voxel; the exact value written by OsteoCast in
	 * ImageJ's Info text is used when it agrees with the tags to 0.1 %.
	 */
	static double[] exactVoxelSizeUm(final String info, final double[] fromTags) {
		if (info == null) return null;
		final int i = info.indexOf(VOXEL_INFO_KEY);
		if (i < 0) return null;
		final int end = info.indexOf('\n', i);
		final String[] parts = info.substring(i + VOXEL_INFO_KEY.length(), end < 0 ? info.length() : end).trim().split(
			",");
		if (parts.length != 3) return null;
		final double[] v = new double[3];
		try {
			for (int d = 0; d < 3; d++) {
				v[d] = Double.parseDouble(parts[d].trim());
				if (!(Math.abs(v[d] - fromTags[d]) <= 1e-3 * v[d])) return null;
			}
		}
		catch (final NumberFormatException e) {
			return null;
		}
		return v;
	}

	private static int intProp(final Properties p, final String key, final int dflt) {
		if (p == null || p.getProperty(key) == null) return dflt;
		try {
			return Integer.parseInt(p.getProperty(key).trim());
		}
		catch (final NumberFormatException e) {
			return dflt;
		}
	}

	/** Whether an ImageJ calibration states a physical length unit (not pixels, inches of a screen, or nothing). */
	static boolean calibrated(final Calibration cal) {
		return isLengthUnit(cal.getUnit()) && cal.pixelWidth > 0 && cal.pixelHeight > 0;
	}

	/** Units that {@link ImagePlusVolumes#unitToMicrometres(String)} converts. */
	static boolean isLengthUnit(final String unit) {
		if (unit == null) return false;
		switch (unit.trim().toLowerCase(Locale.ROOT)) {
			case "nm":
			case "nanometer":
			case "nanometre":
			case "micron":
			case "microns":
			case "um":
			case "\u00b5m":
			case "\u03bcm":
			case "micrometer":
			case "micrometre":
			case "mm":
			case "millimeter":
			case "millimetre":
			case "cm":
			case "m":
			case "meter":
			case "metre":
				return true;
			default:
				return false;
		}
	}

	/** The TIFF files of a folder of slices, in natural order of their names ("s2" before "s10"). */
	public static List<Path> sliceFiles(final Path folder) throws VolumeIOException {
		final List<Path> files = new ArrayList<>();
		try (Stream<Path> s = Files.list(folder)) {
			s.filter(p -> !p.getFileName().toString().startsWith(".") && SliceStack.isTiff(p) && Files.isRegularFile(p))
				.forEach(files::add);
		}
		catch (final IOException e) {
			throw new VolumeIOException(folder, "cannot list folder (" + e.getMessage() + ")", e);
		}
		files.sort((a, b) -> NaturalOrder.compare(a.getFileName().toString(), b.getFileName().toString()));
		return files;
	}

	/**
	 * Reads a folder of single-slice TIFFs (natural order) as one volume. All
	 * slices must share size and type; the odd file is named otherwise. The
	 * first slice's calibration gives x and y; z is taken equal to x, since a
	 * single image stores no slice spacing.
	 */
	public static Volume<?> readFolder(final Path folder, final Progress progress, final Cancellation cancel)
		throws VolumeIOException
	{
		final List<Path> files = sliceFiles(folder);
		if (files.isEmpty()) throw new VolumeIOException(folder, emptyFolderProblem(folder));
		final VolumeHeader first = readHeader(files.get(0));
		final Volume<?> v = SliceStack.read(files, folder, folder.getFileName().toString(), progress, cancel);
		final double[] s = first.voxelSizeUm();
		s[2] = s[0];
		return new Volume<>(v.image(), s, first.originUm(), v.name());
	}

	/** Header of a folder of single-slice TIFFs: every slice's header is checked (cheap), no pixels read. */
	public static VolumeHeader readFolderHeader(final Path folder) throws VolumeIOException {
		final List<Path> files = sliceFiles(folder);
		if (files.isEmpty()) throw new VolumeIOException(folder, emptyFolderProblem(folder));
		final VolumeHeader first = readHeader(files.get(0));
		final SliceStack.Slice s0 = SliceStack.probe(files.get(0));
		for (int i = 1; i < files.size(); i++) {
			final SliceStack.Slice s = SliceStack.probe(files.get(i));
			if (s.width != s0.width || s.height != s0.height || s.kind != s0.kind) throw new VolumeIOException(files.get(i),
				"slice is " + s.describe() + ", unlike the first slice " + files.get(0).getFileName() + " (" + s0.describe() +
					"); all slices must have the same size and type");
		}
		final double[] v = first.voxelSizeUm();
		v[2] = v[0];
		return new VolumeHeader(folder, "folder of " + files.size() + " TIFF slices", new long[] { s0.width, s0.height,
			files.size() }, 1, first.pixelType(), v, first.originUm(), first.calibrated());
	}

	public static String emptyFolderProblem(final Path folder) {
		try (Stream<Path> s = Files.list(folder)) {
			return s.findAny().isPresent()
				? "no TIFF slices (.tif, .tiff) and no NRecon reconstruction .log in this folder"
				: "empty folder";
		}
		catch (final IOException e) {
			return "cannot list folder (" + e.getMessage() + ")";
		}
	}

	/** A truncated file ends before the last strip: say so instead of reading zeros. */
	static void checkLength(final Path file, final FileInfo[] info) throws VolumeIOException {
		final long size;
		try {
			size = Files.size(file);
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read file size", e);
		}
		for (final FileInfo fi : info) {
			if (fi.compression > FileInfo.COMPRESSION_NONE) {
				// compressed strips: their stated ends must lie inside the file
				if (fi.stripOffsets != null && fi.stripLengths != null) for (int i = 0; i < fi.stripOffsets.length &&
					i < fi.stripLengths.length; i++)
				{
					final long end = (fi.stripOffsets[i] & 0xffffffffL) + fi.stripLengths[i];
					if (end > size) throw new VolumeIOException(file, "truncated: a compressed strip ends at byte " + end +
						" but the file has " + size);
				}
				continue;
			}
			final long images = Math.max(1, fi.nImages);
			final long bytesPerImage;
			if (fi.fileType == FileInfo.BITMAP) bytesPerImage = (fi.width + 7L) / 8 * fi.height;
			else if (fi.fileType == FileInfo.GRAY12_UNSIGNED) bytesPerImage = ((long) fi.width * fi.height * 3 + 1) / 2;
			else bytesPerImage = (long) fi.width * fi.height * fi.getBytesPerPixel();
			final long need = fi.getOffset() + images * bytesPerImage + Math.max(0, images - 1) * fi.getGap();
			if (need > size) throw new VolumeIOException(file, "truncated: the TIFF header describes " + need +
				" bytes of pixels but the file has " + size);
		}
	}

	/**
	 * Writes an image, stack or hyperstack as one TIFF, atomically. The exact
	 * voxel size in µm is also recorded in ImageJ's Info text (see
	 * {@link #exactVoxelSizeUm}), since TIFF's rational resolution tags round it.
	 */
	/** Why ImageJ's writer failed (it reports only false): disk full, permissions, or unknown. */
	static String writeFailure(final Path tmp, final ImagePlus imp) {
		final Path dir = tmp.toAbsolutePath().getParent();
		try {
			final long need = (long) imp.getWidth() * imp.getHeight() * imp.getStackSize() * Math.max(1, imp.getBitDepth() /
				8);
			final long free = Files.getFileStore(dir).getUsableSpace();
			if (free < need + (1 << 20)) return String.format(Locale.ROOT,
				"no space left on device: %.1f MB free in %s, the TIFF needs %.1f MB", free / 1e6, dir, need / 1e6);
			if (!Files.isWritable(dir)) return "permission denied in " + dir;
		}
		catch (final IOException | RuntimeException e) {
			// fall through
		}
		return "ImageJ's TIFF writer failed";
	}

	public static void write(final ImagePlus imp, final Path file) throws IOException {
		final Calibration cal = imp.getCalibration();
		final Object old = imp.getProperty("Info");
		if (calibrated(cal)) {
			final double f = ImagePlusVolumes.unitToMicrometres(cal.getUnit());
			final String kept = old instanceof String ? ((String) old).replaceAll("(?m)^" + VOXEL_INFO_KEY + ".*\n?", "")
				: "";
			imp.setProperty("Info", kept + VOXEL_INFO_KEY + String.format(Locale.ROOT, "%s,%s,%s", cal.pixelWidth * f,
				cal.pixelHeight * f, cal.pixelDepth * f) + "\n");
		}
		try {
			AtomicFiles.write(file, tmp -> {
				final FileSaver saver = new FileSaver(imp);
				final boolean ok;
				synchronized (TiffIO.class) {
					ok = imp.getStackSize() > 1 ? saver.saveAsTiffStack(tmp.toString()) : saver.saveAsTiff(tmp.toString());
				}
				if (!ok) throw new VolumeIOException(file, "could not write the TIFF (" + writeFailure(tmp, imp) + ")");
			});
		}
		finally {
			imp.setProperty("Info", old); // the caller's image is left as it was
		}
	}
}
