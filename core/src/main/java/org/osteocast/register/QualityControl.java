package org.osteocast.register;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.osteocast.core.Otsu;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;

/**
 * The quality-control picture of a registered pair: three orthogonal slices
 * through the fixed scan's bone centre (xy, xz, yz, side by side), the fixed
 * scan in magenta and the registered scan in green. Where they agree the bone
 * is grey-white; a misregistration shows as magenta and green fringes, a
 * lesion as magenta bone without green.
 */
public final class QualityControl {

	private QualityControl() {}

	/**
	 * The overlay as an RGB image. Both volumes must share the fixed grid
	 * (dimensions); each is windowed to its own 0.5–99.5th percentile. The
	 * out-of-plane views are stretched by the voxel aspect ratio.
	 */
	public static ColorProcessor overlay(final Volume<?> fixed, final Volume<?> registered) {
		// plane access only: a QC picture must not need float copies of two large scans
		final PlaneSource f = PlaneSource.of(fixed), m = PlaneSource.of(registered);
		if (f.nx != m.nx || f.ny != m.ny || f.nz != m.nz) throw new IllegalArgumentException(
			"the registered scan is not on the fixed grid: " + registered + " vs " + fixed);
		final double[] vs = fixed.voxelSizeUm();
		// bone centre on a reduced copy (at most ~2 M voxels)
		int k = 1;
		while ((long) f.nx * f.ny * f.nz / ((long) k * k * k) > 2_000_000L)
			k++;
		final FloatGrid small = f.reduce(k, vs);
		final double[][] mom = RigidRegistration.moments(small, Otsu.classes(small.data)[0]);
		final int cx = mom == null ? f.nx / 2 : clamp((int) Math.round(mom[0][0] / vs[0]), f.nx);
		final int cy = mom == null ? f.ny / 2 : clamp((int) Math.round(mom[0][1] / vs[1]), f.ny);
		final int cz = mom == null ? f.nz / 2 : clamp((int) Math.round(mom[0][2] / vs[2]), f.nz);
		final double[] wf = window(f), wm = window(m);
		// panel sizes in display pixels (voxel aspect via the smallest voxel size)
		final double px = Math.min(vs[0], Math.min(vs[1], vs[2]));
		final int w0 = size(f.nx, vs[0], px), h0 = size(f.ny, vs[1], px), d0 = size(f.nz, vs[2], px);
		final int gap = 4;
		final int width = w0 + gap + w0 + gap + h0, height = Math.max(h0, d0);
		final ColorProcessor cp = new ColorProcessor(width, height);
		// xy at cz
		for (int v = 0; v < h0; v++)
			for (int u = 0; u < w0; u++) {
				final int x = idx(u, w0, f.nx), y = idx(v, h0, f.ny);
				cp.set(u, v, rgb(f, m, x, y, cz, wf, wm));
			}
		// xz at cy and yz at cx (z downwards), row by row together: one pass through the planes
		for (int v = 0; v < d0; v++) {
			final int z = idx(v, d0, f.nz);
			for (int u = 0; u < w0; u++)
				cp.set(w0 + gap + u, v, rgb(f, m, idx(u, w0, f.nx), cy, z, wf, wm));
			for (int u = 0; u < h0; u++)
				cp.set(2 * (w0 + gap) + u, v, rgb(f, m, cx, idx(u, h0, f.ny), z, wf, wm));
		}
		return cp;
	}

	/** Writes {@link #overlay} as a PNG, atomically. */
	public static void writePng(final Volume<?> fixed, final Volume<?> registered, final Path png) throws IOException {
		final ImagePlus imp = new ImagePlus(png.getFileName().toString(), overlay(fixed, registered));
		AtomicFiles.write(png, tmp -> {
			if (!new FileSaver(imp).saveAsPng(tmp.toString())) throw new VolumeIOException(png,
				"ImageJ could not write the PNG");
		});
	}

	private static int size(final int n, final double vs, final double px) {
		return Math.max(1, (int) Math.round(n * vs / px));
	}

	private static int idx(final int u, final int len, final int n) {
		return Math.min(n - 1, (int) ((u + 0.5) * n / len));
	}

	private static int clamp(final int v, final int n) {
		return Math.max(0, Math.min(n - 1, v));
	}

	private static int rgb(final PlaneSource f, final PlaneSource m, final int x, final int y, final int z,
		final double[] wf, final double[] wm)
	{
		final int i = x + f.nx * y;
		final int a = grey(f.get(i, z), wf), b = grey(m.get(i, z), wm);
		return (a << 16) | (b << 8) | a;
	}

	private static int grey(final float v, final double[] w) {
		final double g = (v - w[0]) / (w[1] - w[0]);
		return (int) Math.round(255 * Math.max(0, Math.min(1, g)));
	}

	/** 0.5th and 99.5th percentiles (on a subsample of about 200 000 voxels), widened if equal. */
	static double[] window(final PlaneSource p) {
		final long n = (long) p.nx * p.ny * p.nz;
		final long step = Math.max(1, n / 200_000);
		final float[] s = new float[(int) ((n + step - 1) / step)];
		final int plane = p.nx * p.ny;
		int k = 0;
		for (long i = 0; i < n && k < s.length; i += step)
			s[k++] = p.get((int) (i % plane), (int) (i / plane));
		Arrays.sort(s, 0, k);
		final double lo = s[(int) (0.005 * (k - 1))], hi = s[(int) (0.995 * (k - 1))];
		return hi > lo ? new double[] { lo, hi } : new double[] { lo, lo + 1 };
	}
}
