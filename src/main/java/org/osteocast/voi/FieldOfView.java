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
	 * When no growth plate was found: if bone runs through both end slices of
	 * the scan (a shaft cut at both ends), the knee end is missing; null when
	 * the scan does not look like that (the detector's own message then
	 * stands).
	 */
	static String missingKnee(final Volume<?> v, final String mouse) {
		final VolumePlanes vp = new VolumePlanes(v);
		final int d = vp.depth();
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (int z = 0; z < d; z++)
			for (final float f : vp.read(z)) {
				lo = Math.min(lo, f);
				hi = Math.max(hi, f);
			}
		if (!(hi > lo)) return null;
		final double t = GrowthPlateDetector.fullThreshold(vp, lo, hi);
		final boolean first = bone(vp.read(0), t), last = bone(vp.read(d - 1), t);
		if (!first || !last) return null;
		return String.format(Locale.ROOT,
			"%s: no growth plate in the scan: bone runs through both ends of the field of view (slices 0 and %d) with " +
				"no growth-plate band between them, so the scan misses the knee end of the tibia (epiphysis and growth " +
				"plate); rescan the proximal tibia, use --anchor tf-junction, or give the VOI start by hand (--voi-start N " +
				"with --proximal top|bottom)", mouse, d - 1);
	}

	/** The error when the bone's projection over the VOI slices touches the image border, or null. */
	static String cutInPlane(final int minX, final int maxX, final int minY, final int maxY, final int w, final int h,
		final String mouse, final int z0, final int z1)
	{
		final String edge = minX <= 0 ? "left edge (x = 0)" : maxX >= w - 1 ? "right edge (x = " + (w - 1) + ")"
			: minY <= 0 ? "top edge (y = 0)" : maxY >= h - 1 ? "bottom edge (y = " + (h - 1) + ")" : null;
		if (edge == null) return null;
		return String.format(Locale.ROOT,
			"%s: the tibia touches the %s of the field of view within the VOI slices %d-%d: part of its cross-section " +
				"is outside the scan (a partial field of view); rescan with the whole cross-section in view, or move the " +
				"VOI (--offset-mm, --voi-start)", mouse, edge, z0, z1);
	}

	private static boolean bone(final float[] p, final double t) {
		int n = 0;
		for (final float f : p)
			if (f > t && ++n >= 3) return true;
		return false;
	}
}
