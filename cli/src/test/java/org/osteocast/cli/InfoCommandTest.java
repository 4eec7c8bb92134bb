package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;

import picocli.CommandLine;

class InfoCommandTest {

	@TempDir
	Path tmp;

	/** Exit code, stdout and stderr of one run. */
	private static final class Run {
		int code;
		String out, err;
	}

	private static Run run(final String... args) {
		final CommandLine cl = Main.commandLine();
		final StringWriter out = new StringWriter(), err = new StringWriter();
		cl.setOut(new PrintWriter(out));
		cl.setErr(new PrintWriter(err));
		final Run r = new Run();
		r.code = cl.execute(args);
		r.out = out.toString();
		r.err = err.toString();
		return r;
	}

	/** {@code ../shared/realdata/<rel>} (found walking up, for nested worktrees); skips when absent. */
	private static Path realData(final String rel) {
		Path dir = Path.of("").toAbsolutePath().getParent();
		while (dir != null && !Files.isDirectory(dir.resolve("shared/realdata")))
			dir = dir.getParent();
		final Path p = dir == null ? Path.of("../shared/realdata", rel) : dir.resolve("shared/realdata").resolve(rel);
		assumeTrue(Files.exists(p), "real data not available: " + p);
		return p;
	}

	@Test
	void skyScanThorax() {
		final Run r = run("info", realData("skyscan-mouse-thorax").toString());
		assertEquals(0, r.code, r.err);
		final JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
		final JsonObject d = j.getAsJsonObject("dimensions");
		assertEquals(248, d.get("x").getAsInt());
		assertEquals(164, d.get("y").getAsInt());
		assertEquals(237, d.get("z").getAsInt());
		assertFalse(d.has("frames"));
		assertEquals("uint16", j.get("pixel_type").getAsString());
		assertEquals(16, j.get("bit_depth").getAsInt());
		assertEquals(105.32, j.getAsJsonObject("voxel_size_um").get("z").getAsDouble(), 1e-9);
		assertEquals("file", j.get("voxel_size_source").getAsString());
		assertTrue(j.get("format").getAsString().startsWith("SkyScan NRecon"));
		assertEquals("Subject2_Day3.log", j.getAsJsonObject("skyscan").get("log").getAsString());
		final JsonObject range = j.getAsJsonObject("value_range");
		assertTrue(range.get("max").getAsDouble() > range.get("min").getAsDouble());
		assertTrue(r.out.contains("\n  \"dimensions\""), "pretty-printed");
	}

	@Test
	void voxelOverrideForUncalibratedTiffSlices() throws Exception {
		final Path dir = Files.createDirectories(tmp.resolve("slices"));
		for (int i = 0; i < 3; i++) {
			final ij.process.ByteProcessor bp = new ij.process.ByteProcessor(5, 4);
			bp.set(1, 1, 10 * i);
			new ij.io.FileSaver(new ij.ImagePlus("s", bp)).saveAsTiff(dir.resolve("s_" + i + ".tif").toString());
		}
		final JsonObject plain = JsonParser.parseString(run("info", dir.toString()).out).getAsJsonObject();
		assertTrue(plain.get("voxel_size_source").getAsString().startsWith("none"), plain.toString());
		final Run r = run("info", "--voxel-um", "19.5", dir.toString());
		assertEquals(0, r.code, r.err);
		final JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
		assertEquals(3, j.getAsJsonObject("dimensions").get("z").getAsInt());
		assertEquals(19.5, j.getAsJsonObject("voxel_size_um").get("x").getAsDouble(), 0);
		assertEquals("--voxel-um", j.get("voxel_size_source").getAsString());
		assertEquals("uint8", j.get("pixel_type").getAsString());
		assertEquals(20, j.getAsJsonObject("value_range").get("max").getAsInt());
	}

