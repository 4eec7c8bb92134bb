package org.osteocast.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * What a scan is, without its pixels: format, dimensions, pixel type, voxel
 * size and origin. Read by {@code formats.VolumeIO.readHeader} for
 * {@code osteocast info} and for cohort validation, where reading every
 * volume in full would be slow.
 */
public final class VolumeHeader {

	private final Path file;
	private final String format;
	private final long[] dimensions;
	private final int frames;
	private final String pixelType;
	private final double[] voxelSizeUm;
	private final double[] originUm;
	private final boolean calibrated;

	/**
	 * @param file the file or folder described
	 * @param format human-readable format ("TIFF stack", "NIfTI-1", ...)
	 * @param dimensions x, y, z (z = slices per frame)
	 * @param frames time points (1 for a plain volume)
	 * @param pixelType one of {@code uint8, int8, uint16, int16, uint32, int32, float32, float64}
	 * @param voxelSizeUm x, y, z in µm
	 * @param originUm position of voxel (0, 0, 0) in µm
	 * @param calibrated whether the file stated a physical voxel size (else 1 µm was assumed)
	 */
	public VolumeHeader(final Path file, final String format, final long[] dimensions, final int frames,
		final String pixelType, final double[] voxelSizeUm, final double[] originUm, final boolean calibrated)
	{
		if (dimensions.length != 3 || voxelSizeUm.length != 3 || originUm.length != 3) throw new IllegalArgumentException(
			"dimensions, voxel size and origin need 3 components");
		this.file = file;
		this.format = format;
		this.dimensions = dimensions.clone();
		this.frames = frames;
		this.pixelType = pixelType;
		this.voxelSizeUm = voxelSizeUm.clone();
		this.originUm = originUm.clone();
		this.calibrated = calibrated;
	}

	/** The header of a volume already in memory. */
	public static VolumeHeader of(final Volume<?> v, final Path file, final String format, final boolean calibrated) {
		return new VolumeHeader(file, format, v.dimensions(), 1, pixelType(v.type()), v.voxelSizeUm(), v.originUm(),
			calibrated);
	}

	/** The file or folder described. */
	public Path file() {
		return file;
	}

	/** Human-readable format, e.g. "TIFF stack", "NIfTI-1 (gzip)", "SkyScan NRecon (TIF, log x.log)". */
	public String format() {
		return format;
	}

	/** x, y, z; a copy. */
	public long[] dimensions() {
		return dimensions.clone();
	}

	/** Time points (frames of an ImageJ hyperstack, dim[4] of a NIfTI); 1 for a plain volume. */
	public int frames() {
		return frames;
	}

	/** {@code uint8, int8, uint16, int16, uint32, int32, float32, float64}. */
	public String pixelType() {
		return pixelType;
	}

	/** Bits per voxel of {@link #pixelType()}. */
	public int bitDepth() {
		return Integer.parseInt(pixelType.replaceAll("\\D", ""));
	}

	/** Voxel size (x, y, z) in µm; a copy. */
	public double[] voxelSizeUm() {
		return voxelSizeUm.clone();
	}

	/** Origin in µm; a copy. */
	public double[] originUm() {
		return originUm.clone();
	}

	/** Whether the file stated a physical voxel size. */
	public boolean calibrated() {
		return calibrated;
	}

	/** The same header with an isotropic voxel size given by the user. */
	public VolumeHeader withVoxelSizeUm(final double um) {
		return new VolumeHeader(file, format, dimensions, frames, pixelType, new double[] { um, um, um }, originUm, true);
	}

	/** The NIfTI-style name of an imglib2 pixel type. */
	public static String pixelType(final RealType<?> t) {
		if (t instanceof UnsignedByteType) return "uint8";
		if (t instanceof ByteType) return "int8";
		if (t instanceof UnsignedShortType) return "uint16";
		if (t instanceof ShortType) return "int16";
		if (t instanceof UnsignedIntType) return "uint32";
		if (t instanceof IntType) return "int32";
		if (t instanceof FloatType) return "float32";
		if (t instanceof DoubleType) return "float64";
		return t.getClass().getSimpleName().toLowerCase(Locale.ROOT).replace("type", "") + t.getBitsPerPixel();
	}

	@Override
	public String toString() {
		return format + " " + dimensions[0] + "x" + dimensions[1] + "x" + dimensions[2] + (frames > 1 ? "x" + frames
			: "") + " " + pixelType + " " + Arrays.toString(voxelSizeUm) + " um" + (calibrated ? "" : " (uncalibrated)");
	}
}
