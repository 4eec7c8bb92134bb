package org.osteocast.io.formats;

import ij.ImagePlus;
import ij.process.ShortProcessor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import javax.imageio.ImageIO;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.osteocast.io.Volume;
import org.osteocast.io.util.AtomicFiles;

/**
 * Writes a volume as a Bruker SkyScan NRecon reconstruction folder: an
 * INI-like {@code <prefix>.log} and one 16-bit TIFF per slice named
 * {@code <prefix>_rec<index>.tif} with the index zero-padded to 8 digits and
 * running from {@code First Section} to {@code Last Section}, plus the
 * {@code <prefix>_rec_spr.bmp} scout image that real folders hold (it is not a
 * slice). The log copies the section names, key spellings and value styles of
 * real NRecon logs (SkyScan 1172/1272/1278), including the three different
 * keys that end in {@code Pixel Size (um)}, so a reader that works on these
 * folders has met the traps of real ones. Lines end in CR LF and the text is
 * latin-1, as NRecon (a Windows program) writes it.
 */
public final class SkyScanWriter {

	/** Width of the zero-padded slice index ({@code Filename Index Length}). */
	public static final int INDEX_LENGTH = 8;

	private static final DateTimeFormatter STUDY = DateTimeFormatter.ofPattern("dd MMM yyyy  HH'h':mm'm':ss's'",
		Locale.ENGLISH);
	private static final DateTimeFormatter RECON = DateTimeFormatter.ofPattern("MMM dd, yyyy  HH:mm:ss", Locale.ENGLISH);

	private SkyScanWriter() {}

	/** Acquisition details written into the log; all have realistic defaults. */
	public static final class Metadata {
		private String scanner = "SkyScan1276";
		private LocalDateTime studyDate = LocalDateTime.of(2026, 1, 5, 10, 0, 0);
		private int firstSection = 0;
		private int sourceKv = 55;
		private int sourceUa = 200;
		private String filter = "Al 0.5mm";
		private double rotationStepDeg = 0.6;
		private double cameraPixelUm = 74.8;
		private int ringArtifactCorrection = 5;
		private int beamHardeningPercent = 20;

		/** Scanner model ({@code Scanner}, {@code Dataset Origin}); default SkyScan1276. */
		public Metadata scanner(final String s) {
			scanner = s;
			return this;
		}

		/** Date and time of the scan ({@code Study Date and Time}). */
		public Metadata studyDate(final LocalDateTime d) {
			studyDate = d;
			return this;
		}

		/** Index of the first slice ({@code First Section}); real scans rarely start at 0. */
		public Metadata firstSection(final int i) {
			if (i < 0) throw new IllegalArgumentException("first section must be >= 0, got " + i);
			firstSection = i;
			return this;
		}

		/** X-ray source voltage (kV) and current (µA). */
		public Metadata source(final int kv, final int ua) {
			sourceKv = kv;
			sourceUa = ua;
			return this;
		}

		/** Beam filter, e.g. {@code Al 0.5mm}. */
		public Metadata filter(final String f) {
			filter = f;
			return this;
		}

		/** Angular step between projections in degrees (sets {@code Number Of Files} for 180°). */
		public Metadata rotationStepDeg(final double d) {
			rotationStepDeg = d;
			return this;
		}

		/** Detector pixel size in µm ({@code [System] Camera Pixel Size (um)}); sets the geometric magnification. */
		public Metadata cameraPixelUm(final double d) {
			cameraPixelUm = d;
			return this;
		}

		/** NRecon's ring-artefact correction level (0 = off). */
		public Metadata ringArtifactCorrection(final int level) {
			ringArtifactCorrection = level;
			return this;
		}

		/** The index of the first slice. */
		public int firstSection() {
			return firstSection;
		}
	}

	/** The slice file name for a prefix and section index: {@code <prefix>_rec00000123.tif}. */
	public static String sliceName(final String prefix, final int section) {
		return String.format(Locale.ROOT, "%s_rec%0" + INDEX_LENGTH + "d.tif", prefix, section);
	}

