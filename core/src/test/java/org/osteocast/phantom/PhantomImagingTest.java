package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osteocast.phantom.PhantomTestSupport.read;
import static org.osteocast.phantom.PhantomTestSupport.values;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;

/** Noise, ring artefacts and the loaded group, each against a noise-free or unloaded twin. */
class PhantomImagingTest {

	@TempDir
	Path tmp;

	private Path make(final String name, final PhantomParameters p) throws Exception {
		final Path out = tmp.resolve(name);
		PhantomGenerator.generate(p, out, Progress.NONE, new Cancellation());
		return out;
	}

	@Test
	void noiseHasTheRequestedSdAndInPlaneGrain() throws Exception {
		final Path out = make("noisy", PhantomTestSupport.tiny().mice(1).weeks(2).noiseSd(2000).build());
		final float[] scan = values(read(out.resolve("M001/week1.tif")));
		final float[] ideal = values(read(out.resolve("truth/M001/week1_ideal.tif")));
		final int nx = 60, ny = 60;
		double s = 0, s2 = 0, lag = 0, lagZ = 0;
		long n = 0;
		for (int z = 0; z < 79; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx - 1; x++) {
					final int i = (z * ny + y) * nx + x;
					final double e = scan[i] - ideal[i];
					s += e;
					s2 += e * e;
					lag += e * (scan[i + 1] - ideal[i + 1]);
					lagZ += e * (scan[i + nx * ny] - ideal[i + nx * ny]);
					n++;
				}
		final double sd = Math.sqrt(s2 / n - (s / n) * (s / n));
		assertEquals(2000, sd, 100, "noise SD");
		// neighbours within a slice are correlated (reconstruction grain), across slices they are not
		assertTrue(lag / s2 > 0.3, "in-plane correlation " + lag / s2);
		assertTrue(Math.abs(lagZ / s2) < 0.05, "between-slice correlation " + lagZ / s2);
	}

	@Test
	void ringsAreConcentricAndTheSameInEverySlice() throws Exception {
		final PhantomParameters p = PhantomTestSupport.tiny().mice(1).weeks(2).voxelUm(60).build();
		final float[] plain = values(read(make("plain", p).resolve("M001/week1.tif")));
		final float[] rings = values(read(make("rings", p.toBuilder().rings(true).build()).resolve("M001/week1.tif")));
		final int nx = p.scanWidth(), np = nx * nx;
		double energy = 0;
		for (int i = 0; i < np; i++) {
			final float d0 = rings[i] - plain[i];
			energy += d0 * d0;
			for (int z = 1; z < p.scanDepth(); z++) {
				final int j = z * np + i;
				final float dz = rings[j] - plain[j];
				// the same artefact through the stack (up to rounding and clamping at 0 / 65535)
				assertEquals(d0, dz, 1.01f, "ring differs between slices at pixel " + i + ", slice " + z);
			}
		}
		assertTrue(Math.sqrt(energy / np) > 50, "rings too faint: RMS " + Math.sqrt(energy / np));
		// concentric about a point near the centre: the difference is a function of the radius
		double across = 0;
		int pairs = 0;
		final double c = (nx - 1) / 2.0;
		for (int y = 0; y < nx; y++)
			for (int x = 0; x < nx; x++) {
				final int xm = (int) Math.round(2 * c - x), ym = (int) Math.round(2 * c - y); // point mirrored through the centre
				if (xm < 0 || ym < 0 || xm >= nx || ym >= nx) continue;
				across += Math.abs((rings[y * nx + x] - plain[y * nx + x]) - (rings[ym * nx + xm] - plain[ym * nx + xm]));
				pairs++;
			}
		assertTrue(across / pairs < 0.6 * Math.sqrt(energy / np), "not symmetric about the centre: " + across / pairs);
	}

	@Test
	void loadingSlowsTheSameMouseLesions() {
		final PhantomParameters tumour = PhantomTestSupport.tiny().mice(1).tumourFraction(1).build();
		final MouseModel a = MouseModel.cohort(tumour).get(0);
		final MouseModel b = MouseModel.cohort(tumour.toBuilder().loadedFraction(1).build()).get(0);
		assertEquals(MouseModel.Group.TUMOUR, a.group());
		assertEquals(MouseModel.Group.LOADED, b.group());
		assertEquals(a.foci().size(), b.foci().size());
		for (int f = 0; f < a.foci().size(); f++)
			for (int week = 2; week <= 4; week++) {
				final double ra = a.foci().get(f).radiusUm(week), rb = b.foci().get(f).radiusUm(week);
				if (ra > 0) assertTrue(rb < ra, "loaded lesion not smaller: " + rb + " vs " + ra + " in week " + week);
			}
	}
}
