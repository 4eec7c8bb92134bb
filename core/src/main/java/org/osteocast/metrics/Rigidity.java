package org.osteocast.metrics;

import java.util.Locale;

import org.osteocast.core.Stats;

/**
 * CT-based structural rigidity analysis (CTRA) of bone cross-sections: per
 * slice, density is calibrated, converted to an elastic modulus, and the
 * modulus-weighted area and second moments are integrated; the weakest
 * section of a volume of interest governs its strength (Whealan et al.,
 * "Noninvasive imaging predicts failure load of the spine with simulated
 * osteolytic defects", J Bone Joint Surg Am 82(9), 2000; Leong et al.,
 * "Computed tomography-based structural analysis for predicting fracture
 * risk in children with benign skeletal neoplasms", J Bone Joint Surg Am
 * 92:1827, 2010). docs/rigidity.md says which details of these references
 * were checked.
 * <p>
 * For a section with modulus {@code E(x, y)} (per pixel {@code Eᵢ}, area
 * {@code dA}):
 * <ul>
 * <li>axial rigidity {@code EA = Σ Eᵢ dA};</li>
 * <li>bending rigidities {@code EI_min}, {@code EI_max}: the principal values
 * of {@code [Σ Eᵢ yᵢ² dA, −Σ Eᵢ xᵢyᵢ dA; −Σ Eᵢ xᵢyᵢ dA, Σ Eᵢ xᵢ² dA]} about
 * the modulus-weighted centroid (each pixel counted as a filled square, so its
 * own moment {@code Eᵢ dA d²/12} is added, as BoneJ's <i>Slice Geometry</i>
 * does);</li>
 * <li>torsional rigidity {@code GJ = Σ Gᵢ rᵢ² dA} about the same centroid,
 * {@code G = E / (2(1 + ν))}, i.e. {@code GJ = (EI_min + EI_max) / (2(1 + ν))}
 * for a uniform Poisson ratio.</li>
 * </ul>
 * With a uniform {@code E = 1} these are BoneJ's CSA, {@code Imin},
 * {@code Imax} and the polar moment {@code Imin + Imax}.
 * <p>
 * The density-to-modulus relation and the calibration are a {@link Material}:
 * either calibrated (grey → BMD by a linear map, BMD → {@code E = a·ρ^b}) or
 * relative (a uniform modulus over bone, with BoneJ's partial-volume area
 * fraction), which gives rigidities in units of area and area² rather than
 * newtons, good for ratios between weeks and forecasts only.
 * <p>
 * Units: lengths in mm (pixel size given in µm), E in MPa (N/mm²), so
 * {@code EA} in N and {@code EI}, {@code GJ} in N·mm²; in relative mode mm²
 * and mm⁴.
 */
public final class Rigidity {

	private Rigidity() {}

	/** Default coefficient (MPa) and exponent of {@code E = a·ρ^b}, see {@link Material#calibrated}. */
	public static final double DEFAULT_A_MPA = 4730, DEFAULT_B = 1.56;

	/** Default Poisson ratio of cortical bone. */
	public static final double DEFAULT_POISSON = 0.3;

	/** Label of the relative mode (printed beside its numbers). */
	public static final String RELATIVE = "relative (uniform modulus over bone, no density calibration)";

	/**
	 * How grey values become moduli. Immutable. Pixels whose value is at or
	 * below {@link #threshold} are not bone and contribute nothing.
	 */
	public static final class Material {
		/** True: grey → BMD → {@code E = a·ρ^b}; false: relative mode. */
		public final boolean calibrated;
		/** BMD (mg HA/cm³) = slope · grey + intercept; calibrated mode only. */
		public final double slope, intercept;
		/** {@code E (MPa) = a · ρ^b}, ρ = BMD / 1000 in g/cm³; calibrated mode only. */
		public final double a, b;
		/** Poisson ratio. */
		public final double poisson;
		/** Bone mask: value &gt; threshold (in the input's units). */
		public final double threshold;
		/** Partial volume (relative mode): area fraction {@code clamp((v − background) / (foreground − background), 0, 1)}. */
		public final double background, foreground;

