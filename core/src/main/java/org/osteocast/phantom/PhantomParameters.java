package org.osteocast.phantom;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.osteocast.core.Parallel;

/**
 * Every setting of the synthetic cohort in one immutable object, made with a
 * {@link Builder} whose defaults give the documented default cohort (8 mice ×
 * 4 weekly scans at 20 µm). Keeping them in one place lets the command line,
 * a Fiji command and the tests share one set of names, defaults and checks;
 * {@code docs/phantom.md} says which fact of the paper or of bone biology each
 * one stands for.
 * <p>
 * Grey values are those of a 16-bit NRecon reconstruction: 0 … 65535, air
 * low, soft tissue a little higher, mineralised bone high.
 */
public final class PhantomParameters {

	/** How the weekly scans are written. */
	public enum Format {
		/** One calibrated 16-bit multi-page TIFF per scan: {@code <mouse>/week<k>.tif}. */
		TIFF,
		/** A Bruker SkyScan NRecon reconstruction folder per scan: {@code <mouse>/week<k>/}. */
		SKYSCAN;

		/** Parses {@code tiff} or {@code skyscan} (case-insensitive). */
		public static Format parse(final String s) {
			switch (s.trim().toLowerCase(Locale.ROOT)) {
				case "tif":
				case "tiff":
					return TIFF;
				case "skyscan":
				case "nrecon":
					return SKYSCAN;
				default:
					throw new IllegalArgumentException("unknown format '" + s + "' (expected tiff or skyscan)");
			}
		}
	}

	/** How the fibula meets the tibia. */
	public enum Fibula {
		/** The fibula runs beside the tibia and fuses with it distally, at the tibia–fibula junction (as in a mouse). */
		JOINED,
		/** The fibula never touches the tibia (the model of cohorts made before the junction was modelled). */
		SEPARATE;

		/** Parses {@code joined} or {@code separate} (case-insensitive). */
		public static Fibula parse(final String s) {
			switch (s.trim().toLowerCase(Locale.ROOT)) {
				case "joined":
					return JOINED;
				case "separate":
					return SEPARATE;
				default:
					throw new IllegalArgumentException("unknown fibula '" + s + "' (expected joined or separate)");
			}
		}
	}

	private final int mice;
	private final int weeks;
	private final long seed;
	private final Format format;
	private final double voxelUm;
	private final double scanLengthUm;
	private final double fieldOfViewUm;
	private final double tumourFraction;
	private final double loadedFraction;
	private final double hardFraction;
	private final double missingWeekProb;
	private final double noiseSd;
	private final boolean rings;
	private final double maxRotationDeg;
	private final double maxShiftVox;
	private final double psfSigmaVox;
	private final double airGrey;
	private final double softTissueGrey;
	private final double boneGrey;
	private final Fibula fibula;
	private final double junctionDepthUm;
	private final double tiltDeg;
	private final int threads;
	private final boolean overwrite;

	private PhantomParameters(final Builder b) {
		mice = b.mice;
		weeks = b.weeks;
		seed = b.seed;
		format = b.format;
		voxelUm = b.voxelUm;
		scanLengthUm = b.scanLengthUm;
		fieldOfViewUm = b.fieldOfViewUm;
		tumourFraction = b.tumourFraction;
		loadedFraction = b.loadedFraction;
		hardFraction = b.hardFraction;
		missingWeekProb = b.missingWeekProb;
		noiseSd = b.noiseSd;
		rings = b.rings;
		maxRotationDeg = b.maxRotationDeg;
		maxShiftVox = b.maxShiftVox;
		psfSigmaVox = b.psfSigmaVox;
		airGrey = b.airGrey;
		softTissueGrey = b.softTissueGrey;
		boneGrey = b.boneGrey;
		fibula = b.fibula;
		junctionDepthUm = b.junctionDepthUm;
		tiltDeg = b.tiltDeg;
		threads = b.threads;
		overwrite = b.overwrite;
	}

	/** A builder holding the defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** A builder starting from these values. */
	public Builder toBuilder() {
		final Builder b = new Builder();
		b.mice = mice;
		b.weeks = weeks;
		b.seed = seed;
		b.format = format;
		b.voxelUm = voxelUm;
		b.scanLengthUm = scanLengthUm;
		b.fieldOfViewUm = fieldOfViewUm;
		b.tumourFraction = tumourFraction;
		b.loadedFraction = loadedFraction;
		b.hardFraction = hardFraction;
		b.missingWeekProb = missingWeekProb;
		b.noiseSd = noiseSd;
		b.rings = rings;
		b.maxRotationDeg = maxRotationDeg;
		b.maxShiftVox = maxShiftVox;
		b.psfSigmaVox = psfSigmaVox;
		b.airGrey = airGrey;
		b.softTissueGrey = softTissueGrey;
		b.boneGrey = boneGrey;
		b.fibula = fibula;
		b.junctionDepthUm = junctionDepthUm;
		b.tiltDeg = tiltDeg;
		b.threads = threads;
		b.overwrite = overwrite;
		return b;
	}

