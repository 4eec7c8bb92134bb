package org.osteocast.voi;

import org.osteocast.core.Otsu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.osteocast.io.Volume;

/**
 * Finds the growth plate of a tibia along the scan axis z.
 * <p>
 * Method (all thresholds come from the scan itself):
 * <ol>
 * <li>Mineralised voxels are those above Otsu's threshold of the whole scan
({@link Otsu#boneThreshold}: the upper cut of a three-class Otsu when air
around the leg dominates the two-class cut).
 * Planes wider than {@value #DETECTION_PIXELS} pixels are box-binned in-plane
 * first (the profile is a per-slice area ratio, so binning changes it little
 * and keeps memory at a few hundred MB for large scans).</li>
 * <li>The bone's envelope in slice z is the mineralised mask of all slices
 * within ±{@link Options#envelopeUm} µm (so the envelope bridges the plate's
 * low-mineral band), closed by one pixel and hole-filled.</li>
 * <li>The mineral fraction profile f(z) = mineralised area / envelope area is
 * smoothed with a Gaussian of {@link Options#smoothingUm} µm.</li>
 * <li>The plate is the deepest local minimum of the smoothed profile that has
 * bone on both sides: depth = min(highest f before, highest f after) − f(min).
 * Between the epiphysis and the metaphysis the cartilage band is nearly free of
 * mineral, so that minimum is far deeper than the shallow dips of the
 * metaphysis–diaphysis transition.</li>
 * <li>Orientation ({@link Proximal#AUTO}): the epiphysis is the shorter bony
 * segment beyond the band; the metaphysis lies on the other side.</li>
 * <li>The metaphyseal edge of the plate is where the smoothed profile, going
 * from the minimum towards the metaphysis, has risen half-way to the next
 * peak; the VOI starts there.</li>
 * </ol>
 * The long axis of the bone (principal axis of the mineralised voxels, in µm)
 * is compared with z and a warning raised beyond {@link Options#maxAxisDeviationDeg}.
 */
public final class GrowthPlateDetector {

	/** Planes are binned in-plane to at most about this many pixels across for detection. */
	public static final int DETECTION_PIXELS = 160;

	/** Which end of the stack is proximal (the knee). */
	public enum Proximal {
		/** Decide from the data (the epiphysis is the short bony segment beyond the plate). */
		AUTO,
		/** The proximal end is at slice 0: the metaphysis lies at increasing z. */
		TOP,
		/** The proximal end is at the last slice: the metaphysis lies at decreasing z. */
		BOTTOM;

		/** Parses {@code auto|top|bottom} (case-insensitive). */
		public static Proximal parse(final String s) {
			switch (s.trim().toLowerCase(Locale.ROOT)) {
				case "auto":
					return AUTO;
				case "top":
					return TOP;
				case "bottom":
					return BOTTOM;
				default:
					throw new IllegalArgumentException("--proximal must be top, bottom or auto, not '" + s + "'");
			}
		}
	}

	/** Detection settings (physical sizes in µm, so they hold at any voxel size). */
	public static final class Options {
		/** Which end is proximal. */
		public Proximal proximal = Proximal.AUTO;
		/** Sigma of the Gaussian that smooths the mineral-fraction profile (µm). */
		public double smoothingUm = 30;
		/** Half-height of the slab whose union of bone masks forms the envelope (µm); must exceed half the plate thickness. */
		public double envelopeUm = 150;
		/** Warn when the bone's long axis deviates from z by more than this (degrees). */
		public double maxAxisDeviationDeg = 10;
		/**
		 * The bone threshold (grey value) to use instead of the scan's own, e.g.
		 * that of the whole scan when only one bone's box of it is analysed; null
		 * = computed.
		 */
		public Double threshold = null;

		/** A copy. */
		public Options copy() {
			final Options c = new Options();
			c.proximal = proximal;
			c.smoothingUm = smoothingUm;
			c.envelopeUm = envelopeUm;
			c.maxAxisDeviationDeg = maxAxisDeviationDeg;
			c.threshold = threshold;
			return c;
		}
	}

