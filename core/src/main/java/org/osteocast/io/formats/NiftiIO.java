package org.osteocast.io.formats;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.util.AtomicFiles;

/**
 * NIfTI-1 single-file volumes ({@code .nii}, {@code .nii.gz}), read and
 * written with OsteoCast's own code (the format is a 348-byte header and raw
 * voxels; no library is needed, and none is served by the project's registry).
 * <p>
 * Reading: both byte orders (detected from {@code sizeof_hdr}); gzip detected
 * from the stream's magic bytes, not the name; data types uint8, int8, int16,
 * uint16, int32, uint32, float32 and float64 map to the imglib2 types of the same
 * name. When {@code scl_slope} is neither 0 nor (1 with {@code scl_inter} 0),
 * integer data are scaled into float32 ({@code value * slope + inter}) and
 * float data are scaled in place, because the scaled value is the physical one.
 * Voxel size is {@code pixdim[1..3]} in the spatial unit of {@code xyzt_units}
 * (unknown means mm, as the standard says); the origin is the translation of the
 * sform when {@code sform_code > 0}, else of the qform when
 * {@code qform_code > 0}, else 0. {@link Volume} has no orientation, so
 * rotations and axis flips in those transforms are not kept: voxel (x, y, z)
 * of the file is voxel (x, y, z) of the volume.
 * <p>
 * Writing: little-endian, {@code vox_offset} 352, voxel size and origin in mm,
 * sform and qform both set (code 1, scanner-aligned) to the axis-aligned
 * scaling and translation, so tools that read either one agree. Pixel types
 * outside the list above are written as float32. Writes are atomic.
 */
public final class NiftiIO {

	private NiftiIO() {}

	public static final int HEADER_SIZE = 348;
	static final int DT_UINT8 = 2, DT_INT16 = 4, DT_INT32 = 8, DT_FLOAT32 = 16, DT_FLOAT64 = 64, DT_INT8 = 256,
			DT_UINT16 = 512, DT_UINT32 = 768;

	/** The fields of a NIfTI-1 header that OsteoCast uses. */
	static final class Header {
		ByteOrder order;
		int[] dim = new int[8];
		int datatype, bitpix;
		float[] pixdim = new float[8];
		float voxOffset, sclSlope, sclInter;
		int xyztUnits, qformCode, sformCode;
		float[] qoffset = new float[3];
		float[][] srow = new float[3][4];
		String magic;

		long nx() {
			return dim[1];
		}

		long ny() {
			return dim[0] >= 2 ? dim[2] : 1;
		}

		long nz() {
			return dim[0] >= 3 ? dim[3] : 1;
		}

		int frames() {
			return dim[0] >= 4 ? Math.max(1, dim[4]) : 1;
		}

		/** Factor from the file's spatial unit to µm. */
		double unitUm() {
			switch (xyztUnits & 0x07) {
				case 1:
					return 1e6; // metre
				case 3:
					return 1; // micron
				default:
					return 1e3; // mm, and unknown (the standard's default)
			}
		}

		boolean scaled() {
			return sclSlope != 0 && Float.isFinite(sclSlope) && Float.isFinite(sclInter) && !(sclSlope == 1 &&
				sclInter == 0);
		}

		double[] voxelSizeUm() {
			final double u = unitUm();
			final double[] v = new double[3];
			for (int d = 0; d < 3; d++) {
				final double p = Math.abs(pixdim[d + 1]);
				// no usable pixdim (0, NaN, infinite): 1 um, what the header reports as assumed (hasVoxelSize() is false)
				v[d] = p > 0 && Double.isFinite(p) ? p * u : 1;
			}
			return v;
		}

		boolean hasVoxelSize() {
			for (int d = 1; d <= 3; d++)
				if (!(Math.abs(pixdim[d]) > 0) || !Float.isFinite(pixdim[d])) return false;
			return true;
		}

		double[] originUm() {
			final double u = unitUm();
			if (sformCode > 0) return new double[] { srow[0][3] * u, srow[1][3] * u, srow[2][3] * u };
			if (qformCode > 0) return new double[] { qoffset[0] * u, qoffset[1] * u, qoffset[2] * u };
			return new double[3];
		}