		private Material(final boolean calibrated, final double slope, final double intercept, final double a,
			final double b, final double poisson, final double threshold, final double background,
			final double foreground)
		{
			if (!(poisson > -1 && poisson < 0.5)) throw new IllegalArgumentException("Poisson ratio must be in (-1, 0.5), not " +
				poisson);
			if (!Double.isFinite(threshold)) throw new IllegalArgumentException("bone threshold must be finite, not " +
				threshold);
			if (calibrated) {
				if (!Double.isFinite(slope) || slope == 0 || !Double.isFinite(intercept)) throw new IllegalArgumentException(
					"density calibration needs a finite, non-zero slope and a finite intercept");
				if (!(a > 0) || !Double.isFinite(b)) throw new IllegalArgumentException(
					"modulus relation E = a*rho^b needs a > 0 and a finite b");
			}
			else if (!(foreground > background)) throw new IllegalArgumentException(
				"partial volume needs foreground > background, got " + foreground + " and " + background);
			this.calibrated = calibrated;
			this.slope = slope;
			this.intercept = intercept;
			this.a = a;
			this.b = b;
			this.poisson = poisson;
			this.threshold = threshold;
			this.background = background;
			this.foreground = foreground;
		}

		/**
		 * Calibrated mode: {@code BMD = slope · v + intercept} (mg HA/cm³), and
		 * {@code E = a · (BMD/1000)^b} MPa. The default relation
		 * ({@link #DEFAULT_A_MPA} = 4730 MPa, {@link #DEFAULT_B} = 1.56) is Morgan
		 * et al.'s for human vertebral trabecular bone with ρ its apparent density
		 * in g/cm³ (E. F. Morgan et al., "Trabecular bone modulus-density
		 * relationships depend on anatomic site", J Biomech 36:897–904, 2003),
		 * here applied to the HA-equivalent density taken as that ρ (no
		 * ash-to-apparent factor): a substitution, and not the cortical
		 * relation one would want. No published cortical (or whole-bone)
		 * relation could be confirmed from a citable source: Keller 1994's
		 * {@code E = 10500·ρ^2.29} MPa appears only in code whose source could
		 * not be identified and which disagrees on ρ (ash or apparent); Carter
		 * and Hayes 1977's {@code E = 3790·ε̇^0.06·ρ_app³} MPa was confirmed
		 * (github.com/mhogg/bonemapy) but not for cortical bone.
		 * docs/rigidity.md lists what was searched. Give the relation of your
		 * own bone and scanner with {@code a} and {@code b}.
		 *
		 * @param threshold bone mask in the input's units (value &gt; threshold)
		 */
		public static Material calibrated(final double slope, final double intercept, final double a, final double b,
			final double poisson, final double threshold)
		{
			return new Material(true, slope, intercept, a, b, poisson, threshold, Double.NaN, Double.NaN);
		}

		/**
		 * Relative mode: a uniform modulus (1) over bone, each pixel weighted by
		 * BoneJ's partial-volume area fraction. Rigidities are then modulus-free
		 * (EA in mm², EI and GJ·2(1+ν) in mm⁴): compare them only with rigidities
		 * of the same mode.
		 */
		public static Material relative(final double threshold, final double background, final double foreground,
			final double poisson)
		{
			return new Material(false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, poisson, threshold, background,
				foreground);
		}

		/**
		 * Relative mode with the defaults for a volume (e.g. week 1): threshold
		 * Otsu's ({@link LesionMetrics#otsu}), background the median of the values
		 * at or below it, foreground the median of those above it.
		 */
		public static Material relative(final float[][] reference) {
			return relative(reference, LesionMetrics.otsu(reference), DEFAULT_POISSON);
		}

		/**
		 * Relative mode with a given bone threshold: background the median of the
		 * reference's values at or below it, foreground the median of those above.
		 */
		public static Material relative(final float[][] reference, final double threshold, final double poisson) {
			final double[] m = medians(reference, threshold);
			return relative(threshold, m[0], m[1] > m[0] ? m[1] : m[0] + 1e-6, poisson);
		}

		/** The modulus of a pixel of value {@code v} (0 when not bone). */
		public double modulus(final double v) {
			if (!(v > threshold)) return 0;
			if (calibrated) {
				final double rho = (slope * v + intercept) / 1000;
				return rho > 0 ? a * Math.pow(rho, b) : 0;
			}
			final double f = (v - background) / (foreground - background);
			return f < 0 ? 0 : f > 1 ? 1 : f;
		}

