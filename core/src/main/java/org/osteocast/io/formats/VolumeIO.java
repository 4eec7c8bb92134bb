package org.osteocast.io.formats;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ShortProcessor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.basictypeaccess.array.DoubleArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;

/**
 * The one entry point for scans on disk. {@link #read(Path)} decides by what
 * the path is: a {@code .tif}/{@code .tiff} file (a stack), a {@code .nii} or
 * {@code .nii.gz} file, a SkyScan NRecon folder (a folder with a
 * reconstruction {@code .log}), or a folder of single-slice TIFFs.
 * {@link #write(Volume, Path)} chooses the format by extension and writes
 * atomically.
 * <p>
 * Every read is checked: a volume needs at least 2 slices, float data must be
 * finite, and bad input raises a {@link VolumeIOException} that names the file
 * and the reason.
 */
public final class VolumeIO {

	private VolumeIO() {}

	/** What a path holds. */
	public enum Format {
		/** A (multi-page) TIFF file. */
		TIFF_STACK,
		/** A folder of single-slice TIFFs. */
		TIFF_FOLDER,
		/** A Bruker SkyScan NRecon reconstruction folder. */
		SKYSCAN,
		/** A NIfTI-1 {@code .nii} or {@code .nii.gz} file. */
		NIFTI
	}

	/** Problem text for a single image where a volume is needed (asserted by tests and shown to users). */
	public static final String NOT_3D = "a 2-D image where a 3-D volume is expected";

	/**
	 * Decides the format of a path: files by extension (or, without a known
	 * extension, by their first bytes), folders by content (a reconstruction log
	 * makes a SkyScan folder, else TIFF files make a slice folder).
	 */
	public static Format detect(final Path path) throws VolumeIOException {
		if (Files.isDirectory(path)) {
			if (SkyScanReader.isReconstructionFolder(path)) return Format.SKYSCAN;
			if (!TiffIO.sliceFiles(path).isEmpty()) return Format.TIFF_FOLDER;
			throw new VolumeIOException(path, TiffIO.emptyFolderProblem(path));
		}
		if (!Files.exists(path)) throw new VolumeIOException(path, "no such file or folder");
		if (!Files.isReadable(path)) throw new VolumeIOException(path, "not readable");
		final String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (n.endsWith(".tif") || n.endsWith(".tiff")) return Format.TIFF_STACK;
		if (n.endsWith(".nii") || n.endsWith(".nii.gz")) return Format.NIFTI;
		final byte[] head = new byte[4];
		int got = 0;
		try (InputStream in = Files.newInputStream(path)) {
			got = in.readNBytes(head, 0, 4);
		}
		catch (final IOException e) {
			throw new VolumeIOException(path, "not readable (" + e.getMessage() + ")", e);
		}
		if (got == 4) {
			if (head[0] == 'I' && head[1] == 'I' && head[2] == 42 || head[0] == 'M' && head[1] == 'M' && head[3] == 42)
				return Format.TIFF_STACK;
			final int le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
			if (le == NiftiIO.HEADER_SIZE || Integer.reverseBytes(le) == NiftiIO.HEADER_SIZE) return Format.NIFTI;
		}
		throw new VolumeIOException(path,
			"unsupported file type (OsteoCast reads .tif/.tiff stacks, .nii/.nii.gz, folders of TIFF slices and SkyScan NRecon folders)");
	}

	/** Reads a scan with the calibration the file states. */
	public static Volume<?> read(final Path path) throws VolumeIOException {
		return read(path, Double.NaN, Progress.NONE, Cancellation.NEVER);
	}

	/**
	 * Reads a scan, replacing its voxel size by {@code voxelUmOverride} (µm,
	 * isotropic) when that is positive; NaN or ≤ 0 keeps the file's calibration.
	 * For files that carry none (plain TIFF slices) or carry a wrong one.
	 */
	public static Volume<?> read(final Path path, final double voxelUmOverride) throws VolumeIOException {
		return read(path, voxelUmOverride, Progress.NONE, Cancellation.NEVER);
	}