		String pixelType() {
			switch (datatype) {
				case DT_UINT8:
					return "uint8";
				case DT_INT8:
					return "int8";
				case DT_INT16:
					return "int16";
				case DT_UINT16:
					return "uint16";
				case DT_INT32:
					return "int32";
				case DT_UINT32:
					return "uint32";
				case DT_FLOAT32:
					return "float32";
				case DT_FLOAT64:
					return "float64";
				default:
					return null;
			}
		}

		int bytesPerVoxel() {
			switch (datatype) {
				case DT_UINT8:
				case DT_INT8:
					return 1;
				case DT_INT16:
				case DT_UINT16:
					return 2;
				case DT_INT32:
				case DT_UINT32:
				case DT_FLOAT32:
					return 4;
				default:
					return 8;
			}
		}
	}

	/** Reads a {@code .nii} or {@code .nii.gz} volume. */
	public static Volume<?> read(final Path file) throws VolumeIOException {
		return read(file, Progress.NONE, Cancellation.NEVER);
	}

	/** Reads a volume, slice by slice, reporting progress and checking cancellation per slice. */
	public static Volume<?> read(final Path file, final Progress progress, final Cancellation cancel)
		throws VolumeIOException
	{
		try (InputStream raw = open(file)) {
			final DataInputStream in = new DataInputStream(raw);
			final Header h = header(in, file);
			if (h.frames() > 1) throw new VolumeIOException(file, "holds " + h.frames() +
				" volumes (dim[4]); OsteoCast reads one 3-D volume per file");
			skipTo(in, h, file);
			final long[] dims = { h.nx(), h.ny(), h.nz() };
			final long planeLong = dims[0] * dims[1];
			if (planeLong > Integer.MAX_VALUE / 8) throw new VolumeIOException(file, "slices of " + dims[0] + "x" + dims[1] +
				" are too large");
			final int plane = (int) planeLong;
			final boolean toFloat = h.scaled() && h.datatype != DT_FLOAT32 && h.datatype != DT_FLOAT64;
			final Img<?> img = allocate(toFloat ? DT_FLOAT32 : h.datatype, dims);
			final byte[] buf = new byte[plane * h.bytesPerVoxel()];
			final ByteBuffer bb = ByteBuffer.wrap(buf).order(h.order);
			progress.status("reading " + file.getFileName());
			for (int z = 0; z < dims[2]; z++) {
				cancel.check();
				try {
					in.readFully(buf);
				}
				catch (final EOFException e) {
					throw new VolumeIOException(file, "truncated: the file ends inside slice " + z + " of " + dims[2], e);
				}
				final Object dst = ((ArrayDataAccess<?>) ((PlanarImg<?, ?>) img).getPlane(z)).getCurrentStorageArray();
				decode(bb, h, dst, toFloat, plane);
				progress.progress(z + 1, dims[2]);
			}
			return volume(img, h.voxelSizeUm(), h.originUm(), baseName(file));
		}
		catch (final VolumeIOException e) {
			throw e;
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read NIfTI (" + e.getMessage() + ")", e);
		}
	}

