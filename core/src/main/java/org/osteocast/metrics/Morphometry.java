package org.osteocast.metrics;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

import org.osteocast.core.Otsu;
import org.osteocast.io.Volume;

/**
 * Bone morphometry of a micro-CT volume (a scan or a forecast), for when
 * BoneJ is not installed: bone volume fraction, BoneJ-style mean thickness
 * (local thickness, Hildebrand &amp; Rüegsegger 1997, on the exact anisotropic
 * Euclidean distance transform), and cortical thickness and perforation by
 * radial profiles. Bone is {@code value > threshold} (Otsu's when none is
 * given).
 * <p>
 * Tissue volume (TV) is the periosteal envelope, slice by slice: the filled
 * convex hull of the bone, so marrow counts as tissue and a cortical
 * perforation does not let the outside in. Cortical thickness is
 * measured along {@value #RAYS} rays per slice from outside towards the
 * envelope's centroid: the length of the first run of bone met; a ray that
 * meets no bone before the centroid passes through a perforation.
 */
public final class Morphometry {

	/** Rays per slice for cortical thickness. */
	public static final int RAYS = 180;

	private Morphometry() {}

	/** The measurements; lengths in µm, volumes in mm³. */
	public static final class Result {
		public double threshold;
		public double boneVolumeMm3, tissueVolumeMm3, bvTv;
		public double meanThicknessUm, sdThicknessUm, maxThicknessUm;
		public double corticalThicknessUm;
		/** Fraction of rays (over slices with bone) that pass through a cortical gap. */
		public double perforatedRayFraction;
		/** Slices whose cortex has a gap of at least 3 consecutive rays. */
		public int perforatedSlices;
		public int slices;
	}

	/**
	 * Measures a volume.
	 *
	 * @param threshold bone threshold in the volume's grey values; NaN for Otsu's
	 */
	public static <T extends RealType<T>> Result measure(final Volume<T> volume, final double threshold) {
		final int w = (int) volume.width(), h = (int) volume.height(), d = (int) volume.depth();
		final float[][] planes = new float[d][w * h];
		final Cursor<T> c = Views.flatIterable(Views.zeroMin(volume.image())).cursor();
		for (int z = 0; z < d; z++)
			for (int i = 0; i < w * h; i++)
				planes[z][i] = c.next().getRealFloat();
		final double[] vs = volume.voxelSizeUm();
		final Result r = new Result();
		r.threshold = Double.isNaN(threshold) ? Otsu.threshold(planes) : threshold;
		final boolean[][] bone = new boolean[d][w * h];
		long nBone = 0;
		for (int z = 0; z < d; z++)
			for (int i = 0; i < w * h; i++)
				if (bone[z][i] = planes[z][i] > r.threshold) nBone++;
		final double voxelMm3 = vs[0] * vs[1] * vs[2] * 1e-9;
		long nTissue = 0;
		final List<Double> cortical = new ArrayList<>();
		long rays = 0, gapRays = 0;
		for (int z = 0; z < d; z++) {
			final boolean[] env = envelope(bone[z], w, h);
			long n = 0;
			double cx = 0, cy = 0;
			for (int i = 0; i < w * h; i++)
				if (env[i]) {
					n++;
					cx += i % w;
					cy += i / w;
				}
			nTissue += n;
			if (n == 0) continue;
			r.slices++;
			cx /= n;
			cy /= n;
			int run = 0, longestGap = 0;
			for (int a = 0; a < RAYS; a++) {
				final double ang = 2 * Math.PI * a / RAYS, dx = Math.cos(ang), dy = Math.sin(ang);
				final double t = ProfileRay.thickness(bone[z], env, w, h, cx, cy, dx, dy, vs[0], vs[1]);
				rays++;
				if (Double.isNaN(t)) {
					gapRays++;
					run++;
					longestGap = Math.max(longestGap, run);
				}
				else {
					run = 0;
					cortical.add(t);
				}
			}
			if (longestGap >= 3) r.perforatedSlices++;
		}
		r.boneVolumeMm3 = nBone * voxelMm3;
		r.tissueVolumeMm3 = nTissue * voxelMm3;
		r.bvTv = nTissue > 0 ? Math.min(1, nBone / (double) nTissue) : 0;
		r.corticalThicknessUm = cortical.isEmpty() ? 0 : cortical.stream().mapToDouble(Double::doubleValue).average()
			.orElse(0);
		r.perforatedRayFraction = rays > 0 ? gapRays / (double) rays : 0;
		final float[][] lt = LocalThickness.compute(bone, w, h, vs);
		double s = 0, s2 = 0, mx = 0;
		for (int z = 0; z < d; z++)
			for (int i = 0; i < w * h; i++)
				if (bone[z][i]) {
					s += lt[z][i];
					s2 += (double) lt[z][i] * lt[z][i];
					mx = Math.max(mx, lt[z][i]);
				}
		if (nBone > 0) {
			r.meanThicknessUm = s / nBone;
			r.sdThicknessUm = Math.sqrt(Math.max(0, s2 / nBone - r.meanThicknessUm * r.meanThicknessUm));
			r.maxThicknessUm = mx;
		}
		return r;
	}