	/** Reads a scan, reporting progress and checking cancellation between slices. */
	public static Volume<?> read(final Path path, final double voxelUmOverride, final Progress progress,
		final Cancellation cancel) throws VolumeIOException
	{
		final Format f = detect(path);
		final VolumeHeader h = readHeader(path);
		if ((f == Format.TIFF_STACK || f == Format.NIFTI) && h.frames() <= 1 && h.dimensions()[2] < 2)
			throw new VolumeIOException(path, NOT_3D);
		checkHeap(h, path);
		cancel.check();
		final Volume<?> v;
		switch (f) {
			case TIFF_STACK:
				v = TiffIO.readVolume(path);
				break;
			case NIFTI:
				v = NiftiIO.read(path, progress, cancel);
				break;
			case SKYSCAN:
				v = SkyScanReader.read(path, progress, cancel);
				break;
			default:
				v = TiffIO.readFolder(path, progress, cancel);
		}
		if (v.depth() < 2) throw new VolumeIOException(path, NOT_3D);
		checkFinite(v, path);
		if (voxelUmOverride > 0 && Double.isFinite(voxelUmOverride)) return new Volume<>(v.image(), new double[] {
			voxelUmOverride, voxelUmOverride, voxelUmOverride }, v.originUm(), v.name());
		return v;
	}

	/**
	 * Fraction of the free Java heap above which {@link #open} reads a scan
	 * plane by plane on demand instead of whole: a registration holds two scans
	 * and an output, so each may take about a fifth of the heap.
	 */
	public static final double LAZY_FRACTION = 0.2;

	/**
	 * Opens a scan for the steps that stream it (register, slice, info): read
	 * whole as {@link #read(Path, double, Progress, Cancellation)} does when it
	 * takes less than {@link #LAZY_FRACTION} of the free heap (the same volume,
	 * bit for bit), otherwise as a {@link LazyVolume} whose planes are decoded
	 * when touched and kept in a bounded cache. Float data of a lazy volume are
	 * checked for NaN by the steps that read them, not here.
	 */
	public static Volume<?> open(final Path path, final double voxelUmOverride, final Progress progress,
		final Cancellation cancel) throws VolumeIOException
	{
		final VolumeHeader h = readHeader(path, voxelUmOverride);
		final long[] d = h.dimensions();
		final double bytes = (double) d[0] * d[1] * d[2] * Math.max(1, h.frames()) * Math.max(1, h.bitDepth() / 8);
		final Runtime rt = Runtime.getRuntime();
		final double free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		final boolean streamable = h.frames() <= 1 && d[2] >= 2 && java.util.Set.of("uint8", "uint16", "int16",
			"float32").contains(h.pixelType());
		if (!streamable || bytes < LAZY_FRACTION * free) return read(path, voxelUmOverride, progress, cancel);
		// streaming holds a few windows of planes (as floats, for three scans at once) besides the working copies
		final double plane = 4.0 * d[0] * d[1], need = 3 * 16 * plane + (16 << 20);
		final double available = freeHeap(need);
		if (need > available) throw new VolumeIOException(path, TOO_BIG + String.format(Locale.ROOT,
			"%d x %d x %d voxels: even plane by plane they need %.0f MB, and %.0f MB of the %.0f MB heap are free; set a " +
				"larger heap (OSTEOCAST_XMX=%dm; in Fiji: Edit > Options > Memory & Threads)", d[0], d[1], d[2], need / 1e6,
			available / 1e6, rt.maxMemory() / 1e6, (long) Math.ceil((need + rt.maxMemory() - available) / (1 << 20)) + 64));
		progress.status("opening " + path.getFileName() + " plane by plane (" + d[0] + " x " + d[1] + " x " + d[2] +
			" voxels)");
		return LazyVolume.open(path, voxelUmOverride);
	}

	/** As {@link #open(Path, double, Progress, Cancellation)} with the file's calibration. */
	public static Volume<?> open(final Path path) throws VolumeIOException {
		return open(path, Double.NaN, Progress.NONE, Cancellation.NEVER);
	}

