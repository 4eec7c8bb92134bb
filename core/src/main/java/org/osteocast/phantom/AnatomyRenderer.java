package org.osteocast.phantom;

import java.util.Arrays;
import java.util.List;

/**
 * Renders one mouse's tibia at one week onto a <em>canonical grid</em>: a
 * voxel grid in the anatomy frame (same voxel size as the scans) that covers
 * every weekly scan's field of view. It produces three fields: the noise-free
 * grey value (partial-volume mixing of tissue fractions), the tibial bone
 * fraction and the lesion fraction. The generator then samples these fields
 * through each scan's pose, so all weeks see one and the same anatomy.
 * <p>
 * Partial volume comes from signed distances: a surface at signed distance s
 * (µm, positive inside) from a voxel centre covers clamp(½ + s / voxel) of it.
 * Trabeculae are the thickened zero set of a band-passed noise field (distance
 * ≈ |n| / |∇n|), perforated where a second, coarser field falls below a
 * depth-dependent threshold: dense plates just below the growth plate, sparse
 * rods and fragments distally.
 */
final class AnatomyRenderer {

	/**
	 * Grey levels above soft tissue of marrow, growth-plate cartilage and
	 * tumour: all soft tissues, nearly indistinguishable in micro-CT (the
	 * tumour itself is invisible under the noise; the lesion shows as missing bone).
	 */
	static final double MARROW = 300, CARTILAGE = 500, TUMOUR = 700;
	/** Trabecular bone is a little less mineralised than cortical bone (tissue mineral density). */
	static final double TRABECULAR_DENSITY = 0.9;

	private final MouseModel m;
	private final double v;
	/** Anatomy voxel position of canonical index (0, 0, 0). */
	final int ox, oy, oz;
	final int cx, cy, cz;
	/** The texture fields whole (null when streamed) or plane by plane (null when whole). */
	private final LatticeNoise plates, perforation;
	private final LatticeNoise.Streamed platesPlanes, perforationPlanes;
	/** RMS gradients of the two texture fields, per µm. */
	private final double rms1, rms2;
	private final float[] perforationSorted;
	private final double[] colRho, colC2, colC3, colCT, colZp;
	private final double reach;
	/** Depth profiles tabulated at step {@link #ts} from depth 0. */
	private final double[] radius, ellip, triang, cortex, halfThick;
	private final double ts;
	private final int tn;

	/** The rendered fields (null when streamed: see {@link CanonicalPlanes}). */
	final FloatGrid grey, lesion;
	/** Week-independent grey: air, leg, fibula (bone mixed in); null when streamed. */
	private final float[] exterior;
	/**
	 * Tibial bone volume (in voxels) of the last {@link #render} inside the
	 * region it was asked to measure; summed per slice, then over slices in
	 * order, so the value does not depend on how the work is split.
	 */
	double boneVoxels;
	/** Whether the last {@link #render(int)} left any non-zero lesion fraction. */
	boolean anyLesion;

	/**
	 * @param m the mouse
	 * @param lo anatomy-voxel lower corner of the region to cover (inclusive)
	 * @param hi anatomy-voxel upper corner (inclusive)
	 */
	AnatomyRenderer(final MouseModel m, final int[] lo, final int[] hi) {
		this(m, lo, hi, false);
	}