		/** The same material with another threshold (e.g. in grey values instead of normalised ones). */
		public Material withThreshold(final double t) {
			return new Material(calibrated, slope, intercept, a, b, poisson, t, background, foreground);
		}

		/** Units of EA and of EI/GJ. */
		public String[] units() {
			return calibrated ? new String[] { "N", "N*mm^2" } : new String[] { "mm^2", "mm^4" };
		}

		@Override
		public String toString() {
			return calibrated ? String.format(Locale.ROOT,
				"calibrated: BMD = %.6g * v + %.6g mg HA/cm3, E = %.6g * rho^%.4g MPa, nu = %.3g, bone: v > %.6g", slope,
				intercept, a, b, poisson, threshold) : String.format(Locale.ROOT,
					"%s: bone v > %.6g, area fraction (v - %.6g) / (%.6g - %.6g), nu = %.3g", RELATIVE, threshold, background,
					foreground, background, poisson);
		}
	}

	/** Medians of the values at or below and above {@code t}. */
	static double[] medians(final float[][] planes, final double t) {
		int lo = 0, hi = 0;
		for (final float[] p : planes)
			for (final float v : p)
				if (v > t) hi++;
				else lo++;
		final double[] a = new double[lo], b = new double[hi];
		int i = 0, j = 0;
		for (final float[] p : planes)
			for (final float v : p)
				if (v > t) b[j++] = v;
				else a[i++] = v;
		return new double[] { median(a, t), median(b, t) };
	}

	private static double median(final double[] v, final double fallback) {
		return v.length == 0 ? fallback : Stats.medianInPlace(v);
	}

	/**
	 * Modulus-weighted moments of a section, accumulated element by element
	 * about a fixed origin: {@code Σ E}, {@code Σ E x}, … where each element
	 * gives its exact area integrals ({@code ∫dA}, {@code ∫x dA}, …). Pixels are
	 * one kind of element ({@link #addPixel}); the analytic tests add exact
	 * annular sectors.
	 */
	public static final class Moments {
		double m0, mx, my, mxx, myy, mxy;

		/**
		 * Adds an element of modulus {@code e} with area integrals {@code a = ∫dA},
		 * {@code sx = ∫x dA}, {@code sy = ∫y dA}, {@code sxx = ∫x² dA},
		 * {@code syy = ∫y² dA}, {@code sxy = ∫xy dA}.
		 */
		public Moments add(final double e, final double a, final double sx, final double sy, final double sxx,
			final double syy, final double sxy)
		{
			m0 += e * a;
			mx += e * sx;
			my += e * sy;
			mxx += e * sxx;
			myy += e * syy;
			mxy += e * sxy;
			return this;
		}

		/** Adds a filled square pixel of side {@code d} centred at (x, y), modulus {@code e}. */
		public Moments addPixel(final double e, final double x, final double y, final double d) {
			final double a = d * d;
			return add(e, a, a * x, a * y, a * (x * x + d * d / 12), a * (y * y + d * d / 12), a * x * y);
		}

		/** The rigidities, with Poisson ratio {@code nu}. */
		public Section section(final double nu) {
			if (!(m0 > 0)) return new Section(0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0);
			final double cx = mx / m0, cy = my / m0;
			final double ixx = myy - cy * my; // about the x axis through the centroid: Σ E y² dA
			final double iyy = mxx - cx * mx;
			final double ixy = mxy - cx * my;
			final double mean = (ixx + iyy) / 2, dev = Math.hypot((ixx - iyy) / 2, ixy);
			final double theta = 0.5 * Math.atan2(-2 * ixy, ixx - iyy); // angle of the axis of EI_max from x
			final double polar = ixx + iyy;
			return new Section(m0, mean - dev, mean + dev, polar / (2 * (1 + nu)), cx, cy, theta, polar);
		}
	}

	/** The rigidities of one section. */
	public static final class Section {
		/** Axial rigidity Σ E dA. */
		public final double ea;
		/** Principal bending rigidities about the modulus-weighted centroid. */
		public final double eiMin, eiMax;
		/** Torsional rigidity Σ G r² dA. */
		public final double gj;
		/** Modulus-weighted centroid (mm, from the image centre: x right, y down); NaN for an empty section. */
		public final double cx, cy;
		/** Angle (rad, from the x axis) of the axis about which the bending rigidity is largest. */
		public final double theta;
		/** Σ E r² dA (the modulus-weighted polar moment, = EI_min + EI_max). */
		public final double ej;

