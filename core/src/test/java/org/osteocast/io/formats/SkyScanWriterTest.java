package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;

class SkyScanWriterTest {

	@TempDir
	Path tmp;

	/** INI-like parse: section → (key → value), keys in file order. */
	static Map<String, Map<String, String>> parse(final String text) {
		final Map<String, Map<String, String>> m = new LinkedHashMap<>();
		Map<String, String> cur = null;
		for (final String raw : text.split("\r?\n")) {
			final String line = raw.strip();
			if (line.startsWith("[") && line.endsWith("]")) {
				cur = new LinkedHashMap<>();
				m.put(line.substring(1, line.length() - 1), cur);
			}
			else if (cur != null && line.contains("=")) {
				final int eq = line.indexOf('=');
				cur.put(line.substring(0, eq), line.substring(eq + 1).strip());
			}
		}
		return m;
	}

	private static Volume<UnsignedShortType> ramp(final int w, final int h, final int d) {
		final ArrayImg<UnsignedShortType, ShortArray> img = ArrayImgs.unsignedShorts(w, h, d);
		final Cursor<UnsignedShortType> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set(1000 * c.getIntPosition(2) + 10 * c.getIntPosition(1) + c.getIntPosition(0));
		}
		return Volume.of(img, 7, "ramp");
	}

	@Test
	void writesNReconFolderWithLogAndNumberedSlices() throws Exception {
		final Volume<UnsignedShortType> v = ramp(5, 4, 3);
		final Path dir = tmp.resolve("scan");
		SkyScanWriter.write(v, dir, "M001_week2", new SkyScanWriter.Metadata().firstSection(267));
		final List<String> names = new ArrayList<>();
		try (Stream<Path> s = Files.list(dir)) {
			s.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
		}
		assertEquals(List.of("M001_week2.log", "M001_week2_rec00000267.tif", "M001_week2_rec00000268.tif",
			"M001_week2_rec00000269.tif", "M001_week2_rec_spr.bmp"), names);

		final byte[] raw = Files.readAllBytes(dir.resolve("M001_week2.log"));
		final String text = new String(raw, StandardCharsets.ISO_8859_1);
		assertTrue(text.contains("\r\n") && !text.replace("\r\n", "").contains("\n"), "NRecon logs end lines in CR LF");
		final Map<String, Map<String, String>> log = parse(text);
		assertEquals(List.of("System", "User", "Acquisition", "Reconstruction", "File name convention"), new ArrayList<>(
			log.keySet()));
		assertEquals("7.00000", log.get("Reconstruction").get("Pixel Size (um)"));
		assertEquals("7.000000", log.get("Acquisition").get("Image Pixel Size (um)"));
		assertTrue(log.get("System").containsKey("Camera Pixel Size (um)"));
		assertEquals("TIF", log.get("Reconstruction").get("Result File Type"));
		assertEquals("267", log.get("Reconstruction").get("First Section"));
		assertEquals("269", log.get("Reconstruction").get("Last Section"));
		assertEquals("3", log.get("Reconstruction").get("Sections Count"));
		assertEquals("5", log.get("Reconstruction").get("Result Image Width (pixels)"));
		assertEquals("4", log.get("Reconstruction").get("Result Image Height (pixels)"));
		assertEquals("8", log.get("File name convention").get("Filename Index Length"));
		assertEquals("M001_week2_rec", log.get("File name convention").get("Filename Prefix"));
		assertEquals("M001_week2", log.get("Acquisition").get("Filename Prefix"));

		// slices: 16-bit, one per section, in order
		for (int z = 0; z < 3; z++) {
			final ImagePlus imp = TiffIO.read(dir.resolve(SkyScanWriter.sliceName("M001_week2", 267 + z)));
			assertEquals(16, imp.getBitDepth());
			assertEquals(1, imp.getStackSize());
			assertEquals(1000 * z + 10 * 3 + 4, imp.getProcessor().get(4, 3));
			assertEquals(1000 * z, imp.getProcessor().get(0, 0));
		}
	}

	@Test
	void rewritingAFolderLeavesNoStaleSlices() throws Exception {
		final Path dir = tmp.resolve("scan");
		SkyScanWriter.write(ramp(4, 4, 5), dir, "p", new SkyScanWriter.Metadata().firstSection(10));
		SkyScanWriter.write(ramp(4, 4, 2), dir, "p", new SkyScanWriter.Metadata().firstSection(10));
		assertTrue(Files.exists(dir.resolve("p_rec00000011.tif")));
		assertFalse(Files.exists(dir.resolve("p_rec00000012.tif")));
	}

	@Test
	void keysAReaderNeedsAreSpelledAsInARealNReconLog() throws Exception {
		final Path real = Path.of("../shared/realdata/skyscan-mouse-thorax/Subject2_Day3.log");
		Assumptions.assumeTrue(Files.isRegularFile(real), "real data not available");
		final Map<String, Map<String, String>> ref = parse(Files.readString(real, StandardCharsets.ISO_8859_1));
		final Map<String, Map<String, String>> ours = parse(SkyScanWriter.logText("x", 20, 120, 120, 160,
			new SkyScanWriter.Metadata()));
		final String[][] needed = { { "System", "Camera Pixel Size (um)" }, { "Acquisition", "Image Pixel Size (um)" }, {
			"Acquisition", "Filename Prefix" }, { "Acquisition", "Study Date and Time" }, { "Acquisition", "Depth (bits)" }, {
				"Reconstruction", "Pixel Size (um)" }, { "Reconstruction", "First Section" }, { "Reconstruction",
					"Last Section" }, { "Reconstruction", "Sections Count" }, { "Reconstruction", "Result File Type" }, {
						"Reconstruction", "Result Image Width (pixels)" }, { "Reconstruction", "Result Image Height (pixels)" }, {
							"Reconstruction", "Minimum for CS to Image Conversion" }, { "Reconstruction",
								"Maximum for CS to Image Conversion" }, { "File name convention", "Filename Index Length" }, {
									"File name convention", "Filename Prefix" } };
		for (final String[] k : needed) {
			assertTrue(ref.get(k[0]).containsKey(k[1]), "the real log lacks [" + k[0] + "] " + k[1]);
			assertTrue(ours.get(k[0]).containsKey(k[1]), "our log lacks [" + k[0] + "] " + k[1]);
		}
		// every key we write in [Reconstruction] and [File name convention] exists in some real log, same section
		final List<Map<String, Map<String, String>>> reals = new ArrayList<>();
		reals.add(ref);
		try (Stream<Path> s = Files.list(Path.of("../shared/realdata/skyscan-logs"))) {
			for (final Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".log"))::iterator)
				reals.add(parse(Files.readString(p, StandardCharsets.ISO_8859_1)));
		}
		for (final String section : List.of("Reconstruction", "File name convention"))
			for (final String key : ours.get(section).keySet()) {
				if (key.startsWith("Total reconstruction time")) continue; // contains the slice count
				final boolean seen = reals.stream().anyMatch(r -> r.containsKey(section) && r.get(section).containsKey(key));
				assertTrue(seen, "[" + section + "] " + key + " is in no real NRecon log");
			}
	}
}
