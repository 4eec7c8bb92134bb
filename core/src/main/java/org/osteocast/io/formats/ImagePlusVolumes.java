package org.osteocast.io.formats;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import java.nio.file.Path;
import java.util.Locale;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;

import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;

/**
 * Converts between ImageJ 1.x {@link ImagePlus} stacks and {@link Volume}s,
 * sharing the slice arrays instead of copying wherever the types allow
 * (8-bit, 16-bit and 32-bit stacks become planar images over the very same
 * {@code byte[]}, {@code short[]} and {@code float[]} arrays).
 */
public final class ImagePlusVolumes {

	private ImagePlusVolumes() {}

	/**
	 * Wraps a single-channel, single-frame stack as a volume without copying.
	 *
	 * @param source where the image came from, for error messages (may be null)
	 * @throws VolumeIOException for RGB, multi-channel or multi-frame images
	 */
	public static Volume<?> wrap(final ImagePlus imp, final Path source) throws VolumeIOException {
		// a scan opened plane by plane stays so (with the image's current calibration and title)
		if (imp.getStack() instanceof VolumeVirtualStack) return new Volume<>(((VolumeVirtualStack) imp.getStack())
			.volume().image(), voxelSizeUm(imp.getCalibration()), originUm(imp.getCalibration()), imp.getTitle());
		final Path where = source != null ? source : Path.of(imp.getTitle());
		if (imp.getNChannels() != 1 || imp.getNFrames() != 1) throw new VolumeIOException(where,
			"expected one channel and one frame, found " + imp.getNChannels() + " channels and " + imp.getNFrames() +
				" frames");
		final ImageStack stack = imp.getStack();
		final long[] dims = { imp.getWidth(), imp.getHeight(), stack.getSize() };
		final Volume<?> v;
		switch (imp.getBitDepth()) {
			case 8: {
				final PlanarImg<UnsignedByteType, ByteArray> img = new PlanarImg<>(dims, new Fraction());
				for (int z = 0; z < dims[2]; z++)
					img.setPlane(z, new ByteArray((byte[]) stack.getPixels(z + 1)));
				img.setLinkedType(new UnsignedByteType(img));
				v = new Volume<>(img, voxelSizeUm(imp.getCalibration()), originUm(imp.getCalibration()), imp.getTitle());
				break;
			}
			case 16: {
				final PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(dims, new Fraction());
				for (int z = 0; z < dims[2]; z++)
					img.setPlane(z, new ShortArray((short[]) stack.getPixels(z + 1)));
				img.setLinkedType(new UnsignedShortType(img));
				v = new Volume<>(img, voxelSizeUm(imp.getCalibration()), originUm(imp.getCalibration()), imp.getTitle());
				break;
			}
			case 32: {
				final PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(dims, new Fraction());
				for (int z = 0; z < dims[2]; z++)
					img.setPlane(z, new FloatArray((float[]) stack.getPixels(z + 1)));
				img.setLinkedType(new FloatType(img));
				v = new Volume<>(img, voxelSizeUm(imp.getCalibration()), originUm(imp.getCalibration()), imp.getTitle());
				break;
			}
			default:
				throw new VolumeIOException(where, "unsupported bit depth " + imp.getBitDepth() +
					" (OsteoCast reads 8-, 16- and 32-bit grey-scale images)");
		}
		return v;
	}

	/**
	 * An {@link ImagePlus} over the volume's pixels. A planar 8/16/32-bit
	 * image is shared; anything else is copied into a 32-bit stack.
	 */
	public static <T extends RealType<T>> ImagePlus toImagePlus(final Volume<T> volume) {
		if (LazyVolume.isLazy(volume)) return VolumeVirtualStack.imagePlus(volume); // planes made when shown
		final int w = Math.toIntExact(volume.width()), h = Math.toIntExact(volume.height()),
				d = Math.toIntExact(volume.depth());
		final ImageStack stack = new ImageStack(w, h);
		final RandomAccessibleInterval<T> img = volume.image();
		final Object first = img instanceof PlanarImg && isZeroMin(img) ? ((PlanarImg<?, ?>) img).getPlane(0) : null;
		final Object t = img.getType();
		if (first instanceof ByteArray && t instanceof UnsignedByteType) {
			for (int z = 0; z < d; z++)
				stack.addSlice("", new ByteProcessor(w, h, ((ByteArray) ((PlanarImg<?, ?>) img).getPlane(z))
					.getCurrentStorageArray()));
		}
		else if (first instanceof ShortArray && t instanceof UnsignedShortType) {
			for (int z = 0; z < d; z++)
				stack.addSlice("", new ShortProcessor(w, h, ((ShortArray) ((PlanarImg<?, ?>) img).getPlane(z))
					.getCurrentStorageArray(), null));
		}
		else if (first instanceof FloatArray && t instanceof FloatType) {
			for (int z = 0; z < d; z++)
				stack.addSlice("", new FloatProcessor(w, h, ((FloatArray) ((PlanarImg<?, ?>) img).getPlane(z))
					.getCurrentStorageArray()));
		}
		else {
			final Img<FloatType> copy = PlanarImgs.floats(w, h, d);
			copyReal(img, copy);
			for (int z = 0; z < d; z++)
				stack.addSlice("", new FloatProcessor(w, h, ((FloatArray) ((PlanarImg<?, ?>) copy).getPlane(z))
					.getCurrentStorageArray()));
		}
		final ImagePlus imp = new ImagePlus(volume.name(), stack);
		imp.setCalibration(calibration(volume));
		if (imp.getBitDepth() != 8) resetDisplayRange(imp);
		return imp;
	}