		Section(final double ea, final double eiMin, final double eiMax, final double gj, final double cx,
			final double cy, final double theta, final double ej)
		{
			this.ea = ea;
			this.eiMin = eiMin;
			this.eiMax = eiMax;
			this.gj = gj;
			this.cx = cx;
			this.cy = cy;
			this.theta = theta;
			this.ej = ej;
		}
	}

	/**
	 * The rigidities of one slice ({@code width × height} pixels, row-major) with
	 * square pixels of {@code pixelUm} µm. Coordinates are taken from the image
	 * centre, so that sums stay well conditioned.
	 */
	public static Section slice(final float[] plane, final int width, final int height, final double pixelUm,
		final Material m)
	{
		if (plane.length != width * height) throw new IllegalArgumentException("plane has " + plane.length +
			" pixels, not " + width + " x " + height);
		if (!(pixelUm > 0)) throw new IllegalArgumentException("pixel size must be > 0, not " + pixelUm);
		final double d = pixelUm / 1000;
		final Moments mo = new Moments();
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				final double e = m.modulus(plane[y * width + x]);
				if (e > 0) mo.addPixel(e, (x + 0.5 - width / 2.0) * d, (y + 0.5 - height / 2.0) * d, d);
			}
		return mo.section(m.poisson);
	}

	/**
	 * The rigidity of every slice of a volume, and where each is smallest: over
	 * all slices, or from {@link #searchFrom} on when a proximal margin is left
	 * out ({@link #fromSlice}).
	 */
	public static final class Profile {
		public final Section[] slices;
		/** The first slice (0-based) of the minimum search. */
		public final int searchFrom;

		Profile(final Section[] slices) {
			this(slices, 0);
		}

		private Profile(final Section[] slices, final int searchFrom) {
			this.slices = slices;
			this.searchFrom = searchFrom;
		}

		/**
		 * The same slices with the minimum searched from slice {@code first} on
		 * (0-based; at most the last slice, so that a minimum always exists).
		 */
		public Profile fromSlice(final int first) {
			if (first < 0) throw new IllegalArgumentException("first slice of the search must be >= 0, not " + first);
			return new Profile(slices, Math.min(first, slices.length - 1));
		}

		public double[] ea() {
			return column(0);
		}

		public double[] eiMin() {
			return column(1);
		}

		public double[] eiMax() {
			return column(2);
		}

		public double[] gj() {
			return column(3);
		}

		/** Column 0 EA, 1 EI_min, 2 EI_max, 3 GJ. */
		public double[] column(final int c) {
			final double[] v = new double[slices.length];
			for (int i = 0; i < v.length; i++) {
				final Section s = slices[i];
				v[i] = c == 0 ? s.ea : c == 1 ? s.eiMin : c == 2 ? s.eiMax : s.gj;
			}
			return v;
		}

		/**
		 * The slice (0-based, counted from the first slice of the volume) where
		 * column {@code c} is smallest from {@link #searchFrom} on (the first of
		 * ties).
		 */
		public int weakest(final int c) {
			final double[] v = column(c);
			int k = searchFrom;
			for (int i = searchFrom + 1; i < v.length; i++)
				if (v[i] < v[k]) k = i;
			return k;
		}

		/** The smallest value of column {@code c} over the VOI (from {@link #searchFrom} on). */
		public double min(final int c) {
			return column(c)[weakest(c)];
		}

		/** {min EA, min EI_min, min GJ}. */
		public double[] minima() {
			return new double[] { min(0), min(1), min(3) };
		}
	}

	/**
	 * The proximal margin left out of the minimum search of a VOI that starts at
	 * the growth plate (µm). The VOI's first slices still lie in the plate's
	 * transition, where the cortex has not yet closed and the rigidity climbs over
	 * 60–100 µm; there the intact bone's minimum sits at the cut, not in the
	 * shaft, and its drop measures the plate's edge (docs/rigidity.md, "The
	 * weakest slice at the ends of the VOI").
	 */
	public static final double PROXIMAL_MARGIN_UM = 100;

	/**
	 * Refuses a proximal margin (µm) that is negative, not a number or absurdly
	 * large (1 m and more: a value in the wrong unit).
	 *
	 * @throws IllegalArgumentException naming the margin in mm, as the options take it
	 */
	public static void checkMargin(final double marginUm) {
		if (!(marginUm >= 0 && marginUm < 1e6)) throw new IllegalArgumentException(
			"the proximal margin must be >= 0 mm and below 1000 mm, not " + marginUm / 1000 + " mm");
	}

	/**
	 * The number of slices of thickness {@code sliceUm} that a proximal margin of
	 * {@code marginUm} covers (rounded up: a slice that reaches into the margin
	 * is left out).
	 */
	public static int marginSlices(final double marginUm, final double sliceUm) {
		if (!(marginUm >= 0)) throw new IllegalArgumentException("proximal margin must be >= 0, not " + marginUm);
		if (!(sliceUm > 0)) throw new IllegalArgumentException("slice thickness must be > 0, not " + sliceUm);
		return (int) Math.ceil(marginUm / sliceUm - 1e-9);
	}

	/** {@link #slice} for every plane of a volume. */
	public static Profile profile(final float[][] planes, final int width, final int height, final double pixelUm,
		final Material m)
	{
		if (planes.length == 0) throw new IllegalArgumentException("a volume with no slices has no rigidity");
		final Section[] s = new Section[planes.length];
		for (int z = 0; z < planes.length; z++)
			s[z] = slice(planes[z], width, height, pixelUm, m);
		return new Profile(s);
	}

	/**
	 * The relative drop of each VOI minimum from a reference (week 1) to a later
	 * week: {@code 1 − min_k / min_ref} for EA, EI_min and GJ.
	 */
	public static double[] drops(final Profile reference, final Profile later) {
		return drops(reference.minima(), later.minima());
	}

	/** {@link #drops(Profile, Profile)} from the minima {EA, EI_min, GJ} of both. */
	public static double[] drops(final double[] referenceMinima, final double[] laterMinima) {
		final double[] d = new double[3];
		for (int i = 0; i < 3; i++)
			d[i] = referenceMinima[i] > 0 ? 1 - laterMinima[i] / referenceMinima[i] : Double.NaN;
		return d;
	}

	/**
	 * The CTRA fracture-risk drop: the largest relative reduction of the
	 * minimum axial, bending or torsional rigidity. CTRA compares a bone with
	 * the contralateral one and predicts fracture when a rigidity falls by more
	 * than a threshold (35 % by default, settable; see docs/rigidity.md for its
	 * source); here the reference is the same bone at week 1.
	 */
	public static double worstDrop(final Profile reference, final Profile later) {
		return worstDrop(reference.minima(), later.minima());
	}

	/** {@link #worstDrop(Profile, Profile)} from the minima {EA, EI_min, GJ} of both. */
	public static double worstDrop(final double[] referenceMinima, final double[] laterMinima) {
		double w = Double.NaN;
		for (final double d : drops(referenceMinima, laterMinima))
			if (!Double.isNaN(d) && (Double.isNaN(w) || d > w)) w = d;
		return w;
	}

	/** The drop above which a bone counts as at fracture risk by default (35 %). */
	public static final double DEFAULT_DROP = 0.35;

	/** {@link #DEFAULT_DROP} in per cent, as the {@code --drop} options take it. */
	public static final double DEFAULT_DROP_PERCENT = 35;

	/**
	 * The drop threshold as a fraction from the percentage a user gives
	 * ({@code --drop 35}); a value below 1 is refused because it is almost
	 * surely a fraction meant as a percentage.
	 *
	 * @throws IllegalArgumentException unless 1 &le; pct &lt; 100
	 */
	public static double dropFromPercent(final double pct) {
		if (!(pct >= 1 && pct < 100)) throw new IllegalArgumentException(String.format(Locale.ROOT,
			"the fracture-risk drop is a percentage from 1 to below 100 (e.g. 35 for 35 %%), not %s", pct < 1 && pct > 0
				? pct + " (a fraction? write " + String.format(Locale.ROOT, "%.4g", 100 * pct) + ")" : Double.toString(pct)));
		return pct / 100;
	}
}