	/**
	 * As {@link #AnatomyRenderer(MouseModel, int[], int[])}; {@code streamed}:
	 * no field is held whole, planes are rendered on demand by
	 * {@link CanonicalPlanes} (the same values).
	 */
	AnatomyRenderer(final MouseModel m, final int[] lo, final int[] hi, final boolean streamed) {
		this.m = m;
		this.v = m.v;
		ox = lo[0];
		oy = lo[1];
		oz = lo[2];
		cx = hi[0] - lo[0] + 1;
		cy = hi[1] - lo[1] + 1;
		cz = hi[2] - lo[2] + 1;
		final double[] originUm = { ox * v, oy * v, oz * v };
		// trabeculae are elongated along the bone axis (the load direction): a longer lattice spacing in z
		final double s1 = m.plateSpacingUm, s2 = m.perforationSpacingUm;
		final double[] sp1 = { s1, s1, s1 * m.trabecularAnisotropy }, sp2 = { s2, s2, s2 * (1 + (m.trabecularAnisotropy
			- 1) / 2) };
		final long seed1 = Seeds.derive(m.seed, Seeds.TEXTURE_PLATES), seed2 = Seeds.derive(m.seed,
			Seeds.TEXTURE_PERFORATION);
		if (streamed) {
			plates = perforation = null;
			platesPlanes = LatticeNoise.stream(seed1, sp1, 0.7, 2.0, cx, cy, cz, originUm, v);
			perforationPlanes = LatticeNoise.stream(seed2, sp2, 0.7, 2.0, cx, cy, cz, originUm, v);
			rms1 = platesPlanes.rmsGradientPerUm;
			rms2 = perforationPlanes.rmsGradientPerUm;
			// the same values as below: every step-th value of the field in index order
			perforationSorted = perforationPlanes.sampled.clone();
		}
		else {
			platesPlanes = perforationPlanes = null;
			plates = LatticeNoise.make(seed1, sp1, 0.7, 2.0, cx, cy, cz, originUm, v);
			perforation = LatticeNoise.make(seed2, sp2, 0.7, 2.0, cx, cy, cz, originUm, v);
			rms1 = plates.rmsGradientPerUm;
			rms2 = perforation.rmsGradientPerUm;
			// the perforation threshold for a wanted surviving fraction is a quantile of the field itself
			final float[] pd = perforation.field.data;
			final int step = Math.max(1, pd.length / 50000);
			perforationSorted = new float[(pd.length + step - 1) / step];
			for (int i = 0, j = 0; i < pd.length; i += step)
				perforationSorted[j++] = pd[i];
		}
		Arrays.sort(perforationSorted);

		colRho = new double[cx * cy];
		colC2 = new double[cx * cy];
		colC3 = new double[cx * cy];
		colCT = new double[cx * cy];
		colZp = new double[cx * cy];
		for (int iy = 0; iy < cy; iy++)
			for (int ix = 0; ix < cx; ix++) {
				final double x = (ix + ox) * v, y = (iy + oy) * v;
				final double dx = x - m.axisX, dy = y - m.axisY;
				final double th = Math.atan2(dy, dx);
				final int c = iy * cx + ix;
				colRho[c] = Math.hypot(dx, dy);
				colC2[c] = Math.cos(2 * (th - m.theta2));
				colC3[c] = Math.cos(3 * (th - m.theta3));
				colCT[c] = Math.cos(th - m.thetaT);
				colZp[c] = m.plateSurface(x, y);
			}
		reach = m.rTop * (1 + m.a2 + Math.max(m.a3Top, m.a3Dist)) + 3 * v;
		final double dMax = (oz + cz) * v + 200;
		ts = v / 4;
		tn = (int) Math.ceil(dMax / ts) + 2;
		radius = table(m::meanRadius);
		ellip = table(m::ellipticity);
		triang = table(m::triangularity);
		cortex = table(d -> m.cortexThickness(m.thetaT + Math.PI / 2, d)); // cos(pi/2) = 0: the angular factor is applied per column
		halfThick = table(m::trabecularHalfThickness);
		if (streamed) {
			grey = lesion = null;
			exterior = null;
		}
		else {
			grey = new FloatGrid(cx, cy, cz);
			lesion = new FloatGrid(cx, cy, cz);
			exterior = new float[grey.data.length];
			for (int iz = 0; iz < cz; iz++)
				exteriorPlane(iz, exterior, iz * cx * cy);
		}
	}

	/** Plane z of the plates field (streamed renderers only; a new array). */
	float[] platesPlane(final int z) {
		return platesPlanes.plane(z);
	}

	/** Plane z of the perforation field (streamed renderers only; a new array). */
	float[] perforationPlane(final int z) {
		return perforationPlanes.plane(z);
	}

