package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;

import java.nio.file.Files;
import java.nio.file.Path;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.RealData;

class SkyScanReaderTest {

	@TempDir
	Path tmp;

	@Test
	void realThoraxFolder() throws Exception {
		final Path dir = RealData.require("skyscan-mouse-thorax");
		final SkyScanReader.Layout l = SkyScanReader.layout(dir);
		assertEquals("Subject2_Day3_rec", l.prefix(), "the anonymised '#' prefix resolves to the files on disk");
		assertEquals(237, l.files().size());
		assertEquals("Subject2_Day3_rec00000267.tif", l.files().get(0).getFileName().toString());
		assertEquals("Subject2_Day3_rec00000503.tif", l.files().get(236).getFileName().toString());
		final VolumeHeader h = SkyScanReader.readHeader(dir);
		assertArrayEquals(new long[] { 248, 164, 237 }, h.dimensions());
		assertEquals("uint16", h.pixelType());
		final Volume<?> v = SkyScanReader.read(dir);
		assertArrayEquals(new long[] { 248, 164, 237 }, v.dimensions());
		assertTrue(v.type() instanceof UnsignedShortType);
		assertArrayEquals(new double[] { 105.32, 105.32, 105.32 }, v.voxelSizeUm(), 1e-9);
		// slice 10 of the volume is the file with index 277, pixel for pixel
		final ImagePlus one = new ij.io.Opener().openImage(dir.resolve("Subject2_Day3_rec00000277.tif").toString());
		final short[] expected = (short[]) one.getProcessor().getPixels();
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		int nonZero = 0;
		for (int y = 0; y < 164; y++)
			for (int x = 0; x < 248; x++) {
				ra.setPosition(new long[] { x, y, 10 });
				assertEquals(expected[y * 248 + x] & 0xffff, ra.get().getRealDouble(), 0);
				if (expected[y * 248 + x] != 0) nonZero++;
			}
		assertTrue(nonZero > 1000, "a real slice has content");
	}

	/** Writes a reconstruction log and 16-bit slices prefix + index (width 8) for first..last. */
	private Path fakeFolder(final String name, final int first, final int last, final String type) throws Exception {
		final Path dir = Files.createDirectories(tmp.resolve(name));
		Files.writeString(dir.resolve("scan_rec.log"), log("scan_rec", first, last, type, 12.5));
		for (int i = first; i <= last; i++)
			writeSlice(dir, "scan_rec" + String.format("%08d", i), type, i);
		return dir;
	}

	static String log(final String prefix, final int first, final int last, final String type, final double um) {
		return "[System]\r\nScanner=SkyScan1276\r\nCamera Pixel Size (um)=    9.00\r\n[Acquisition]\r\n" +
			"Image Pixel Size (um)=  13.0\r\nFilename Prefix=scan\r\nFilename Index Length=4\r\n[Reconstruction]\r\n" +
			"First Section=" + first + "\r\nLast Section=" + last + "\r\nSection to Section Step=1\r\nResult File Type=" +
			type + "\r\nPixel Size (um)=" + um + "\r\n[File name convention]\r\nFilename Index Length=8\r\n" +
			"Filename Prefix=" + prefix + "\r\n";
	}

