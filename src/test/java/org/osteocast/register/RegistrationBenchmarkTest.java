package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationBenchmarkTest {

	@TempDir
	Path tmp;

	@Test
	void elastixEulerParametersConvertToTheVoxelContract() throws Exception {
		// elastix: fixed mm -> moving mm, R = Rz Rx Ry about the centre, then t
		final double ax = 0.05, ay = -0.03, az = 0.08;
		final double[] c = { 0.32, 0.4, 0.5 }, t = { 0.02, -0.01, 0.03 };
		final Path f = tmp.resolve("TransformParameters.0.txt");
		Files.writeString(f, String.format(Locale.ROOT,
			"(Transform \"EulerTransform\")%n(NumberOfParameters 6)%n(TransformParameters %.12f %.12f %.12f %.12f %.12f %.12f)%n" +
				"(CenterOfRotationPoint %.12f %.12f %.12f)%n(ComputeZYX \"false\")%n", ax, ay, az, t[0], t[1], t[2], c[0], c[1],
			c[2]));
		final double[] vs = { 10, 10, 20 };
		final double[][] m2f = RegistrationBenchmark.readElastixEuler(f, vs, vs);
		// independent check: map a fixed point to moving by elastix's formula, then back through m2f
		final double[][] rx = { { 1, 0, 0 }, { 0, Math.cos(ax), -Math.sin(ax) }, { 0, Math.sin(ax), Math.cos(ax) } };
		final double[][] ry = { { Math.cos(ay), 0, Math.sin(ay) }, { 0, 1, 0 }, { -Math.sin(ay), 0, Math.cos(ay) } };
		final double[][] rz = { { Math.cos(az), -Math.sin(az), 0 }, { Math.sin(az), Math.cos(az), 0 }, { 0, 0, 1 } };
		final double[][] r = RigidTransforms.mul3(rz, RigidTransforms.mul3(rx, ry));
		final double[] fixedVoxel = { 12, 7, 9 };
		final double[] xmm = { fixedVoxel[0] * 0.01, fixedVoxel[1] * 0.01, fixedVoxel[2] * 0.02 };
		final double[] ymm = new double[3];
		for (int i = 0; i < 3; i++) {
			ymm[i] = c[i] + t[i];
			for (int j = 0; j < 3; j++)
				ymm[i] += r[i][j] * (xmm[j] - c[j]);
		}
		final double[] movingVoxel = { ymm[0] / 0.01, ymm[1] / 0.01, ymm[2] / 0.02 };
		final double[] back = RigidTransforms.apply(m2f, movingVoxel);
		for (int i = 0; i < 3; i++)
			assertEquals(fixedVoxel[i], back[i], 1e-9);
	}

	@Test
	void metaImageHeaderDescribesTheRawFile() throws Exception {
		final FloatGrid g = new FloatGrid(new float[2 * 3 * 4], 2, 3, 4, new double[] { 10, 20, 30 });
		g.data[5] = 1.5f;
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