	/** Dimensions, type, voxel size and origin from the header alone. */
	public static VolumeHeader readHeader(final Path file) throws VolumeIOException {
		try (InputStream raw = open(file)) {
			final Header h = header(new DataInputStream(raw), file);
			final String type = h.scaled() && h.datatype != DT_FLOAT64 ? "float32" : h.pixelType();
			final long size = Files.size(file);
			if (!isGzip(file)) {
				final long need = (long) Math.ceil(h.voxOffset) + h.nx() * h.ny() * h.nz() * h.frames() * h.bytesPerVoxel();
				if (size < need) throw new VolumeIOException(file, "truncated: the header describes " + need +
					" bytes but the file has " + size);
			}
			return new VolumeHeader(file, "NIfTI-1" + (isGzip(file) ? " (gzip)" : ""), new long[] { h.nx(), h.ny(), h
				.nz() }, h.frames(), type, h.voxelSizeUm(), h.originUm(), h.hasVoxelSize());
		}
		catch (final VolumeIOException e) {
			throw e;
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read NIfTI header (" + e.getMessage() + ")", e);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Volume<?> volume(final Img<?> img, final double[] voxelUm, final double[] originUm,
		final String name)
	{
		return new Volume((RandomAccessibleInterval) img, voxelUm, originUm, name);
	}

	private static Img<?> allocate(final int datatype, final long[] dims) {
		switch (datatype) {
			case DT_UINT8:
				return PlanarImgs.unsignedBytes(dims);
			case DT_INT8:
				return PlanarImgs.bytes(dims);
			case DT_INT16:
				return PlanarImgs.shorts(dims);
			case DT_UINT16:
				return PlanarImgs.unsignedShorts(dims);
			case DT_INT32:
				return PlanarImgs.ints(dims);
			case DT_UINT32:
				return PlanarImgs.unsignedInts(dims);
			case DT_FLOAT32:
				return PlanarImgs.floats(dims);
			default:
				return PlanarImgs.doubles(dims);
		}
	}

	/** One slice from the file's bytes into a plane array (scaled into float if asked). */
	static void decode(final ByteBuffer bb, final Header h, final Object dst, final boolean toFloat,
		final int n)
	{
		bb.clear();
		final double s = h.sclSlope, o = h.sclInter;
		if (toFloat) {
			final float[] f = (float[]) dst;
			switch (h.datatype) {
				case DT_UINT8:
					for (int i = 0; i < n; i++)
						f[i] = (float) ((bb.get(i) & 0xff) * s + o);
					break;
				case DT_INT8:
					for (int i = 0; i < n; i++)
						f[i] = (float) (bb.get(i) * s + o);
					break;
				case DT_INT16:
					for (int i = 0; i < n; i++)
						f[i] = (float) (bb.getShort(2 * i) * s + o);
					break;
				case DT_UINT16:
					for (int i = 0; i < n; i++)
						f[i] = (float) ((bb.getShort(2 * i) & 0xffff) * s + o);
					break;
				case DT_INT32:
					for (int i = 0; i < n; i++)
						f[i] = (float) (bb.getInt(4 * i) * s + o);
					break;
				default: // uint32
					for (int i = 0; i < n; i++)
						f[i] = (float) ((bb.getInt(4 * i) & 0xffffffffL) * s + o);
			}
			return;
		}
		switch (h.datatype) {
			case DT_UINT8:
			case DT_INT8:
				bb.get((byte[]) dst);
				break;
			case DT_INT16:
			case DT_UINT16:
				bb.asShortBuffer().get((short[]) dst);
				break;
			case DT_INT32:
			case DT_UINT32:
				bb.asIntBuffer().get((int[]) dst);
				break;
			case DT_FLOAT32: {
				final float[] f = (float[]) dst;
				bb.asFloatBuffer().get(f);
				if (h.scaled()) for (int i = 0; i < n; i++)
					f[i] = (float) (f[i] * s + o);
				break;
			}
			default: {
				final double[] d = (double[]) dst;
				bb.asDoubleBuffer().get(d);
				if (h.scaled()) for (int i = 0; i < n; i++)
					d[i] = d[i] * s + o;
			}
		}
	}

	static boolean isGzip(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return in.read() == 0x1f && in.read() == 0x8b;
		}
	}

	static InputStream open(final Path file) throws VolumeIOException {
		if (!Files.isRegularFile(file)) throw new VolumeIOException(file, "no such file");
		try {
			final InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
			if (isGzip(file)) return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
			return in;
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot open (" + e.getMessage() + ")", e);
		}
	}

