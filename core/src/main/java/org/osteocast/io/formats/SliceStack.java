package org.osteocast.io.formats;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.ImageReader;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.process.ImageProcessor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Parallel;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;

/**
 * Reads a list of single-slice image files (TIFF, or BMP/PNG/JPEG through
 * ImageJ's {@link Opener}) into one planar volume, one slice at a time.
 * <p>
 * TIFF slices are decoded with ImageJ's {@link ImageReader} straight into the
 * array that becomes the volume's plane, so each pixel is copied once, from the
 * file into memory. Every slice must have the size and type of the first; the
 * first odd one is named in the error.
 */
final class SliceStack {

	private SliceStack() {}

	/** The kinds of grey-scale slice OsteoCast accepts. */
	enum Kind {
		UINT8("8-bit"), UINT16("16-bit"), INT16("signed 16-bit"), FLOAT32("32-bit float");

		final String label;

		Kind(final String label) {
			this.label = label;
		}
	}

	/** One decoded slice. */
	static final class Slice {
		final int width, height;
		final Kind kind;
		final Object pixels;

		Slice(final int width, final int height, final Kind kind, final Object pixels) {
			this.width = width;
			this.height = height;
			this.kind = kind;
			this.pixels = pixels;
		}

		String describe() {
			return width + "x" + height + " " + kind.label;
		}
	}

	/** Size and kind of a slice file from its header only (TIFF) or a decode (other formats). */
	static Slice probe(final Path file) throws VolumeIOException {
		if (isTiff(file)) {
			final FileInfo fi = tiffInfo(file);
			return new Slice(fi.width, fi.height, kind(fi, file), null);
		}
		final Slice s = readOther(file);
		return new Slice(s.width, s.height, s.kind, null);
	}

	/**
	 * Reads all slices, in list order, in parallel ({@link Parallel#threads()}),
	 * into a planar volume with 1 µm voxels (the caller sets the calibration).
	 *
	 * @param where the folder, for messages
	 */
	static Volume<?> read(final List<Path> files, final Path where, final String name, final Progress progress,
		final Cancellation cancel) throws VolumeIOException
	{
		if (files.isEmpty()) throw new VolumeIOException(where, "no slice images");
		final Slice first = readSlice(files.get(0));
		final Object[] planes = new Object[files.size()];
		planes[0] = first.pixels;
		final AtomicLong done = new AtomicLong(1);
		progress.status("reading " + files.size() + " slices of " + where.getFileName());
		progress.progress(1, files.size());
		final int threads = Math.min(Parallel.threads(), 4); // decoding is cheap: more threads only fight for the disk
		final ExecutorService pool = Parallel.pool("slices", threads);
		try {
			final List<Future<?>> futures = new ArrayList<>();
			for (int i = 1; i < files.size(); i++) {
				final int z = i;
				futures.add(pool.submit(() -> {
					cancel.check();
					final Path f = files.get(z);
					final Slice s = readSlice(f);
					if (s.width != first.width || s.height != first.height || s.kind != first.kind)
						throw new VolumeIOException(f, "slice is " + s.describe() + ", unlike the first slice " + files.get(0)
							.getFileName() + " (" + first.describe() + "); all slices must have the same size and type");
					planes[z] = s.pixels;
					progress.progress(done.incrementAndGet(), files.size());
					return null;
				}));
			}
			// report the first failing slice in file order, so the message is deterministic
			for (final Future<?> f : futures)
				f.get();
		}
		catch (final ExecutionException e) {
			final Throwable c = e.getCause();
			if (c instanceof VolumeIOException) throw (VolumeIOException) c;
			if (c instanceof Cancellation.CancelledException) throw (Cancellation.CancelledException) c;
			if (c instanceof RuntimeException) throw (RuntimeException) c;
			throw new VolumeIOException(where, "reading slices failed (" + c + ")", c);
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new Cancellation.CancelledException("interrupted while reading " + where);
		}
		finally {
			pool.shutdownNow();
		}
		return planar(first.kind, first.width, first.height, planes, new double[] { 1, 1, 1 }, new double[3], name);
	}

