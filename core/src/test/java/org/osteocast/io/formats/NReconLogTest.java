package org.osteocast.io.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.RealData;

class NReconLogTest {

	@TempDir
	Path tmp;

	/** Voxel sizes read by eye from [Reconstruction] Pixel Size (um) of each real log. */
	private static final Map<String, Double> VOXEL_UM = Map.of( //
		"Control01.log", 1.65905, //
		"Control01_rec.log", 1.65905, //
		"DeepMLAST_Subject2_Day3.log", 105.32, //
		"Tooth001_rec.log", 8.55949, //
		"Subject2_Day3.log", 105.32);

	@Test
	void everyRealLogParsesWithTheVoxelSizeReadByEye() throws Exception {
		final Path dir = RealData.require("skyscan-logs");
		final List<Path> logs;
		try (Stream<Path> s = Stream.concat(Files.list(dir), Files.list(RealData.require("skyscan-mouse-thorax")))) {
			logs = s.filter(p -> p.toString().endsWith(".log")).sorted().collect(Collectors.toList());
		}
		assertEquals(5, logs.size(), logs.toString());
		for (final Path p : logs) {
			final NReconLog log = NReconLog.read(p);
			final Double expected = VOXEL_UM.get(p.getFileName().toString());
			assertTrue(expected != null, "no expectation for " + p);
			assertEquals(expected, log.voxelSizeUm(), 1e-9, p.toString());
			assertTrue(log.isReconstruction(), p.toString());
			assertTrue(log.hasSection("System") && log.hasSection("Acquisition"), p.toString());
		}
	}

	@Test
	void pixelSizeKeysAreDistinguishedBySectionAndExactKey() throws Exception {
		final NReconLog log = NReconLog.read(RealData.require("skyscan-logs/Control01_rec.log"));
		assertEquals(8.80, log.cameraPixelSizeUm().getAsDouble(), 1e-12);
		assertEquals(1.66, log.imagePixelSizeUm().getAsDouble(), 1e-12);
		assertEquals(1.65905, log.voxelSizeUm(), 1e-12);
		// the reconstruction's key does not exist in other sections and vice versa
		assertNull(log.get("Acquisition", "Pixel Size (um)"));
		assertNull(log.get("Reconstruction", "Image Pixel Size (um)"));
		assertEquals(122, log.firstSection());
		assertEquals(2573, log.lastSection());
		assertEquals(2452, log.sectionsCount().getAsInt());
		assertEquals("PNG", log.resultFileType());
		assertEquals("Control01_rec", log.filenamePrefix().get());
		assertEquals(4, log.filenameIndexLength().getAsInt());
		assertEquals(2184, log.resultImageWidth().getAsInt());
		assertEquals("Skyscan1172", log.scanner());
	}

	@Test
	void fileNameConventionIsWhereTheRealLogsPutIt() throws Exception {
		final NReconLog thorax = NReconLog.read(RealData.require("skyscan-mouse-thorax/Subject2_Day3.log"));
		assertEquals("Subject#_Day#_rec", thorax.filenamePrefix().get());
		assertEquals(8, thorax.filenameIndexLength().getAsInt());
		// [Acquisition] has its own Filename Prefix and Index Length (the projections'), not the slices'
		assertEquals("Subject#_Day#", thorax.get("Acquisition", "Filename Prefix"));
		assertEquals(267, thorax.firstSection());
		assertEquals(503, thorax.lastSection());
		assertEquals("TIF", thorax.resultFileType());
		// an older log without [File name convention]
		final NReconLog old = NReconLog.read(RealData.require("skyscan-logs/Control01.log"));
		assertFalse(old.filenamePrefix().isPresent());
		assertEquals("Control01", old.datasetPrefix());
		final NReconLog tooth = NReconLog.read(RealData.require("skyscan-logs/Tooth001_rec.log"));
		assertEquals("Tooth001_rec", tooth.filenamePrefix().get());
		assertEquals(455, tooth.firstSection());
		assertEquals(2482, tooth.lastSection());
	}

	@Test
	void latin1CrLfPaddingAndDecimalComma() throws Exception {
		final String text = "[System]\r\nScanner=SkyScan1276\r\nCamera Pixel Size (um)=   6,5 \r\n[User]\r\n" +
			"User Name=J\u00f6rg M\u00fcller\r\n[Reconstruction]\r\nFirst Section=10\r\nLast Section= 12 \r\n" +
			"Pixel Size (um)=  9.00000\r\nPixel Size (um)=1\r\n";
		final Path f = tmp.resolve("a.log");
		Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
		final NReconLog log = NReconLog.read(f);
		assertEquals("J\u00f6rg M\u00fcller", log.get("User", "User Name"));
		assertEquals(6.5, log.cameraPixelSizeUm().getAsDouble(), 1e-12);
		assertEquals(9.0, log.voxelSizeUm(), 1e-12, "first of a repeated key wins");
		assertEquals(12, log.lastSection());
		assertEquals("TIF", log.resultFileType(), "default when absent");
		assertEquals(1, log.sectionStep());
	}

	@Test
	void errorsNameTheFileSectionAndKey() throws Exception {
		final Path f = tmp.resolve("b.log");
		Files.writeString(f, "[Acquisition]\nImage Pixel Size (um)=5\n");
		final NReconLog log = NReconLog.read(f);
		assertFalse(log.isReconstruction());
		final VolumeIOException e = assertThrows(VolumeIOException.class, log::voxelSizeUm);
		assertTrue(e.getMessage().contains("b.log") && e.getMessage().contains("[Reconstruction]") && e.getMessage()
			.contains("Pixel Size (um)"), e.getMessage());
		final Path g = tmp.resolve("c.log");
		Files.writeString(g, "just some text\n");
		assertTrue(assertThrows(VolumeIOException.class, () -> NReconLog.read(g)).getMessage().contains(
			"not an NRecon log"));
		Files.writeString(f, "[Reconstruction]\nFirst Section=abc\nLast Section=3\nPixel Size (um)=-1\n");
		final NReconLog bad = NReconLog.read(f);
		assertTrue(assertThrows(VolumeIOException.class, bad::firstSection).getMessage().contains("'abc'"));
		assertTrue(assertThrows(VolumeIOException.class, bad::voxelSizeUm).getMessage().contains("positive"));
	}

	@Test
	void theGreyToAttenuationConversionIsTheScansOwnCalibration() throws Exception {
		final NReconLog log = NReconLog.parse("[Reconstruction]\nMinimum for CS to Image Conversion=-0.007000\n" +
			"Maximum for CS to Image Conversion=0.129490\n", Path.of("scan_rec.log"));
		final double[] r = log.attenuationRange().orElseThrow();
		assertEquals(-0.007, r[0], 0);
		assertEquals(0.12949, r[1], 0);
		assertTrue(NReconLog.parse("[Reconstruction]\nMinimum for CS to Image Conversion=0.1\n", Path.of("a.log"))
			.attenuationRange().isEmpty(), "half a range is none");
		assertTrue(NReconLog.parse("[Reconstruction]\nMinimum for CS to Image Conversion=0.1\n" +
			"Maximum for CS to Image Conversion=0.1\n", Path.of("a.log")).attenuationRange().isEmpty(), "an empty range is none");
	}
}
