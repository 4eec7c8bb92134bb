package org.osteocast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.metrics.Rigidity;
import org.osteocast.metrics.RigidityAnalysis;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast rigidity}: CT-based structural rigidity analysis (axial,
 * bending and torsional rigidity per slice, the weakest slice) of a scan, or
 * of every week of a slice data set and its forecasts with their samples
 * (fracture risk: P(drop &gt; threshold) from week 1). Writes
 * {@code rigidity_slices.csv} and {@code rigidity_summary.csv} (atomically)
 * and prints the summary.
 */
@Command(name = "rigidity", mixinStandardHelpOptions = true, description = "CT-based rigidity analysis (CTRA): " +
	"axial rigidity EA, bending rigidities EI_min/EI_max and torsional rigidity GJ per slice, their minima over the " +
	"VOI, and for forecasts the probability that the minimum drops by more than a threshold from week 1. Without " +
	"--slope the modulus is uniform over bone (relative mode: areas and second moments, not newtons).")
public final class RigidityCommand implements Callable<Integer> {

	static final class Input {
		@Option(names = "--scan", required = true, paramLabel = "PATH",
			description = "A scan (TIFF stack, NIfTI or SkyScan folder) with its voxel size; slices along z.")
		Path scan;

		@Option(names = "--data", required = true, paramLabel = "DIR",
			description = "A slice data set (cohort.csv, slices.json): every week of every mouse.")
		Path data;
	}

	@Spec
	CommandSpec spec;

	@ArgGroup(exclusive = true, multiplicity = "1")
	Input input;

	@Option(names = "--pred", paramLabel = "DIR",
		description = "With --data: forecasts (<mouse>_pred.tif, <mouse>_samples.tif) to score for fracture risk.")
	Path pred;

	@Option(names = "--out", paramLabel = "DIR", description = "Write rigidity_slices.csv and rigidity_summary.csv into this new folder.")
	Path out;

	@Option(names = "--overwrite", description = "Replace an existing --out folder as a whole (default: refuse).")
	boolean overwrite;

	@Option(names = "--slope", paramLabel = "S",
		description = "Density calibration: BMD (mg HA/cm3) = S * grey + intercept; for a SkyScan reconstruction folder " +
			"whose log records NRecon's grey-to-attenuation conversion, S * attenuation + intercept (the log's own " +
			"calibration, so one phantom line serves every grey window; --grey-calibration uses grey values instead). " +
			"Without it: relative mode.")
	Double slope;

	@Option(names = "--grey-calibration",
		description = "With --slope on a SkyScan folder: apply the calibration to grey values, not to the log's attenuation.")
	boolean greyCalibration;

	@Option(names = "--intercept", paramLabel = "I", description = "Density calibration intercept (default ${DEFAULT-VALUE}).")
	double intercept = 0;

	@Option(names = "--modulus-a", paramLabel = "A",
		description = "E (MPa) = A * rho^B, rho = BMD/1000 in g/cm3 (default ${DEFAULT-VALUE}: Morgan et al. 2003, vertebral trabecular bone; docs/rigidity.md).")
	double modulusA = Rigidity.DEFAULT_A_MPA;

	@Option(names = "--modulus-b", paramLabel = "B", description = "Exponent of the modulus relation (default ${DEFAULT-VALUE}).")
	double modulusB = Rigidity.DEFAULT_B;

	@Option(names = "--poisson", paramLabel = "NU", description = "Poisson ratio, G = E / 2(1 + NU) (default ${DEFAULT-VALUE}).")
	double poisson = Rigidity.DEFAULT_POISSON;

	@Option(names = "--threshold", paramLabel = "T",
		description = "Bone threshold (scan grey values, or normalised values with --data; default Otsu's of the scan or week 1).")
	Double threshold;

	@Option(names = "--drop", paramLabel = "PCT",
		description = "Fracture risk: a drop of the minimum rigidity from week 1 by more than PCT %% (default ${DEFAULT-VALUE}).")
	double drop = Rigidity.DEFAULT_DROP_PERCENT;

	@Option(names = "--slices", paramLabel = "A-B", description = "With --scan: the slices of the volume of interest " +
		"(1-based, inclusive; default all).")
	String slices;

