package org.osteocast.voi;

import java.util.Locale;

import org.osteocast.io.Volume;

/**
 * The messages for a partial field of view: what part of the tibia a scan
 * misses, named so that the user knows what to rescan or which option to
 * change.
 */
final class FieldOfView {

	private FieldOfView() {}

	/**
	 * A growth-plate minimum shallower than this (central mineral fraction) in
	 * a scan whose both end slices hold bone is no plate: a real one lies
	 * between a dense epiphysis and the metaphysis.
	 */
	static final double SHALLOW_PLATE = 0.2;

	/**
	 * When no growth plate (or only a shallow dip) was found: if bone runs
	 * through both end slices of the scan (a shaft cut at both ends), the knee
	 * end is missing; null when the scan does not look like that (the
	 * detector's own message then stands).
	 *
	 * @param threshold the bone threshold, or null to compute the scan's own
	 */
	static String missingKnee(final Volume<?> v, final String mouse, final Double threshold) {
		final VolumePlanes vp = new VolumePlanes(v);
		final int d = vp.depth();
		final double t;
		if (threshold != null) t = threshold;
		else {
			double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
			for (int z = 0; z < d; z++)
				for (final float f : vp.read(z)) {
					lo = Math.min(lo, f);
					hi = Math.max(hi, f);
				}
			if (!(hi > lo)) return null;
			t = GrowthPlateDetector.fullThreshold(vp, lo, hi);
		}
		final float[] p0 = vp.read(0), p1 = vp.read(d - 1);
		final boolean first = bone(p0, t), last = bone(p1, t);
		if (!first || !last) return null;
		// an end slice through the epiphysis is filled with bone in its middle; a shaft's is a ring around marrow:
		// when either end looks like an epiphysis, the knee end is in the scan (a shallow plate is still a plate)
		final int w = (int) v.width(), h = (int) v.height();
		if (centralFraction(p0, w, h, t) >= EPIPHYSIS_FILL || centralFraction(p1, w, h, t) >= EPIPHYSIS_FILL) return null;
		return String.format(Locale.ROOT,
			"%s: no growth plate in the scan: bone runs through both ends of the field of view (slices 0 and %d) with " +
				"no growth-plate band between them, so the scan misses the knee end of the tibia (epiphysis and growth " +
				"plate); rescan the proximal tibia, use --anchor tf-junction, or give the VOI start by hand (--voi-start N " +
				"with --proximal top|bottom)", mouse, d - 1);
	}

	/** An edge counts as cutting the bone when the bone covers at least this fraction of its extent along that edge. */
	static final double CUT_FRACTION = 0.6;

	/**
	 * The error when the image border cuts through the bone's projection over
	 * the VOI slices, or null: some edge carries bone over at least
	 * {@value #CUT_FRACTION} of the bone's extent along that edge (a bone that
	 * only grazes the border, as a wide metaphysis in a tight field of view
	 * does, is not cut).
	 */
	static String cutInPlane(final boolean[] bone, final int w, final int h, final String mouse, final int z0,
		final int z1)
	{
		int minX = w, maxX = -1, minY = h, maxY = -1;
		final int[] edge = new int[4]; // left, right, top, bottom
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				if (!bone[y * w + x]) continue;
				minX = Math.min(minX, x);
				maxX = Math.max(maxX, x);
				minY = Math.min(minY, y);
				maxY = Math.max(maxY, y);
				if (x == 0) edge[0]++;
				if (x == w - 1) edge[1]++;
				if (y == 0) edge[2]++;
				if (y == h - 1) edge[3]++;
			}
		if (maxX < 0) return null;
		final int ey = maxY - minY + 1, ex = maxX - minX + 1;
		final String name = edge[0] >= CUT_FRACTION * ey ? "left edge (x = 0)" : edge[1] >= CUT_FRACTION * ey
			? "right edge (x = " + (w - 1) + ")" : edge[2] >= CUT_FRACTION * ex ? "top edge (y = 0)" : edge[3] >= CUT_FRACTION *
				ex ? "bottom edge (y = " + (h - 1) + ")" : null;
		if (name == null) return null;
		return String.format(Locale.ROOT,
			"%s: the image's %s cuts through the tibia within the VOI slices %d-%d: part of its cross-section is " +
				"outside the scan (a partial field of view); rescan with the whole cross-section in view, or move the VOI " +
				"(--offset-mm, --voi-start)", mouse, name, z0, z1);
	}

	/** Fraction of the middle half (in x and y) of a slice's bone bounding box that is bone at or above which an end slice is an epiphysis. */
	static final double EPIPHYSIS_FILL = 0.5;

	/** The bone fraction of the middle half (in x and y) of the slice's bone bounding box; 0 without bone. */
	static double centralFraction(final float[] p, final int w, final int h, final double t) {
		int minX = w, maxX = -1, minY = h, maxY = -1;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (p[y * w + x] > t) {
					minX = Math.min(minX, x);
					maxX = Math.max(maxX, x);
					minY = Math.min(minY, y);
					maxY = Math.max(maxY, y);
				}
		if (maxX < 0) return 0;
		final int qx = (maxX - minX + 1) / 4, qy = (maxY - minY + 1) / 4;
		int n = 0, in = 0;
		for (int y = minY + qy; y <= maxY - qy; y++)
			for (int x = minX + qx; x <= maxX - qx; x++) {
				n++;
				if (p[y * w + x] > t) in++;
			}
		return n == 0 ? 0 : in / (double) n;
	}

	private static boolean bone(final float[] p, final double t) {
		int n = 0;
		for (final float f : p)
			if (f > t && ++n >= 3) return true;
		return false;
	}
}
