package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.VolumeIOException;

/**
 * The Java LPIPS path against PyTorch: a randomly initialised network with the
 * reference package's AlexNet-LPIPS structure (narrow channels), exported to
 * TorchScript by Debian's python3-torch 1.13 with
 * {@code /usr/bin/python3 bench/lpips/make_tiny_lpips.py core/src/test/resources/lpips/tiny_lpips_alex.pt},
 * which printed the distances below for the same inputs.
 */
class LpipsTest {

	/** Printed by bench/lpips/make_tiny_lpips.py (torch 1.13.0a0). */
	static final float[] PYTORCH = { 0.00000000f, 0.03520052f, 0.10587865f };

	@TempDir
	Path tmp;

	static float[][][] inputs(final int n, final int w, final int h) {
		final float[][] a = new float[n][w * h], b = new float[n][w * h];
		for (int k = 0; k < n; k++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					a[k][y * w + x] = (float) (0.5 + 0.4 * Math.sin(0.3 * x * (k + 1) + 0.2 * y));
					b[k][y * w + x] = (float) (0.5 + 0.4 * Math.sin(0.3 * x * (k + 1) + 0.2 * y + 0.5 * k));
				}
		return new float[][][] { a, b };
	}

	@Test
	void matchesPyTorchOnTheSameNetwork() throws Exception {
		final Path net = Path.of(getClass().getResource("/lpips/tiny_lpips_alex.pt").toURI());
		try (Lpips lpips = Lpips.load(net)) {
			final float[][][] in = inputs(3, 64, 64);
			assertArrayEquals(PYTORCH, lpips.distance(in[0], in[1], 64, 64), 2e-6f);
		}
	}

	@Test
	void badNetworkFileIsNamed() throws Exception {
		final Path junk = tmp.resolve("junk.pt");
		Files.writeString(junk, "not a model");
		final VolumeIOException e = assertThrows(VolumeIOException.class, () -> Lpips.load(junk));
		assertTrue(e.getMessage().contains("junk.pt") && e.getMessage().contains("TorchScript"), e.getMessage());
		assertThrows(VolumeIOException.class, () -> Lpips.load(tmp.resolve("missing.pt")));
	}
}