	/** A 6x5 slice whose pixel (x, y) is 100 * index + 10 * y + x (8-bit: index + 10 y + x). */
	static void writeSlice(final Path dir, final String base, final String type, final int index) {
		final int w = 6, h = 5;
		switch (type) {
			case "TIF": {
				final ShortProcessor sp = new ShortProcessor(w, h);
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						sp.set(x, y, 100 * index + 10 * y + x);
				new FileSaver(new ImagePlus("s", sp)).saveAsTiff(dir.resolve(base + ".tif").toString());
				break;
			}
			case "BMP": {
				final ByteProcessor bp = new ByteProcessor(w, h);
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						bp.set(x, y, index + 10 * y + x);
				new FileSaver(new ImagePlus("s", bp)).saveAsBmp(dir.resolve(base + ".bmp").toString());
				break;
			}
			case "PNG": { // NRecon PNGs may be RGB with equal channels
				final ColorProcessor cp = new ColorProcessor(w, h);
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++) {
						final int g = index + 10 * y + x;
						cp.set(x, y, g << 16 | g << 8 | g);
					}
				new FileSaver(new ImagePlus("s", cp)).saveAsPng(dir.resolve(base + ".png").toString());
				break;
			}
			default:
				throw new IllegalArgumentException(type);
		}
	}

	@Test
	void syntheticTiffFolderInSectionOrderIgnoringScoutAndAcquisitionLog() throws Exception {
		final Path dir = fakeFolder("tif", 8, 12, "TIF");
		writeSlice(dir, "scan_rec_spr", "BMP", 0); // scout image
		Files.writeString(dir.resolve("scan.log"), "[System]\nScanner=x\n[Acquisition]\nFilename Prefix=scan\n");
		final Volume<?> v = VolumeIO.read(dir);
		assertArrayEquals(new long[] { 6, 5, 5 }, v.dimensions());
		assertEquals(12.5, v.voxelSizeUm(2), 0);
		final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
		ra.setPosition(new long[] { 3, 2, 4 });
		assertEquals(100 * 12 + 20 + 3, ra.get().getRealDouble(), 0);
	}

	@Test
	void bmpAndRgbPngSlicesBecome8BitGrey() throws Exception {
		for (final String type : new String[] { "BMP", "PNG" }) {
			final Path dir = fakeFolder(type, 1, 3, type);
			final Volume<?> v = SkyScanReader.read(dir);
			assertTrue(v.type() instanceof UnsignedByteType, type);
			final RandomAccess<? extends RealType<?>> ra = v.image().randomAccess();
			ra.setPosition(new long[] { 5, 4, 2 });
			assertEquals(3 + 40 + 5, ra.get().getRealDouble(), 0, type);
		}
	}

	@Test
	void progressCountsSlicesAndCancellationStopsTheRead() throws Exception {
		final Path dir = fakeFolder("progress", 1, 6, "TIF");
		final java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(), total =
			new java.util.concurrent.atomic.AtomicLong();
		final org.osteocast.core.Progress p = new org.osteocast.core.Progress() {
			@Override
			public void status(final String message) {}

			@Override
			public synchronized void progress(final long done, final long of) {
				last.set(Math.max(last.get(), done));
				total.set(of);
			}
		};
		SkyScanReader.read(dir, p, org.osteocast.core.Cancellation.NEVER);
		assertEquals(6, last.get());
		assertEquals(6, total.get());
		final org.osteocast.core.Cancellation c = new org.osteocast.core.Cancellation();
		c.cancel("user stop");
		final org.osteocast.core.Cancellation.CancelledException e = assertThrows(
			org.osteocast.core.Cancellation.CancelledException.class, () -> SkyScanReader.read(dir,
				org.osteocast.core.Progress.NONE, c));
		assertEquals("user stop", e.getMessage());
	}

	@Test
	void missingSlicesAreNamedAsAGap() throws Exception {
		final Path dir = fakeFolder("gap", 298, 305, "TIF");
		for (int i = 300; i <= 302; i++)
			Files.delete(dir.resolve(String.format("scan_rec%08d.tif", i)));
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> SkyScanReader.read(dir));
		assertTrue(e.getMessage().contains("slices 00000300..00000302 missing"), e.getMessage());
		assertTrue(e.getMessage().contains("scan_rec.log"), e.getMessage());
	}

	@Test
	void anExtraSliceOutsideTheLoggedRangeIsAnError() throws Exception {
		final Path dir = fakeFolder("extra", 5, 7, "TIF");
		writeSlice(dir, "scan_rec00000009", "TIF", 9);
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> SkyScanReader.read(dir));
		assertTrue(e.getMessage().contains("slice 00000009 outside the logged range"), e.getMessage());
	}

	@Test
	void aSliceOfAnotherSizeIsNamed() throws Exception {
		final Path dir = fakeFolder("odd", 1, 4, "TIF");
		new FileSaver(new ImagePlus("s", new ShortProcessor(7, 5))).saveAsTiff(dir.resolve("scan_rec00000003.tif")
			.toString());
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> SkyScanReader.read(dir));
		assertTrue(e.getMessage().contains("scan_rec00000003.tif") && e.getMessage().contains("7x5"), e.getMessage());
	}

	@Test
	void theLogWhosePrefixMatchesTheSlicesIsChosen() throws Exception {
		final Path dir = fakeFolder("two", 1, 3, "TIF");
		// a second reconstruction log for slices that are not here
		Files.writeString(dir.resolve("other_rec.log"), log("other_rec", 1, 3, "TIF", 99));
		assertEquals(dir.resolve("scan_rec.log"), SkyScanReader.layout(dir).log().file());
		assertEquals(12.5, SkyScanReader.read(dir).voxelSizeUm(0), 0);
	}

	@Test
	void aLogWithFileNameConventionWinsOverAnOlderLogForTheSameSlices() throws Exception {
		final Path dir = fakeFolder("old", 1, 3, "TIF");
		// an older-style log (no [File name convention]): slices are <Dataset Prefix>_rec<any width>
		Files.writeString(dir.resolve("aaa.log"), "[Reconstruction]\nDataset Prefix=scan\nFirst Section=1\n" +
			"Last Section=3\nResult File Type=TIF\nPixel Size (um)=12.5\n");
		assertEquals(dir.resolve("scan_rec.log"), SkyScanReader.layout(dir).log().file());
		Files.delete(dir.resolve("scan_rec.log"));
		final SkyScanReader.Layout l = SkyScanReader.layout(dir);
		assertEquals(dir.resolve("aaa.log"), l.log().file());
		assertEquals(8, l.indexLength(), "index width taken from the files");
		assertEquals(3, SkyScanReader.read(dir).depth());
	}

	@Test
	void folderWithoutReconstructionLogOrSlices() throws Exception {
		final Path dir = Files.createDirectories(tmp.resolve("acq"));
		Files.writeString(dir.resolve("scan.log"), "[System]\nScanner=x\n[Acquisition]\nFilename Prefix=scan\n");
		assertFalse(SkyScanReader.isReconstructionFolder(dir));
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> SkyScanReader.layout(dir));
		assertTrue(e.getMessage().contains("acquisition log"), e.getMessage());
		Files.writeString(dir.resolve("scan_rec.log"), log("scan_rec", 1, 3, "TIF", 5));
		assertTrue(SkyScanReader.isReconstructionFolder(dir));
		final VolumeIOException e2 = assertThrows(VolumeIOException.class, () -> SkyScanReader.layout(dir));
		assertTrue(e2.getMessage().contains("no slice files match") && e2.getMessage().contains("scan_recNNNNNNNN.tif"),
			e2.getMessage());
	}
}