	/**
	 * The Java heap free for new arrays (bytes). What the runtime reports as
	 * free leaves out garbage not yet collected, so when that is less than
	 * {@code needed}, the heap is collected once and measured again: a small
	 * heap full of garbage is not refused as full.
	 */
	public static double freeHeap(final double needed) {
		final Runtime rt = Runtime.getRuntime();
		double free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		if (free < needed) {
			System.gc();
			free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
		}
		return free;
	}

	/** The start of the message for a scan larger than the free Java heap (tests assert on it). */
	public static final String TOO_BIG = "too large for the Java heap: ";

	/**
	 * Refuses, before reading a pixel, a scan whose voxels would not fit the
	 * free Java heap, and names the heap to set.
	 */
	static void checkHeap(final VolumeHeader h, final Path path) throws VolumeIOException {
		final long[] d = h.dimensions();
		final double bytes = (double) d[0] * d[1] * d[2] * Math.max(1, h.frames()) * Math.max(1, h.bitDepth() / 8);
		final Runtime rt = Runtime.getRuntime();
		final double free = freeHeap(bytes / 0.9);
		if (bytes > 0.9 * free) throw new VolumeIOException(path, TOO_BIG + String.format(java.util.Locale.ROOT,
			"%d x %d x %d voxels of %d bits need %.1f GB, and %.1f GB of the %.1f GB heap are free; set a larger heap " +
				"(OSTEOCAST_XMX=%dg; in Fiji: Edit > Options > Memory & Threads)", d[0], d[1], d[2], h.bitDepth(), bytes / 1e9,
			free / 1e9, rt.maxMemory() / 1e9, (long) Math.ceil((bytes / 0.9 + rt.maxMemory() - free) / 1e9) + 1));
	}

	/** Dimensions, type and voxel size without reading all pixels. */
	public static VolumeHeader readHeader(final Path path) throws VolumeIOException {
		return readHeader(path, Double.NaN);
	}

	/** As {@link #readHeader(Path)}, with the voxel-size override of {@link #read(Path, double)}. */
	public static VolumeHeader readHeader(final Path path, final double voxelUmOverride) throws VolumeIOException {
		final VolumeHeader h;
		switch (detect(path)) {
			case TIFF_STACK:
				h = TiffIO.readHeader(path);
				break;
			case NIFTI:
				h = NiftiIO.readHeader(path);
				break;
			case SKYSCAN:
				h = SkyScanReader.readHeader(path);
				break;
			default:
				h = TiffIO.readFolderHeader(path);
		}
		return voxelUmOverride > 0 && Double.isFinite(voxelUmOverride) ? h.withVoxelSizeUm(voxelUmOverride) : h;
	}

	/**
	 * Writes a volume by extension: {@code .tif}/{@code .tiff} (ImageJ TIFF
	 * stack, calibrated in µm; int16 is stored as ImageJ's signed 16-bit, other
	 * types than 8/16-bit unsigned and 32-bit float become 32-bit float), {@code .nii} or {@code .nii.gz}. Atomic.
	 * A {@link LazyVolume} is written plane by plane (never whole in memory).
	 *
	 * @throws IllegalArgumentException for another extension
	 */
	public static <T extends RealType<T>> void write(final Volume<T> volume, final Path file) throws IOException {
		final String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
		if ((n.endsWith(".tif") || n.endsWith(".tiff")) && LazyVolume.isLazy(volume)) TiffIO.write(VolumeVirtualStack
			.imagePlus(volume), file);
		else if (n.endsWith(".tif") || n.endsWith(".tiff")) TiffIO.write(volume.type() instanceof ShortType ? signed16(volume)
			: ImagePlusVolumes.toImagePlus(volume), file);
		else if (n.endsWith(".nii") || n.endsWith(".nii.gz")) NiftiIO.write(volume, file);
		else throw new IllegalArgumentException(file + ": unsupported output type (use .tif, .tiff, .nii or .nii.gz)");
	}

