package org.osteocast.phantom;

import java.util.HashMap;
import java.util.Map;

/**
 * One week's canonical fields rendered plane by plane, for scans too large to
 * hold them whole: the planes a scan plane needs are rendered when it is
 * sampled, in increasing canonical z, and dropped once the scan's planes have
 * moved past them, so memory is bounded by a window of planes (the canonical
 * depth one scan plane spans, plus the blur's reach) instead of the grid. The
 * values are those of {@link AnatomyRenderer#render} followed by
 * {@link FloatGrid#gaussian(double, int)} and {@link FloatGrid#sample} /
 * {@link FloatGrid#sampleInside} (the same arithmetic, plane by plane).
 * <p>
 * The bone volume and whether there is a lesion ({@link #measure}) need every
 * plane: the remaining ones are rendered then.
 */
final class CanonicalPlanes {

	private final AnatomyRenderer r;
	private final int week, threads;
	private final double[][] canonToMeasured;
	private final int[] size;
	/** The PSF kernel (null: no blur). */
	private final float[] kernel;
	private final int reach;
	final int cx, cy, cz;
	private AnatomyRenderer.Week k;
	/** Planes [0, rendered) are rendered; below {@code low} they may have been dropped. */
	private int rendered, low;
	private final Map<Integer, float[]> plates = new HashMap<>(), perforation = new HashMap<>(), greyXY =
		new HashMap<>(), lesion = new HashMap<>(), blurred = new HashMap<>();
	/** Times rendering started over (a plane below the window was asked for). */
	int restarts;

	/**
	 * @param r a streamed renderer
	 * @param psfSigmaVox the grey field's blur (≤ 0.05: none)
	 * @param canonToMeasured, size as for {@link AnatomyRenderer#render}
	 */
	CanonicalPlanes(final AnatomyRenderer r, final int week, final double[][] canonToMeasured, final int[] size,
		final double psfSigmaVox, final int threads)
	{
		this.r = r;
		this.week = week;
		this.canonToMeasured = canonToMeasured;
		this.size = size.clone();
		this.threads = Math.max(1, threads);
		kernel = psfSigmaVox > 0.05 ? FloatGrid.kernel(psfSigmaVox) : null;
		reach = kernel == null ? 0 : kernel.length / 2;
		cx = r.cx;
		cy = r.cy;
		cz = r.cz;
		start();
	}

	private void start() {
		k = r.new Week(week, canonToMeasured, size);
		rendered = 0;
		low = 0;
		plates.clear();
		perforation.clear();
		greyXY.clear();
		lesion.clear();
		blurred.clear();
	}

	/** Planes rendered in one parallel batch. */
	private int batch() {
		return 4 * threads;
	}

	/** Renders planes up to {@code z} (inclusive), in batches, on the renderer's planes of noise. */
	private void renderTo(final int z) {
		final int np = cx * cy;
		while (rendered <= Math.min(z, cz - 1)) {
			final int a = rendered, b = Math.min(cz, Math.max(z + 1, a + batch()));
			for (int i = Math.max(0, a - 1); i <= Math.min(cz - 1, b); i++)
				if (!plates.containsKey(i)) plates.put(i, r.platesPlane(i));
			for (int i = a; i < b; i++)
				perforation.put(i, r.perforationPlane(i));
			final float[][] g = new float[b - a][], l = new float[b - a][];
			Slices.run(b - a, threads, j -> {
				final int iz = a + j;
				final float[] ext = new float[np];
				r.exteriorPlane(iz, ext, 0);
				g[j] = new float[np];
				l[j] = new float[np];
				k.plane(iz, plates.get(iz - 1), 0, plates.get(iz), 0, plates.get(iz + 1), 0, perforation.get(iz), 0, ext, 0,
					g[j], l[j], 0);
				if (kernel != null) FloatGrid.blurPlaneXY(g[j], 0, cx, cy, kernel);
			});
			for (int j = 0; j < b - a; j++) {
				greyXY.put(a + j, g[j]);
				lesion.put(a + j, l[j]);
			}
			rendered = b;
			// the noise planes below the next batch are no longer needed
			for (int i = a - 1; i < b - 1; i++)
				plates.remove(i);
			for (int i = a; i < b; i++)
				perforation.remove(i);
		}
	}

	/** Makes planes [lo, hi] of both fields available, dropping those the scan has passed (below lo). */
	private void window(final int lo, final int hi) {
		final int need = Math.max(0, lo - reach);
		if (need < low) {
			// a plane already dropped: render from the start once more
			restarts++;
			start();
		}
		renderTo(Math.min(cz - 1, hi + reach));
		for (int i = low; i < need; i++) {
			greyXY.remove(i);
			lesion.remove(i);
			blurred.remove(i);
		}
		low = Math.max(low, need);
	}

	/** The blurred grey plane z (after {@link #window}). */
	private float[] grey(final int z) {
		if (kernel == null) return greyXY.get(z);
		float[] out = blurred.get(z);
		if (out != null) return out;
		// the z pass of FloatGrid.gaussian: taps in order, borders clamped
		out = new float[cx * cy];
		for (int j = -reach; j <= reach; j++) {
			final float w = kernel[j + reach];
			final float[] s = greyXY.get(Math.min(cz - 1, Math.max(0, z + j)));
			for (int i = 0; i < out.length; i++)
				out[i] += w * s[i];
		}
		blurred.put(z, out);
		return out;
	}

	/** Renders the planes not yet rendered and sets the renderer's bone volume and lesion flag from all of them. */
	void measure() {
		while (rendered < cz)
			window(rendered, rendered);
		k.measure();
	}

