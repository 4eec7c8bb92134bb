package org.osteocast.voi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.io.Volume;

/**
 * Prepares week 1 of a mouse for the VOI cut when the scan is not a single
 * tibia along the scanner axis:
 * <ul>
 * <li><b>Several bones</b> (both tibiae, or femur and tibia): the bone
 * components of week 1 are found in 3-D (on a copy binned to about 128 voxels
 * across; bone less than {@value #BRIDGE_UM} µm × 2 apart along z counts as
 * connected, so the growth plate's cartilage does not split the tibia); those of at least {@value #SIGNIFICANT} of the largest one's volume
 * are listed, largest first, and the largest <em>tibia-like</em> one (elongated:
 * its principal axis at least {@value #ELONGATION}× its second) is used, with a
 * message; {@link SliceOptions#component} picks another. The VOI is then found
 * on week 1 cropped in-plane to that bone's box (slice numbers stay week 1's)
 * with every voxel outside its hole-filled outline set to the scan's lowest
 * grey value; the slices themselves are cut from the unmodified weeks (cropped
 * in-plane alike).</li>
 * <li><b>A tilted tibia</b>: when the bone's principal axis deviates from z by
 * more than {@link SliceOptions#resliceAboveDeg}, every week is resliced
 * (trilinear, isotropic voxels of the finest voxel size) on a grid whose z axis
 * is the bone's axis, so that the VOI slices are perpendicular to the bone;
 * voxels outside the scan get the lowest grey value.</li>
 * </ul>
 * In the ordinary case (one bone, axis within the limit) the frame is the
 * identity and the weeks are used as they are, without copies; so are they when
 * the VOI start is given by hand ({@link SliceOptions#voiStart}, slices of week
 * 1 as it is) without {@link SliceOptions#component}. All weeks of a mouse must
 * be on week 1's grid (registered).
 */
public final class VoiFrame {

	/** Components smaller than this fraction of the largest are fragments, not bones. */
	public static final double SIGNIFICANT = 0.15;
	/** Bone closer than twice this along z (µm) counts as one component. */
	public static final double BRIDGE_UM = 150;
	/** A component is tibia-like when its principal axis is at least this many times its second. */
	public static final double ELONGATION = 1.3;

	private final long[] sourceDims;
	private final double[] voxelUm, originUm;
	private final float fill;
	private final double threshold;
	/** Binned region of the chosen bone (null: no isolation). */
	private final boolean[] region;
	private final int bxy, bz, bw, bh;
	/** Box of the chosen bone in week 1's voxels (min x, y, z and size), when other bones are cropped away; or null. */
	private final long[] cropMin, cropDims;
	/** Frame voxel → source voxel (null: no reslicing). */
	private final double[][] frameToSource;
	private final long[] frameDims;
	private final double frameVoxelUm;
	private final Map<String, Object> info;

	private VoiFrame(final Volume<?> week1, final float fill, final double threshold, final boolean[] region, final int bxy, final int bz,
		final int bw, final int bh, final long[] cropMin, final long[] cropDims, final double[][] frameToSource,
		final long[] frameDims, final double frameVoxelUm, final Map<String, Object> info)
	{
		this.cropMin = cropMin;
		this.cropDims = cropDims;
		this.sourceDims = week1.dimensions();
		this.voxelUm = week1.voxelSizeUm();
		this.originUm = week1.originUm();
		this.fill = fill;
		this.threshold = threshold;
		this.region = region;
		this.bxy = bxy;
		this.bz = bz;
		this.bw = bw;
		this.bh = bh;
		this.frameToSource = frameToSource;
		this.frameDims = frameDims;
		this.frameVoxelUm = frameVoxelUm;
		this.info = info;
	}

	/** One bone component of the binned mask. */
	private static final class Component {
		int label, count;
		int z0 = Integer.MAX_VALUE, z1 = -1;
		final double[] sum = new double[3];
		final double[] mom = new double[6]; // xx yy zz xy xz yz
		double volumeMm3, elongation;
		double[] centre, axis;
		double[][] cov;