	/** A volume over the given arrays (not copied). */
	static Volume<?> planar(final Kind kind, final int w, final int h, final Object[] planes, final double[] voxelUm,
		final double[] originUm, final String name)
	{
		final long[] dims = { w, h, planes.length };
		switch (kind) {
			case UINT8: {
				final PlanarImg<UnsignedByteType, ByteArray> img = new PlanarImg<>(dims, new Fraction());
				for (int z = 0; z < planes.length; z++)
					img.setPlane(z, new ByteArray((byte[]) planes[z]));
				img.setLinkedType(new UnsignedByteType(img));
				return new Volume<>(img, voxelUm, originUm, name);
			}
			case UINT16: {
				final PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(dims, new Fraction());
				for (int z = 0; z < planes.length; z++)
					img.setPlane(z, new ShortArray((short[]) planes[z]));
				img.setLinkedType(new UnsignedShortType(img));
				return new Volume<>(img, voxelUm, originUm, name);
			}
			case INT16: {
				final PlanarImg<ShortType, ShortArray> img = new PlanarImg<>(dims, new Fraction());
				for (int z = 0; z < planes.length; z++)
					img.setPlane(z, new ShortArray((short[]) planes[z]));
				img.setLinkedType(new ShortType(img));
				return new Volume<>(img, voxelUm, originUm, name);
			}
			default: {
				final PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(dims, new Fraction());
				for (int z = 0; z < planes.length; z++)
					img.setPlane(z, new FloatArray((float[]) planes[z]));
				img.setLinkedType(new FloatType(img));
				return new Volume<>(img, voxelUm, originUm, name);
			}
		}
	}

	/** Reads one slice file. */
	static Slice readSlice(final Path file) throws VolumeIOException {
		return isTiff(file) ? readTiff(file) : readOther(file);
	}

	static boolean isTiff(final Path file) {
		final String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return n.endsWith(".tif") || n.endsWith(".tiff");
	}

	/** The first (and only) image of a single-slice TIFF, checked against the file's length. */
	static FileInfo tiffInfo(final Path file) throws VolumeIOException {
		final FileInfo[] info = TiffIO.info(file);
		final int images = info.length == 1 ? Math.max(1, info[0].nImages) : info.length;
		if (images > 1) throw new VolumeIOException(file, "holds " + images +
			" images; a folder of slices needs one image per file");
		return info[0];
	}

	/** The accepted kind of a TIFF's pixels, or an error naming the unsupported type. */
	static Kind kind(final FileInfo fi, final Path file) throws VolumeIOException {
		switch (fi.fileType) {
			case FileInfo.GRAY8:
			case FileInfo.BITMAP:
				return Kind.UINT8;
			case FileInfo.COLOR8:
				if (fi.lutSize > 0 && !greyRamp(fi)) throw new VolumeIOException(file,
					"unsupported pixel type: an indexed-colour image (OsteoCast reads grey-scale 8-, 16- and 32-bit images)");
				return Kind.UINT8;
			case FileInfo.GRAY12_UNSIGNED:
			case FileInfo.GRAY10_UNSIGNED:
			case FileInfo.GRAY16_UNSIGNED:
				return Kind.UINT16;
			case FileInfo.GRAY16_SIGNED:
				return Kind.INT16;
			case FileInfo.GRAY32_FLOAT:
				return Kind.FLOAT32;
			default:
				throw new VolumeIOException(file, "unsupported pixel type: " + describeType(fi) +
					" (OsteoCast reads grey-scale 8-, 16- and 32-bit float images)");
		}
	}

	private static boolean greyRamp(final FileInfo fi) {
		for (int i = 0; i < fi.lutSize; i++)
			if (fi.reds[i] != fi.greens[i] || fi.greens[i] != fi.blues[i] || (fi.reds[i] & 0xff) != i) return false;
		return true;
	}

	private static String describeType(final FileInfo fi) {
		switch (fi.fileType) {
			case FileInfo.RGB:
			case FileInfo.RGB_PLANAR:
			case FileInfo.BGR:
			case FileInfo.ARGB:
			case FileInfo.ABGR:
			case FileInfo.BARG:
			case FileInfo.CMYK:
				return "RGB colour";
			case FileInfo.RGB48:
			case FileInfo.RGB48_PLANAR:
				return "48-bit RGB colour";
			case FileInfo.GRAY64_FLOAT:
				return "64-bit float";
			case FileInfo.GRAY32_INT:
			case FileInfo.GRAY32_UNSIGNED:
				return "32-bit integer";
			case FileInfo.GRAY24_UNSIGNED:
				return "24-bit integer";
			default:
				return "TIFF pixel type " + fi.fileType;
		}
	}

