package org.osteocast.voi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.osteocast.io.Volume;

/**
 * Finds the tibia–fibula junction along the scan axis z: the most proximal
 * slice where the fibula's cross-section merges with the tibia's (BoneMet's
 * anchor: its region of interest is the 300 slices below it).
 * <p>
 * Method (thresholds from the scan itself):
 * <ol>
 * <li>Mineralised pixels are those above the scan's bone threshold
 * ({@link org.osteocast.core.Otsu#boneThreshold}, as for the growth plate);
 * planes wider than {@value #DETECTION_PIXELS} pixels are box-binned first.</li>
 * <li>In each slice the tibia is the largest 8-connected component; the
 * fibula is <em>separate</em> in that slice when another component of at least
 * {@link Options#minFibulaAreaUm2} µm² lies outside the tibia (outside its
 * closed, hole-filled outline, and with no tibia further out along the ray from
 * the tibia's centre through it, so that trabeculae inside an open cortex do
 * not count).</li>
 * <li>Going distally, the junction is the first slice after a run of
 * separate slices (the fibula tracked from slice to slice, at least
 * {@link Options#minSeparateUm} µm long) where the fibula is no longer separate <em>and</em> its last
 * separate pixels now belong to the tibia (it merged rather than ended), and
 * it stays merged for {@link Options#confirmUm} µm.</li>
 * <li>Orientation ({@link GrowthPlateDetector.Proximal#AUTO}): from the growth
 * plate ({@link GrowthPlateDetector}); in a scan without one, the fibula is
 * separate on the proximal side of the junction (when it merges at both ends
 * of its separate stretch, the user is asked for {@code --proximal}).</li>
 * </ol>
 * When the fibula is still separate at the distal end of the scan, or no
 * fibula is seen at all, the error names what the field of view misses.
 */
public final class TfJunctionDetector {

	/** Planes are binned in-plane to at most about this many pixels across (the fibula's wall is thin). */
	public static final int DETECTION_PIXELS = 320;

	/** Detection settings (physical sizes in µm). */
	public static final class Options {
		/** Which end is proximal. */
		public GrowthPlateDetector.Proximal proximal = GrowthPlateDetector.Proximal.AUTO;
		/** Smallest cross-section of a separate fibula (µm²). */
		public double minFibulaAreaUm2 = 2000;
		/** The merged state must last this far distally (µm; at least two slices). */
		public double confirmUm = 100;
		/** The fibula must be seen separate, slice after slice, over at least this length before it merges (µm; at least three slices). */
		public double minSeparateUm = 250;
		/** The bone threshold (grey value) to use instead of the scan's own; null = computed. */
		public Double threshold = null;
	}

	/** What the detector found. */
	public static final class Result {
		/** Bone threshold (grey value). */
		public final double threshold;
		/** The junction: the first slice (going distally) where the fibula has merged with the tibia. */
		public final int junctionSlice;
		/** +1 when distal is at increasing z (proximal at the top), −1 otherwise. */
		public final int direction;
		/** How the direction was decided: "given", "fibula" or "growth plate". */
		public final String directionSource;
		/** Slices where the fibula is separate from the tibia. */
		public final int separateSlices;
		/** Warnings (a short stretch after the junction). */
		public final List<String> warnings;

		Result(final double threshold, final int junction, final int direction, final String source,
			final int separate, final List<String> warnings)
		{
			this.threshold = threshold;
			this.junctionSlice = junction;
			this.direction = direction;
			this.directionSource = source;
			this.separateSlices = separate;
			this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
		}
	}

	/** Per-slice state. */
	private static final int NO_BONE = 0, SEPARATE = 1, MERGED = 2;

	private TfJunctionDetector() {}

	/**
	 * Detects the junction in a scan (normally week 1 of a mouse).
	 *
	 * @throws IllegalArgumentException naming the volume and what is missing when
	 *           there is no junction in the field of view
	 */
	public static Result detect(final Volume<?> volume, final Options o) {
		final VolumePlanes vp = new VolumePlanes(volume);
		final int w = vp.width(), h = vp.height(), d = vp.depth();
		final int bin = Math.max(1, (int) Math.ceil(Math.max(w, h) / (double) DETECTION_PIXELS));
		final int bw = (w + bin - 1) / bin, bh = (h + bin - 1) / bin;
		final double[] mins = new double[d], maxs = new double[d];
		final float[][] planes = new float[d][];
		Loops.forEach(d, z -> {
			final float[] p = vp.read(z);
			double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
			for (final float v : p) {
				if (v < lo) lo = v;
				if (v > hi) hi = v;
			}
			mins[z] = lo;
			maxs[z] = hi;
			planes[z] = bin == 1 ? p : GrowthPlateDetector.binPlane(p, w, h, bin, bw, bh);
		});
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (int z = 0; z < d; z++) {
			min = Math.min(min, mins[z]);
			max = Math.max(max, maxs[z]);
		}
		final double t = o.threshold != null ? o.threshold : GrowthPlateDetector.fullThreshold(vp, min, max);
		final double[] vox = { volume.voxelSizeUm(0) * bin, volume.voxelSizeUm(1) * bin, volume.voxelSizeUm(2) };
		final GrowthPlateDetector.Options po = new GrowthPlateDetector.Options();
		po.threshold = o.threshold;
		return detect(planes, bw, bh, vox, t, o, volume.name(), () -> GrowthPlateDetector.detect(volume, po).direction);
	}