	/** int16 as ImageJ stores it: unsigned + 32768 with its signed-16-bit calibration (read back as int16). */
	private static ImagePlus signed16(final Volume<?> v) {
		final int w = Math.toIntExact(v.width()), h = Math.toIntExact(v.height());
		final ImageStack st = new ImageStack(w, h);
		for (long z = 0; z < v.depth(); z++) {
			final short[] a = new short[w * h];
			final Cursor<? extends RealType<?>> c = Views.flatIterable(Views.hyperSlice(Views.zeroMin(v.image()), 2, z))
				.cursor();
			for (int i = 0; c.hasNext(); i++)
				a[i] = (short) ((int) c.next().getRealDouble() + 32768);
			st.addSlice(new ShortProcessor(w, h, a, null));
		}
		final ImagePlus imp = new ImagePlus(v.name(), st);
		final Calibration cal = ImagePlusVolumes.calibration(v);
		cal.setSigned16BitCalibration();
		imp.setCalibration(cal);
		ImagePlusVolumes.resetDisplayRange(imp);
		return imp;
	}

	/**
	 * Refuses float data with NaN or infinite values, reporting how many and
	 * the first position (x, y, z): downstream normalisation and losses would
	 * turn one NaN into a NaN model.
	 */
	public static void checkFinite(final Volume<?> v, final Path source) throws VolumeIOException {
		final Object t = v.type();
		if (!(t instanceof FloatType) && !(t instanceof DoubleType)) return;
		final RandomAccessibleInterval<?> img = v.image();
		long count = 0;
		long[] first = null;
		if (img instanceof PlanarImg && ((PlanarImg<?, ?>) img).numSlices() == v.depth()) {
			final PlanarImg<?, ?> p = (PlanarImg<?, ?>) img;
			final int w = (int) v.width();
			for (int z = 0; z < p.numSlices(); z++) {
				final Object a = p.getPlane(z);
				if (a instanceof FloatArray) {
					final float[] f = ((FloatArray) a).getCurrentStorageArray();
					for (int i = 0; i < f.length; i++)
						if (!Float.isFinite(f[i]) && count++ == 0) first = new long[] { i % w, i / w, z };
				}
				else {
					final double[] d = ((DoubleArray) a).getCurrentStorageArray();
					for (int i = 0; i < d.length; i++)
						if (!Double.isFinite(d[i]) && count++ == 0) first = new long[] { i % w, i / w, z };
				}
			}
		}
		else {
			final Cursor<? extends RealType<?>> c = Views.flatIterable(Views.zeroMin(v.image())).localizingCursor();
			while (c.hasNext())
				if (!Double.isFinite(c.next().getRealDouble()) && count++ == 0) first = c.positionAsLongArray();
		}
		if (count > 0) throw new VolumeIOException(source, count + " NaN or infinite value" + (count == 1 ? "" : "s") +
			" in float data (first at x=" + first[0] + ", y=" + first[1] + ", z=" + first[2] + ")");
	}

	/** Minimum and maximum value of a volume (computed over all voxels). */
	public static double[] valueRange(final Volume<?> v) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		if (LazyVolume.isLazy(v)) { // plane by plane, straight from the decoded arrays
			final boolean unsigned = !(v.type() instanceof ShortType);
			for (int z = 0; z < v.depth(); z++) {
				final Object a = LazyVolume.plane(v, z);
				final int n = java.lang.reflect.Array.getLength(a);
				for (int i = 0; i < n; i++) {
					final double x = a instanceof byte[] ? ((byte[]) a)[i] & 0xff : a instanceof float[] ? ((float[]) a)[i]
						: unsigned ? ((short[]) a)[i] & 0xffff : ((short[]) a)[i];
					if (x < lo) lo = x;
					if (x > hi) hi = x;
				}
			}
			return new double[] { lo, hi };
		}
		final Cursor<? extends RealType<?>> c = Views.flatIterable(v.image()).cursor();
		while (c.hasNext()) {
			final double x = c.next().getRealDouble();
			if (x < lo) lo = x;
			if (x > hi) hi = x;
		}
		return new double[] { lo, hi };
	}
}
