package org.osteocast.io;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.io.TiffDecoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Multi-page TIFF stacks and ImageJ hyperstacks through ImageJ 1.x's own
 * decoder and encoder (the format every Fiji user already has). Reads check
 * the file before trusting it; writes are atomic.
 */
public final class TiffIO {

	private TiffIO() {}

	/**
	 * Opens a TIFF (single image, stack or ImageJ hyperstack) as an
	 * {@link ImagePlus}, with its calibration.
	 *
	 * @throws VolumeIOException naming the file when it is missing, not a TIFF or truncated
	 */
	public static ImagePlus read(final Path file) throws VolumeIOException {
		if (!Files.isRegularFile(file)) throw new VolumeIOException(file, "no such file");
		if (!Files.isReadable(file)) throw new VolumeIOException(file, "not readable");
		final FileInfo[] info;
		try {
			final Path dir = file.toAbsolutePath().getParent();
			info = new TiffDecoder(dir.toString() + "/", file.getFileName().toString()).getTiffInfo();
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "not a readable TIFF (" + e.getMessage() + ")", e);
		}
		if (info == null || info.length == 0) throw new VolumeIOException(file, "not a TIFF file");
		checkLength(file, info);
		final ImagePlus imp;
		synchronized (TiffIO.class) { // ImageJ's Opener keeps static state
			imp = new Opener().openTiff(file.toAbsolutePath().getParent().toString() + "/", file.getFileName()
				.toString());
		}
		if (imp == null || imp.getStackSize() == 0) throw new VolumeIOException(file, "ImageJ could not decode this TIFF");
		return imp;
	}

	/** A truncated file ends before the last strip: say so instead of reading zeros. */
	private static void checkLength(final Path file, final FileInfo[] info) throws VolumeIOException {
		final long size;
		try {
			size = Files.size(file);
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read file size", e);
		}
		for (final FileInfo fi : info) {
			if (fi.compression != FileInfo.COMPRESSION_NONE && fi.compression != 0) continue; // strips are sized by the codec
			final long images = Math.max(1, fi.nImages);
			final long need = fi.getOffset() + images * (long) fi.width * fi.height * fi.getBytesPerPixel() +
				Math.max(0, images - 1) * fi.gapBetweenImages;
			if (need > size) throw new VolumeIOException(file, "truncated: the TIFF header describes " + need +
				" bytes of pixels but the file has " + size);
		}
	}

	/** Writes an image, stack or hyperstack as one TIFF, atomically. */
	public static void write(final ImagePlus imp, final Path file) throws IOException {
		AtomicFiles.write(file, tmp -> {
			final FileSaver saver = new FileSaver(imp);
			final boolean ok;
			synchronized (TiffIO.class) {
				ok = imp.getStackSize() > 1 ? saver.saveAsTiffStack(tmp.toString()) : saver.saveAsTiff(tmp.toString());
			}
			if (!ok) throw new VolumeIOException(file, "ImageJ could not write the TIFF");
		});
	}
}