	@Test
	void niftiValueRangeIsComputed() throws Exception {
		final Img<UnsignedShortType> img = PlanarImgs.unsignedShorts(4, 3, 2);
		final Cursor<UnsignedShortType> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set(100 + c.getIntPosition(0) + 10 * c.getIntPosition(2));
		}
		final Path f = tmp.resolve("v.nii.gz");
		VolumeIO.write(new Volume<>(img, new double[] { 5, 6, 7 }, new double[3], "v"), f);
		final Run r = run("info", f.toString());
		assertEquals(0, r.code, r.err);
		final JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
		assertEquals(100, j.getAsJsonObject("value_range").get("min").getAsInt());
		assertEquals(113, j.getAsJsonObject("value_range").get("max").getAsInt());
		assertEquals(6, j.getAsJsonObject("voxel_size_um").get("y").getAsDouble(), 1e-4);
		assertEquals("NIfTI-1 (gzip)", j.get("format").getAsString());
	}

	@Test
	void cohortListsMiceWeeksGroupsAndProblems() throws Exception {
		for (final String m : new String[] { "a", "b" })
			for (int w = 1; w <= 2; w++)
				VolumeIO.write(new Volume<>(PlanarImgs.unsignedBytes(4, 4, 3 + (m.equals("b") ? w : 0)), new double[] { 9, 9,
					9 }, new double[3], m), tmp.resolve(m + "/week" + w + ".nii"));
		Files.writeString(tmp.resolve("cohort.csv"), "mouse,week,image,group\na,1,a/week1.nii,ctrl\na,2,a/week2.nii,ctrl\n" +
			"b,1,b/week1.nii,met\nb,2,b/week2.nii,met\n");
		final Run r = run("info", tmp.toString());
		assertEquals(0, r.code, r.err);
		final JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
		assertEquals("cohort", j.get("kind").getAsString());
		assertEquals(2, j.get("n_mice").getAsInt());
		final JsonArray mice = j.getAsJsonArray("mice");
		assertEquals("a", mice.get(0).getAsJsonObject().get("mouse").getAsString());
		assertEquals("met", mice.get(1).getAsJsonObject().get("group").getAsString());
		assertEquals("[1,2]", mice.get(1).getAsJsonObject().get("weeks").toString());
		final JsonArray problems = j.getAsJsonArray("problems");
		assertEquals(1, problems.size());
		assertTrue(problems.get(0).getAsString().startsWith("mouse b: dimensions differ"), problems.toString());
		// the manifest itself and the folder convention (without the manifest) describe the same mice
		assertEquals(2, JsonParser.parseString(run("info", tmp.resolve("cohort.csv").toString()).out).getAsJsonObject()
			.get("n_mice").getAsInt());
		Files.delete(tmp.resolve("cohort.csv"));
		final JsonObject folder = JsonParser.parseString(run("info", tmp.toString()).out).getAsJsonObject();
		assertEquals(4, folder.get("n_scans").getAsInt());
		assertTrue(folder.get("manifest").isJsonNull());
	}

	@Test
	void badFileGivesExitCode2AndOneLineNamingIt() throws Exception {
		final Path f = tmp.resolve("broken.tif");
		Files.writeString(f, "definitely not a TIFF");
		final Run r = run("info", f.toString());
		assertEquals(Main.EXIT_BAD_INPUT, r.code);
		assertEquals("", r.out);
		final String[] lines = r.err.split("\\R");
		assertTrue(lines[0].startsWith("osteocast info: ") && lines[0].contains(f.toString()), r.err);
		assertEquals(1, r.err.lines().filter(l -> l.contains("broken.tif")).count(), r.err);
		assertFalse(r.err.contains("\tat "), "no stack trace without --verbose");
	}

	@Test
	void hyperstackReportsFramesAndTheRangeOverAllFrames() throws Exception {
		final org.osteocast.io.contracts.Hyperstack h = new org.osteocast.io.contracts.Hyperstack(4, 4, 3, 2, new double[] { 50, 50, 50 },
			"m1");
		h.plane(0, 0)[0] = -0.25f;
		h.plane(2, 1)[5] = 0.75f;
		final Path f = tmp.resolve("m1.tif");
		h.write(f);
		final Run r = run("info", f.toString());
		assertEquals(0, r.code, r.err);
		final JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
		assertEquals(2, j.getAsJsonObject("dimensions").get("frames").getAsInt());
		assertEquals(3, j.getAsJsonObject("dimensions").get("z").getAsInt());
		assertEquals("float32", j.get("pixel_type").getAsString());
		assertEquals(-0.25, j.getAsJsonObject("value_range").get("min").getAsDouble(), 0);
		assertEquals(0.75, j.getAsJsonObject("value_range").get("max").getAsDouble(), 0);
	}

	@Test
	void engineDescriptionIsJson() {
		final Run r = run("info", "--engine");
		assertEquals(0, r.code, r.err);
		final JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
		assertEquals("PyTorch", j.get("engine").getAsString());
		assertTrue(j.getAsJsonArray("devices").size() >= 1);
		assertTrue(j.has("platform") && j.has("native_library_origin"), r.out);
		assertTrue(j.get("training_ready").getAsBoolean(), r.out);
		if (System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64")) {
			assertEquals("linux64", j.get("platform").getAsString());
			assertTrue(j.get("native_library_origin").getAsString().contains("pytorch-native-cpu-2.7.1-linux-x86_64.jar"),
				r.out);
		}
	}

	@Test
	void checkGpuSaysInOneLineWhatIsWrongAndSavesAGoodFolder() throws Exception {
		final String configDir = System.getProperty("osteocast.config.dir");
		final String driverDirs = System.getProperty("osteocast.cuda.driver.dirs");
		System.setProperty("osteocast.config.dir", tmp.resolve("config").toString());
		try {
			final Path root = tmp.resolve("libtorch");
			final Path lib = java.nio.file.Files.createDirectories(root.resolve("lib"));
			for (final String n : new String[] { "libtorch.so", "libc10.so" })
				java.nio.file.Files.writeString(lib.resolve(n), n);
			java.nio.file.Files.writeString(root.resolve("build-version"), "2.7.1+cpu\n");
			assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"));
			Run r = run("info", "--engine", "--check-gpu", root.toString());
			assertEquals(2, r.code, r.err);
			assertTrue(r.err.startsWith("osteocast info: " + root + ": libtorch 2.7.1+cpu is a CPU-only build"), r.err);
			assertFalse(java.nio.file.Files.exists(tmp.resolve("config/engine.properties")));

			java.nio.file.Files.writeString(lib.resolve("libtorch_cuda.so"), "cuda");
			java.nio.file.Files.writeString(root.resolve("build-version"), "2.7.1+cu128\n");
			System.setProperty("osteocast.cuda.driver.dirs", tmp.resolve("no-driver").toString());
			r = run("info", "--engine", "--check-gpu", root.toString());
			assertEquals(2, r.code, r.err);
			assertTrue(r.err.contains("no NVIDIA driver (libcuda.so.1)"), r.err);

			final Path driver = java.nio.file.Files.createDirectories(tmp.resolve("driver"));
			java.nio.file.Files.writeString(driver.resolve("libcuda.so.1"), "driver");
			System.setProperty("osteocast.cuda.driver.dirs", driver.toString());
			r = run("info", "--engine", "--check-gpu", root.toString());
			assertEquals(0, r.code, r.err);
			final JsonObject j = JsonParser.parseString(r.out).getAsJsonObject();
			assertEquals("ok", j.get("libtorch_check").getAsString());
			final String saved = java.nio.file.Files.readString(tmp.resolve("config/engine.properties"));
			assertTrue(saved.contains("flavor=cu128") && saved.contains("libtorch_path="), saved);
		}
		finally {
			if (configDir == null) System.clearProperty("osteocast.config.dir");
			else System.setProperty("osteocast.config.dir", configDir);
			if (driverDirs == null) System.clearProperty("osteocast.cuda.driver.dirs");
			else System.setProperty("osteocast.cuda.driver.dirs", driverDirs);
		}
	}

	@Test
	void withoutPathOrEngineIsAUsageError() {
		final Run r = run("info");
		assertEquals(2, r.code);
		assertTrue(r.err.contains("give a PATH"), r.err);
		assertEquals(2, run("info", "--voxel-um", "-3", tmp.toString()).code);
	}
}