	/** A 32-bit copy of any volume (always a new planar float image). */
	public static <T extends RealType<T>> Volume<FloatType> toFloatCopy(final Volume<T> volume) {
		final Img<FloatType> copy = PlanarImgs.floats(volume.dimensions());
		copyReal(volume.image(), copy);
		return volume.withImage(copy);
	}

	/** Copies real values pixel by pixel (same dimensions; source may have a non-zero min). */
	public static <A extends RealType<A>, B extends RealType<B>> void copyReal(final RandomAccessibleInterval<A> src,
		final RandomAccessibleInterval<B> dst)
	{
		final Cursor<A> a = Views.flatIterable(Views.zeroMin(src)).cursor();
		final Cursor<B> b = Views.flatIterable(Views.zeroMin(dst)).cursor();
		while (a.hasNext())
			b.next().setReal(a.next().getRealDouble());
	}

	/** ImageJ calibration in micrometres for a volume. */
	public static Calibration calibration(final Volume<?> v) {
		final Calibration cal = new Calibration();
		cal.setUnit("micron");
		cal.pixelWidth = v.voxelSizeUm(0);
		cal.pixelHeight = v.voxelSizeUm(1);
		cal.pixelDepth = v.voxelSizeUm(2);
		final double[] o = v.originUm();
		cal.xOrigin = -o[0] / cal.pixelWidth;
		cal.yOrigin = -o[1] / cal.pixelHeight;
		cal.zOrigin = -o[2] / cal.pixelDepth;
		return cal;
	}

	/** Voxel size in µm from an ImageJ calibration; uncalibrated images get 1 µm. */
	public static double[] voxelSizeUm(final Calibration cal) {
		final double f = unitToMicrometres(cal.getUnit());
		return new double[] { positive(cal.pixelWidth) * f, positive(cal.pixelHeight) * f, positive(cal.pixelDepth) * f };
	}

	/** Origin in µm from an ImageJ calibration (ImageJ stores it in pixels, negated). */
	public static double[] originUm(final Calibration cal) {
		final double[] s = voxelSizeUm(cal);
		return new double[] { -cal.xOrigin * s[0], -cal.yOrigin * s[1], -cal.zOrigin * s[2] };
	}

	/** Factor from an ImageJ length unit to µm; unknown or "pixel" units count as 1. */
	public static double unitToMicrometres(final String unit) {
		if (unit == null) return 1;
		switch (unit.trim().toLowerCase(Locale.ROOT)) {
			case "nm":
			case "nanometer":
			case "nanometre":
				return 1e-3;
			case "mm":
			case "millimeter":
			case "millimetre":
				return 1e3;
			case "cm":
				return 1e4;
			case "m":
			case "meter":
			case "metre":
				return 1e6;
			default:
				return 1;
		}
	}

	private static double positive(final double v) {
		return v > 0 && Double.isFinite(v) ? v : 1;
	}

	private static boolean isZeroMin(final RandomAccessibleInterval<?> img) {
		for (int d = 0; d < img.numDimensions(); d++)
			if (img.min(d) != 0) return false;
		return true;
	}

	/** Sets the display range to the stack's min..max (so a saved TIFF looks right in ImageJ). */
	public static void resetDisplayRange(final ImagePlus imp) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		final ImageStack s = imp.getStack();
		for (int i = 1; i <= s.getSize(); i++) {
			final ImageProcessor ip = s.getProcessor(i);
			ip.resetMinAndMax();
			lo = Math.min(lo, ip.getMin());
			hi = Math.max(hi, ip.getMax());
		}
		if (lo <= hi) imp.setDisplayRange(lo, hi);
	}
}