		boolean tibiaLike() {
			return elongation >= ELONGATION;
		}
	}

	/**
	 * Looks at week 1 and decides the frame.
	 *
	 * @param messages receives what was chosen (several bones, reslicing)
	 * @throws IllegalArgumentException naming the mouse when there is no bone or
	 *           {@code o.component} names a component that does not exist
	 */
	public static VoiFrame find(final Volume<?> week1, final SliceOptions o, final String mouse,
		final List<String> messages)
	{
		// a VOI start given by hand refers to week 1's own slices: the scan is used as it is
		if (o.voiStart != null && o.component == null) return new VoiFrame(week1, 0, Double.NaN, null, 1, 1, 1, 1, null,
			null, null, null, 0, null);
		final VolumePlanes vp = new VolumePlanes(week1);
		final int w = vp.width(), h = vp.height(), d = vp.depth();
		final double[] vox = week1.voxelSizeUm();
		final double[] mins = new double[d], maxs = new double[d];
		Loops.forEach(d, z -> {
			double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
			for (final float v : vp.read(z)) {
				if (v < lo) lo = v;
				if (v > hi) hi = v;
			}
			mins[z] = lo;
			maxs[z] = hi;
		});
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (int z = 0; z < d; z++) {
			lo = Math.min(lo, mins[z]);
			hi = Math.max(hi, maxs[z]);
		}
		if (!(hi > lo)) throw new IllegalArgumentException(mouse + ": week 1 is blank (every voxel " +
			GrowthPlateDetector.fmt(lo) + ")");
		final double t = GrowthPlateDetector.fullThreshold(vp, lo, hi);
		final int bxy = Math.max(1, (int) Math.ceil(Math.max(w, h) / 128.0)), bz = Math.max(1, (int) Math.ceil(d /
			256.0));
		final int bw = (w + bxy - 1) / bxy, bh = (h + bxy - 1) / bxy, bd = (d + bz - 1) / bz, bn = bw * bh;
		final boolean[] mask = new boolean[bn * bd];
		Loops.forEach(bd, k -> {
			for (int z = k * bz; z < Math.min(d, (k + 1) * bz); z++) {
				final float[] p = vp.read(z);
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						if (p[y * w + x] > t) mask[k * bn + (y / bxy) * bw + x / bxy] = true;
			}
		});
		// bridge gaps along z of up to 2 x BRIDGE_UM (the growth plate's cartilage splits the tibia's mineral in two)
		final int rz = (int) Math.ceil(BRIDGE_UM / (bz * vox[2]));
		final boolean[] bridged = new boolean[mask.length];
		for (int k = 0; k < bd; k++)
			for (int i = 0; i < bn; i++)
				if (mask[k * bn + i]) for (int dk = -rz; dk <= rz; dk++) {
					final int kk = k + dk;
					if (kk >= 0 && kk < bd) bridged[kk * bn + i] = true;
				}
		final int[] label = new int[mask.length];
		final List<Component> comps = label3d(bridged, mask, label, bw, bh, bd, bxy, bz, vox);
		if (comps.isEmpty()) throw new IllegalArgumentException(mouse + ": no bone in week 1 (no voxel above the " +
			"threshold " + GrowthPlateDetector.fmt(t) + ")");
		comps.sort((a, b) -> Integer.compare(b.count, a.count));
		final int largest = comps.get(0).count;
		final List<Component> bones = new ArrayList<>();
		for (final Component c : comps)
			if (c.count >= SIGNIFICANT * largest) bones.add(c);
		final Map<String, Object> info = new LinkedHashMap<>();
		Component chosen;
		if (o.component != null) {
			if (o.component > bones.size()) throw new IllegalArgumentException(String.format(Locale.ROOT,
				"%s: --component %d: the field of view of week 1 holds %d bone component(s) (%s)", mouse, o.component, bones
					.size(), describe(bones)));
			chosen = bones.get(o.component - 1);
		}
		else {
			chosen = null;
			for (final Component c : bones)
				if (c.tibiaLike()) {
					chosen = c;
					break;
				}
			if (chosen == null) chosen = bones.get(0);
		}
		final int index = bones.indexOf(chosen) + 1;
		boolean[] region = null;
		long[] cropMin = null, cropDims = null;
		if (bones.size() > 1) {
			messages.add(String.format(Locale.ROOT, "%s: %d bone components in the field of view of week 1 (%s); using #%d%s",
				mouse, bones.size(), describe(bones), index, o.component != null ? " (--component)" : chosen.tibiaLike()
					? ", the largest tibia-like one (--component N picks another)"
					: ", the largest (none is tibia-like; --component N picks another)"));
			region = new boolean[mask.length];
			for (int k = 0; k < bd; k++) {
				final boolean[] m = new boolean[bn];
				for (int i = 0; i < bn; i++)
					m[i] = label[k * bn + i] == chosen.label;
				final boolean[] r = Masks.dilate(Masks.fillHoles(Masks.close(m, bw, bh), bw, bh), bw, bh);
				System.arraycopy(r, 0, region, k * bn, bn);
			}
			// the chosen bone's box: the VOI is looked for in it, so the histogram is that of one leg
			int x0 = bw, x1 = -1, y0 = bh, y1 = -1;
			for (int k = 0; k < bd; k++)
				for (int i = 0; i < bn; i++)
					if (region[k * bn + i]) {
						x0 = Math.min(x0, i % bw);
						x1 = Math.max(x1, i % bw);
						y0 = Math.min(y0, i / bw);
						y1 = Math.max(y1, i / bw);
					}
			// with a margin of a quarter of the box in-plane, so that the crop square around the bone fits
			final int mx = Math.max(1, (x1 - x0 + 1) / 4), my = Math.max(1, (y1 - y0 + 1) / 4);
			x0 = Math.max(0, x0 - mx);
			x1 = Math.min(bw - 1, x1 + mx);
			y0 = Math.max(0, y0 - my);
			y1 = Math.min(bh - 1, y1 + my);
			// in-plane only: slice numbers stay week 1's own (other bones along z are blanked, not cut off)
			cropMin = new long[] { (long) x0 * bxy, (long) y0 * bxy, 0 };
			cropDims = new long[] { Math.min(w, (long) (x1 + 1) * bxy) - cropMin[0], Math.min(h, (long) (y1 + 1) * bxy) -
				cropMin[1], d };
			info.put("components", bones.size());
			info.put("component", index);
			info.put("component_volume_mm3", round(chosen.volumeMm3));
			info.put("component_box_min_xyz", cropMin.clone());
			info.put("component_box_size_xyz", cropDims.clone());
		}
		// reslicing along the chosen bone's axis
		final double[] v = chosen.axis.clone();
		if (v[2] < 0) for (int i = 0; i < 3; i++)
			v[i] = -v[i];
		final double angle = Math.toDegrees(Math.acos(Math.min(1, Math.abs(v[2]))));
		double[][] f2s = null;
		long[] fdims = null;
		final double s = Math.min(vox[0], Math.min(vox[1], vox[2]));
		if (angle > o.resliceAboveDeg) {
			final double[] e1 = { 1 - v[0] * v[0], -v[0] * v[1], -v[0] * v[2] };
			normalise(e1);
			final double[] e2 = { v[1] * e1[2] - v[2] * e1[1], v[2] * e1[0] - v[0] * e1[2], v[0] * e1[1] - v[1] * e1[0] };
			final double[][] e = { e1, e2, v };
			final double[] pmin = { Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY };
			final double[] pmax = { Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY };
			final double[] c = chosen.centre;
			for (int k = 0; k < bd; k++)
				for (int by = 0; by < bh; by++)
					for (int bx = 0; bx < bw; bx++) {
						if (label[k * bn + by * bw + bx] != chosen.label) continue;
						for (int corner = 0; corner < 8; corner++) {
							final double px = ((bx + (corner & 1)) * bxy - 0.5) * vox[0] - c[0];
							final double py = ((by + ((corner >> 1) & 1)) * bxy - 0.5) * vox[1] - c[1];
							final double pz = ((k + ((corner >> 2) & 1)) * bz - 0.5) * vox[2] - c[2];
							for (int a = 0; a < 3; a++) {
								final double q = px * e[a][0] + py * e[a][1] + pz * e[a][2];
								pmin[a] = Math.min(pmin[a], q);
								pmax[a] = Math.max(pmax[a], q);
							}
						}
					}
			final double half = 0.5 * Math.max(pmax[0] - pmin[0], pmax[1] - pmin[1]);
			final double mxy = 0.35 * half + 3 * s, mz = 2 * s;
			pmin[0] -= mxy;
			pmin[1] -= mxy;
			pmax[0] += mxy;
			pmax[1] += mxy;
			pmin[2] -= mz;
			pmax[2] += mz;
			// keep the frame slices whose bone box (without the margin) lies inside the scan: where the tilted bone
			// leaves the field of view, a partial cross-section would look like another bone end
			final int nk = Math.max(2, (int) Math.ceil((pmax[2] - pmin[2]) / s));
			int bestStart = 0, bestLen = 0;
			for (int k = 0, run = 0; k < nk; k++) {
				boolean inside = true;
				for (int corner = 0; corner < 4 && inside; corner++) {
					final double q0 = (corner & 1) == 0 ? pmin[0] + mxy : pmax[0] - mxy, q1 = (corner & 2) == 0 ? pmin[1] + mxy
						: pmax[1] - mxy, q2 = pmin[2] + k * s;
					for (int r = 0; r < 3 && inside; r++) {
						final double pos = (c[r] + q0 * e[0][r] + q1 * e[1][r] + q2 * e[2][r]) / vox[r];
						final long n = r == 0 ? w : r == 1 ? h : d;
						inside = pos >= -0.5 && pos <= n - 0.5;
					}
				}
				run = inside ? run + 1 : 0;
				if (run > bestLen) {
					bestLen = run;
					bestStart = k - run + 1;
				}
			}
			if (bestLen < 2) throw new IllegalArgumentException(String.format(Locale.ROOT,
				"%s: the bone's long axis deviates %.1f° from the scan axis z and no slice across it lies wholly inside " +
					"the scan; the field of view is too small for the tilted bone", mouse, angle));
			final int cutTop = bestStart, cutBottom = nk - bestStart - bestLen;
			pmin[2] += bestStart * s;
			pmax[2] = pmin[2] + (bestLen - 1) * s;
			fdims = new long[3];
			for (int a = 0; a < 2; a++)
				fdims[a] = Math.max(2, (long) Math.ceil((pmax[a] - pmin[a]) / s));
			fdims[2] = bestLen;
			if (cutTop + cutBottom > 0) info.put("slices_left_out_where_the_bone_leaves_the_scan", new int[] { cutTop,
				cutBottom });
			// frame voxel (i, j, k) -> µm c + sum_a (pmin[a] + idx_a * s) e_a -> source voxel (µm / vox)
			f2s = new double[4][4];
			for (int r = 0; r < 3; r++) {
				double off = c[r];
				for (int a = 0; a < 3; a++) {
					f2s[r][a] = s * e[a][r] / vox[r];
					off += pmin[a] * e[a][r];
				}
				f2s[r][3] = off / vox[r];
			}
			f2s[3][3] = 1;
			messages.add(String.format(Locale.ROOT,
				"%s: the bone's long axis deviates %.1f° from the scan axis z (more than %.0f°): every week is resliced " +
					"along it (%d x %d x %d voxels of %.3g um) before the VOI is cut",
				mouse, angle, o.resliceAboveDeg, fdims[0], fdims[1], fdims[2], s));
			info.put("resliced", true);
			info.put("axis_deviation_deg", round(angle));
			info.put("axis_xyz", new double[] { round(v[0]), round(v[1]), round(v[2]) });
			info.put("frame_dims_xyz", fdims.clone());
			info.put("frame_voxel_um", round(s));
			final double[][] rounded = new double[4][];
			for (int r = 0; r < 4; r++) {
				rounded[r] = new double[4];
				for (int a = 0; a < 4; a++)
					rounded[r][a] = Math.round(f2s[r][a] * 1e6) / 1e6;
			}
			info.put("frame_to_source_voxel_xyz", rounded);
		}
		return new VoiFrame(week1, (float) lo, t, region, bxy, bz, bw, bh, cropMin, cropDims, f2s, fdims, s, info.isEmpty()
			? null : info);
	}

