package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * PSNR both ways against scikit-image: the mean of the slices' PSNR
 * ({@link Psnr#perSlice}, the evaluation's {@code psnr_db}) and the PSNR of the
 * error pooled over the volume ({@link Psnr#psnr(float[][], float[][], double)},
 * {@code psnr_volume_db}). The golden values are the committed output of
 * <pre>
 * /usr/bin/python3 bench/golden/psnr_golden.py &gt; bench/golden/psnr_golden.txt
 * </pre>
 * read here from that file; the inputs are re-created with the script's LCG
 * and dyadic arithmetic, so Java and Python hold bit-identical values.
 */
class PsnrGoldenTest {

	/** Absolute tolerance in dB (the values are 10–50 dB; sums in double precision). */
	static final double TOL = 1e-12;

	@Test
	void bothWaysEqualScikitImage() throws IOException {
		final List<String[]> cases = golden();
		assertTrue(cases.size() >= 4, "golden cases: " + cases.size());
		for (final String[] c : cases) {
			final String name = c[0];
			final int seed = Integer.parseInt(c[1]), slices = Integer.parseInt(c[2]), h = Integer.parseInt(c[3]), w =
				Integer.parseInt(c[4]);
			final double range = Double.parseDouble(c[5]), perSlice = Double.parseDouble(c[6]), pooled = Double
				.parseDouble(c[7]);
			final float[][][] v = volumePair(seed, slices, h, w);
			if (name.startsWith("lesion")) for (int r = 5; r < 15; r++)
				for (int x = 10; x < 30; x++)
					v[1][1][r * w + x] = 0;
			assertEquals(perSlice, Psnr.perSlice(v[0], v[1], range), TOL, name + " psnr_db");
			assertEquals(pooled, Psnr.psnr(v[0], v[1], range), TOL, name + " psnr_volume_db");
			if (slices > 1) assertTrue(perSlice > pooled + 1, name + ": the graded noise must separate the two ways (" +
				perSlice + " vs " + pooled + ")");
			else assertEquals(perSlice, pooled, TOL, name + ": one slice, one PSNR");
		}
	}

	@Test
	void identicalSliceMakesThePerSliceMeanInfinite() {
		final float[][] t = { SsimGoldenTest.lcg(1, 64), SsimGoldenTest.lcg(2, 64) };
		final float[][] p = { t[0].clone(), SsimGoldenTest.lcg(3, 64) };
		assertEquals(Double.POSITIVE_INFINITY, Psnr.perSlice(t, p, 1));
		assertTrue(Double.isFinite(Psnr.psnr(t, p, 1)));
	}

	/** The script's {@code volume_pair}: truth slices and the truth plus centred noise halved per slice. */
	static float[][][] volumePair(final int seed, final int slices, final int h, final int w) {
		final float[][] t = new float[slices][], p = new float[slices][];
		for (int z = 0; z < slices; z++) {
			t[z] = SsimGoldenTest.lcg(seed + z, h * w);
			final float[] u = SsimGoldenTest.lcg(seed + 100 + z, h * w);
			p[z] = new float[h * w];
			for (int i = 0; i < p[z].length; i++)
				p[z][i] = (float) (t[z][i] + (u[i] - 0.5) / (1 << (z + 1)));
		}
		return new float[][][] { t, p };
	}

	private static List<String[]> golden() throws IOException {
		Path p = Paths.get("").toAbsolutePath();
		while (p != null && !Files.isRegularFile(p.resolve("bench/golden/psnr_golden.txt")))
			p = p.getParent();
		assertTrue(p != null, "bench/golden/psnr_golden.txt not found above the working folder");
		final List<String[]> out = new ArrayList<>();
		for (final String line : Files.readAllLines(p.resolve("bench/golden/psnr_golden.txt")))
			if (!line.isBlank() && !line.startsWith("#")) out.add(line.trim().split("\\s+"));
		return out;
	}
}