	@Option(names = { "--proximal-margin-mm", "--proximal_margin_mm" }, paramLabel = "MM", description = "With --data " +
		"whose VOI starts at the growth plate: leave the slices within MM of the plate's edge out of the minima, where " +
		"the plate's transition and not the shaft is weakest (default ${DEFAULT-VALUE}; 0 = none; docs/rigidity.md).")
	double proximalMarginMm = Rigidity.PROXIMAL_MARGIN_UM / 1000;

	@Override
	public Integer call() throws Exception {
		final RigidityAnalysis.Options o = new RigidityAnalysis.Options();
		o.slope = slope == null ? Double.NaN : slope;
		o.intercept = intercept;
		o.a = modulusA;
		o.b = modulusB;
		o.poisson = poisson;
		o.threshold = threshold == null ? Double.NaN : threshold;
		o.drop = Rigidity.dropFromPercent(drop);
		o.marginUm = proximalMarginMm * 1000;
		if (slices != null) {
			final String[] ab = slices.split("-");
			try {
				o.first = Integer.parseInt(ab[0].trim());
				o.last = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : o.first;
			}
			catch (final NumberFormatException ex) {
				throw new IllegalArgumentException("--slices must be A-B (1-based), not '" + slices + "'");
			}
		}
		if (pred != null && input.data == null) throw new IllegalArgumentException("--pred needs --data");
		final java.util.List<Path> inputs = new java.util.ArrayList<>();
		for (final Path p : new Path[] { input.scan, input.data, pred })
			if (p != null) inputs.add(p);
		// the output is checked (and locked) before the work: an existing one is refused up front, not after it
		try (org.osteocast.io.contracts.Output output = out == null ? null : org.osteocast.io.contracts.Output.folder(out, overwrite, inputs)) {
			return report(o, output);
		}
	}

	private int report(final RigidityAnalysis.Options o, final org.osteocast.io.contracts.Output output) throws Exception {
		if (input.scan != null && !greyCalibration) o.attenuation = attenuation(input.scan);
		final RigidityAnalysis.Tables t = input.scan != null ? RigidityAnalysis.scan(VolumeIO.read(input.scan), o)
			: RigidityAnalysis.dataset(SliceDataset.open(input.data), pred, o);
		final PrintWriter w = spec.commandLine().getOut();
		for (final String n : t.notes)
			w.println(n);
		final java.util.List<String> cols = RigidityAnalysis.SUMMARY_COLUMNS;
		w.println(String.join("  ", cols.subList(0, cols.size() - 1)));
		for (final String[] r : t.summary)
			w.println(String.join("  ", java.util.Arrays.copyOf(r, r.length - 1)));
		if (!t.summary.isEmpty()) w.println("units: " + t.summary.get(0)[t.summary.get(0).length - 1]);
		if (output != null) {
			final java.util.List<Path> written = t.write(output.dir());
			output.commit();
			for (final Path p : written)
				w.println("wrote " + output.finalPath(p));
		}
		w.println(String.format(Locale.ROOT, "risk: P(drop > %.0f %%) = fraction of samples whose worst drop of min EA, " +
			"EI_min or GJ from week 1 exceeds it", drop));
		w.flush();
		return 0;
	}

	/**
	 * The grey-to-attenuation map {scale, offset} that an NRecon reconstruction
	 * log records for its slices (8- or 16-bit), or null for other scans.
	 */
	static double[] attenuation(final Path scan) throws java.io.IOException {
		if (org.osteocast.io.formats.VolumeIO.detect(scan) != org.osteocast.io.formats.VolumeIO.Format.SKYSCAN) return null;
		final org.osteocast.io.formats.NReconLog log = org.osteocast.io.formats.SkyScanReader.layout(scan).log();
		final java.util.Optional<double[]> r = log.attenuationRange();
		if (r.isEmpty()) return null;
		final int bits = org.osteocast.io.formats.VolumeIO.readHeader(scan).bitDepth();
		if (bits != 8 && bits != 16) return null; // NRecon's conversion is for its integer grey values
		final double top = bits == 8 ? 255 : 65535;
		return new double[] { (r.get()[1] - r.get()[0]) / top, r.get()[0] };
	}
}