	/** The bone threshold of the whole week-1 scan (grey value): the detectors use it on {@link #analysis}. */
	public double threshold() {
		return threshold;
	}

	/** Whether week 1 and every week are used as they are. */
	public boolean isIdentity() {
		return region == null && frameToSource == null;
	}

	/** Whether the weeks are resliced along the bone's axis. */
	public boolean resliced() {
		return frameToSource != null;
	}

	/** Week 1's dimensions (every week must have them). */
	public long[] sourceDims() {
		return sourceDims.clone();
	}

	/** What was done, for {@code slices.json} (null for the identity). */
	public Map<String, Object> toMap() {
		return info;
	}

	/** A position in week 1's voxels → the frame's voxels (the identity when not resliced). */
	public double[] sourceToFrameVoxel(final double x, final double y, final double z) {
		if (frameToSource == null) return cropMin == null ? new double[] { x, y, z } : new double[] { x - cropMin[0], y -
			cropMin[1], z - cropMin[2] };
		final double[][] m = frameToSource;
		final double[] r = { x - m[0][3], y - m[1][3], z - m[2][3] };
		// the linear part is s * E^T / vox (rows scaled): solve by its inverse, E orthonormal
		final double[] out = new double[3];
		for (int a = 0; a < 3; a++) {
			double q = 0;
			for (int i = 0; i < 3; i++) {
				final double col = m[i][a]; // = s * e_a[i] / vox[i]
				q += r[i] * voxelUm[i] * (col * voxelUm[i] / frameVoxelUm) / frameVoxelUm;
			}
			out[a] = q;
		}
		return out;
	}

