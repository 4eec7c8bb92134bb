package org.osteocast.io.formats;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileOpener;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
import net.imglib2.img.cell.LazyCellImg;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;

/**
 * A scan read plane by plane on demand: an imglib2 cell image whose cells are
 * whole z-planes, decoded from the file when first touched and kept in a
 * bounded least-recently-used cache. Every {@link Volume} consumer works on it
 * unchanged; the ones that stream (plane loops in z order) hold only the
 * cache's planes, whatever the scan's size.
 * <p>
 * Formats: TIFF stacks (uncompressed planes read at their offsets, compressed
 * ones through ImageJ's decoder one image at a time), NIfTI-1 ({@code .nii} by
 * offset, {@code .nii.gz} as one forward stream, re-opened for a backward
 * jump), SkyScan NRecon folders and folders of TIFF slices (one file per
 * plane). Pixel types: 8-bit, 16-bit (unsigned or signed) and 32-bit float
 * (NIfTI data with a scale becomes float, as {@link NiftiIO#read} does).
 */
public final class LazyVolume {

	private LazyVolume() {}

	/** Reads (or computes) one plane's primitive array (byte[], short[] or float[], x fastest). */
	@FunctionalInterface
	public interface PlaneReader {
		/** Plane z, a new array the caller may keep. */
		Object read(int z) throws IOException;
	}

	/** A cell image of whole planes that knows its cache. */
	static final class PlaneImg<T extends NativeType<T>, A extends ArrayDataAccess<A>> extends LazyCellImg<T, A> {
		final PlaneCache<A> cache;

		PlaneImg(final CellGrid grid, final T type, final PlaneCache<A> cache) {
			super(grid, type, cache);
			this.cache = cache;
		}
	}

	/** The bounded plane cache behind a {@link PlaneImg}. */
	static final class PlaneCache<A extends ArrayDataAccess<A>> implements LazyCellImg.Get<Cell<A>> {
		final int width, height, depth, capacity;
		final PlaneReader reader;
		final java.util.function.Function<Object, A> wrap;
		private final Map<Integer, Object> lru;
		private long loads;

		PlaneCache(final int width, final int height, final int depth, final int capacity, final PlaneReader reader,
			final java.util.function.Function<Object, A> wrap)
		{
			this.width = width;
			this.height = height;
			this.depth = depth;
			this.capacity = Math.max(2, capacity);
			this.reader = reader;
			this.wrap = wrap;
			this.lru = new LinkedHashMap<>(16, 0.75f, true) {
				private static final long serialVersionUID = 1L;

				@Override
				protected boolean removeEldestEntry(final Map.Entry<Integer, Object> e) {
					return size() > PlaneCache.this.capacity;
				}
			};
		}

		/** Plane z's array, from the cache or the file. */
		Object plane(final int z) {
			synchronized (lru) {
				final Object p = lru.get(z);
				if (p != null) return p;
			}
			final Object p;
			try {
				p = reader.read(z);
			}
			catch (final IOException e) {
				throw new UncheckedIOException(e);
			}
			synchronized (lru) {
				loads++;
				final Object q = lru.get(z);
				if (q != null) return q;
				lru.put(z, p);
			}
			return p;
		}

		@Override
		public Cell<A> get(final long index) {
			final int z = (int) index;
			return new Cell<>(new int[] { width, height, 1 }, new long[] { 0, 0, z }, wrap.apply(plane(z)));
		}

		long loads() {
			synchronized (lru) {
				return loads;
			}
		}
	}

	/** Pixel kinds a lazy volume holds. */
	enum Kind {
		UINT8, UINT16, INT16, FLOAT32
	}