	static Result detect(final float[][] planes, final int w, final int h, final double[] vox, final double t,
		final Options o, final String name, final java.util.function.IntSupplier plateDirection)
	{
		final int d = planes.length;
		final int[] state = new int[d];
		final int[][] fibula = new int[d][];
		final int minArea = Math.max(2, (int) Math.ceil(o.minFibulaAreaUm2 / (vox[0] * vox[1])));
		Loops.forEach(d, z -> {
			final boolean[] m = new boolean[w * h];
			boolean any = false;
			for (int i = 0; i < m.length; i++)
				if (planes[z][i] > t) {
					m[i] = true;
					any = true;
				}
			if (!any) {
				state[z] = NO_BONE;
				return;
			}
			fibula[z] = separateFibula(m, w, h, minArea);
			state[z] = fibula[z] != null ? SEPARATE : MERGED;
		});
		int separate = 0;
		for (final int s : state)
			if (s == SEPARATE) separate++;
		if (separate == 0) throw new IllegalArgumentException(name +
			": no tibia-fibula junction: no fibula is seen beside the tibia in any slice (no separate bone " +
			"cross-section next to it), so the field of view holds no part of the fibula above its junction; " +
			"use --anchor growth-plate or give the VOI start by hand (--voi-start N)");
		final int confirm = Math.max(2, (int) Math.ceil(o.confirmUm / vox[2]));
		final int minRun = Math.max(3, (int) Math.ceil(o.minSeparateUm / vox[2]));
		final List<String> warnings = new ArrayList<>();
		final int dir;
		final String source;
		final int junction;
		if (o.proximal != GrowthPlateDetector.Proximal.AUTO) {
			dir = o.proximal == GrowthPlateDetector.Proximal.TOP ? 1 : -1;
			source = "given";
			junction = walk(planes, w, h, t, state, fibula, dir, confirm, minRun, warnings);
			if (junction < 0) throw missing(name, state, dir);
		}
		else {
			// the growth plate knows the orientation best; without one, the fibula is separate on the proximal side
			Integer pd = null;
			try {
				pd = plateDirection.getAsInt();
			}
			catch (final IllegalArgumentException e) {
				// no plate in the scan (e.g. a shaft): decide from the fibula below
			}
			if (pd != null) {
				dir = pd;
				source = "growth plate";
				junction = walk(planes, w, h, t, state, fibula, dir, confirm, minRun, warnings);
				if (junction < 0) throw missing(name, state, dir);
			}
			else {
				final List<String> wDown = new ArrayList<>(), wUp = new ArrayList<>();
				final int down = walk(planes, w, h, t, state, fibula, 1, confirm, minRun, wDown);
				final int up = walk(planes, w, h, t, state, fibula, -1, confirm, minRun, wUp);
				if (down >= 0 && up >= 0) throw new IllegalArgumentException(name + ": the fibula merges with the tibia " +
					"at both ends of its separate stretch (slices " + up + " and " + down + ") and no growth plate tells " +
					"which end is proximal; give --proximal top|bottom");
				if (down < 0 && up < 0) throw missing(name, state, 0);
				dir = down >= 0 ? 1 : -1;
				source = "fibula";
				junction = Math.max(down, up);
				warnings.addAll(down >= 0 ? wDown : wUp);
			}
		}
		return new Result(t, junction, dir, source, separate, warnings);
	}

	/**
	 * The junction going distally in direction {@code dir}, or −1: the first
	 * slice after a tracked run of separate-fibula slices (each overlapping the
	 * one before, at least {@code minRun} long) where the fibula has merged
	 * with the tibia and stays merged for {@code confirm} slices.
	 */
	private static int walk(final float[][] planes, final int w, final int h, final double t, final int[] state,
		final int[][] fibula, final int dir, final int confirm, final int minRun, final List<String> warnings)
	{
		final int d = state.length;
		int run = 0, last = -1;
		for (int k = 0; k < d; k++) {
			final int z = dir > 0 ? k : d - 1 - k;
			if (state[z] == SEPARATE) {
				run = run > 0 && last == z - dir && overlaps(fibula[last], fibula[z], w, h) ? run + 1 : 1;
				last = z;
				continue;
			}
			if (run >= minRun && last == z - dir && state[z] == MERGED && merged(planes[z], w, h, t, fibula[last])) {
				int ok = 1;
				boolean broken = false;
				for (int j = 1; j < confirm; j++) {
					final int zz = z + j * dir;
					if (zz < 0 || zz >= d) break;
					if (state[zz] != MERGED) {
						broken = true;
						break;
					}
					ok++;
				}
				if (!broken) {
					if (ok < confirm) warnings.add(String.format(Locale.ROOT,
						"the scan ends %d slice(s) after the tibia-fibula junction (slice %d); the merge is confirmed over " +
							"fewer than %d slices", ok - 1, z, confirm));
					return z;
				}
			}
			run = 0;
		}
		return -1;
	}