	/** Week 1 prepared for finding the VOI: other bones removed, resliced if needed. */
	public Volume<?> analysis(final Volume<?> week1) {
		if (isIdentity()) return week1;
		return transform(week1, true);
	}

	/** A week (on week 1's grid) in the frame the slices are cut from: resliced if needed, otherwise unchanged. */
	public Volume<?> apply(final Volume<?> week) {
		if (!Arrays.equals(sourceDims, week.dimensions())) throw new IllegalArgumentException(String.format(Locale.ROOT,
			"%s is %s voxels but week 1 is %s; register all weeks onto week 1's grid first", week.name(), Arrays.toString(
				week.dimensions()), Arrays.toString(sourceDims)));
		if (frameToSource != null) return transform(week, false);
		if (cropMin == null) return week;
		return crop(week);
	}

	/** The chosen bone's box of a week (a view, no copy). */
	private <T extends net.imglib2.type.numeric.RealType<T>> Volume<T> crop(final Volume<T> week) {
		final long[] max = new long[3];
		for (int i = 0; i < 3; i++)
			max[i] = cropMin[i] + cropDims[i] - 1;
		final net.imglib2.RandomAccessibleInterval<T> img = net.imglib2.view.Views.zeroMin(net.imglib2.view.Views
			.interval(net.imglib2.view.Views.zeroMin(week.image()), cropMin, max));
		final double[] origin = week.originUm();
		for (int i = 0; i < 3; i++)
			origin[i] += cropMin[i] * voxelUm[i];
		return new Volume<>(img, voxelUm, origin, week.name());
	}

