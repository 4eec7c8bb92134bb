package org.osteocast.phantom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One mouse of the cohort: its group, its proximal-tibia anatomy (drawn once,
 * varied between mice), its tumour foci, which weeks it was scanned and the
 * pose of each scan. Everything is drawn from random streams derived from the
 * master seed and the mouse's index, so a mouse is the same whatever else the
 * cohort holds and whichever thread makes it.
 * <p>
 * Coordinates: the <em>anatomy frame</em> is in µm with z along the bone axis
 * (z grows distally; the epiphysis is at small z) and coincides with the voxel
 * grid of an unmoved scan times the voxel size. Each weekly scan sees the
 * anatomy through its own rigid pose (rotation about the scan centre plus a
 * shift), {@link #scanToAnatomyVoxel(int)}.
 */
public final class MouseModel {

	/** Experimental group. */
	public enum Group {
		/** Intratibial tumour-cell injection. */
		TUMOUR("tumour"),
		/** Tumour injection plus tibial mechanical loading: slower lesion growth, a little more bone. */
		LOADED("loaded"),
		/** Saline injection: no lesions, only slow age-related trabecular loss. */
		CONTROL("control");

		private final String label;

		Group(final String label) {
			this.label = label;
		}

		/** The label written to {@code cohort.csv}. */
		public String label() {
			return label;
		}
	}

	final PhantomParameters p;
	final int index;
	final String name;
	final Group group;
	final boolean hardCase;
	final long seed;

	// scan grid
	final int nx, ny, nz;
	final double v;

	// anatomy, µm
	final double axisX, axisY;
	final double plateZ, plateTiltX, plateTiltY, plateBowl, plateThickness;
	final double[][] plateWaves; // {kx, ky, phase, amplitude}
	final double rTop, rDist, lambdaR;
	final double a2, theta2, a3Top, a3Dist, theta3, lambdaShape;
	final double tPlate, tDist, lambdaT, tAmp, thetaT;
	final double epiHeight, epiShell, epiDome;
	final double trabHalf, spongiosaBoost, spongiosaLambda, qTop, qDist, lambdaQ, qEpi;
	final double fibulaAngle, fibulaRadius, fibulaShell, fibulaStart, fibulaGap0, fibulaGapSlope;
	/** Depth of the tibia–fibula junction below {@link #plateZ} (µm), and the length over which the gap closes. */
	final double junctionDepth, junctionApproach;
	/** Direction (radians, in-plane) of the axis about which the whole leg is tilted by {@link PhantomParameters#tiltDeg()}. */
	final double tiltAzimuth;
	final double legOffsetY, skinGap, legAspect;
	final double ageThinning, agePerforation;
	final double plateSpacingUm, perforationSpacingUm, trabecularAnisotropy;
	final List<Focus> foci;

	// schedule and poses
	final boolean[] scanned; // index week-1
	final double[][] rotationDeg; // [week-1][3]
	final double[][] shiftVox; // [week-1][3]

	private MouseModel(final PhantomParameters p, final int index, final Group group, final boolean hardCase) {
		this.p = p;
		this.index = index;
		this.name = name(index, p.mice());
		this.group = group;
		this.hardCase = hardCase;
		this.seed = Seeds.derive(p.seed(), index);
		this.v = p.voxelUm();
		this.nx = p.scanWidth();
		this.ny = p.scanWidth();
		this.nz = p.scanDepth();

		final SplittableRandom r = Seeds.stream(seed, Seeds.ANATOMY);
		final double cxUm = (nx - 1) * v / 2, cyUm = (ny - 1) * v / 2;
		axisX = cxUm + u(r, -60, 60);
		axisY = cyUm + u(r, -60, 60) - 60; // the leg's soft tissue is posterior: centre the bone a little anterior
		plateZ = u(r, 500, 600);
		plateTiltX = u(r, -0.06, 0.06);
		plateTiltY = u(r, -0.06, 0.06);
		plateBowl = u(r, -4e-5, 6e-5); // µm per µm², ~ ±30-40 µm at the rim
		plateThickness = u(r, 75, 105);
		plateWaves = new double[3][];
		for (int i = 0; i < 3; i++) {
			final double lambda = u(r, 350, 900), ang = u(r, 0, 2 * Math.PI);
			plateWaves[i] = new double[] { 2 * Math.PI / lambda * Math.cos(ang), 2 * Math.PI / lambda * Math.sin(ang), u(r,
				0, 2 * Math.PI), u(r, 8, 22) };
		}
		rTop = u(r, 800, 900);
		rDist = u(r, 480, 560);
		lambdaR = u(r, 550, 800);
		a2 = u(r, 0.08, 0.15);
		theta2 = u(r, -0.25, 0.25);
		a3Top = u(r, 0.03, 0.07);
		a3Dist = u(r, 0.10, 0.16);
		theta3 = -Math.PI / 2 + u(r, -0.15, 0.15); // one corner of the triangle points anterior (-y): the tibial crest
		lambdaShape = u(r, 500, 900);
		tPlate = u(r, 30, 42);
		tDist = u(r, 120, 160);
		lambdaT = u(r, 450, 700);
		tAmp = u(r, 0.15, 0.3);
		thetaT = u(r, 0, 2 * Math.PI);
		epiHeight = u(r, 400, 470);
		epiShell = u(r, 40, 55);
		epiDome = u(r, 0.25, 0.4);
		trabHalf = u(r, 18, 24);
		spongiosaBoost = u(r, 0.5, 0.8);
		spongiosaLambda = u(r, 100, 180);
		qTop = u(r, 0.93, 0.99);
		qDist = u(r, 0.12, 0.2);
		lambdaQ = u(r, 500, 800);
		qEpi = u(r, 0.85, 0.95);
		fibulaAngle = Math.toRadians(u(r, 45, 70)); // postero-lateral (+x lateral, +y posterior)
		fibulaRadius = u(r, 115, 145);
		fibulaShell = u(r, 40, 55);
		fibulaStart = u(r, 250, 400);
		fibulaGap0 = u(r, 20, 50);
		fibulaGapSlope = u(r, 0.08, 0.16);
		legOffsetY = u(r, 300, 450);
		skinGap = u(r, 150, 260);
		legAspect = u(r, 1.05, 1.2);
		ageThinning = u(r, 0.01, 0.02);
		agePerforation = u(r, 0.02, 0.04);
		plateSpacingUm = u(r, 42, 50);
		perforationSpacingUm = u(r, 70, 90);
		trabecularAnisotropy = u(r, 1.5, 1.9);
		// drawn last, so that every earlier draw (and so every cohort made before) stays the same
		junctionDepth = p.junctionDepthUm() * u(r, 0.96, 1.04);
		junctionApproach = u(r, 150, 250);
		tiltAzimuth = u(r, 0, 2 * Math.PI);

		foci = group == Group.CONTROL ? List.of() : drawFoci(Seeds.stream(seed, Seeds.FOCI));

		final SplittableRandom s = Seeds.stream(seed, Seeds.SCHEDULE);
		scanned = new boolean[p.weeks()];
		scanned[0] = true;
		for (int w = 1; w < p.weeks(); w++)
			scanned[w] = !(s.nextDouble() < p.missingWeekProb());
		rotationDeg = new double[p.weeks()][3];
		shiftVox = new double[p.weeks()][3];
		for (int w = 0; w < p.weeks(); w++) {
			final SplittableRandom q = Seeds.stream(seed, Seeds.POSE, w + 1);
			for (int d = 0; d < 3; d++)
				rotationDeg[w][d] = u(q, -p.maxRotationDeg(), p.maxRotationDeg());
			for (int d = 0; d < 3; d++)
				shiftVox[w][d] = u(q, -p.maxShiftVox(), p.maxShiftVox());
		}
	}

	private List<Focus> drawFoci(final SplittableRandom r) {
		final double weeks = p.weeks();
		final double x = r.nextDouble();
		final int n = x < 0.15 ? 3 : x < 0.45 ? 2 : 1;
		final List<Focus> list = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			final boolean first = i == 0;
			final double depth = first ? u(r, 200, 700) : u(r, 200, 1400);
			final double ang = u(r, 0, 2 * Math.PI);
			final double rEndo = periostealRadius(ang, depth) - cortexThickness(ang, depth);
			final double rad = Math.sqrt(u(r, 0.35 * 0.35, 0.8 * 0.8)) * rEndo;
			final double cx = axisX + rad * Math.cos(ang), cy = axisY + rad * Math.sin(ang), cz = plateZ + depth;
			double onset, lead, growth;
			if (hardCase) {
				onset = u(r, weeks - 0.85, weeks - 0.45);
				lead = 0;
				growth = u(r, 2.0, 2.5);
			}
			else {
				onset = first ? u(r, 0.15 * weeks, 0.4 * weeks) : u(r, 0.3 * weeks, 0.7 * weeks);
				lead = u(r, 0.6, 1.2);
				growth = u(r, 1.1, 1.6);
			}
			double rMax = first ? u(r, 600, 900) : u(r, 350, 650);
			if (group == Group.LOADED) {
				growth *= 0.6;
				rMax *= 0.8;
			}
			final double[][] waves = new double[4][];
			for (int j = 0; j < 4; j++) {
				final double th = u(r, 0, Math.PI), ph = u(r, 0, 2 * Math.PI), k = u(r, 1.5, 3.5);
				waves[j] = new double[] { k * Math.sin(th) * Math.cos(ph), k * Math.sin(th) * Math.sin(ph), k * Math.cos(th),
					u(r, 0, 2 * Math.PI), u(r, 0.04, 0.08) };
			}
			list.add(new Focus(cx, cy, cz, onset, lead, u(r, 40, 60), rMax, growth, u(r, 100, 160), u(r, 0.25, 0.45), u(r,
				40, 90), u(r, 1.1, 1.5), u(r, 15, 30), waves, hardCase));
		}
		return Collections.unmodifiableList(list);
	}

	private static double u(final SplittableRandom r, final double lo, final double hi) {
		return lo + (hi - lo) * r.nextDouble();
	}

	/** Mouse name for index i of n: {@code M001}, … (at least three digits). */
	static String name(final int i, final int n) {
		final int digits = Math.max(3, String.valueOf(n).length());
		return String.format(Locale.ROOT, "M%0" + digits + "d", i + 1);
	}

	/**
	 * Draws the cohort's mice. Groups are assigned by a seeded shuffle so the
	 * counts are exact: round(N × tumour fraction) tumour mice, of which
	 * round(n × loaded fraction) are loaded and round(n × hard fraction) are hard cases.
	 */
	static List<MouseModel> cohort(final PhantomParameters p) {
		final int n = p.mice();
		final int tumour = (int) Math.round(n * p.tumourFraction());
		final int[] order = shuffled(n, Seeds.stream(p.seed(), Seeds.COHORT, 0));
		final Group[] groups = new Group[n];
		final boolean[] hard = new boolean[n];
		java.util.Arrays.fill(groups, Group.CONTROL);
		final int loaded = (int) Math.round(tumour * p.loadedFraction());
		for (int i = 0; i < tumour; i++)
			groups[order[i]] = i < loaded ? Group.LOADED : Group.TUMOUR;
		final int[] order2 = shuffled(tumour, Seeds.stream(p.seed(), Seeds.COHORT, 1));
		final int nHard = (int) Math.round(tumour * p.hardFraction());
		for (int i = 0; i < nHard; i++)
			hard[order[order2[i]]] = true;
		final List<MouseModel> mice = new ArrayList<>(n);
		for (int i = 0; i < n; i++)
			mice.add(new MouseModel(p, i, groups[i], hard[i]));
		return mice;
	}

	private static int[] shuffled(final int n, final SplittableRandom r) {
		final int[] a = new int[n];
		for (int i = 0; i < n; i++)
			a[i] = i;
		for (int i = n - 1; i > 0; i--) {
			final int j = r.nextInt(i + 1);
			final int t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
		return a;
	}

	// ---- anatomy profiles (d = µm below the growth-plate surface, >= 0) ----

	/** Mean periosteal radius at depth d: flared at the plate, narrowing to the shaft. */
	double meanRadius(final double d) {
		return rDist + (rTop - rDist) * Math.exp(-d / lambdaR);
	}

	/** Ellipticity amplitude at depth d (the metaphysis is wide medio-laterally near the knee). */
	double ellipticity(final double d) {
		return a2 * Math.exp(-d / lambdaShape);
	}

	/** Triangularity amplitude at depth d (the shaft becomes a rounded triangle with the crest anterior). */
	double triangularity(final double d) {
		return a3Dist + (a3Top - a3Dist) * Math.exp(-d / lambdaShape);
	}

	/** Periosteal radius in direction theta at depth d. */
	double periostealRadius(final double theta, final double d) {
		return meanRadius(d) * (1 + ellipticity(d) * Math.cos(2 * (theta - theta2)) + triangularity(d) * Math.cos(3 *
			(theta - theta3)));
	}

	/** Cortical thickness in direction theta at depth d: thin at the plate, thick distally. */
	double cortexThickness(final double theta, final double d) {
		return (tPlate + (tDist - tPlate) * (1 - Math.exp(-d / lambdaT))) * (1 + tAmp * Math.cos(theta - thetaT));
	}

	/** Half thickness of the trabecular plates at depth d (thicker in the primary spongiosa). */
	double trabecularHalfThickness(final double d) {
		return trabHalf * (1 + spongiosaBoost * Math.exp(-d / spongiosaLambda));
	}

	/** Fraction of trabecular plates that survive perforation at depth d (dense below the plate, sparse distally). */
	double trabecularSurvival(final double d) {
		return qDist + (qTop - qDist) * Math.exp(-d / lambdaQ);
	}

	/** z (µm) of the growth-plate centre surface at (x, y): tilt, bowl and undulation around {@link #plateZ}. */
	double plateSurface(final double x, final double y) {
		final double dx = x - axisX, dy = y - axisY;
		double z = plateZ + plateTiltX * dx + plateTiltY * dy + plateBowl * (dx * dx + dy * dy);
		for (final double[] w : plateWaves)
			z += w[3] * Math.sin(w[0] * dx + w[1] * dy + w[2]);
		return z;
	}

	/**
	 * Gap (µm) between the fibula's and the tibia's periosteal surfaces at
	 * depth {@code dA} below {@link #plateZ}, along the fibula's direction. A
	 * separate fibula drifts away distally; a joined one first does the same,
	 * then closes the gap over {@link #junctionApproach} µm, touches the tibia
	 * at {@link #junctionDepth} (the junction) and sinks into its cortex
	 * beyond (negative gap: the cross-sections overlap).
	 */
	double fibulaGap(final double dA) {
		if (p.fibula() == PhantomParameters.Fibula.SEPARATE) return fibulaGap0 + fibulaGapSlope * Math.max(0, dA -
			fibulaStart);
		final double a = junctionDepth - junctionApproach;
		if (dA <= a) return fibulaGap0 + fibulaGapSlope * Math.max(0, dA - fibulaStart);
		if (dA < junctionDepth) return (fibulaGap0 + fibulaGapSlope * Math.max(0, a - fibulaStart)) * (junctionDepth -
			dA) / junctionApproach;
		return -0.6 * fibulaRadius * Math.min(1, (dA - junctionDepth) / junctionApproach);
	}

	/**
	 * Wall thickness of the fibula (µm). A mouse's fibula is nearly solid
	 * cortical bone with a narrow canal: 70 % of its radius. (A separate fibula
	 * keeps the thin shell of cohorts made before.)
	 */
	double fibulaWall() {
		return fibulaJoins() ? 0.7 * fibulaRadius : fibulaShell;
	}

	/** Whether this mouse's fibula fuses with the tibia. */
	public boolean fibulaJoins() {
		return p.fibula() == PhantomParameters.Fibula.JOINED;
	}

	/** The point (anatomy µm) where the fibula first touches the tibia: the tibia–fibula junction. */
	double[] junctionPointUm() {
		final double r = periostealRadius(fibulaAngle, Math.max(0, junctionDepth));
		return new double[] { axisX + r * Math.cos(fibulaAngle), axisY + r * Math.sin(fibulaAngle), plateZ +
			junctionDepth };
	}

	// ---- poses ----

	/** Scan centre in voxel units. */
	double[] scanCentreVox() {
		return new double[] { (nx - 1) / 2.0, (ny - 1) / 2.0, (nz - 1) / 2.0 };
	}

	/** 4 × 4 map from a voxel of week k's scan to the anatomy frame in voxel units (anatomy µm / voxel size). */
	public double[][] scanToAnatomyVoxel(final int week) {
		double[][] rot = Rigid.rotation(rotationDeg[week - 1][0], rotationDeg[week - 1][1], rotationDeg[week - 1][2]);
		if (p.tiltDeg() > 0) rot = Rigid.multiply3(rot, Rigid.axisAngle(new double[] { Math.cos(tiltAzimuth), Math.sin(
			tiltAzimuth), 0 }, p.tiltDeg()));
		return Rigid.aboutCentre(rot, scanCentreVox(), shiftVox[week - 1]);
	}

	/** The ground-truth transform: voxel of week k's scan → voxel of week 1's scan. */
	public double[][] weekToWeek1Voxel(final int week) {
		if (week == 1) return Rigid.identity();
		return Rigid.multiply(Rigid.invert(scanToAnatomyVoxel(1)), scanToAnatomyVoxel(week));
	}

	/** Anatomy-frame µm → week-1 scan voxel. */
	public double[][] anatomyUmToWeek1Voxel() {
		final double[][] s = Rigid.identity();
		for (int i = 0; i < 3; i++)
			s[i][i] = 1 / v;
		return Rigid.multiply(Rigid.invert(scanToAnatomyVoxel(1)), s);
	}

	/** The mouse's name, {@code M001} …. */
	public String name() {
		return name;
	}

	/** The experimental group. */
	public Group group() {
		return group;
	}

	/** Whether this mouse's lesions appear only in the last week. */
	public boolean hardCase() {
		return hardCase;
	}

	/** The tumour foci (empty for controls). */
	public List<Focus> foci() {
		return foci;
	}

	/** Whether week k (1-based) was scanned. */
	public boolean scanned(final int week) {
		return scanned[week - 1];
	}

	/** Growth-plate thickness in µm. */
	public double plateThicknessUm() {
		return plateThickness;
	}
}
