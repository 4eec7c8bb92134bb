package org.osteocast.voi;

import org.osteocast.core.Otsu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.Volume;

/**
 * The per-mouse facade of the VOI cut: finds the VOI in week 1
 * ({@link #geometry}), cuts the same VOI from every week ({@link #extractRaw}),
 * and normalises ({@link #extract}). The Fiji command "Extract VOI Slices" and
 * {@link CohortSlicer} both call it.
 * <p>
 * Crop policy when the square leaves the image: if the side fits in the image
 * the centre is moved inwards (clamped) and a warning says by how much; if the
 * side itself is larger than the image, it is an error naming the mouse and the
 * overflow. Padding was rejected: invented pixels would look like bone loss to
 * the model.
 */
public final class SliceExtractor {

	private SliceExtractor() {}

	/** One mouse's result: normalised slice sequences, their geometry, the window and warnings. */
	public static final class Extraction {
		public final Hyperstack slices;
		public final VoiGeometry geometry;
		public final IntensityWindow window;
		public final List<String> warnings;

		Extraction(final Hyperstack slices, final VoiGeometry geometry, final IntensityWindow window,
			final List<String> warnings)
		{
			this.slices = slices;
			this.geometry = geometry;
			this.window = window;
			this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
		}
	}

	/**
	 * Cuts, resamples and normalises all weeks of one mouse (all on week 1's
	 * grid, week 1 first). With {@code window == null} the window is taken from
	 * this mouse's own percentiles (what a single open hyperstack in Fiji needs).
	 */
	public static Extraction extract(final List<? extends Volume<?>> weeks, final SliceOptions options,
		final IntensityWindow window, final String mouse)
	{
		options.validate();
		if (weeks.isEmpty()) throw new IllegalArgumentException(mouse + ": no weeks given");
		final List<String> warnings = new ArrayList<>();
		final VoiFrame frame = VoiFrame.find(weeks.get(0), options, mouse, warnings);
		VoiGeometry g = geometry(frame.analysis(weeks.get(0)), options, mouse, warnings, frame.isIdentity() ? null
			: frame.threshold());
		if (!frame.isIdentity()) g = g.withFrame(frame.toMap());
		final List<Volume<?>> framed = new ArrayList<>();
		for (final Volume<?> v : weeks) {
			if (!Arrays.equals(frame.sourceDims(), v.dimensions())) throw new IllegalArgumentException(String.format(
				Locale.ROOT, "%s: frame %d is %s but week 1 is %s voxels; register all weeks onto week 1's grid first",
				mouse, framed.size() + 1, Arrays.toString(v.dimensions()), Arrays.toString(frame.sourceDims())));
			framed.add(frame.apply(v));
		}
		final Hyperstack raw = extractRaw(framed, g, mouse);
		final IntensityWindow w = window != null ? window : IntensityWindow.fromPercentiles(List.of(raw),
			options.percentileLo, options.percentileHi);
		w.normaliseInPlace(raw);
		return new Extraction(raw, g, w, warnings);
	}

	/**
	 * The same for one registered 32-bit hyperstack (frames = weeks, slices =
	 * the scan's z), e.g. the image open in Fiji: each frame is a week on
	 * frame 1's grid. The mouse is named after the hyperstack.
	 */
	public static Extraction extract(final Hyperstack registered, final SliceOptions options,
		final IntensityWindow window)
	{
		final List<Volume<FloatType>> weeks = new ArrayList<>();
		for (int t = 0; t < registered.frames(); t++)
			weeks.add(registered.frame(t));
		return extract(weeks, options, window, registered.name().isEmpty() ? "image" : registered.name());
	}