	/** Number of mice (default 8). */
	public int mice() {
		return mice;
	}

	/** Weekly scans scheduled per mouse, weeks 1 … W (default 4, the paper's weeks 1–4). */
	public int weeks() {
		return weeks;
	}

	/** The master seed; every random draw derives from it (default 1). */
	public long seed() {
		return seed;
	}

	/** Output format of the scans (default TIFF). The ground truth is always TIFF and JSON. */
	public Format format() {
		return format;
	}

	/** Isotropic voxel size in µm (default 20; the paper's scans are 7 µm). */
	public double voxelUm() {
		return voxelUm;
	}

	/** Scan length along the bone axis in µm (default 3200: epiphysis + growth plate + the 2.1 mm VOI + margin). */
	public double scanLengthUm() {
		return scanLengthUm;
	}

	/** Width and height of the reconstructed cross-section in µm (default 2400). */
	public double fieldOfViewUm() {
		return fieldOfViewUm;
	}

	/** Fraction of mice given an intratibial tumour injection; the rest are saline controls (default 0.75). */
	public double tumourFraction() {
		return tumourFraction;
	}

	/** Fraction of tumour mice whose tibia is also mechanically loaded: slower lesion growth (default 0). */
	public double loadedFraction() {
		return loadedFraction;
	}

	/** Fraction of tumour mice whose lesions appear only in the last week, without a precursor (default 0.2). */
	public double hardFraction() {
		return hardFraction;
	}

	/** Probability that a scan of week ≥ 2 is missed (week 1 is always scanned: it is the reference; default 0.1). */
	public double missingWeekProb() {
		return missingWeekProb;
	}

	/** Standard deviation of the Gaussian image noise in grey levels (default 1500; 0 = noise-free). */
	public double noiseSd() {
		return noiseSd;
	}

	/** Whether to add concentric ring artefacts around the rotation axis (default off). */
	public boolean rings() {
		return rings;
	}

	/** Largest misalignment rotation about each axis in degrees, for every week including week 1 (default 5). */
	public double maxRotationDeg() {
		return maxRotationDeg;
	}

	/** Largest misalignment shift along each axis in voxels (default 5). */
	public double maxShiftVox() {
		return maxShiftVox;
	}

	/** Gaussian point-spread function sigma in voxels, on top of partial-volume sampling (default 0.6). */
	public double psfSigmaVox() {
		return psfSigmaVox;
	}

	/** Grey value of air (default 8000, where NRecon's usual attenuation window puts zero attenuation). */
	public double airGrey() {
		return airGrey;
	}

	/** Grey value of muscle and other soft tissue (default 14000); marrow, cartilage and tumour sit just above. */
	public double softTissueGrey() {
		return softTissueGrey;
	}

	/** Grey value of fully mineralised cortical bone (default 48000); trabecular bone is 8 % less dense. */
	public double boneGrey() {
		return boneGrey;
	}

	/**
	 * How the fibula meets the tibia (default {@link Fibula#JOINED}: it fuses
	 * with the tibia {@link #junctionDepthUm()} below the growth plate).
	 */
	public Fibula fibula() {
		return fibula;
	}

	/**
	 * Mean depth of the tibia–fibula junction below the growth plate in µm
	 * (default 2250, each mouse ±4 %; used with {@link Fibula#JOINED}). In a
	 * mouse the fibula fuses further down the shaft; the default puts the
	 * junction just past the paper's 2.1 mm VOI, near the end of a default
	 * scan, so that a default scan holds both anchors. Give a longer {@link #scanLengthUm()} for a BoneMet-style
	 * region below the junction.
	 */
	public double junctionDepthUm() {
		return junctionDepthUm;
	}

	/**
	 * Tilt of the bone axis from the scanner axis in degrees, the same in every
	 * week, about an in-plane axis of random direction per mouse (default 0);
	 * added to the weekly misalignment. Real legs are often mounted at an
	 * angle; a tilted tibia needs a wider field of view and a longer scan.
	 */
	public double tiltDeg() {
		return tiltDeg;
	}

	/** Worker threads (0 = {@link Parallel#threads()}). The bytes written do not depend on it. */
	public int threads() {
		return threads;
	}

	/** Threads actually used. */
	public int effectiveThreads() {
		return threads > 0 ? threads : Parallel.threads();
	}

	/** Whether an existing cohort ({@code cohort.csv}) in the output folder may be overwritten (default false). */
	public boolean overwrite() {
		return overwrite;
	}

