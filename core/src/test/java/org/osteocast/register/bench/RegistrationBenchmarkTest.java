package org.osteocast.register.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.Volume;
import org.osteocast.register.FloatGrid;
import org.osteocast.register.RigidTransforms;

/** The elastix comparison's plumbing: parameter conversion, MetaImage files, and a run with and without elastix. */
class RegistrationBenchmarkTest {

	@TempDir
	Path tmp;

	/**
	 * OsteoCast's reading of elastix's {@code EulerTransform} parameters against
	 * elastix itself: {@code bench/golden/elastix_euler/run.sh} had transformix
	 * map fixed points to moving points with a committed parameter file and
	 * committed its output ({@code outputpoints.txt}); the moving → fixed voxel
	 * matrix OsteoCast reads from that same parameter file must carry each
	 * moving point back to its fixed point. transformix prints 6 decimals of a
	 * millimetre, 1e-4 of the 0.01 mm voxels.
	 */
	@Test
	void elastixEulerParametersConvertToTheVoxelContract() throws Exception {
		final Path golden = Path.of("bench", "golden", "elastix_euler");
		final double[] vs = { 10, 10, 20 }; // µm, the parameter file's spacing
		final double[][] m2f = RegistrationBenchmark.readElastixEuler(golden.resolve("TransformParameters.0.txt"), vs, vs);
		final Pattern point = Pattern.compile("InputPoint = \\[ ([^\\]]+) \\].*OutputPoint = \\[ ([^\\]]+) \\]");
		int n = 0;
		for (final String line : Files.readAllLines(golden.resolve("outputpoints.txt"))) {
			final Matcher m = point.matcher(line);
			if (!m.find()) continue;
			final double[] fixedMm = numbers(m.group(1)), movingMm = numbers(m.group(2));
			final double[] moving = new double[3], fixed = new double[3];
			for (int i = 0; i < 3; i++) {
				moving[i] = movingMm[i] * 1000 / vs[i];
				fixed[i] = fixedMm[i] * 1000 / vs[i];
			}
			final double[] back = RigidTransforms.apply(m2f, moving);
			for (int i = 0; i < 3; i++)
				assertEquals(fixed[i], back[i], 1e-4, "point " + n + " axis " + i);
			n++;
		}
		assertEquals(4, n, "golden points");
	}

	private static double[] numbers(final String s) {
		final String[] p = s.trim().split("\\s+");
		final double[] v = new double[p.length];
		for (int i = 0; i < p.length; i++)
			v[i] = Double.parseDouble(p[i]);
		return v;
	}

	@Test
	void metaImageHeaderDescribesTheRawFile() throws Exception {
		final float[] data = new float[2 * 3 * 4];
		data[5] = 1.5f;
		final FloatGrid g = FloatGrid.of(new Volume<>(ArrayImgs.floats(data, 2, 3, 4), new double[] { 10, 20, 30 },
			new double[3], "a"));
		final Path mhd = tmp.resolve("a.mhd");
		RegistrationBenchmark.writeMetaImage(g, mhd);
		final String h = Files.readString(mhd);
		assertTrue(h.contains("DimSize = 2 3 4"), h);
		assertTrue(h.contains("ElementSpacing = 0.01 0.02 0.03"), h);
		assertTrue(h.contains("ElementDataFile = a.raw"), h);
		final byte[] raw = Files.readAllBytes(tmp.resolve("a.raw"));
		assertEquals(4 * 24, raw.length);
		assertEquals(1.5f, java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(20));
	}

	@Test
	void benchmarkRunsOsteoCastAloneAndWithElastixWhenInstalled() throws Exception {
		final List<RegistrationBenchmark.Case> cases = RegistrationBenchmark.syntheticCases(1, 40, 3);
		final StringWriter w = new StringWriter();
		final List<RegistrationBenchmark.Outcome> alone = RegistrationBenchmark.run(cases, null, null, 2, tmp,
			new PrintWriter(w));
		assertTrue(alone.get(0).oursError < 0.15, w.toString());
		assertTrue(Double.isNaN(alone.get(0).elastixError));
		final Path elastix = RegistrationBenchmark.findExecutable("elastix");
		final Path params = Path.of("bench", "register", "elastix_rigid.txt");
		assumeTrue(elastix != null && Files.isRegularFile(params), "elastix not installed");
		final StringWriter w2 = new StringWriter();
		final List<RegistrationBenchmark.Outcome> both = RegistrationBenchmark.run(cases, elastix, params, 2, tmp,
			new PrintWriter(w2));
		System.out.print(w2);
		// elastix reaches sub-voxel accuracy too: proves the parameter-file conversion
		assertTrue(both.get(0).elastixError < 0.5, w2.toString());
		assertTrue(w2.toString().contains("wall-time ratio"), w2.toString());
	}
}