	/**
	 * Default memory of the plane cache, in bytes: 256 MB, but at most a
	 * sixteenth of the Java heap (several scans are open at once).
	 */
	public static final long DEFAULT_CACHE_BYTES = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 16);

	/**
	 * Opens a scan lazily with a cache of {@link #DEFAULT_CACHE_BYTES}.
	 *
	 * @param voxelUmOverride µm, isotropic; NaN or ≤ 0 keeps the file's calibration
	 */
	public static Volume<?> open(final Path path, final double voxelUmOverride) throws VolumeIOException {
		final VolumeHeader h = VolumeIO.readHeader(path, voxelUmOverride);
		final long plane = h.dimensions()[0] * h.dimensions()[1] * Math.max(1, h.bitDepth() / 8);
		return open(path, voxelUmOverride, (int) Math.max(4, Math.min(h.dimensions()[2], DEFAULT_CACHE_BYTES / Math.max(
			1, plane))));
	}

	/**
	 * Opens a scan lazily, holding at most {@code cachePlanes} decoded planes.
	 *
	 * @throws VolumeIOException for a format or pixel type that cannot be read plane by plane (the
	 *           caller reads it whole instead), or bad input
	 */
	public static Volume<?> open(final Path path, final double voxelUmOverride, final int cachePlanes)
		throws VolumeIOException
	{
		final VolumeHeader h = VolumeIO.readHeader(path, voxelUmOverride);
		final long[] d = h.dimensions();
		if (h.frames() > 1) throw new VolumeIOException(path, "holds " + h.frames() +
			" volumes; OsteoCast reads one 3-D volume per file");
		if (d[2] < 2) throw new VolumeIOException(path, VolumeIO.NOT_3D);
		final int w = Math.toIntExact(d[0]), hh = Math.toIntExact(d[1]), nz = Math.toIntExact(d[2]);
		final PlaneReader reader;
		final Kind kind;
		switch (VolumeIO.detect(path)) {
			case TIFF_STACK: {
				kind = kind(h.pixelType(), path);
				reader = tiffStack(path, kind, w * hh);
				break;
			}
			case NIFTI: {
				final NiftiIO.Header nh = niftiHeader(path);
				kind = niftiKind(nh, path);
				reader = nifti(path, nh, kind, w * hh);
				break;
			}
			case SKYSCAN:
				kind = kind(h.pixelType(), path);
				reader = files(SkyScanReader.layout(path).files(), kind);
				break;
			default:
				kind = kind(h.pixelType(), path);
				reader = files(TiffIO.sliceFiles(path), kind);
		}
		final String name = VolumeIO.detect(path) == VolumeIO.Format.NIFTI ? NiftiIO.baseName(path) : path.getFileName()
			.toString();
		return volume(w, hh, nz, kind, reader, cachePlanes, h.voxelSizeUm(), h.originUm(), name);
	}

	/** A lazy volume over any plane reader (used for computed planes too, e.g. a resampled scan). */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	static Volume<?> volume(final int w, final int h, final int nz, final Kind kind, final PlaneReader reader,
		final int cachePlanes, final double[] voxelUm, final double[] originUm, final String name)
	{
		final CellGrid grid = new CellGrid(new long[] { w, h, nz }, new int[] { w, h, 1 });
		final PlaneImg img;
		switch (kind) {
			case UINT8:
				img = new PlaneImg(grid, new UnsignedByteType(), new PlaneCache<>(w, h, nz, cachePlanes, reader,
					a -> new ByteArray((byte[]) a)));
				break;
			case UINT16:
				img = new PlaneImg(grid, new UnsignedShortType(), new PlaneCache<>(w, h, nz, cachePlanes, reader,
					a -> new ShortArray((short[]) a)));
				break;
			case INT16:
				img = new PlaneImg(grid, new ShortType(), new PlaneCache<>(w, h, nz, cachePlanes, reader,
					a -> new ShortArray((short[]) a)));
				break;
			default:
				img = new PlaneImg(grid, new FloatType(), new PlaneCache<>(w, h, nz, cachePlanes, reader,
					a -> new FloatArray((float[]) a)));
		}
		return new Volume(img, voxelUm, originUm, name);
	}

	/**
	 * A volume whose planes are computed on demand by {@code planes} (e.g. a
	 * resampled scan that is written plane by plane and never held whole).
	 * The pixel type follows {@code type}: unsigned 8- or 16-bit, signed
	 * 16-bit, anything else 32-bit float.
	 */
	public static Volume<?> computed(final long[] dims, final Object type, final PlaneReader planes,
		final int cachePlanes, final double[] voxelUm, final double[] originUm, final String name)
	{
		final Kind kind = type instanceof UnsignedByteType ? Kind.UINT8 : type instanceof UnsignedShortType ? Kind.UINT16
			: type instanceof ShortType ? Kind.INT16 : Kind.FLOAT32;
		return volume(Math.toIntExact(dims[0]), Math.toIntExact(dims[1]), Math.toIntExact(dims[2]), kind, planes,
			cachePlanes, voxelUm, originUm, name);
	}

	/** Whether a volume is read plane by plane on demand. */
	public static boolean isLazy(final Volume<?> v) {
		return v.image() instanceof PlaneImg;
	}

	/**
	 * Plane z of a lazy volume as its primitive array (byte[] unsigned,
	 * short[] unsigned or signed as the type says, float[]): shared with the
	 * cache, never to be written.
	 *
	 * @throws IllegalArgumentException if the volume is not lazy
	 * @throws UncheckedIOException when the file cannot be read
	 */
	public static Object plane(final Volume<?> v, final int z) {
		if (!isLazy(v)) throw new IllegalArgumentException("not a lazy volume: " + v);
		return ((PlaneImg<?, ?>) v.image()).cache.plane(z);
	}

	/**
	 * A reader of plane z that bypasses the cache (for callers that keep their
	 * own window of planes).
	 */
	public static Object readPlane(final Volume<?> v, final int z) throws IOException {
		if (!isLazy(v)) throw new IllegalArgumentException("not a lazy volume: " + v);
		return ((PlaneImg<?, ?>) v.image()).cache.reader.read(z);
	}

	/** How many planes a lazy volume has decoded so far (tests bound the reading of a streaming step with it). */
	public static long planesRead(final Volume<?> v) {
		return isLazy(v) ? ((PlaneImg<?, ?>) v.image()).cache.loads() : 0;
	}

	/** The cache capacity of a lazy volume, in planes. */
	public static int cachePlanes(final Volume<?> v) {
		return isLazy(v) ? ((PlaneImg<?, ?>) v.image()).cache.capacity : 0;
	}

	private static Kind kind(final String pixelType, final Path path) throws VolumeIOException {
		switch (pixelType) {
			case "uint8":
				return Kind.UINT8;
			case "uint16":
				return Kind.UINT16;
			case "int16":
				return Kind.INT16;
			case "float32":
				return Kind.FLOAT32;
			default:
				throw new VolumeIOException(path, "cannot read " + pixelType + " data plane by plane");
		}
	}

	/** Planes of a TIFF stack, each read at its own offset. */
	private static PlaneReader tiffStack(final Path path, final Kind kind, final int n) throws VolumeIOException {
		final FileInfo[] info = TiffIO.info(path);
		final FileInfo fi0 = info[0];
		final boolean raw = fi0.compression <= FileInfo.COMPRESSION_NONE && (fi0.fileType == FileInfo.GRAY8 ||
			fi0.fileType == FileInfo.GRAY16_UNSIGNED || fi0.fileType == FileInfo.GRAY16_SIGNED ||
			fi0.fileType == FileInfo.GRAY32_FLOAT) && (info.length > 1 || fi0.nImages > 1) && !(fi0.fileType ==
				FileInfo.GRAY8 && fi0.whiteIsZero);
		final int bpp = fi0.getBytesPerPixel();
		final long planeBytes = (long) n * bpp;
		return z -> {
			final FileInfo fi = info.length > 1 ? info[z] : fi0;
			if (raw && fi.compression <= FileInfo.COMPRESSION_NONE) {
				final long off = info.length > 1 ? fi.getOffset() : fi0.getOffset() + z * (planeBytes + Math.max(0,
					fi0.gapBetweenImages));
				final ByteBuffer bb = ByteBuffer.allocate((int) planeBytes).order(fi.intelByteOrder
					? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
				try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
					while (bb.hasRemaining())
						if (ch.read(bb, off + bb.position()) < 0) throw new VolumeIOException(path, "truncated: the file ends in plane " +
							z);
				}
				bb.flip();
				return decodeTiff(bb, fi.fileType, kind, n);
			}
			final FileInfo one = (FileInfo) fi.clone();
			if (info.length == 1) one.longOffset = fi0.getOffset() + z * (planeBytes + Math.max(0, fi0.gapBetweenImages));
			one.nImages = 1;
			final ImagePlus imp;
			synchronized (TiffIO.class) {
				imp = new FileOpener(one).openImage();
			}
			if (imp == null) throw new VolumeIOException(path, "ImageJ could not decode plane " + z);
			final Object px = imp.getProcessor().getPixels();
			if (kind == Kind.INT16) SliceStack.toSigned((short[]) px);
			return px;
		};
	}

	private static Object decodeTiff(final ByteBuffer bb, final int fileType, final Kind kind, final int n) {
		switch (kind) {
			case UINT8: {
				final byte[] a = new byte[n];
				bb.get(a);
				return a;
			}
			case UINT16:
			case INT16: {
				final short[] a = new short[n];
				bb.asShortBuffer().get(a);
				// ImageJ's signed 16-bit calibration stores unsigned values offset by 32768
				if (kind == Kind.INT16 && fileType != FileInfo.GRAY16_SIGNED) SliceStack.toSigned(a);
				return a;
			}
			default: {
				final float[] a = new float[n];
				bb.asFloatBuffer().get(a);
				return a;
			}
		}
	}

	/** One slice file per plane. */
	private static PlaneReader files(final List<Path> files, final Kind kind) {
		return z -> {
			final SliceStack.Slice s = SliceStack.readSlice(files.get(z));
			if (kindOf(s.kind) != kind) throw new VolumeIOException(files.get(z), "slice is " + s.describe() +
				", unlike the first slice; all slices must have the same size and type");
			return s.pixels;
		};
	}

	private static Kind kindOf(final SliceStack.Kind k) {
		switch (k) {
			case UINT8:
				return Kind.UINT8;
			case UINT16:
				return Kind.UINT16;
			case INT16:
				return Kind.INT16;
			default:
				return Kind.FLOAT32;
		}
	}

	private static NiftiIO.Header niftiHeader(final Path path) throws VolumeIOException {
		try (InputStream raw = NiftiIO.open(path)) {
			return NiftiIO.header(new DataInputStream(raw), path);
		}
		catch (final VolumeIOException e) {
			throw e;
		}
		catch (final IOException e) {
			throw new VolumeIOException(path, "cannot read NIfTI (" + e.getMessage() + ")", e);
		}
	}

	private static Kind niftiKind(final NiftiIO.Header h, final Path path) throws VolumeIOException {
		if (h.scaled() && h.datatype != NiftiIO.DT_FLOAT64) return Kind.FLOAT32;
		switch (h.datatype) {
			case NiftiIO.DT_UINT8:
				return Kind.UINT8;
			case NiftiIO.DT_UINT16:
				return Kind.UINT16;
			case NiftiIO.DT_INT16:
				return Kind.INT16;
			case NiftiIO.DT_FLOAT32:
				return Kind.FLOAT32;
			default:
				throw new VolumeIOException(path, "cannot read NIfTI " + h.pixelType() + " data plane by plane");
		}
	}

	/** NIfTI planes: by offset in a {@code .nii}; one forward stream (re-opened to go back) in a {@code .nii.gz}. */
	private static PlaneReader nifti(final Path path, final NiftiIO.Header h, final Kind kind, final int n)
		throws VolumeIOException
	{
		final int bpv = h.bytesPerVoxel();
		final long planeBytes = (long) n * bpv;
		final long start = Math.max(NiftiIO.HEADER_SIZE, (long) Math.ceil(h.voxOffset));
		final boolean toFloat = kind == Kind.FLOAT32 && h.datatype != NiftiIO.DT_FLOAT32;
		final boolean gz;
		try {
			gz = NiftiIO.isGzip(path);
		}
		catch (final IOException e) {
			throw new VolumeIOException(path, "cannot read (" + e.getMessage() + ")", e);
		}
		final Object[] stream = new Object[2]; // {DataInputStream, next plane index}
		return z -> {
			final byte[] buf = new byte[(int) planeBytes];
			if (!gz) {
				final ByteBuffer bb = ByteBuffer.wrap(buf);
				try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
					while (bb.hasRemaining())
						if (ch.read(bb, start + z * planeBytes + bb.position()) < 0) throw new VolumeIOException(path,
							"truncated: the file ends inside slice " + z);
				}
			}
			else synchronized (stream) {
				if (stream[0] == null || (Integer) stream[1] > z) {
					if (stream[0] != null) ((InputStream) stream[0]).close();
					final DataInputStream in = new DataInputStream(NiftiIO.open(path));
					NiftiIO.header(in, path);
					in.skipNBytes(start - NiftiIO.HEADER_SIZE);
					stream[0] = in;
					stream[1] = 0;
				}
				final DataInputStream in = (DataInputStream) stream[0];
				in.skipNBytes(((Integer) stream[1] - 0L < z ? z - (Integer) stream[1] : 0) * planeBytes);
				in.readFully(buf);
				stream[1] = z + 1;
			}
			final ByteBuffer bb = ByteBuffer.wrap(buf).order(h.order);
			final Object dst = kind == Kind.UINT8 ? new byte[n] : kind == Kind.FLOAT32 ? new float[n] : new short[n];
			NiftiIO.decode(bb, h, dst, toFloat, n);
			return dst;
		};
	}
}