	/** Whether every voxel of an nx × ny × nz scan maps strictly inside the canonical grid through c. */
	boolean inside(final double[][] c, final int nx, final int ny, final int nz) {
		boolean in = true;
		for (int q = 0; q < 8; q++) {
			final double[] p = Rigid.apply(c, (q & 1) == 0 ? 0 : nx - 1, (q & 2) == 0 ? 0 : ny - 1, (q & 4) == 0 ? 0 : nz -
				1);
			in &= p[0] >= 0 && p[1] >= 0 && p[2] >= 0 && p[0] < cx - 1 && p[1] < cy - 1 && p[2] < cz - 1;
		}
		return in;
	}

	/**
	 * Plane z of an nx × ny scan sampled through scan→canonical matrix c from
	 * the blurred grey field ({@code greyField}) or the lesion field, into
	 * {@code out} from {@code at}: {@link PhantomGenerator#samplePlane} on the
	 * planes of the window.
	 */
	void samplePlane(final boolean greyField, final double[][] c, final int nx, final int ny, final int z,
		final boolean inside, final float[] out, final int at)
	{
		double zmin = Double.POSITIVE_INFINITY, zmax = Double.NEGATIVE_INFINITY;
		for (int q = 0; q < 4; q++) {
			final double x = (q & 1) == 0 ? 0 : nx - 1, y = (q & 2) == 0 ? 0 : ny - 1;
			final double pz = c[2][0] * x + c[2][1] * y + c[2][2] * z + c[2][3];
			zmin = Math.min(zmin, pz);
			zmax = Math.max(zmax, pz);
		}
		final int lo = (int) Math.max(0, Math.min(cz - 2, Math.floor(zmin) - 1));
		final int hi = (int) Math.min(cz - 1, Math.max(lo + 1, Math.floor(zmax) + 2));
		window(lo, hi);
		final float[][] planes = new float[cz][];
		for (int i = lo; i <= hi; i++)
			planes[i] = greyField ? grey(i) : lesion.get(i);
		int i = at;
		for (int y = 0; y < ny; y++) {
			double px = c[0][1] * y + c[0][2] * z + c[0][3], py = c[1][1] * y + c[1][2] * z + c[1][3], pz = c[2][1] * y +
				c[2][2] * z + c[2][3];
			for (int x = 0; x < nx; x++) {
				out[i++] = inside ? sampleInside(planes, px, py, pz) : sample(planes, px, py, pz);
				px += c[0][0];
				py += c[1][0];
				pz += c[2][0];
			}
		}
	}

	/** {@link FloatGrid#sampleInside} on planes. */
	private float sampleInside(final float[][] planes, final double x, final double y, final double z) {
		final int x0 = (int) x, y0 = (int) y, z0 = (int) z;
		final float fx = (float) (x - x0), fy = (float) (y - y0), fz = (float) (z - z0);
		final int sy = cx;
		final int i = y0 * cx + x0;
		final float[] d = planes[z0], e = planes[z0 + 1];
		final float c00 = d[i] + fx * (d[i + 1] - d[i]);
		final float c10 = d[i + sy] + fx * (d[i + sy + 1] - d[i + sy]);
		final float c01 = e[i] + fx * (e[i + 1] - e[i]);
		final float c11 = e[i + sy] + fx * (e[i + sy + 1] - e[i + sy]);
		final float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
		return c0 + fz * (c1 - c0);
	}

	/** {@link FloatGrid#sample} on planes (positions outside clamped to the border). */
	private float sample(final float[][] planes, double x, double y, double z) {
		final int nx = cx, ny = cy, nz = cz;
		x = x < 0 ? 0 : x > nx - 1 ? nx - 1 : x;
		y = y < 0 ? 0 : y > ny - 1 ? ny - 1 : y;
		z = z < 0 ? 0 : z > nz - 1 ? nz - 1 : z;
		int x0 = (int) x, y0 = (int) y, z0 = (int) z;
		if (x0 == nx - 1 && nx > 1) x0--;
		if (y0 == ny - 1 && ny > 1) y0--;
		if (z0 == nz - 1 && nz > 1) z0--;
		final double fx = x - x0, fy = y - y0, fz = z - z0;
		final int dx = nx > 1 ? 1 : 0, dy = ny > 1 ? nx : 0;
		final int i = y0 * nx + x0;
		final float[] d = planes[z0], e = planes[nz > 1 ? z0 + 1 : z0];
		final double c00 = d[i] + fx * (d[i + dx] - d[i]);
		final double c10 = d[i + dy] + fx * (d[i + dy + dx] - d[i + dy]);
		final double c01 = e[i] + fx * (e[i + dx] - e[i]);
		final double c11 = e[i + dy] + fx * (e[i + dy + dx] - e[i + dy]);
		final double c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
		return (float) (c0 + fz * (c1 - c0));
	}

	/**
	 * Heap bytes of the window for scans of nx × ny sampled through c (the
	 * deepest canonical span of one scan plane, the blur's reach and a batch),
	 * with the renderer's column tables and noise planes: the estimate of a
	 * streamed mouse.
	 */
	static long bytes(final int cx, final int cy, final double[][] c, final int nx, final int ny, final double psf,
		final int threads)
	{
		final double span = Math.abs(c[2][0]) * (nx - 1) + Math.abs(c[2][1]) * (ny - 1) + 4;
		final int reach = psf > 0.05 ? FloatGrid.kernel(psf).length / 2 : 0;
		final double planes = 3 * (span + 2 * reach) + 2 * (4 * Math.max(1, threads) + 2) + 8 + 4 * threads;
		return (long) (4.0 * cx * cy * planes + 40.0 * cx * cy + 24.0 * nx * ny);
	}
}