	/** What the detector found. Slice coordinates are in voxel units (slice i centred at i). */
	public static final class Result {
		/** Otsu threshold of the whole scan (grey value). */
		public final double threshold;
		/** Centre of the plate: the profile's minimum (slice index). */
		public final int plateSlice;
		/** The plate's metaphyseal edge, a boundary between slices (continuous slice coordinate). */
		public final double metaphysealEdge;
		/** +1 when the metaphysis lies at increasing z (proximal at the top), −1 otherwise. */
		public final int direction;
		/** Whether the direction was decided from the data. */
		public final boolean directionFromData;
		/** Depth of the chosen minimum (mineral fraction units). */
		public final double depth;
		/** Angle between the bone's principal axis and z (degrees). */
		public final double axisDeviationDeg;
		/** Raw mineral fraction per slice (NaN outside the bone). */
		public final double[] mineralFraction;
		/** The smoothed profile used to find the plate. */
		public final double[] smoothed;
		/** Mean grey value inside the envelope per slice (NaN outside; a diagnostic). */
		public final double[] meanDensity;
		/** Warnings (axis deviation, weak minimum). */
		public final List<String> warnings;

		Result(final double threshold, final int plateSlice, final double edge, final int direction,
			final boolean fromData, final double depth, final double axisDeg, final double[] f, final double[] s,
			final double[] dens, final List<String> warnings)
		{
			this.threshold = threshold;
			this.plateSlice = plateSlice;
			this.metaphysealEdge = edge;
			this.direction = direction;
			this.directionFromData = fromData;
			this.depth = depth;
			this.axisDeviationDeg = axisDeg;
			this.mineralFraction = f;
			this.smoothed = s;
			this.meanDensity = dens;
			this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
		}
	}

	private GrowthPlateDetector() {}

	/**
	 * Detects the growth plate in a scan (normally week 1 of a mouse).
	 *
	 * @throws IllegalArgumentException naming the volume when no plate can be found
	 *           (no bone, or no minimum with bone on both sides)
	 */
	public static Result detect(final Volume<?> volume, final Options options) {
		final VolumePlanes vp = new VolumePlanes(volume);
		final int w = vp.width(), h = vp.height(), d = vp.depth();
		final double vz = volume.voxelSizeUm(2);
		final int bin = Math.max(1, (int) Math.ceil(Math.max(w, h) / (double) DETECTION_PIXELS));
		final int bw = (w + bin - 1) / bin, bh = (h + bin - 1) / bin;
		final float[][] binned = new float[d][];
		final double[] mins = new double[d], maxs = new double[d];
		Loops.forEach(d, z -> {
			final float[] p = vp.read(z);
			double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
			for (final float v : p) {
				if (v < lo) lo = v;
				if (v > hi) hi = v;
			}
			mins[z] = lo;
			maxs[z] = hi;
			binned[z] = bin == 1 ? p : binPlane(p, w, h, bin, bw, bh);
		});
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (int z = 0; z < d; z++) {
			min = Math.min(min, mins[z]);
			max = Math.max(max, maxs[z]);
		}
		final double t = options.threshold != null ? options.threshold : fullThreshold(vp, min, max);
		return detect(binned, bw, bh, new double[] { volume.voxelSizeUm(0) * bin, volume.voxelSizeUm(1) * bin, vz }, t,
			options, volume.name());
	}

	/** Mineral threshold ({@link Otsu#boneThreshold}) of every voxel at full resolution. */
	static double fullThreshold(final VolumePlanes vp, final double min, final double max) {
		final int d = vp.depth();
		final long[][] hists = new long[d][];
		Loops.forEach(d, z -> {
			final long[] hz = new long[Otsu.BINS];
			Otsu.accumulate(vp.read(z), min, max, hz);
			hists[z] = hz;
		});
		final long[] hist = new long[Otsu.BINS];
		for (final long[] hz : hists)
			for (int i = 0; i < hist.length; i++)
				hist[i] += hz[i];
		return Otsu.boneThreshold(hist, min, max);
	}