	/** Whether two pixel sets touch (one dilated by a pixel). */
	private static boolean overlaps(final int[] a, final int[] b, final int w, final int h) {
		final boolean[] m = new boolean[w * h];
		for (final int i : a)
			m[i] = true;
		final boolean[] dm = Masks.dilate(m, w, h);
		for (final int i : b)
			if (dm[i]) return true;
		return false;
	}

	/** Whether the fibula pixels of the slice before now belong to the tibia (dilated by a pixel). */
	private static boolean merged(final float[] plane, final int w, final int h, final double t, final int[] fib) {
		final boolean[] m = new boolean[w * h];
		for (int i = 0; i < m.length; i++)
			m[i] = plane[i] > t;
		final boolean[] tibia = Masks.dilate(Masks.largestComponent(m, w, h), w, h);
		int hit = 0;
		for (final int i : fib)
			if (tibia[i]) hit++;
		return hit >= Math.max(1, 0.2 * fib.length);
	}

	/**
	 * The pixels of the largest component that lies outside the tibia (the
	 * largest component), or null when there is none of at least
	 * {@code minArea} pixels.
	 */
	static int[] separateFibula(final boolean[] m, final int w, final int h, final int minArea) {
		final Masks.Labels l = Masks.label(m, w, h);
		final int tib = l.largest();
		if (l.count() < 2) return null;
		final boolean[] tibia = l.mask(tib);
		final boolean[] env = Masks.fillHoles(Masks.close(tibia, w, h), w, h);
		double tx = 0, ty = 0;
		int tn = 0;
		for (int i = 0; i < tibia.length; i++)
			if (env[i]) {
				tx += i % w;
				ty += i / w;
				tn++;
			}
		tx /= tn;
		ty /= tn;
		final double[] cx = new double[l.sizes.length], cy = new double[l.sizes.length];
		final int[] inEnv = new int[l.sizes.length];
		for (int i = 0; i < m.length; i++) {
			final int k = l.labels[i];
			if (k == 0) continue;
			cx[k] += i % w;
			cy[k] += i / w;
			if (env[i]) inEnv[k]++;
		}
		int best = 0;
		for (int k = 1; k < l.sizes.length; k++) {
			if (k == tib || l.sizes[k] < minArea || inEnv[k] * 2 > l.sizes[k]) continue;
			final double x = cx[k] / l.sizes[k], y = cy[k] / l.sizes[k];
			if (tibiaBeyond(tibia, w, h, tx, ty, x, y)) continue;
			if (best == 0 || l.sizes[k] > l.sizes[best]) best = k;
		}
		if (best == 0) return null;
		final int[] px = new int[l.sizes[best]];
		for (int i = 0, j = 0; i < m.length; i++)
			if (l.labels[i] == best) px[j++] = i;
		return px;
	}

	/** Whether the tibia has pixels further out along the ray from (tx, ty) through (x, y). */
	private static boolean tibiaBeyond(final boolean[] tibia, final int w, final int h, final double tx,
		final double ty, final double x, final double y)
	{
		final double dx = x - tx, dy = y - ty, len = Math.hypot(dx, dy);
		if (len == 0) return true;
		final double ux = dx / len, uy = dy / len;
		for (double s = 0.5;; s += 0.5) {
			final int px = (int) Math.round(x + s * ux), py = (int) Math.round(y + s * uy);
			if (px < 0 || py < 0 || px >= w || py >= h) return false;
			if (tibia[py * w + px]) return true;
		}
	}

	/** The error when no junction is found: what the field of view misses. */
	private static IllegalArgumentException missing(final String name, final int[] state, final int dir) {
		final int d = state.length;
		final boolean sepFirst = state[0] == SEPARATE, sepLast = state[d - 1] == SEPARATE;
		final String end;
		if (dir > 0 && sepLast || dir < 0 && sepFirst) end = "the fibula is still separate from the tibia at the " +
			"distal end of the scan (slice " + (dir > 0 ? d - 1 : 0) + "): the junction lies beyond the field of view " +
			"(a partial scan: the distal shaft is missing)";
		else if (dir == 0 && (sepFirst || sepLast)) end = "the fibula is still separate from the tibia at the end of " +
			"the scan (slice " + (sepLast ? d - 1 : 0) + "): the junction lies beyond the field of view (a partial scan: " +
			"the distal shaft is missing)";
		else end = "the fibula is seen beside the tibia but never merges with it (it ends first)";
		return new IllegalArgumentException(name + ": no tibia-fibula junction: " + end +
			"; use --anchor growth-plate or give the VOI start by hand (--voi-start N)");
	}
}
