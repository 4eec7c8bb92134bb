package org.osteocast.io;

import java.util.Arrays;
import java.util.Objects;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/**
 * A 3-D scan in memory: an imglib2 image with axes (x, y, z), where z is the
 * scan (slice) axis, plus its voxel size and origin in micrometres.
 * <p>
 * Immutable as a record of metadata; the pixels are shared, not copied, so a
 * {@code Volume} made from an {@code ImagePlus} writes through to its stack.
 *
 * @param <T> pixel type
 */
public final class Volume<T extends RealType<T>> {

	private final RandomAccessibleInterval<T> image;
	private final double[] voxelSizeUm;
	private final double[] originUm;
	private final String name;

	/**
	 * @param image 3-D image, axes x, y, z
	 * @param voxelSizeUm voxel size (x, y, z) in µm, each &gt; 0 and finite
	 * @param originUm position of voxel (0, 0, 0) in µm
	 * @param name a human-readable name (file name, mouse/week); may be empty
	 */
	public Volume(final RandomAccessibleInterval<T> image, final double[] voxelSizeUm, final double[] originUm,
		final String name)
	{
		Objects.requireNonNull(image, "image");
		if (image.numDimensions() != 3) throw new IllegalArgumentException(
			"a volume needs 3 dimensions (x, y, z), got " + image.numDimensions());
		if (voxelSizeUm.length != 3 || originUm.length != 3) throw new IllegalArgumentException(
			"voxel size and origin need 3 components");
		for (final double v : voxelSizeUm)
			if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("voxel size must be positive and finite: " +
				Arrays.toString(voxelSizeUm));
		this.image = image;
		this.voxelSizeUm = voxelSizeUm.clone();
		this.originUm = originUm.clone();
		this.name = name == null ? "" : name;
	}

	/** A volume with isotropic voxels and origin 0. */
	public static <T extends RealType<T>> Volume<T> of(final RandomAccessibleInterval<T> image, final double voxelUm,
		final String name)
	{
		return new Volume<>(image, new double[] { voxelUm, voxelUm, voxelUm }, new double[3], name);
	}

	public RandomAccessibleInterval<T> image() {
		return image;
	}

	/** Voxel size (x, y, z) in µm; a copy. */
	public double[] voxelSizeUm() {
		return voxelSizeUm.clone();
	}

	public double voxelSizeUm(final int d) {
		return voxelSizeUm[d];
	}

	/** Position of voxel (0, 0, 0) in µm; a copy. */
	public double[] originUm() {
		return originUm.clone();
	}

	public String name() {
		return name;
	}

	public long width() {
		return image.dimension(0);
	}

	public long height() {
		return image.dimension(1);
	}

	public long depth() {
		return image.dimension(2);
	}

	public long[] dimensions() {
		return Intervals.dimensionsAsLongArray(image);
	}

	/** The pixel type's instance (for bit depth and range). */
	public T type() {
		return image.getType();
	}

	/** The same pixels under a new name. */
	public Volume<T> withName(final String newName) {
		return new Volume<>(image, voxelSizeUm, originUm, newName);
	}

	/** Other pixels with this volume's calibration. */
	public <S extends RealType<S>> Volume<S> withImage(final RandomAccessibleInterval<S> other) {
		return new Volume<>(other, voxelSizeUm, originUm, name);
	}

	@Override
	public String toString() {
		return "Volume[" + name + " " + width() + "x" + height() + "x" + depth() + " " +
			image.getType().getClass().getSimpleName() + " " + Arrays.toString(voxelSizeUm) + " um]";
	}
}
