package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.formats.VolumeIO;

/** {@code osteocast register} on a pair of 16-bit scans larger than its Java heap (own process, 48 MB heap). */
class StreamingRegisterCommandTest {

	@TempDir
	static Path tmp;
	static Path fixedFile, movingFile;
	static double[][] truth;

	@BeforeAll
	static void writePair() throws Exception {
		final Path dir = tmp.resolve("cohort").resolve("m1");
		truth = TestScans.writeStreamingPair(dir);
		fixedFile = dir.resolve("week1.tif");
		movingFile = dir.resolve("week2.tif");
	}

	@Test
	void theCommandLineRegistersScansLargerThanItsHeap() throws Exception {
		final long heapMb = 48;
		final long scanBytes = Files.size(fixedFile) + Files.size(movingFile);
		// whole, the two scans alone would take most of the heap, and their float copies four times as much
		assertTrue(2 * scanBytes > heapMb << 20, "the test scans must not fit the heap as floats");
		final Path out = tmp.resolve("registered");
		final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
			"org.osteocast.cli.Main", "register", "--cohort", tmp.resolve("cohort").toString(), "--out", out.toString(),
			"--threads", "2"));
		final Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		final String log = new String(proc.getInputStream().readAllBytes());
		assertTrue(proc.waitFor(5, TimeUnit.MINUTES));
		assertEquals(0, proc.exitValue(), log);
		final double[][] est = TransformFile.read(out.resolve("m1").resolve("week2.transform.json"))
			.movingToFixedVoxel();
		assertTrue(RegistrationAccuracy.meanBoneDisplacementVoxels(VolumeIO.read(fixedFile), est, truth) < 0.1, log);
		assertEquals(VolumeIO.readHeader(fixedFile).dimensions()[2], VolumeIO.readHeader(out.resolve("m1").resolve(
			"week2.tif")).dimensions()[2]);
		assertTrue(Files.isRegularFile(out.resolve("m1").resolve("week2_qc.png")));
	}

}