	/**
	 * The week-independent part: air, the leg's soft tissue and the fibula.
	 * Above the junction the fibula does not touch the tibia (a gap of at least
	 * 20 µm); where it does (at and below the junction of a joined fibula), the
	 * tibia rendered over it in {@link #render} keeps its own voxels and the
	 * fibula's part outside the tibia joins its cortex, so its bone can be
	 * mixed in here once. Plane iz into {@code exterior} from {@code off}.
	 */
	void exteriorPlane(final int iz, final float[] exterior, final int off) {
		final PhantomParameters p = m.p;
		final double air = p.airGrey(), soft = p.softTissueGrey(), marrow = soft + MARROW, boneC = p.boneGrey();
		{
			final double z = (iz + oz) * v;
			final double dA = z - m.plateZ;
			final double dAm = Math.max(0, dA);
			// leg outline: an ellipse, posterior of the bone, skin close to the anterior crest
			final double ry = m.meanRadius(dAm) * (1 + m.triangularity(dAm) + m.ellipticity(dAm) * Math.cos(2 * (m.theta3 -
				m.theta2))) + m.skinGap + m.legOffsetY;
			final double rx = ry * m.legAspect;
			final double legCy = m.axisY + m.legOffsetY;
			// fibula: a cortical tube postero-lateral of the tibia, starting below the plate with a rounded end
			// (a separate fibula keeps the exact arithmetic of cohorts made before the junction was modelled)
			final double fibD = m.fibulaJoins() ? m.periostealRadius(m.fibulaAngle, dAm) + m.fibulaRadius + m.fibulaGap(dA)
				: m.periostealRadius(m.fibulaAngle, dAm) + m.fibulaRadius + m.fibulaGap0 + m.fibulaGapSlope * Math.max(0, dA -
					m.fibulaStart);
			final double fibX = m.axisX + fibD * Math.cos(m.fibulaAngle), fibY = m.axisY + fibD * Math.sin(m.fibulaAngle);
			final double fibCap = dA < m.fibulaStart ? m.fibulaStart - dA : 0;
			for (int iy = 0; iy < cy; iy++) {
				final double y = (iy + oy) * v;
				for (int ix = 0; ix < cx; ix++) {
					final double x = (ix + ox) * v;
					final int idx = off + iy * cx + ix;
					final double ex = (x - m.axisX) / rx, ey = (y - legCy) / ry;
					final double legF = clamp01(0.5 + (1 - Math.sqrt(ex * ex + ey * ey)) * Math.min(rx, ry) / v);
					double g = air + legF * (soft - air);
					final double fdx = x - fibX, fdy = y - fibY;
					final double fr = Math.sqrt(fdx * fdx + fdy * fdy + fibCap * fibCap);
					if (fr < m.fibulaRadius + 2 * v) {
						final double outer = clamp01(0.5 + (m.fibulaRadius - fr) / v);
						final double inner = clamp01(0.5 + (m.fibulaRadius - m.fibulaWall() - fr) / v);
						g += outer * (marrow - g);
						g += (outer - inner) * (boneC - g);
					}
					exterior[idx] = (float) g;
				}
			}
		}
	}

	/** The value of the perforation field above which a fraction q of the plates survives. */
	private double perforationThreshold(final double q) {
		final double f = Math.min(1, Math.max(0, 1 - q)) * (perforationSorted.length - 1);
		return perforationSorted[(int) Math.round(f)];
	}

	private static double clamp01(final double x) {
		return x < 0 ? 0 : x > 1 ? 1 : x;
	}