	/**
	 * The periosteal envelope of one slice: the convex hull of its bone pixels,
	 * filled. A hull (rather than hole filling) keeps a perforated cortex from
	 * letting the outside into the marrow; the proximal tibia's cross-section is
	 * close to convex, so little soft tissue is included.
	 */
	static boolean[] envelope(final boolean[] bone, final int w, final int h) {
		final List<int[]> pts = new ArrayList<>();
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (bone[y * w + x]) pts.add(new int[] { x, y });
		final boolean[] env = new boolean[w * h];
		if (pts.size() < 3) {
			for (final int[] q : pts)
				env[q[1] * w + q[0]] = true;
			return env;
		}
		final List<int[]> hull = hull(pts);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				env[y * w + x] = bone[y * w + x] || inside(hull, x, y);
		return env;
	}

	/** Andrew's monotone chain; counter-clockwise, points sorted by (x, y). */
	private static List<int[]> hull(final List<int[]> pts) {
		pts.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
		final int[][] hl = new int[2 * pts.size()][];
		int k = 0;
		for (final int[] p : pts) {
			while (k >= 2 && cross(hl[k - 2], hl[k - 1], p) <= 0)
				k--;
			hl[k++] = p;
		}
		for (int i = pts.size() - 2, t = k + 1; i >= 0; i--) {
			final int[] p = pts.get(i);
			while (k >= t && cross(hl[k - 2], hl[k - 1], p) <= 0)
				k--;
			hl[k++] = p;
		}
		final List<int[]> out = new ArrayList<>();
		for (int i = 0; i < k - 1; i++)
			out.add(hl[i]);
		return out;
	}

	private static long cross(final int[] o, final int[] a, final int[] b) {
		return (long) (a[0] - o[0]) * (b[1] - o[1]) - (long) (a[1] - o[1]) * (b[0] - o[0]);
	}

	private static boolean inside(final List<int[]> hull, final int x, final int y) {
		final int[] p = { x, y };
		if (hull.size() < 3) return false;
		for (int i = 0; i < hull.size(); i++)
			if (cross(hull.get(i), hull.get((i + 1) % hull.size()), p) < 0) return false;
		return true;
	}

	/** Cortical thickness along one ray. */
	static final class ProfileRay {
		private ProfileRay() {}

		/**
		 * Walks from the image border towards (cx, cy) along −(dx, dy); returns the
		 * length (µm) of the first bone run inside the envelope, or NaN if the ray
		 * reaches the centre without meeting bone.
		 */
		static double thickness(final boolean[] bone, final boolean[] env, final int w, final int h, final double cx,
			final double cy, final double dx, final double dy, final double sx, final double sy)
		{
			final double reach = Math.hypot(w, h);
			final double step = 0.25;
			double inBone = 0;
			boolean started = false;
			for (double s = reach; s > 0; s -= step) {
				final int x = (int) Math.round(cx + s * dx), y = (int) Math.round(cy + s * dy);
				if (x < 0 || y < 0 || x >= w || y >= h) continue;
				final int i = y * w + x;
				if (bone[i] && env[i]) {
					started = true;
					inBone += step;
				}
				else if (started) break;
			}
			return started ? inBone * Math.hypot(dx * sx, dy * sy) : Double.NaN;
		}
	}
}