	/**
	 * Finds the VOI in week 1: growth plate or tibia–fibula junction
	 * ({@code options.anchor}; unless {@code options.voiStart} is given), offset,
	 * bounds check, and the crop square. Week 1 is used as it is: a scan with
	 * several bones or a tilted tibia is first prepared by {@link VoiFrame}
	 * (as {@link #extract} and {@link CohortSlicer} do).
	 *
	 * @param warnings receives warnings (axis deviation, clamped crop)
	 * @throws IllegalArgumentException for a VOI past the end of the scan, a crop larger than the image,
	 *           or no detectable plate; the message names the mouse and what to change
	 */
	public static VoiGeometry geometry(final Volume<?> week1, final SliceOptions o, final String mouse,
		final List<String> warnings)
	{
		return geometry(week1, o, mouse, warnings, null);
	}

	/**
	 * As {@link #geometry(Volume, SliceOptions, String, List)} on week 1 as
	 * prepared by {@link VoiFrame#analysis}, with the bone threshold of the
	 * whole scan ({@link VoiFrame#threshold()}; null = the volume's own).
	 */
	public static VoiGeometry geometry(final Volume<?> week1, final SliceOptions o, final String mouse,
		final List<String> warnings, final Double boneThreshold)
	{
		final double[] vox = week1.voxelSizeUm();
		final int d = Math.toIntExact(week1.depth());
		final VolumePlanes vp = new VolumePlanes(week1);
		final GrowthPlateDetector.Options det = o.detection.copy();
		det.proximal = o.proximal;
		if (boneThreshold != null) det.threshold = boneThreshold;
		GrowthPlateDetector.Result plate = null;
		TfJunctionDetector.Result junction = null;
		final double threshold;
		final int dir;
		final double start;
		final boolean atJunction = o.anchor == SliceOptions.Anchor.TF_JUNCTION;
		if (atJunction && (o.voiStart == null || o.proximal == GrowthPlateDetector.Proximal.AUTO)) {
			final TfJunctionDetector.Options jo = new TfJunctionDetector.Options();
			jo.proximal = o.proximal;
			jo.threshold = boneThreshold;
			try {
				junction = TfJunctionDetector.detect(week1.withName(mouse), jo);
			}
			catch (final IllegalArgumentException e) {
				if (o.voiStart == null) throw e;
				throw new IllegalArgumentException(e.getMessage() +
					"; with --voi-start also give --proximal top|bottom so the direction is known", e);
			}
			for (final String x : junction.warnings)
				warnings.add(mouse + ": " + x);
			threshold = junction.threshold;
			dir = junction.direction;
		}
		else if (o.voiStart == null || o.proximal == GrowthPlateDetector.Proximal.AUTO) {
			try {
				plate = GrowthPlateDetector.detect(week1.withName(mouse), det);
			}
			catch (final IllegalArgumentException e) {
				final String fov = FieldOfView.missingKnee(week1, mouse, det.threshold);
				final String msg = fov != null ? fov : e.getMessage();
				if (o.voiStart == null) throw new IllegalArgumentException(msg, e);
				throw new IllegalArgumentException(msg +
					"; with --voi-start also give --proximal top|bottom so the direction is known", e);
			}
			// a shaft cut at both ends has shallow dips only: name the missing knee end instead of a wrong plate
			if (plate.depth < FieldOfView.SHALLOW_PLATE) {
				final String fov = FieldOfView.missingKnee(week1, mouse, plate.threshold);
				if (fov != null) throw new IllegalArgumentException(fov);
			}
			warnings.addAll(plate.warnings);
			threshold = plate.threshold;
			dir = plate.direction;
		}
		else {
			double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
			for (int z = 0; z < d; z++)
				for (final float v : vp.read(z)) {
					lo = Math.min(lo, v);
					hi = Math.max(hi, v);
				}
			threshold = boneThreshold != null ? boneThreshold : GrowthPlateDetector.fullThreshold(vp, lo, hi);
			dir = o.proximal == GrowthPlateDetector.Proximal.TOP ? 1 : -1;
		}
		final double offset = o.offsetMm * 1000 / vox[2];
		if (o.voiStart != null) {
			if (o.voiStart >= d) throw new IllegalArgumentException(mouse + ": --voi-start " + o.voiStart +
				" is past the last slice (" + (d - 1) + ")");
			start = o.voiStart - 0.5 * dir + dir * offset;
		}
		else if (junction != null) start = junction.junctionSlice - 0.5 * dir + dir * offset; // the junction slice is the VOI's first
		else start = plate.metaphysealEdge + dir * offset;
		final double thicknessUm = o.voiSlices != null ? o.voiSlices * vox[2] : o.voiMm * 1000;
		final double length = thicknessUm / vox[2];
		final double end = start + dir * length;
		final double lowEdge = -0.5, highEdge = d - 0.5, tol = 1e-6;
		final double past = dir > 0 ? Math.max(end - highEdge, lowEdge - start) : Math.max(lowEdge - end, start - highEdge);
		if (past > tol) {
			final double avail = dir > 0 ? highEdge - Math.max(start, lowEdge) : Math.min(start, highEdge) - lowEdge;
			final String shorter = o.voiSlices != null ? String.format(Locale.ROOT, "--voi-slices %d or less", Math.max(0,
				(int) Math.floor(avail + tol))) : String.format(Locale.ROOT, "--voi-mm %.3f or less", Math.max(0, avail *
					vox[2] / 1000 - 0.0005));
			throw new IllegalArgumentException(String.format(Locale.ROOT,
				"%s: the VOI (%.3f mm = %.1f slices of %.3g um from slice %.1f towards %s z) runs %d slices past the end " +
					"of the scan (%d slices): the field of view misses the %s part of the VOI; use %s, move it with " +
					"--offset-mm / --voi-start, or check --proximal",
				mouse, thicknessUm / 1000, length, vox[2], start + 0.5 * dir, dir > 0 ? "increasing" : "decreasing", (int) Math
					.ceil(past - tol), d, (dir > 0 ? end - highEdge : lowEdge - end) > tol ? "distal" : "proximal", shorter));
		}
		// crop: bone of week 1 over the VOI slices, largest in-plane component of its projection
		final int w = vp.width(), h = vp.height();
		// slices whose centres lie inside the VOI (symmetric under flipping the stack)
		final int z0 = (int) Math.max(0, Math.ceil(Math.min(start, end))), z1 = (int) Math.min(d - 1, Math.floor(Math
			.max(start, end)));
		final int[] hits = new int[w * h];
		for (int z = z0; z <= z1; z++) {
			final float[] p = vp.read(z);
			for (int i = 0; i < p.length; i++)
				if (p[i] > threshold) hits[i]++;
		}
		final boolean[] proj = new boolean[w * h];
		for (int i = 0; i < proj.length; i++)
			proj[i] = hits[i] > 0;
		final boolean[] bone = Masks.largestComponent(proj, w, h);
		double n = 0, sx = 0, sy = 0;
		int minX = w, maxX = -1, minY = h, maxY = -1;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final int i = y * w + x;
				if (!bone[i]) continue;
				n += hits[i];
				sx += (double) hits[i] * x;
				sy += (double) hits[i] * y;
				minX = Math.min(minX, x);
				maxX = Math.max(maxX, x);
				minY = Math.min(minY, y);
				maxY = Math.max(maxY, y);
			}
		if (n == 0) throw new IllegalArgumentException(mouse + ": no bone (above the Otsu threshold " +
			GrowthPlateDetector.fmt(threshold) + ") inside the VOI slices " + z0 + "-" + z1 + " of week 1");
		final String cut = FieldOfView.cutInPlane(bone, w, h, mouse, z0, z1);
		if (cut != null) throw new IllegalArgumentException(cut);
		double cx = sx / n, cy = sy / n;
		final double side;
		if (o.cropMm != null) side = o.cropMm * 1000;
		else {
			// bounding square of the bone centred on its centroid, so no bone is cut off
			final double ex = Math.max(cx - (minX - 0.5), maxX + 0.5 - cx) * vox[0];
			final double ey = Math.max(cy - (minY - 0.5), maxY + 0.5 - cy) * vox[1];
			side = 2 * Math.max(ex, ey) * (1 + o.cropMargin);
		}
		final double sideX = side / vox[0], sideY = side / vox[1];
		if (sideX > w + tol || sideY > h + tol) throw new IllegalArgumentException(String.format(Locale.ROOT,
			"%s: the crop square (%.1f um = %.1f x %.1f pixels) is larger than the image (%d x %d pixels) by %.1f pixels; " +
				"give a smaller --crop-mm (at most %.3f)",
			mouse, side, sideX, sideY, w, h, Math.max(sideX - w, sideY - h), Math.min(w * vox[0], h * vox[1]) / 1000));
		final double ncx = clampCentre(cx, sideX, w), ncy = clampCentre(cy, sideY, h);
		if (Math.abs(ncx - cx) > tol || Math.abs(ncy - cy) > tol) warnings.add(String.format(Locale.ROOT,
			"%s: the crop square left the image; its centre was moved by (%.1f, %.1f) pixels to stay inside", mouse, ncx -
				cx, ncy - cy));
		cx = ncx;
		cy = ncy;
		return new VoiGeometry(week1.dimensions(), vox, week1.originUm(), dir, start, thicknessUm, o.slices,
			new double[] { cx, cy }, side, o.size, o.voiStart != null ? "manual" : junction != null ? "tf junction"
				: "growth plate", plate == null ? null : plate.plateSlice, threshold, plate == null ? Double.NaN
					: plate.axisDeviationDeg, junction == null ? null : junction.junctionSlice, null);
	}

	private static double clampCentre(final double c, final double side, final int n) {
		final double lo = -0.5 + side / 2, hi = n - 0.5 - side / 2;
		return Math.max(lo, Math.min(hi, c));
	}

	/**
	 * Cuts the VOI of {@code g} from every week (grey values, not normalised):
	 * frames = weeks in list order. Every week must be on week 1's grid.
	 */
	public static Hyperstack extractRaw(final List<? extends Volume<?>> weeks, final VoiGeometry g, final String mouse) {
		final long[] dims = g.sourceDims();
		for (int t = 0; t < weeks.size(); t++)
			if (!Arrays.equals(dims, weeks.get(t).dimensions())) throw new IllegalArgumentException(String.format(
				Locale.ROOT, "%s: frame %d is %s but week 1 is %s voxels; register all weeks onto week 1's grid first",
				mouse, t + 1, Arrays.toString(weeks.get(t).dimensions()), Arrays.toString(dims)));
		final Hyperstack out = new Hyperstack(g.size(), g.size(), g.slices(), weeks.size(), g.outputVoxelUm(), mouse);
		for (int t = 0; t < weeks.size(); t++)
			extractFrame(weeks.get(t), g, out, t);
		return out;
	}

	/** Cuts the VOI from one week into frame {@code t} of {@code out}. */
	public static void extractFrame(final Volume<?> week, final VoiGeometry g, final Hyperstack out, final int t) {
		final Resampling.Kernel kx = g.kernelX(), ky = g.kernelY(), kz = g.kernelZ();
		final VolumePlanes vp = new VolumePlanes(week);
		final int d = vp.depth();
		final boolean[] needed = new boolean[d];
		for (int k = 0; k < kz.length(); k++)
			for (final int z : kz.indices(k))
				needed[z] = true;
		final int[] list = java.util.stream.IntStream.range(0, d).filter(z -> needed[z]).toArray();
		final float[][] small = new float[d][];
		Loops.forEach(list.length, i -> {
			final int z = list[i];
			small[z] = Resampling.resample2D(vp.read(z), vp.width(), vp.height(), kx, ky);
		});
		for (int k = 0; k < kz.length(); k++) {
			final float[] dst = out.plane(k, t);
			Arrays.fill(dst, 0);
			final int[] iz = kz.indices(k);
			final float[] wz = kz.weights(k);
			for (int j = 0; j < iz.length; j++) {
				final float[] src = small[iz[j]];
				for (int i = 0; i < dst.length; i++)
					dst[i] += wz[j] * src[i];
			}
		}
	}
}