	/** Scan width and height in voxels. */
	public int scanWidth() {
		return Math.max(8, (int) Math.round(fieldOfViewUm / voxelUm));
	}

	/** Number of slices per scan. */
	public int scanDepth() {
		return Math.max(8, (int) Math.round(scanLengthUm / voxelUm));
	}

	/** The parameters as an ordered map (written to {@code phantom.json} so a cohort can be remade). */
	public Map<String, Object> asMap() {
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("mice", mice);
		m.put("weeks", weeks);
		m.put("seed", seed);
		m.put("format", format.name().toLowerCase(Locale.ROOT));
		m.put("voxel_um", voxelUm);
		m.put("scan_length_um", scanLengthUm);
		m.put("field_of_view_um", fieldOfViewUm);
		m.put("tumour_fraction", tumourFraction);
		m.put("loaded_fraction", loadedFraction);
		m.put("hard_fraction", hardFraction);
		m.put("missing_week_prob", missingWeekProb);
		m.put("noise_sd", noiseSd);
		m.put("rings", rings);
		m.put("max_rotation_deg", maxRotationDeg);
		m.put("max_shift_vox", maxShiftVox);
		m.put("psf_sigma_vox", psfSigmaVox);
		m.put("air_grey", airGrey);
		m.put("soft_tissue_grey", softTissueGrey);
		m.put("bone_grey", boneGrey);
		m.put("fibula", fibula.name().toLowerCase(Locale.ROOT));
		m.put("junction_depth_um", junctionDepthUm);
		m.put("tilt_deg", tiltDeg);
		return m;
	}

	@Override
	public String toString() {
		return "PhantomParameters" + asMap();
	}

	/**
	 * Builds {@link PhantomParameters}; {@link #build()} checks every value and
	 * names the offending one.
	 */
	public static final class Builder {
		private int mice = 8;
		private int weeks = 4;
		private long seed = 1;
		private Format format = Format.TIFF;
		private double voxelUm = 20;
		private double scanLengthUm = 3200;
		private double fieldOfViewUm = 2400;
		private double tumourFraction = 0.75;
		private double loadedFraction = 0;
		private double hardFraction = 0.2;
		private double missingWeekProb = 0.1;
		private double noiseSd = 1500;
		private boolean rings = false;
		private double maxRotationDeg = 5;
		private double maxShiftVox = 5;
		private double psfSigmaVox = 0.6;
		private double airGrey = 8000;
		private double softTissueGrey = 14000;
		private double boneGrey = 48000;
		private Fibula fibula = Fibula.JOINED;
		private double junctionDepthUm = 2250;
		private double tiltDeg = 0;
		private int threads = 0;
		private boolean overwrite = false;

		private Builder() {}

		/** Sets {@link PhantomParameters#mice()}. */
		public Builder mice(final int v) {
			mice = v;
			return this;
		}

		/** Sets {@link PhantomParameters#weeks()}. */
		public Builder weeks(final int v) {
			weeks = v;
			return this;
		}

		/** Sets {@link PhantomParameters#seed()}. */
		public Builder seed(final long v) {
			seed = v;
			return this;
		}

		/** Sets {@link PhantomParameters#format()}. */
		public Builder format(final Format v) {
			format = v;
			return this;
		}

		/** Sets {@link PhantomParameters#voxelUm()}. */
		public Builder voxelUm(final double v) {
			voxelUm = v;
			return this;
		}

		/** Sets {@link PhantomParameters#scanLengthUm()}. */
		public Builder scanLengthUm(final double v) {
			scanLengthUm = v;
			return this;
		}

		/** Sets {@link PhantomParameters#fieldOfViewUm()}. */
		public Builder fieldOfViewUm(final double v) {
			fieldOfViewUm = v;
			return this;
		}

		/** Sets {@link PhantomParameters#tumourFraction()}. */
		public Builder tumourFraction(final double v) {
			tumourFraction = v;
			return this;
		}

		/** Sets {@link PhantomParameters#loadedFraction()}. */
		public Builder loadedFraction(final double v) {
			loadedFraction = v;
			return this;
		}

		/** Sets {@link PhantomParameters#hardFraction()}. */
		public Builder hardFraction(final double v) {
			hardFraction = v;
			return this;
		}

		/** Sets {@link PhantomParameters#missingWeekProb()}. */
		public Builder missingWeekProb(final double v) {
			missingWeekProb = v;
			return this;
		}

		/** Sets {@link PhantomParameters#noiseSd()}. */
		public Builder noiseSd(final double v) {
			noiseSd = v;
			return this;
		}

		/** Sets {@link PhantomParameters#rings()}. */
		public Builder rings(final boolean v) {
			rings = v;
			return this;
		}