	/** Reads and checks the 348-byte header. */
	static Header header(final DataInputStream in, final Path file) throws IOException {
		final byte[] b = new byte[HEADER_SIZE];
		try {
			in.readFully(b);
		}
		catch (final EOFException e) {
			throw new VolumeIOException(file, "truncated: shorter than a NIfTI-1 header (348 bytes)", e);
		}
		final ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
		final Header h = new Header();
		if (bb.getInt(0) == HEADER_SIZE) h.order = ByteOrder.LITTLE_ENDIAN;
		else if (Integer.reverseBytes(bb.getInt(0)) == HEADER_SIZE) h.order = ByteOrder.BIG_ENDIAN;
		else if (bb.getInt(0) == 540 || Integer.reverseBytes(bb.getInt(0)) == 540) throw new VolumeIOException(file,
			"a NIfTI-2 file; OsteoCast reads NIfTI-1 (.nii, .nii.gz)");
		else throw new VolumeIOException(file, "not a NIfTI-1 file (sizeof_hdr is not 348)");
		bb.order(h.order);
		h.magic = new String(b, 344, 3, StandardCharsets.ISO_8859_1);
		if ("ni1".equals(h.magic)) throw new VolumeIOException(file,
			"a NIfTI .hdr/.img pair; OsteoCast reads single-file .nii or .nii.gz");
		if (!"n+1".equals(h.magic)) throw new VolumeIOException(file, "not a NIfTI-1 file (magic is not n+1)");
		for (int i = 0; i < 8; i++)
			h.dim[i] = bb.getShort(40 + 2 * i);
		h.datatype = bb.getShort(70);
		h.bitpix = bb.getShort(72);
		for (int i = 0; i < 8; i++)
			h.pixdim[i] = bb.getFloat(76 + 4 * i);
		h.voxOffset = bb.getFloat(108);
		h.sclSlope = bb.getFloat(112);
		h.sclInter = bb.getFloat(116);
		h.xyztUnits = b[123] & 0xff;
		h.qformCode = bb.getShort(252);
		h.sformCode = bb.getShort(254);
		for (int i = 0; i < 3; i++)
			h.qoffset[i] = bb.getFloat(268 + 4 * i);
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				h.srow[r][c] = bb.getFloat(280 + 16 * r + 4 * c);
		if (h.dim[0] < 1 || h.dim[0] > 7) throw new VolumeIOException(file, "invalid dim[0] = " + h.dim[0]);
		for (int i = 1; i <= h.dim[0]; i++)
			if (h.dim[i] < 1) throw new VolumeIOException(file, "invalid dim[" + i + "] = " + h.dim[i]);
		for (int i = 5; i <= h.dim[0]; i++)
			if (h.dim[i] > 1) throw new VolumeIOException(file, "has " + h.dim[0] +
				" dimensions with more than one element beyond time (dim[" + i + "] = " + h.dim[i] +
				"); OsteoCast reads 3-D volumes");
		if (h.pixelType() == null) throw new VolumeIOException(file, "unsupported NIfTI datatype " + h.datatype + " (" +
			datatypeName(h.datatype) + "); OsteoCast reads uint8, int8, int16, uint16, int32, uint32, float32 and float64");
		if (h.bitpix != 0 && h.bitpix != 8 * h.bytesPerVoxel()) throw new VolumeIOException(file, "bitpix " + h.bitpix +
			" does not match datatype " + h.pixelType());
		if (h.voxOffset < 0 || !Float.isFinite(h.voxOffset)) throw new VolumeIOException(file, "invalid vox_offset " +
			h.voxOffset);
		return h;
	}

	private static String datatypeName(final int dt) {
		switch (dt) {
			case 1:
				return "binary";
			case 32:
				return "complex64";
			case 128:
				return "RGB24";
			case 1024:
				return "int64";
			case 1280:
				return "uint64";
			case 1536:
				return "float128";
			case 1792:
				return "complex128";
			case 2048:
				return "complex256";
			case 2304:
				return "RGBA32";
			default:
				return "unknown";
		}
	}

	private static void skipTo(final DataInputStream in, final Header h, final Path file) throws IOException {
		long skip = Math.max(HEADER_SIZE, (long) Math.ceil(h.voxOffset)) - HEADER_SIZE;
		while (skip > 0) {
			final long s = in.skip(skip);
			if (s <= 0) {
				if (in.read() < 0) throw new VolumeIOException(file, "truncated: ends before vox_offset " + h.voxOffset);
				skip--;
			}
			else skip -= s;
		}
	}