	/**
	 * Writes the folder (created if needed). Slice z of the volume becomes
	 * section {@code firstSection + z}. Values are rounded and clamped to
	 * 0 … 65535. Earlier slices of the same prefix in the folder are deleted
	 * first, so a rewritten folder never mixes two scans.
	 *
	 * @param prefix the dataset prefix ({@code Filename Prefix} of the acquisition), e.g. {@code M001_week1}
	 */
	public static <T extends RealType<T>> void write(final Volume<T> volume, final Path folder, final String prefix,
		final Metadata meta) throws IOException
	{
		if (prefix.isEmpty() || prefix.contains("/") || prefix.contains("\\")) throw new IllegalArgumentException(
			"bad SkyScan prefix '" + prefix + "'");
		Files.createDirectories(folder);
		try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, prefix + "_rec*.tif")) {
			for (final Path f : old)
				Files.delete(f);
		}
		final int w = Math.toIntExact(volume.width()), h = Math.toIntExact(volume.height()), d = Math.toIntExact(volume
			.depth());
		final RandomAccessibleInterval<T> img = Views.zeroMin(volume.image());
		final RandomAccess<T> ra = img.randomAccess();
		final double[] projection = new double[w * d];
		for (int z = 0; z < d; z++) {
			final short[] px = new short[w * h];
			ra.setPosition(z, 2);
			for (int y = 0; y < h; y++) {
				ra.setPosition(y, 1);
				for (int x = 0; x < w; x++) {
					ra.setPosition(x, 0);
					final double val = Math.max(0, Math.min(65535, Math.rint(ra.get().getRealDouble())));
					px[y * w + x] = (short) (int) val;
					projection[z * w + x] += val;
				}
			}
			final ImagePlus slice = new ImagePlus(prefix + "_rec", new ShortProcessor(w, h, px, null));
			slice.setCalibration(ImagePlusVolumes.calibration(volume));
			TiffIO.write(slice, folder.resolve(sliceName(prefix, meta.firstSection + z)));
		}
		writeScout(projection, w, d, folder.resolve(prefix + "_rec_spr.bmp"));
		final String log = logText(prefix, volume.voxelSizeUm(0), w, h, d, meta);
		AtomicFiles.writeBytes(folder.resolve(prefix + ".log"), log.getBytes(StandardCharsets.ISO_8859_1));
	}

	/** The scout image: a projection through the volume (x across, slices down), 24-bit BMP like NRecon's. */
	private static void writeScout(final double[] sum, final int w, final int d, final Path file) throws IOException {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final double s : sum) {
			lo = Math.min(lo, s);
			hi = Math.max(hi, s);
		}
		final BufferedImage bi = new BufferedImage(w, d, BufferedImage.TYPE_3BYTE_BGR);
		for (int z = 0; z < d; z++)
			for (int x = 0; x < w; x++) {
				final int g = hi > lo ? (int) Math.round(255 * (sum[z * w + x] - lo) / (hi - lo)) : 0;
				bi.setRGB(x, z, (g << 16) | (g << 8) | g);
			}
		AtomicFiles.write(file, tmp -> {
			if (!ImageIO.write(bi, "bmp", tmp.toFile())) throw new IOException(file + ": no BMP writer available");
		});
	}

	/**
	 * The text of the {@code .log} file (CR LF line ends).
	 *
	 * @param voxelUm reconstructed voxel size ({@code [Reconstruction] Pixel Size (um)})
	 */
	public static String logText(final String prefix, final double voxelUm, final int width, final int height,
		final int slices, final Metadata m)
	{
		final int first = m.firstSection, last = first + slices - 1;
		// geometry consistent with the voxel size: magnification = camera pixel / image pixel
		final double cameraToSource = 286.0;
		final double objectToSource = cameraToSource * voxelUm / m.cameraPixelUm;
		final int columns = Math.max(width + 64, 1000), rows = Math.max(last + 64, 668);
		final int files = (int) Math.round(180 / m.rotationStepDeg) + 1;
		final double coneH = Math.toDegrees(2 * Math.atan(columns * m.cameraPixelUm / 1000 / 2 / cameraToSource));
		final double coneV = Math.toDegrees(2 * Math.atan(rows * m.cameraPixelUm / 1000 / 2 / cameraToSource));
		final String dir = "C:\\Results\\" + prefix;
		final StringBuilder s = new StringBuilder();
		section(s, "System");
		kv(s, "Scanner", m.scanner);
		kv(s, "Instrument S/N", "PHANTOM-0001");
		kv(s, "Software Version", "1.6.0");
		kv(s, "Home Directory", "C:\\" + m.scanner);
		kv(s, "Source Type", "HAMAMATSU_L12161-07");
		kv(s, "Camera Type", "XIMEA xiRAY11");
		kv(s, "Camera Pixel Size (um)", f("%.1f", m.cameraPixelUm));
		kv(s, "Camera X/Y Ratio", "1.0000");
		section(s, "User");
		kv(s, "User Name", "osteocast");
		kv(s, "Computer Name", "PHANTOM");
		section(s, "Acquisition");
		kv(s, "Data Directory", dir);
		kv(s, "Filename Prefix", prefix);
		kv(s, "Filename Index Length", String.valueOf(INDEX_LENGTH));
		kv(s, "Number Of Files", f("%5d", files));
		kv(s, "Number Of Rows", f("%5d", rows));
		kv(s, "Number Of Columns", f("%5d", columns));
		kv(s, "Partial Width", "OFF");
		kv(s, "Image crop origin X", "0");
		kv(s, "Image crop origin Y", "0");
		kv(s, "Camera binning", "2x2");
		kv(s, "Image Rotation", "0.12000");
		kv(s, "Optical Axis (line)", f("%5d", rows / 2));
		kv(s, "Object to Source (mm)", f("%.5f", objectToSource));
		kv(s, "Camera to Source (mm)", f("%.5f", cameraToSource));
		kv(s, "Source Voltage (kV)", f("%4d", m.sourceKv));
		kv(s, "Source Current (uA)", f("%4d", m.sourceUa));
		kv(s, "Image Pixel Size (um)", f("%.6f", voxelUm));
		kv(s, "Scaled Image Pixel Size (um)", f("%.6f", voxelUm));
		kv(s, "Image Format", "TIFF");
		kv(s, "Depth (bits)", "16");
		kv(s, "Exposure (ms)", f("%6d", 900));
		kv(s, "Rotation Step (deg)", f("%.3f", m.rotationStepDeg));
		kv(s, "Use 360 Rotation", "NO");
		kv(s, "Scanning position", f("%.3f mm", 40.0));
		kv(s, "Frame Averaging", "ON (2)");
		kv(s, "Random Movement", "OFF (10)");
		kv(s, "Flat Field Correction", "ON");
		kv(s, "Geometrical Correction", "ON");
		kv(s, "Filter", m.filter);
		kv(s, "Gantry direction", "CC");
		kv(s, "Rotation Direction", "CC");
		kv(s, "Type of Detector Motion", "STEP AND SHOOT");
		kv(s, "Scanning Trajectory", "ROUND");
		kv(s, "Number of connected scans", "1");
		kv(s, "Current scan number", "1");
		kv(s, "Study Date and Time", STUDY.format(m.studyDate));
		kv(s, "Scan duration", "0h:12m:30s");
		kv(s, "Maximum vertical TS", "5.0");
		section(s, "Reconstruction");
		kv(s, "Reconstruction Program", "NRecon");
		kv(s, "Program Version", "Version: 1.7.4.6");
		kv(s, "Program Home Directory", "C:\\" + m.scanner + "\\NRecon");
		kv(s, "Reconstruction engine", "GPUReconServer");
		kv(s, "Engine version", "Version: 1.7.4");
		kv(s, "Reconstruction from batch", "No");
		kv(s, "Postalignment", "0.00");
		kv(s, "Reconstruction servers", " PHANTOM ");
		kv(s, "Dataset Origin", m.scanner);
		kv(s, "Dataset Prefix", prefix);
		kv(s, "Dataset Directory", dir);
		kv(s, "Output Directory", dir + "\\Rec");
		kv(s, "Time and Date", RECON.format(m.studyDate.plusMinutes(40)));
		kv(s, "First Section", String.valueOf(first));
		kv(s, "Last Section", String.valueOf(last));
		kv(s, "Reconstruction duration per slice (seconds)", "0.050000");
		kv(s, "Total reconstruction time (" + slices + " slices) in seconds", f("%.6f", slices * 0.05));
		kv(s, "Section to Section Step", "1");
		kv(s, "Sections Count", String.valueOf(slices));
		kv(s, "Result File Type", "TIF");
		kv(s, "Result Image Width (pixels)", String.valueOf(width));
		kv(s, "Result Image Height (pixels)", String.valueOf(height));
		kv(s, "Pixel Size (um)", f("%.5f", voxelUm));
		kv(s, "Reconstruction Angular Range (deg)", "180.00");
		kv(s, "Use 180+", "OFF");
		kv(s, "Angular Step (deg)", f("%.4f", m.rotationStepDeg));
		kv(s, "Smoothing", "0");
		kv(s, "Ring Artifact Correction", String.valueOf(m.ringArtifactCorrection));
		kv(s, "Draw Scales", "OFF");
		kv(s, "Object Bigger than FOV", "OFF");
		kv(s, "Reconstruction from ROI", "ON");
		kv(s, "ROI Top (pixels)", String.valueOf((columns + height) / 2));
		kv(s, "ROI Bottom (pixels)", String.valueOf((columns - height) / 2));
		kv(s, "ROI Left (pixels)", String.valueOf((columns - width) / 2));
		kv(s, "ROI Right (pixels)", String.valueOf((columns + width) / 2 - 1));
		kv(s, "ROI reference length", String.valueOf(columns));
		kv(s, "Filter cutoff relative to Nyquist frequency", "100");
		kv(s, "Filter type", "0");
		kv(s, "Filter type description", "Hamming (Alpha=0.54)");
		kv(s, "Undersampling factor", "1");
		kv(s, "Threshold for defect pixel mask (%)", "0");
		kv(s, "Beam Hardening Correction (%)", String.valueOf(m.beamHardeningPercent));
		kv(s, "CS Static Rotation (deg)", "0.00");
		kv(s, "Minimum for CS to Image Conversion", "-0.007000");
		kv(s, "Maximum for CS to Image Conversion", "0.050000");
		kv(s, "HU Calibration", "OFF");
		kv(s, "BMP LUT", "0");
		kv(s, "Cone-beam Angle Horiz.(deg)", f("%.6f", coneH));
		kv(s, "Cone-beam Angle Vert.(deg)", f("%.6f", coneV));
		section(s, "File name convention");
		kv(s, "Filename Index Length", String.valueOf(INDEX_LENGTH));
		kv(s, "Filename Prefix", prefix + "_rec");
		return s.toString();
	}

	private static void section(final StringBuilder s, final String name) {
		s.append('[').append(name).append("]\r\n");
	}

	private static void kv(final StringBuilder s, final String key, final String value) {
		s.append(key).append('=').append(value).append("\r\n");
	}

	private static String f(final String format, final Object... args) {
		return String.format(Locale.ROOT, format, args);
	}
}