	private static Slice readTiff(final Path file) throws VolumeIOException {
		final FileInfo fi = tiffInfo(file);
		final Kind kind = kind(fi, file);
		final Object pixels;
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
			final ImageReader reader = new ImageReader(fi);
			pixels = reader.readPixels(in);
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read pixels (" + e.getMessage() + ")", e);
		}
		if (pixels == null) throw new VolumeIOException(file, "ImageJ could not decode the pixels (corrupt or truncated)");
		if (kind == Kind.INT16) toSigned((short[]) pixels); // ImageReader shifted them by +32768
		// bilevel WhiteIsZero: a set bit is black. (8-bit grey keeps raw values, as ImageJ does with an inverting LUT.)
		if (fi.fileType == FileInfo.BITMAP && fi.whiteIsZero) invert8((byte[]) pixels);
		return new Slice(fi.width, fi.height, kind, pixels);
	}

	/** ImageJ's unsigned storage of signed 16-bit data (+32768) back to two's complement, in place. */
	static void toSigned(final short[] a) {
		for (int i = 0; i < a.length; i++)
			a[i] = (short) (a[i] ^ 0x8000);
	}

	private static void invert8(final byte[] a) {
		for (int i = 0; i < a.length; i++)
			a[i] = (byte) (255 - (a[i] & 0xff));
	}

	/**
	 * BMP, PNG, JPEG or GIF through ImageJ's {@link Opener}. Colour slices
	 * (NRecon writes grey values as RGB or indexed colour in some versions)
	 * become 8-bit grey.
	 */
	private static Slice readOther(final Path file) throws VolumeIOException {
		if (!Files.isRegularFile(file)) throw new VolumeIOException(file, "no such file");
		final ImagePlus imp;
		try {
			synchronized (TiffIO.class) { // ImageJ's Opener keeps static state
				imp = new Opener().openImage(file.toAbsolutePath().toString());
			}
		}
		catch (final RuntimeException e) {
			throw new VolumeIOException(file, "ImageJ could not read this image (" + e.getMessage() + ")", e);
		}
		if (imp == null) throw new VolumeIOException(file, "ImageJ could not read this image (unknown format or corrupt)");
		if (imp.getStackSize() != 1) throw new VolumeIOException(file, "holds " + imp.getStackSize() +
			" images; a slice file needs one");
		ImageProcessor ip = imp.getProcessor();
		final int w = ip.getWidth(), h = ip.getHeight();
		switch (imp.getType()) {
			case ImagePlus.GRAY8:
				if (ip.isInvertedLut()) {
					ip = ip.duplicate();
					ip.invert();
				}
				return new Slice(w, h, Kind.UINT8, ip.getPixels());
			case ImagePlus.COLOR_256:
				return new Slice(w, h, Kind.UINT8, ip.convertToRGB().convertToByteProcessor().getPixels());
			case ImagePlus.COLOR_RGB:
				return new Slice(w, h, Kind.UINT8, ip.convertToByteProcessor().getPixels());
			case ImagePlus.GRAY16:
				return new Slice(w, h, Kind.UINT16, ip.getPixels());
			case ImagePlus.GRAY32:
				return new Slice(w, h, Kind.FLOAT32, ip.getPixels());
			default:
				throw new VolumeIOException(file, "unsupported image type " + imp.getType());
		}
	}

	/** Wraps a freshly read stack it owns; ImageJ's signed 16-bit (offset by 32768) becomes int16 in place. */
	static Volume<?> wrapOwned(final ImagePlus imp, final Path file) throws VolumeIOException {
		if (imp.getBitDepth() == 16 && imp.getCalibration().isSigned16Bit() && imp.getNChannels() == 1 && imp
			.getNFrames() == 1)
		{
			final ImageStack st = imp.getStack();
			final Object[] planes = new Object[st.getSize()];
			for (int z = 0; z < planes.length; z++) {
				planes[z] = st.getPixels(z + 1);
				toSigned((short[]) planes[z]);
			}
			final Volume<?> v = ImagePlusVolumes.wrap(imp, file); // calibration
			return planar(Kind.INT16, imp.getWidth(), imp.getHeight(), planes, v.voxelSizeUm(), v.originUm(), v.name());
		}
		if (imp.getBitDepth() == 24) throw new VolumeIOException(file,
			"unsupported pixel type: RGB colour (OsteoCast reads grey-scale 8-, 16- and 32-bit images)");
		return ImagePlusVolumes.wrap(imp, file);
	}
}