	/** Writes {@code .nii} or (by name) {@code .nii.gz}, atomically. */
	public static <T extends RealType<T>> void write(final Volume<T> volume, final Path file) throws IOException {
		final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		final boolean gz = name.endsWith(".gz");
		final String type = VolumeHeader.pixelType(volume.type());
		final int dt = datatypeCode(type);
		final Header h = new Header();
		h.datatype = dt;
		final int bpv = h.bytesPerVoxel();
		final long[] dims = volume.dimensions();
		for (final long d : dims)
			if (d > Short.MAX_VALUE) throw new IllegalArgumentException("NIfTI-1 allows at most 32767 voxels per axis, not " +
				d);
		final byte[] header = headerBytes(volume, dt, bpv);
		AtomicFiles.writeStream(file, raw -> {
			final OutputStream out = gz ? new GZIPOutputStream(raw, 1 << 16) {
				{
					def.setLevel(java.util.zip.Deflater.BEST_SPEED); // CT noise barely compresses harder; 3x faster
				}
			} : new BufferedOutputStream(raw, 1 << 16);
			out.write(header);
			final int w = (int) dims[0], hgt = (int) dims[1];
			final ByteBuffer bb = ByteBuffer.allocate(w * hgt * bpv).order(ByteOrder.LITTLE_ENDIAN);
			final RandomAccessibleInterval<T> img = Views.zeroMin(volume.image());
			for (long z = 0; z < dims[2]; z++) {
				bb.clear();
				final Cursor<T> c = Views.flatIterable(Views.hyperSlice(img, 2, z)).cursor();
				while (c.hasNext()) {
					final T t = c.next();
					switch (dt) {
						case DT_UINT8:
						case DT_INT8:
							bb.put((byte) (long) t.getRealDouble());
							break;
						case DT_INT16:
						case DT_UINT16:
							bb.putShort((short) (long) t.getRealDouble());
							break;
						case DT_INT32:
						case DT_UINT32:
							bb.putInt((int) (long) t.getRealDouble());
							break;
						case DT_FLOAT32:
							bb.putFloat(t.getRealFloat());
							break;
						default:
							bb.putDouble(t.getRealDouble());
					}
				}
				out.write(bb.array(), 0, bb.position());
			}
			out.flush();
			if (out instanceof GZIPOutputStream) ((GZIPOutputStream) out).finish();
		});
	}

	private static int datatypeCode(final String type) {
		switch (type) {
			case "uint8":
				return DT_UINT8;
			case "int8":
				return DT_INT8;
			case "int16":
				return DT_INT16;
			case "uint16":
				return DT_UINT16;
			case "int32":
				return DT_INT32;
			case "uint32":
				return DT_UINT32;
			case "float64":
				return DT_FLOAT64;
			default:
				return DT_FLOAT32;
		}
	}

	/** A little-endian header (348 bytes + the 4-byte empty extension flag). */
	private static byte[] headerBytes(final Volume<?> v, final int dt, final int bpv) {
		final ByteBuffer bb = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
		bb.putInt(0, HEADER_SIZE);
		bb.put(38, (byte) 'r'); // regular
		final long[] d = v.dimensions();
		final short[] dim = { 3, (short) d[0], (short) d[1], (short) d[2], 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			bb.putShort(40 + 2 * i, dim[i]);
		bb.putShort(70, (short) dt);
		bb.putShort(72, (short) (8 * bpv));
		final double[] mm = v.voxelSizeUm();
		final double[] o = v.originUm();
		for (int i = 0; i < 3; i++) {
			mm[i] /= 1000;
			o[i] /= 1000;
		}
		bb.putFloat(76, 1f); // qfac
		for (int i = 0; i < 3; i++)
			bb.putFloat(80 + 4 * i, (float) mm[i]);
		for (int i = 4; i < 8; i++)
			bb.putFloat(76 + 4 * i, 1f);
		bb.putFloat(108, 352f);
		bb.putFloat(112, 1f);
		bb.putFloat(116, 0f);
		bb.put(123, (byte) 2); // NIFTI_UNITS_MM
		final byte[] descrip = ("OsteoCast " + v.name()).getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < Math.min(79, descrip.length); i++)
			bb.put(148 + i, descrip[i]);
		bb.putShort(252, (short) 1);
		bb.putShort(254, (short) 1);
		// quaternion b = c = d = 0: identity rotation
		for (int i = 0; i < 3; i++)
			bb.putFloat(268 + 4 * i, (float) o[i]);
		for (int r = 0; r < 3; r++) {
			bb.putFloat(280 + 16 * r + 4 * r, (float) mm[r]);
			bb.putFloat(280 + 16 * r + 12, (float) o[r]);
		}
		bb.put(344, (byte) 'n');
		bb.put(345, (byte) '+');
		bb.put(346, (byte) '1');
		return bb.array();
	}

	static String baseName(final Path file) {
		return file.getFileName().toString().replaceFirst("(?i)\\.nii(\\.gz)?$", "");
	}
}