	/**
	 * Fills {@link #grey} and {@link #lesion} for the scan of the given week
	 * (time = week) and measures {@link #boneVoxels}.
	 *
	 * @param canonToMeasured canonical index → voxel of the scan whose field of view the bone volume is measured in
	 * @param size that scan's size (x, y, z)
	 * @param threads slices are rendered on up to this many threads (the result does not depend on it)
	 */
	void render(final int week, final double[][] canonToMeasured, final int[] size, final int threads) {
		final Week k = new Week(week, canonToMeasured, size);
		final float[] n1 = plates.field.data, n2 = perforation.field.data, G = grey.data, L = lesion.data;
		final int cxy = cx * cy;
		Slices.run(cz, threads, iz -> k.plane(iz, n1, (iz - 1) * cxy, n1, iz * cxy, n1, (iz + 1) * cxy, n2, iz * cxy,
			exterior, iz * cxy, G, L, iz * cxy));
		k.measure();
	}

	/**
	 * One week's rendering: its constants, and the canonical planes one at a
	 * time ({@link #plane}), whole-grid arrays or separate plane arrays alike.
	 */
	final class Week {
		final double t;
		final PhantomParameters p;
		final double soft;
		final double marrow;
		final double cart;
		final double tumour;
		final double boneC;
		final double boneT;
		final double hMul;
		final double cMul;
		final double[] perf;
		final double perfEpi;
		final double hp;
		final double g1;
		final double g2;
		final int cxy;
		final double maxHalf;
		final double[][] q;
		final int[] size;
		final double[] boneBySlice;
		final List<Focus> foci;
		final int nf;
		final double[] fr;
		final double[] fLag;
		final double[] fReach2;
		final double rTopShapeBase;
		final double e0;
		final double tr0;
		final boolean[] lesionSeen;
		final boolean anyFocusF;

		Week(final int week, final double[][] canonToMeasured, final int[] size) {
			final double t = week;
			final PhantomParameters p = m.p;
			final double soft = p.softTissueGrey(), marrow = soft + MARROW, cart = soft + CARTILAGE, tumour = soft + TUMOUR,
					boneC = p.boneGrey(), boneT = soft + TRABECULAR_DENSITY * (p.boneGrey() - soft);
			final double age = week - 1;
			final boolean loaded = m.group == MouseModel.Group.LOADED;
			final double hMul = loaded ? 1 + 0.03 * age : 1 - m.ageThinning * age;
			final double qMul = loaded ? 1 + 0.02 * age : 1 - m.agePerforation * age;
			final double cMul = loaded ? 1 + 0.025 * age : 1;
			final double[] perf = table(d -> perforationThreshold(m.trabecularSurvival(d) * qMul));
			final double perfEpi = perforationThreshold(m.qEpi * qMul);
			final double hp = m.plateThickness / 2;
			final double g1 = rms1, g2 = rms2;
			final int cxy = cx * cy;
			double hMax = 0;
			for (final double h : halfThick)
				hMax = Math.max(hMax, h);
			final double maxHalf = hMax * Math.max(1, hMul);
			final double[][] q = canonToMeasured;
			final double[] boneBySlice = new double[cz];

			final List<Focus> foci = m.foci;
			final int nf = foci.size();
			final double[] fr = new double[nf], fLag = new double[nf], fReach2 = new double[nf];
			boolean anyFocus = false;
			for (int f = 0; f < nf; f++) {
				final Focus fo = foci.get(f);
				fr[f] = fo.radiusUm(t);
				fLag[f] = fo.cortexLag;
				final boolean active = fo.frontStrength(t) > 0;
				fReach2[f] = active ? Math.pow(fo.reachUm(t), 2) : -1;
				anyFocus |= active;
			}
			final double rTopShapeBase = radius[0];
			final double e0 = ellip[0], tr0 = triang[0];

			final boolean[] lesionSeen = new boolean[cz];
			final boolean anyFocusF = anyFocus;
			this.t = t;
			this.p = p;
			this.soft = soft;
			this.marrow = marrow;
			this.cart = cart;
			this.tumour = tumour;
			this.boneC = boneC;
			this.boneT = boneT;
			this.hMul = hMul;
			this.cMul = cMul;
			this.perf = perf;
			this.perfEpi = perfEpi;
			this.hp = hp;
			this.g1 = g1;
			this.g2 = g2;
			this.cxy = cxy;
			this.maxHalf = maxHalf;
			this.q = q;
			this.size = size;
			this.boneBySlice = boneBySlice;
			this.foci = foci;
			this.nf = nf;
			this.fr = fr;
			this.fLag = fLag;
			this.fReach2 = fReach2;
			this.rTopShapeBase = rTopShapeBase;
			this.e0 = e0;
			this.tr0 = tr0;
			this.lesionSeen = lesionSeen;
			this.anyFocusF = anyFocusF;
		}