		/** Sets {@link PhantomParameters#maxRotationDeg()}. */
		public Builder maxRotationDeg(final double v) {
			maxRotationDeg = v;
			return this;
		}

		/** Sets {@link PhantomParameters#maxShiftVox()}. */
		public Builder maxShiftVox(final double v) {
			maxShiftVox = v;
			return this;
		}

		/** Sets {@link PhantomParameters#psfSigmaVox()}. */
		public Builder psfSigmaVox(final double v) {
			psfSigmaVox = v;
			return this;
		}

		/** Sets {@link PhantomParameters#airGrey()}. */
		public Builder airGrey(final double v) {
			airGrey = v;
			return this;
		}

		/** Sets {@link PhantomParameters#softTissueGrey()}. */
		public Builder softTissueGrey(final double v) {
			softTissueGrey = v;
			return this;
		}

		/** Sets {@link PhantomParameters#boneGrey()}. */
		public Builder boneGrey(final double v) {
			boneGrey = v;
			return this;
		}

		/** Sets {@link PhantomParameters#fibula()}. */
		public Builder fibula(final Fibula v) {
			fibula = v;
			return this;
		}

		/** Sets {@link PhantomParameters#junctionDepthUm()}. */
		public Builder junctionDepthUm(final double v) {
			junctionDepthUm = v;
			return this;
		}

		/** Sets {@link PhantomParameters#tiltDeg()}. */
		public Builder tiltDeg(final double v) {
			tiltDeg = v;
			return this;
		}

		/** Sets {@link PhantomParameters#threads()}. */
		public Builder threads(final int v) {
			threads = v;
			return this;
		}

		/** Sets {@link PhantomParameters#overwrite()}. */
		public Builder overwrite(final boolean v) {
			overwrite = v;
			return this;
		}

		/**
		 * Checks and freezes the values.
		 *
		 * @throws IllegalArgumentException naming the first bad parameter
		 */
		public PhantomParameters build() {
			check(mice >= 1 && mice <= 99999, "mice must be 1 … 99999, got " + mice);
			check(weeks >= 2 && weeks <= 12, "weeks must be 2 … 12, got " + weeks);
			check(format != null, "format must be set");
			check(voxelUm >= 2 && voxelUm <= 100, "voxel size must be 2 … 100 µm, got " + voxelUm);
			check(scanLengthUm >= 2800 && scanLengthUm <= 25000,
				"scan length must be 2800 … 25000 µm (the epiphysis, the growth plate and the 2.1 mm VOI must fit), got " +
					scanLengthUm);
			check(fieldOfViewUm >= 1800 && fieldOfViewUm <= 6000,
				"field of view must be 1800 … 6000 µm (the tibia is about 1.7 mm wide), got " + fieldOfViewUm);
			check(fraction(tumourFraction), "tumour fraction must be 0 … 1, got " + tumourFraction);
			check(fraction(loadedFraction), "loaded fraction must be 0 … 1, got " + loadedFraction);
			check(fraction(hardFraction), "hard fraction must be 0 … 1, got " + hardFraction);
			check(fraction(missingWeekProb), "missing-week probability must be 0 … 1, got " + missingWeekProb);
			check(noiseSd >= 0 && noiseSd <= 20000, "noise SD must be 0 … 20000 grey levels, got " + noiseSd);
			check(maxRotationDeg >= 0 && maxRotationDeg <= 30, "max rotation must be 0 … 30 degrees, got " +
				maxRotationDeg);
			check(maxShiftVox >= 0 && maxShiftVox <= 50, "max shift must be 0 … 50 voxels, got " + maxShiftVox);
			check(psfSigmaVox >= 0 && psfSigmaVox <= 5, "PSF sigma must be 0 … 5 voxels, got " + psfSigmaVox);
			check(airGrey >= 0 && airGrey < softTissueGrey && softTissueGrey + 2000 < boneGrey && boneGrey <= 65535,
				"grey values must satisfy 0 <= air < soft tissue < soft tissue + 2000 < bone <= 65535, got " + airGrey +
					", " + softTissueGrey + ", " + boneGrey);
			check(fibula != null, "fibula must be set");
			check(junctionDepthUm >= 800 && junctionDepthUm <= 20000, "junction depth must be 800 … 20000 µm, got " +
				junctionDepthUm);
			check(tiltDeg >= 0 && tiltDeg <= 30, "tilt must be 0 … 30 degrees, got " + tiltDeg);
			check(threads >= 0, "threads must be >= 0, got " + threads);
			return new PhantomParameters(this);
		}

		private static boolean fraction(final double f) {
			return f >= 0 && f <= 1;
		}

		private static void check(final boolean ok, final String message) {
			if (!ok) throw new IllegalArgumentException(message);
		}
	}
}
