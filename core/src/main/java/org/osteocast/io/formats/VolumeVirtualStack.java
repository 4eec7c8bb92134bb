package org.osteocast.io.formats;

import ij.ImagePlus;
import ij.VirtualStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.view.Views;

import org.osteocast.io.Volume;

/**
 * A volume seen as an ImageJ virtual stack: each slice is made when ImageJ
 * asks for it, so that ImageJ's TIFF writer streams a scan of any size to disk
 * plane by plane. 8- and 16-bit unsigned planes keep their type, signed
 * 16-bit is stored as ImageJ does (unsigned + 32768 with its signed
 * calibration), anything else becomes 32-bit float.
 */
public final class VolumeVirtualStack extends VirtualStack {

	private final Volume<?> volume;
	private final int depth, bitDepth;
	private final boolean signed;

	private VolumeVirtualStack(final Volume<?> v, final int bitDepth, final boolean signed) {
		super(Math.toIntExact(v.width()), Math.toIntExact(v.height()), Math.toIntExact(v.depth()), bitDepth == 8
			? "8-bit" : bitDepth == 16 ? "16-bit" : "32-bit");
		this.volume = v;
		this.depth = Math.toIntExact(v.depth());
		this.bitDepth = bitDepth;
		this.signed = signed;
	}

	/** An image over the volume's planes, calibrated as {@link ImagePlusVolumes#toImagePlus} does. */
	public static ImagePlus imagePlus(final Volume<?> v) {
		final Object t = v.type();
		final boolean signed = t instanceof ShortType;
		final int bits = t instanceof UnsignedByteType ? 8 : t instanceof UnsignedShortType || signed ? 16 : 32;
		final VolumeVirtualStack st = new VolumeVirtualStack(v, bits, signed);
		final ImagePlus imp = new ImagePlus(v.name(), st);
		final Calibration cal = ImagePlusVolumes.calibration(v);
		if (signed) cal.setSigned16BitCalibration();
		imp.setCalibration(cal);
		if (bits == 16) imp.getProcessor().setMinAndMax(signed ? 0 : 0, 65535);
		return imp;
	}

	/** The volume behind the stack. */
	Volume<?> volume() {
		return volume;
	}

	@Override
	public ImageProcessor getProcessor(final int n) {
		final int w = getWidth(), h = getHeight(), z = n - 1;
		final Object raw = LazyVolume.isLazy(volume) ? LazyVolume.plane(volume, z) : null;
		switch (bitDepth) {
			case 8:
				return new ByteProcessor(w, h, raw != null ? (byte[]) raw : bytes(z, w * h));
			case 16: {
				final short[] a = raw != null ? ((short[]) raw).clone() : shorts(z, w * h);
				if (signed) for (int i = 0; i < a.length; i++)
					a[i] = (short) (a[i] ^ 0x8000);
				return new ShortProcessor(w, h, a, null);
			}
			default:
				return new FloatProcessor(w, h, raw instanceof float[] ? (float[]) raw : floats(z, w * h));
		}
	}

	private Cursor<? extends RealType<?>> cursor(final int z) {
		return Views.flatIterable(Views.hyperSlice(Views.zeroMin(volume.image()), 2, z)).cursor();
	}

	private byte[] bytes(final int z, final int n) {
		final byte[] a = new byte[n];
		final Cursor<? extends RealType<?>> c = cursor(z);
		for (int i = 0; c.hasNext(); i++)
			a[i] = (byte) (int) c.next().getRealDouble();
		return a;
	}

	private short[] shorts(final int z, final int n) {
		final short[] a = new short[n];
		final Cursor<? extends RealType<?>> c = cursor(z);
		for (int i = 0; c.hasNext(); i++)
			a[i] = (short) (int) c.next().getRealDouble();
		return a;
	}

	private float[] floats(final int z, final int n) {
		final float[] a = new float[n];
		final Cursor<? extends RealType<?>> c = cursor(z);
		for (int i = 0; c.hasNext(); i++)
			a[i] = c.next().getRealFloat();
		return a;
	}

	@Override
	public Object getPixels(final int n) {
		return getProcessor(n).getPixels();
	}

	@Override
	public int getSize() {
		return depth;
	}

	@Override
	public int size() {
		return depth;
	}

	@Override
	public int getBitDepth() {
		return bitDepth;
	}

	@Override
	public String getSliceLabel(final int n) {
		return null;
	}
}
