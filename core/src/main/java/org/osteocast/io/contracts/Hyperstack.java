package org.osteocast.io.contracts;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;

import java.nio.file.Path;
import java.util.Arrays;

import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;

import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.formats.ImagePlusVolumes;

/**
 * A 32-bit time series of volumes: the slice-sequence contract (frames =
 * weeks, slices = VOI slices). Planes are stored in ImageJ's hyperstack order,
 * plane index {@code t * slices + z}, so an {@link ImagePlus} and a 4-D imglib2
 * image (x, y, z, t) share the same arrays.
 */
public final class Hyperstack implements java.io.Serializable {

	private static final long serialVersionUID = 1L;

	private final int width, height, slices, frames;
	private final float[][] planes;
	private final double[] voxelSizeUm;
	private final String name;

	/** Zero-filled hyperstack. */
	public Hyperstack(final int width, final int height, final int slices, final int frames,
		final double[] voxelSizeUm, final String name)
	{
		this(width, height, slices, frames, allocate(width * height, slices * frames), voxelSizeUm, name);
	}

	/** Over existing planes (not copied), plane index {@code t * slices + z}. */
	public Hyperstack(final int width, final int height, final int slices, final int frames, final float[][] planes,
		final double[] voxelSizeUm, final String name)
	{
		if (width < 1 || height < 1 || slices < 1 || frames < 1) throw new IllegalArgumentException(
			"empty hyperstack " + width + "x" + height + "x" + slices + "x" + frames);
		if (planes.length != slices * frames) throw new IllegalArgumentException("need " + slices * frames +
			" planes, got " + planes.length);
		for (final float[] p : planes)
			if (p.length != width * height) throw new IllegalArgumentException("plane of " + p.length +
				" pixels, expected " + width * height);
		this.width = width;
		this.height = height;
		this.slices = slices;
		this.frames = frames;
		this.planes = planes;
		this.voxelSizeUm = voxelSizeUm.clone();
		this.name = name == null ? "" : name;
	}

	private static float[][] allocate(final int n, final int count) {
		final float[][] p = new float[count][];
		for (int i = 0; i < count; i++)
			p[i] = new float[n];
		return p;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	public int slices() {
		return slices;
	}

	public int frames() {
		return frames;
	}

	public String name() {
		return name;
	}

	public double[] voxelSizeUm() {
		return voxelSizeUm.clone();
	}

	/** The pixel array of slice {@code z} in frame {@code t} (0-based; shared, row-major x fastest). */
	public float[] plane(final int z, final int t) {
		return planes[t * slices + z];
	}

	/** The slice arrays of frame {@code t} (0-based; shared, index = slice). */
	public float[][] planes(final int t) {
		final float[][] p = new float[slices][];
		for (int z = 0; z < slices; z++)
			p[z] = plane(z, t);
		return p;
	}

	/** One frame (week) as a 3-D volume sharing the arrays. */
	public Volume<FloatType> frame(final int t) {
		final PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(new long[] { width, height, slices },
			new Fraction());
		for (int z = 0; z < slices; z++)
			img.setPlane(z, new FloatArray(plane(z, t)));
		img.setLinkedType(new FloatType(img));
		return new Volume<>(img, voxelSizeUm, new double[3], name + " t" + (t + 1));
	}

	/** As an ImageJ hyperstack over the same arrays, calibrated in µm. */
	public ImagePlus toImagePlus() {
		final ImageStack stack = new ImageStack(width, height);
		for (int t = 0; t < frames; t++)
			for (int z = 0; z < slices; z++)
				stack.addSlice("t" + (t + 1) + " z" + (z + 1), new FloatProcessor(width, height, plane(z, t)));
		final ImagePlus imp = new ImagePlus(name, stack);
		imp.setDimensions(1, slices, frames);
		if (frames > 1 || slices > 1) imp.setOpenAsHyperStack(true);
		final ij.measure.Calibration cal = new ij.measure.Calibration();
		cal.setUnit("micron");
		cal.pixelWidth = voxelSizeUm[0];
		cal.pixelHeight = voxelSizeUm[1];
		cal.pixelDepth = voxelSizeUm[2];
		cal.frameInterval = 7;
		cal.setTimeUnit("day");
		imp.setCalibration(cal);
		imp.setDisplayRange(0, 1);
		return imp;
	}

	/**
	 * A hyperstack over an ImageJ image's arrays (32-bit, one channel). A
	 * plain stack counts as one frame.
	 */
	public static Hyperstack fromImagePlus(final ImagePlus imp, final Path source) throws VolumeIOException {
		final Path where = source != null ? source : Path.of(imp.getTitle());
		if (imp.getBitDepth() != 32) throw new VolumeIOException(where, "slice sequences must be 32-bit float, found " +
			imp.getBitDepth() + "-bit");
		if (imp.getNChannels() != 1) throw new VolumeIOException(where, "expected one channel, found " + imp
			.getNChannels());
		final int s = imp.getNSlices(), f = imp.getNFrames();
		final ImageStack stack = imp.getStack();
		final float[][] planes = new float[s * f][];
		for (int i = 0; i < s * f; i++)
			planes[i] = (float[]) stack.getPixels(i + 1);
		return new Hyperstack(imp.getWidth(), imp.getHeight(), s, f, planes, ImagePlusVolumes.voxelSizeUm(imp
			.getCalibration()), imp.getTitle());
	}

	/** Reads a hyperstack TIFF. */
	public static Hyperstack read(final Path file) throws VolumeIOException {
		return fromImagePlus(TiffIO.read(file), file);
	}

	/** Writes this hyperstack as an ImageJ hyperstack TIFF, atomically. */
	public void write(final Path file) throws java.io.IOException {
		TiffIO.write(toImagePlus(), file);
	}

	@Override
	public String toString() {
		return "Hyperstack[" + name + " " + width + "x" + height + " slices=" + slices + " frames=" + frames + " " +
			Arrays.toString(voxelSizeUm) + " um]";
	}
}
