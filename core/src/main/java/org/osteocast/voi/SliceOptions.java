package org.osteocast.voi;

import java.util.Locale;

/**
 * Settings of the VOI cut, shared by the command line ({@code osteocast slice}),
 * the Fiji command and the library. Defaults follow Xiong et al. 2022: a VOI
 * of 2.1 mm below the growth plate as 48 slices of 64 x 64, weeks 1-4.
 * Mutable plain fields (set what differs from the default, then call
 * {@link #validate()}).
 */
public final class SliceOptions {

	/** Where the VOI starts. */
	public enum Anchor {
		/** Below the growth plate's metaphyseal edge (Xiong et al. 2022; the default). */
		GROWTH_PLATE("growth-plate"),
		/** At the tibia–fibula junction, running distally (BoneMet: the 300 slices below it). */
		TF_JUNCTION("tf-junction");

		private final String label;

		Anchor(final String label) {
			this.label = label;
		}

		/** {@code growth-plate} or {@code tf-junction}. */
		public String label() {
			return label;
		}

		/** Parses {@code growth-plate} or {@code tf-junction} (case-insensitive; '_' for '-' too). */
		public static Anchor parse(final String s) {
			final String t = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
			for (final Anchor a : values())
				if (a.label.equals(t)) return a;
			throw new IllegalArgumentException("--anchor must be growth-plate or tf-junction, not '" + s + "'");
		}
	}

	/** Output slices along the VOI. */
	public int slices = 48;
	/** Output width and height in pixels. */
	public int size = 64;
	/** VOI thickness along z in mm. */
	public double voiMm = 2.1;
	/** VOI thickness in slices of week 1 (BoneMet: 300); when set it replaces {@link #voiMm}. */
	public Integer voiSlices = null;
	/** What the VOI start is found from (unless {@link #voiStart} is given). */
	public Anchor anchor = Anchor.GROWTH_PLATE;
	/**
	 * Which bone component to use when the field of view holds several (both
	 * tibiae, femur and tibia): 1 = the largest, 2 = the next …; null = the
	 * largest tibia-like one.
	 */
	public Integer component = null;
	/**
	 * Reslice week 1 (and every week with it) along the bone's principal axis
	 * when that axis deviates from z by more than this (degrees); 90 = never.
	 */
	public double resliceAboveDeg = 10;
	/** Manual VOI start (slice index of week 1, the first slice inside the VOI); null = detect the growth plate. */
	public Integer voiStart = null;
	/** Shift of the VOI start away from the plate towards the diaphysis (mm; negative = towards the plate). */
	public double offsetMm = 0;
	/** Which end of the scan is proximal. */
	public GrowthPlateDetector.Proximal proximal = GrowthPlateDetector.Proximal.AUTO;
	/** Side of the square in-plane crop in mm; null = the bone's bounding square plus {@link #cropMargin}. */
	public Double cropMm = null;
	/** Relative margin added to the automatic crop (0.1 = 10 %). */
	public double cropMargin = 0.1;
	/** Number of weeks per mouse, starting at week 1. */
	public int weeks = 4;
	/** Fraction of mice for training + validation (the rest is the test set). */
	public double trainFraction = 0.8;
	/** Fraction of the training mice held out for validation (at least one mouse when there are two or more). */
	public double valFraction = 1.0 / 8;
	/** Seed of the split. */
	public long seed = 42;
	/** Fixed intensity window {lo, hi}; null = percentiles of the training mice. */
	public double[] window = null;
	/**
	 * Use weeks whose registration was flagged unreliable ({@code "reliable":
	 * false} in the {@code .transform.json} beside the scan); by default such a
	 * mouse is skipped and listed.
	 */
	public boolean includeUnreliable = false;
	/** Lower and upper percentile (in %) of the automatic window. */
	public double percentileLo = 0.5, percentileHi = 99.5;
	/** Growth-plate detection settings. */
	public GrowthPlateDetector.Options detection = new GrowthPlateDetector.Options();

	/** Checks ranges; throws IllegalArgumentException naming the option. */
	public SliceOptions validate() {
		if (slices < 1) throw new IllegalArgumentException("--slices must be at least 1, not " + slices);
		if (size < 1) throw new IllegalArgumentException("--size must be at least 1, not " + size);
		if (!(voiMm > 0) || Double.isInfinite(voiMm)) throw new IllegalArgumentException("--voi-mm must be positive, not " +
			voiMm);
		if (voiSlices != null && voiSlices < 1) throw new IllegalArgumentException("--voi-slices must be at least 1, not " +
			voiSlices);
		if (anchor == null) throw new IllegalArgumentException("--anchor must be growth-plate or tf-junction");
		if (component != null && component < 1) throw new IllegalArgumentException(
			"--component must be 1 (the largest bone) or more, not " + component);
		if (!(resliceAboveDeg >= 0 && resliceAboveDeg <= 90)) throw new IllegalArgumentException(
			"--reslice-above-deg must be 0 … 90, not " + resliceAboveDeg);
		if (voiStart != null && voiStart < 0) throw new IllegalArgumentException("--voi-start must be a slice index >= 0");
		if (!Double.isFinite(offsetMm)) throw new IllegalArgumentException("--offset-mm must be finite");
		if (cropMm != null && !(cropMm > 0)) throw new IllegalArgumentException("--crop-mm must be positive");
		if (!(cropMargin >= 0)) throw new IllegalArgumentException("crop margin must be >= 0");
		if (weeks < 2) throw new IllegalArgumentException("--weeks must be at least 2 (observed weeks and a target), not " +
			weeks);
		if (!(trainFraction > 0 && trainFraction <= 1)) throw new IllegalArgumentException(
			"--split must be in (0, 1], not " + trainFraction);
		if (!(valFraction >= 0 && valFraction < 1)) throw new IllegalArgumentException(
			"validation fraction must be in [0, 1), not " + valFraction);
		if (window != null && (window.length != 2 || !(window[1] > window[0]))) throw new IllegalArgumentException(
			"--window needs LO,HI with LO < HI");
		if (!(percentileLo >= 0 && percentileLo < percentileHi && percentileHi <= 100)) throw new IllegalArgumentException(
			"percentiles must satisfy 0 <= lo < hi <= 100");
		return this;
	}

	/** Parses {@code "LO,HI"}. */
	public static double[] parseWindow(final String s) {
		final String[] p = s.split(",");
		if (p.length != 2) throw new IllegalArgumentException("--window needs LO,HI, not '" + s + "'");
		try {
			return new double[] { Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()) };
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("--window needs two numbers LO,HI, not '" + s + "'");
		}
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "slices=%d size=%d voi=%s anchor=%s start=%s offset=%.3fmm proximal=%s weeks=%d",
			slices, size, voiSlices != null ? voiSlices + " slices" : String.format(Locale.ROOT, "%.3fmm", voiMm), anchor
				.label(), voiStart == null ? "auto" : voiStart.toString(), offsetMm, proximal, weeks);
	}
}