	private Volume<FloatType> transform(final Volume<?> week, final boolean isolate) {
		final VolumePlanes vp = new VolumePlanes(week);
		final int w = vp.width(), h = vp.height(), d = vp.depth(), bn = bw * bh;
		final float[][] src = new float[d][];
		Loops.forEach(d, z -> {
			final float[] p = vp.read(z);
			if (isolate && region != null) {
				final int k = z / bz;
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						if (!region[k * bn + (y / bxy) * bw + x / bxy]) p[y * w + x] = fill;
			}
			src[z] = p;
		});
		if (frameToSource == null) {
			final PlanarImg<FloatType, FloatArray> img = PlanarImgs.floats(w, h, d);
			for (int z = 0; z < d; z++)
				img.setPlane(z, new FloatArray(src[z]));
			final Volume<FloatType> all = new Volume<>(img, voxelUm, originUm, week.name());
			return cropMin == null ? all : crop(all);
		}
		final int fx = (int) frameDims[0], fy = (int) frameDims[1], fz = (int) frameDims[2];
		final PlanarImg<FloatType, FloatArray> img = PlanarImgs.floats(fx, fy, fz);
		final double[][] m = frameToSource;
		final float[][] out = new float[fz][];
		Loops.forEach(fz, k -> {
			final float[] p = new float[fx * fy];
			for (int j = 0; j < fy; j++)
				for (int i = 0; i < fx; i++) {
					final double x = m[0][0] * i + m[0][1] * j + m[0][2] * k + m[0][3];
					final double y = m[1][0] * i + m[1][1] * j + m[1][2] * k + m[1][3];
					final double z = m[2][0] * i + m[2][1] * j + m[2][2] * k + m[2][3];
					p[j * fx + i] = sample(src, w, h, d, x, y, z, fill);
				}
			out[k] = p;
		});
		for (int k = 0; k < fz; k++)
			img.setPlane(k, new FloatArray(out[k]));
		return new Volume<>(img, new double[] { frameVoxelUm, frameVoxelUm, frameVoxelUm }, new double[3], week.name());
	}