		/**
		 * Canonical plane iz into G and L from {@code og}: the plates field's
		 * planes iz − 1, iz, iz + 1 are {@code n1p}, {@code n1c}, {@code n1n}
		 * from offsets {@code op}, {@code oc}, {@code on}; the perforation field
		 * and the exterior grey of plane iz from {@code o2} and {@code oe}.
		 */
		void plane(final int iz, final float[] n1p, final int op, final float[] n1c, final int oc, final float[] n1n,
			final int on, final float[] n2a, final int o2, final float[] ext, final int oe, final float[] G, final float[] L,
			final int og)
		{
			final double z = (iz + oz) * v;
			for (int iy = 0; iy < cy; iy++) {
				final double y = (iy + oy) * v;
				for (int ix = 0; ix < cx; ix++) {
					final double x = (ix + ox) * v;
					final int c = iy * cx + ix;
										double g = ext[oe + c];
					double bC = 0, bT = 0, les = 0;
					final double rho = colRho[c];
					if (rho < reach) {
						final double d = z - colZp[c];
						final double wMeta = clamp01(0.5 + (d - hp) / v), wEpi = clamp01(0.5 + (-d - hp) / v);
						final double wPlate = Math.max(0, 1 - wMeta - wEpi);
						final double dm = Math.max(0, d);
						// lesions
						double lamT = 0, lamC = 0, sT = 1, sC = 1;
						if (anyFocusF) {
							for (int f = 0; f < nf; f++) {
								if (fReach2[f] < 0) continue;
								final Focus fo = foci.get(f);
								final double ddx = x - fo.cx, ddy = y - fo.cy, ddz = z - fo.cz;
								if (ddx * ddx + ddy * ddy + ddz * ddz > fReach2[f]) continue;
								final double rl = fo.distanceUm(x, y, z, n2a[o2 + c]);
								if (fr[f] > 0) {
									lamT = Math.max(lamT, clamp01(0.5 + (fr[f] - rl) / v));
									if (fr[f] > fLag[f]) lamC = Math.max(lamC, clamp01(0.5 + (fr[f] - fLag[f] - rl) / v));
								}
								sT *= fo.thinning(rl, t);
								sC *= fo.thinning(rl + fLag[f], t, Focus.CORTEX_EDGE_THINNING);
							}
						}
						// distance to the plates' mid-surface (the zero set of n1): |n| / |grad n|, with the local
						// gradient where the field is near zero (even plate thickness), the RMS gradient elsewhere
						double n1v = Math.abs(n1c[oc + c]) / g1;
						if (n1v < 3 * (maxHalf + v) && ix > 0 && iy > 0 && iz > 0 && ix < cx - 1 && iy < cy - 1 && iz < cz - 1) {
							final double gx = n1c[oc + c + 1] - n1c[oc + c - 1], gy = n1c[oc + c + cx] - n1c[oc + c - cx], gz = n1n[on + c] -
								n1p[op + c];
							final double gl = Math.sqrt(gx * gx + gy * gy + gz * gz) / (2 * v);
							n1v = Math.abs(n1c[oc + c]) / Math.max(gl, 0.4 * g1);
						}
						final double n2v = n2a[o2 + c];
						double envM = 0, envC = 0;
						if (wMeta > 0) {
							// one table index for all depth profiles
							final double tf = dm / ts;
							int ti = (int) tf;
							double tw = tf - ti;
							if (ti >= tn - 1) {
								ti = tn - 2;
								tw = 1;
							}
							final double rp = lerp(radius, ti, tw) * (1 + lerp(ellip, ti, tw) * colC2[c] + lerp(triang, ti, tw) *
								colC3[c]);
							if (rho < rp + v) {
								final double th = lerp(cortex, ti, tw) * (1 + m.tAmp * colCT[c]) * cMul;
								final double inPeri = clamp01(0.5 + (rp - rho) / v), inEndo = clamp01(0.5 + (rp - th - rho) / v);
								double trab = 0;
								if (inEndo > 0 && lamT < 1) {
									final double h = lerp(halfThick, ti, tw) * hMul * sT;
									if (h + v / 2 > n1v) trab = inEndo * clamp01(0.5 + (h - n1v) / v) * clamp01(0.5 + (n2v - lerp(perf, ti,
										tw)) / g2 / v) * (1 - lamT);
								}
								bC += wMeta * (inPeri - inEndo) * sC * (1 - lamC);
								bT += wMeta * trab;
								les += wMeta * (inEndo * lamT + (inPeri - inEndo) * lamC);
								envM += wMeta * inPeri;
							}
						}
						if (wEpi > 0 || wPlate > 0) {
							final double rpTop = rTopShapeBase * (1 + e0 * colC2[c] + tr0 * colC3[c]);
							if (wEpi > 0) {
								final double top = colZp[c] - m.epiHeight * (1 - m.epiDome * (rho / rpTop) * (rho / rpTop));
								final double sd = Math.min(rpTop - rho, z - top);
								final double inE = clamp01(0.5 + sd / v), innerE = clamp01(0.5 + (sd - m.epiShell) / v);
								double trab = 0;
								if (innerE > 0 && lamT < 1) {
									final double h = halfThick[0] * hMul * sT;
									trab = innerE * clamp01(0.5 + (h - n1v) / v) * clamp01(0.5 + (n2v - perfEpi) / g2 / v) * (1 - lamT);
								}
								bC += wEpi * (inE - innerE) * sC * (1 - lamC);
								bT += wEpi * trab;
								les += wEpi * (innerE * lamT + (inE - innerE) * lamC);
								envM += wEpi * inE;
							}
							if (wPlate > 0) {
								final double envP = clamp01(0.5 + (rpTop - rho) / v);
								envC += wPlate * envP;
								les += wPlate * envP * lamT;
							}
						}
						g += envM * (marrow - g);
						g += envC * (cart - g);
						g += les * (tumour - g);
					}
					final double bc = Math.min(1 - bT, bC);
					g = g * (1 - bc - bT) + boneC * bc + boneT * bT;
					G[og + c] = (float) g;
					L[og + c] = (float) Math.min(1, les);
					if (bc + bT > 0) {
						final double qx = q[0][0] * ix + q[0][1] * iy + q[0][2] * iz + q[0][3];
						final double qy = q[1][0] * ix + q[1][1] * iy + q[1][2] * iz + q[1][3];
						final double qz = q[2][0] * ix + q[2][1] * iy + q[2][2] * iz + q[2][3];
						if (qx > -0.5 && qy > -0.5 && qz > -0.5 && qx < size[0] - 0.5 && qy < size[1] - 0.5 && qz < size[2] - 0.5)
							boneBySlice[iz] += bc + bT;
					}
					if (les > 0) lesionSeen[iz] = true;
				}
			}
		}

		/** Sets {@link #anyLesion} and {@link #boneVoxels} from the planes rendered so far (all of them). */
		void measure() {
			boolean seen = false;
			for (final boolean b : lesionSeen)
				seen |= b;
			anyLesion = seen;
			double sum = 0;
			for (final double b : boneBySlice)
				sum += b;
			boneVoxels = sum;
		}
	}

	/** A function of depth d ≥ 0 tabulated at step {@link #ts}. */
	private double[] table(final java.util.function.DoubleUnaryOperator f) {
		final double[] t = new double[tn];
		for (int i = 0; i < tn; i++)
			t[i] = f.applyAsDouble(i * ts);
		return t;
	}

	private static double lerp(final double[] t, final int i, final double w) {
		return t[i] + w * (t[i + 1] - t[i]);
	}
}