	static float[] binPlane(final float[] p, final int w, final int h, final int bin, final int bw,
		final int bh)
	{
		final float[] out = new float[bw * bh];
		final int[] count = new int[bw * bh];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final int i = (y / bin) * bw + x / bin;
				out[i] += p[y * w + x];
				count[i]++;
			}
		for (int i = 0; i < out.length; i++)
			out[i] /= count[i];
		return out;
	}

	static Result detect(final float[][] planes, final int w, final int h, final double[] voxelUm,
		final double threshold, final Options o, final String name)
	{
		final int d = planes.length, n = w * h;
		final boolean[][] mask = new boolean[d][n];
		final double[] area = new double[d];
		for (int z = 0; z < d; z++) {
			int a = 0;
			for (int i = 0; i < n; i++)
				if (planes[z][i] > threshold) {
					mask[z][i] = true;
					a++;
				}
			area[z] = a;
		}
		// envelope: union over a slab (sliding counts), closed and hole-filled per slice
		final int half = Math.max(1, (int) Math.round(o.envelopeUm / voxelUm[2]));
		final double[] env = new double[d];
		final double[] dens = new double[d];
		final int[] count = new int[n];
		for (int z = 0; z < Math.min(d, half); z++)
			add(count, mask[z], 1);
		final boolean[] union = new boolean[n];
		final boolean[][] envelopes = new boolean[d][];
		for (int z = 0; z < d; z++) {
			if (z + half < d) add(count, mask[z + half], 1);
			if (z - half - 1 >= 0) add(count, mask[z - half - 1], -1);
			for (int i = 0; i < n; i++)
				union[i] = count[i] > 0;
			envelopes[z] = Masks.fillHoles(Masks.close(union, w, h), w, h);
		}
		final double[] f = new double[d];
		double maxEnv = 0;
		for (int z = 0; z < d; z++) {
			int e = 0;
			double s = 0;
			for (int i = 0; i < n; i++)
				if (envelopes[z][i]) {
					e++;
					s += planes[z][i];
				}
			env[z] = e;
			dens[z] = e > 0 ? s / e : Double.NaN;
			maxEnv = Math.max(maxEnv, e);
		}
		if (maxEnv == 0) throw new IllegalArgumentException(name +
			": no bone found (no voxel above the Otsu threshold " + fmt(threshold) + ")");
		for (int z = 0; z < d; z++) {
			final boolean defined = env[z] >= 0.02 * maxEnv;
			f[z] = defined ? centralFraction(mask[z], envelopes[z], w, h, voxelUm) : Double.NaN;
			if (!defined) dens[z] = Double.NaN;
		}
		final double sigma = Math.max(0.5, o.smoothingUm / voxelUm[2]);
		final double[] s = smooth(f, sigma);
		// the longest run of defined slices is the bone
		int runStart = -1, runEnd = -1;
		for (int z = 0; z < d;) {
			if (Double.isNaN(s[z])) {
				z++;
				continue;
			}
			int e = z;
			while (e + 1 < d && !Double.isNaN(s[e + 1]))
				e++;
			if (e - z > runEnd - runStart) {
				runStart = z;
				runEnd = e;
			}
			z = e + 1;
		}
		int best = -1;
		double bestDepth = 0;
		final double[] prefixMax = new double[d], suffixMax = new double[d];
		for (int z = runStart; z <= runEnd; z++)
			prefixMax[z] = Math.max(z > runStart ? prefixMax[z - 1] : Double.NEGATIVE_INFINITY, s[z]);
		for (int z = runEnd; z >= runStart; z--)
			suffixMax[z] = Math.max(z < runEnd ? suffixMax[z + 1] : Double.NEGATIVE_INFINITY, s[z]);
		final int margin = Math.max(1, (int) Math.ceil(sigma));
		for (int z = runStart + margin; z <= runEnd - margin; z++) {
			if (!(s[z] <= s[z - 1] && s[z] <= s[z + 1])) continue;
			int e = z; // centre of a flat bottom
			while (e + 1 <= runEnd && s[e + 1] == s[z])
				e++;
			final int c = (z + e) / 2;
			final double left = prefixMax[z - 1], right = e + 1 <= runEnd ? suffixMax[e + 1] : Double.NEGATIVE_INFINITY;
			final double depth = Math.min(left, right) - s[c];
			if (depth > bestDepth) {
				bestDepth = depth;
				best = c;
			}
			z = e;
		}
		if (best < 0) throw new IllegalArgumentException(name +
			": no growth plate found (the mineral profile along z has no minimum with bone on both sides); " +
			"give the VOI start by hand (--voi-start N)");
		final List<String> warnings = new ArrayList<>();
		final int dir;
		final boolean fromData = o.proximal == Proximal.AUTO;
		if (o.proximal == Proximal.TOP) dir = 1;
		else if (o.proximal == Proximal.BOTTOM) dir = -1;
		else {
			int bonyBefore = 0, bonyAfter = 0;
			for (int z = runStart; z < best; z++)
				if (area[z] > 0) bonyBefore++;
			for (int z = best + 1; z <= runEnd; z++)
				if (area[z] > 0) bonyAfter++;
			dir = bonyBefore <= bonyAfter ? 1 : -1;
		}
		final double edge = halfRise(s, best, dir, runStart, runEnd);
		final double maxAbove = Math.max(prefixMax[Math.max(runStart, best - 1)], suffixMax[Math.min(runEnd, best +
			1)]);
		if (bestDepth < 0.25 * maxAbove) warnings.add(String.format(Locale.ROOT,
			"%s: weak growth-plate minimum (central mineral fraction %.2f, rising only to %.2f on its weaker side); " +
				"check the VOI start", name, s[best], s[best] + bestDepth));
		final double axis = axisDeviation(mask, w, h, voxelUm);
		if (axis > o.maxAxisDeviationDeg) warnings.add(String.format(Locale.ROOT,
			"%s: the bone's long axis deviates %.1f° from the scan axis z (more than %.0f°); the VOI slices will be oblique",
			name, axis, o.maxAxisDeviationDeg));
		return new Result(threshold, best, edge, dir, fromData, bestDepth, axis, f, s, dens, warnings);
	}

	private static void add(final int[] count, final boolean[] m, final int delta) {
		for (int i = 0; i < count.length; i++)
			if (m[i]) count[i] += delta;
	}

	/**
	 * Mineral fraction of the central part of a slice's envelope: the pixels
	 * within half the envelope's equivalent radius of its centroid. The cortex
	 * stays mineralised around the growth plate (the perichondral ring), and a
	 * tilted, undulating plate spreads over several slices at the periphery; the
	 * centre, where the bone axis crosses the plate, locates it best.
	 */
	static double centralFraction(final boolean[] bone, final boolean[] envelope, final int w, final int h,
		final double[] voxelUm)
	{
		double cx = 0, cy = 0;
		int e = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (envelope[y * w + x]) {
					cx += x;
					cy += y;
					e++;
				}
		if (e == 0) return Double.NaN;
		cx /= e;
		cy /= e;
		final double areaUm2 = e * voxelUm[0] * voxelUm[1];
		final double r = 0.5 * Math.sqrt(areaUm2 / Math.PI);
		int in = 0, mineral = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final int i = y * w + x;
				if (!envelope[i]) continue;
				final double dx = (x - cx) * voxelUm[0], dy = (y - cy) * voxelUm[1];
				if (dx * dx + dy * dy > r * r) continue;
				in++;
				if (bone[i]) mineral++;
			}
		return in == 0 ? Double.NaN : mineral / (double) in;
	}

	/** Boundary coordinate where s, going from the minimum in direction dir, reaches half-way to the next peak. */
	static double halfRise(final double[] s, final int min, final int dir, final int lo, final int hi) {
		int peak = min;
		for (int z = min + dir; z >= lo && z <= hi; z += dir) {
			if (s[z] >= s[peak]) peak = z;
			else if (s[z] < s[peak] - 0.1 * (s[peak] - s[min])) break; // past the first peak
		}
		if (peak == min) return min + 0.5 * dir;
		final double level = s[min] + 0.5 * (s[peak] - s[min]);
		for (int z = min + dir; z != peak + dir; z += dir) {
			if (s[z] >= level) {
				final double a = s[z - dir], b = s[z];
				final double frac = b > a ? (level - a) / (b - a) : 1;
				// samples at z - dir and z are slice centres; the crossing lies between them
				return (z - dir) + dir * frac;
			}
		}
		return peak;
	}

	/** Gaussian smoothing that ignores NaN (normalised convolution); NaN stays NaN. */
	static double[] smooth(final double[] f, final double sigma) {
		final int r = (int) Math.ceil(3 * sigma);
		final double[] k = new double[2 * r + 1];
		for (int i = -r; i <= r; i++)
			k[i + r] = Math.exp(-0.5 * i * i / (sigma * sigma));
		final double[] out = new double[f.length];
		for (int z = 0; z < f.length; z++) {
			if (Double.isNaN(f[z])) {
				out[z] = Double.NaN;
				continue;
			}
			double s = 0, ws = 0;
			for (int i = -r; i <= r; i++) {
				final int j = z + i;
				if (j < 0 || j >= f.length || Double.isNaN(f[j])) continue;
				s += k[i + r] * f[j];
				ws += k[i + r];
			}
			out[z] = s / ws;
		}
		return out;
	}

	/** Angle (degrees) between the principal axis of the mask voxels (in µm) and z. */
	static double axisDeviation(final boolean[][] mask, final int w, final int h, final double[] vox) {
		double n = 0, sx = 0, sy = 0, sz = 0;
		final double[] m = new double[6]; // xx yy zz xy xz yz
		for (int z = 0; z < mask.length; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					if (!mask[z][y * w + x]) continue;
					final double px = x * vox[0], py = y * vox[1], pz = z * vox[2];
					n++;
					sx += px;
					sy += py;
					sz += pz;
					m[0] += px * px;
					m[1] += py * py;
					m[2] += pz * pz;
					m[3] += px * py;
					m[4] += px * pz;
					m[5] += py * pz;
				}
		if (n < 3) return 0;
		final double cx = sx / n, cy = sy / n, cz = sz / n;
		final double[][] c = { { m[0] / n - cx * cx, m[3] / n - cx * cy, m[4] / n - cx * cz }, { m[3] / n - cx * cy,
			m[1] / n - cy * cy, m[5] / n - cy * cz }, { m[4] / n - cx * cz, m[5] / n - cy * cz, m[2] / n - cz * cz } };
		final double[] v = principal(c);
		return Math.toDegrees(Math.acos(Math.min(1, Math.abs(v[2]))));
	}

	/** Eigenvector of the largest eigenvalue of a symmetric positive semi-definite 3x3 matrix (power iteration). */
	static double[] principal(final double[][] c) {
		double[] v = { 0.1, 0.2, 1 };
		for (int it = 0; it < 500; it++) {
			final double[] u = new double[3];
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					u[i] += c[i][j] * v[j];
			final double norm = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
			if (norm == 0) return new double[] { 0, 0, 1 };
			for (int i = 0; i < 3; i++)
				u[i] /= norm;
			final double diff = Math.abs(u[0] - v[0]) + Math.abs(u[1] - v[1]) + Math.abs(u[2] - v[2]);
			v = u;
			if (diff < 1e-12) break;
		}
		return v;
	}

	static String fmt(final double v) {
		return String.format(Locale.ROOT, "%.4g", v);
	}
}