	/** Trilinear value, or {@code outside} beyond half a voxel past the grid. */
	private static float sample(final float[][] src, final int w, final int h, final int d, double x, double y,
		double z, final float outside)
	{
		if (x < -0.5 || y < -0.5 || z < -0.5 || x > w - 0.5 || y > h - 0.5 || z > d - 0.5) return outside;
		x = Math.max(0, Math.min(w - 1, x));
		y = Math.max(0, Math.min(h - 1, y));
		z = Math.max(0, Math.min(d - 1, z));
		final int x0 = Math.min((int) x, Math.max(0, w - 2)), y0 = Math.min((int) y, Math.max(0, h - 2)), z0 = Math.min(
			(int) z, Math.max(0, d - 2));
		final int x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1), z1 = Math.min(d - 1, z0 + 1);
		final double fx = x - x0, fy = y - y0, fz = z - z0;
		final float[] a = src[z0], b = src[z1];
		final double c00 = a[y0 * w + x0] * (1 - fx) + a[y0 * w + x1] * fx, c01 = a[y1 * w + x0] * (1 - fx) + a[y1 * w +
			x1] * fx;
		final double c10 = b[y0 * w + x0] * (1 - fx) + b[y0 * w + x1] * fx, c11 = b[y1 * w + x0] * (1 - fx) + b[y1 * w +
			x1] * fx;
		return (float) ((c00 * (1 - fy) + c01 * fy) * (1 - fz) + (c10 * (1 - fy) + c11 * fy) * fz);
	}

	/** 26-connected components of the binned mask with their moments (block centres in µm). */
	private static List<Component> label3d(final boolean[] mask, final boolean[] bone, final int[] label,
		final int bw, final int bh, final int bd, final int bxy, final int bz, final double[] vox)
	{
		final int bn = bw * bh;
		final int[] stack = new int[mask.length];
		final List<Component> comps = new ArrayList<>();
		int next = 0;
		final double blockMm3 = bxy * vox[0] * bxy * vox[1] * bz * vox[2] / 1e9;
		for (int s0 = 0; s0 < mask.length; s0++) {
			if (!mask[s0] || label[s0] != 0) continue;
			final Component c = new Component();
			c.label = ++next;
			int sp = 0;
			label[s0] = c.label;
			stack[sp++] = s0;
			while (sp > 0) {
				final int i = stack[--sp];
				final int k = i / bn, y = (i % bn) / bw, x = i % bw;
				if (bone[i]) {
					c.count++;
					c.z0 = Math.min(c.z0, k * bz);
					c.z1 = Math.max(c.z1, (k + 1) * bz - 1);
					final double px = ((x + 0.5) * bxy - 0.5) * vox[0], py = ((y + 0.5) * bxy - 0.5) * vox[1], pz = ((k + 0.5) *
						bz - 0.5) * vox[2];
					c.sum[0] += px;
					c.sum[1] += py;
					c.sum[2] += pz;
					c.mom[0] += px * px;
					c.mom[1] += py * py;
					c.mom[2] += pz * pz;
					c.mom[3] += px * py;
					c.mom[4] += px * pz;
					c.mom[5] += py * pz;
				}
				for (int dz = -1; dz <= 1; dz++) {
					final int kk = k + dz;
					if (kk < 0 || kk >= bd) continue;
					for (int dy = -1; dy <= 1; dy++) {
						final int yy = y + dy;
						if (yy < 0 || yy >= bh) continue;
						for (int dx = -1; dx <= 1; dx++) {
							final int xx = x + dx;
							if (xx < 0 || xx >= bw) continue;
							final int j = kk * bn + yy * bw + xx;
							if (mask[j] && label[j] == 0) {
								label[j] = c.label;
								stack[sp++] = j;
							}
						}
					}
				}
			}
			if (c.count == 0) continue;
			final double n = c.count;
			c.centre = new double[] { c.sum[0] / n, c.sum[1] / n, c.sum[2] / n };
			final double[] m = c.centre;
			c.cov = new double[][] { { c.mom[0] / n - m[0] * m[0], c.mom[3] / n - m[0] * m[1], c.mom[4] / n - m[0] * m[2] },
				{ c.mom[3] / n - m[0] * m[1], c.mom[1] / n - m[1] * m[1], c.mom[5] / n - m[1] * m[2] }, { c.mom[4] / n - m[0] *
					m[2], c.mom[5] / n - m[1] * m[2], c.mom[2] / n - m[2] * m[2] } };
			c.axis = GrowthPlateDetector.principal(c.cov);
			final double l1 = quad(c.cov, c.axis);
			final double[][] defl = new double[3][3];
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 3; j++)
					defl[i][j] = c.cov[i][j] - l1 * c.axis[i] * c.axis[j];
			final double[] v2 = GrowthPlateDetector.principal(defl);
			final double l2 = Math.max(1e-12, quad(defl, v2));
			c.elongation = Math.sqrt(Math.max(0, l1) / l2);
			c.volumeMm3 = n * blockMm3;
			comps.add(c);
		}
		return comps;
	}

	private static double quad(final double[][] c, final double[] v) {
		double s = 0;
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++)
				s += v[i] * c[i][j] * v[j];
		return s;
	}

	private static String describe(final List<Component> bones) {
		final StringBuilder b = new StringBuilder("largest first: ");
		for (int i = 0; i < bones.size(); i++) {
			final Component c = bones.get(i);
			if (i > 0) b.append("; ");
			b.append(String.format(Locale.ROOT, "#%d %.3g mm3, slices %d-%d, %s", i + 1, c.volumeMm3, c.z0, c.z1, c
				.tibiaLike() ? "tibia-like" : String.format(Locale.ROOT, "not tibia-like (elongation %.2f)", c.elongation)));
		}
		return b.toString();
	}

	private static void normalise(final double[] v) {
		final double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
		for (int i = 0; i < 3; i++)
			v[i] /= n;
	}

	private static double round(final double v) {
		return Math.round(v * 1e4) / 1e4;
	}
}
