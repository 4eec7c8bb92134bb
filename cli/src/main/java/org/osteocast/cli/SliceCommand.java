package org.osteocast.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.core.Cancellation;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.voi.CohortSlicer;
import org.osteocast.voi.GrowthPlateDetector;
import org.osteocast.voi.SliceOptions;
import org.osteocast.voi.VoiGeometry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast slice}: a registered cohort → the slice-sequence data set
 * (one hyperstack per mouse, {@code cohort.csv} with splits, {@code slices.json}).
 * Parses options and calls {@link CohortSlicer}; no maths here.
 */
@Command(name = "slice", mixinStandardHelpOptions = true, description = "Cut the volume of interest below the " +
	"growth plate (or below the tibia-fibula junction) from every week of a registered cohort and write the model's data set: one 32-bit hyperstack per " +
	"mouse (frames = weeks, slices = VOI slices, values in [0, 1]), cohort.csv with train/val/test splits by mouse, " +
	"and slices.json (intensity window, geometry per mouse).")
public final class SliceCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--cohort", required = true, paramLabel = "CSV|DIR",
		description = "Registered cohort: cohort.csv or a folder <mouse>/week<k>.tif (all weeks on week 1's grid).")
	Path cohort;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "Output data set folder: new or empty (or --overwrite).")
	Path out;

	@Option(names = "--slices", defaultValue = "48", description = "Slices along the VOI (default: ${DEFAULT-VALUE}).")
	int slices;

	@Option(names = "--size", defaultValue = "64", description = "Output width and height in pixels (default: ${DEFAULT-VALUE}).")
	int size;

	@Option(names = "--voi-mm", defaultValue = "2.1", description = "VOI thickness in mm (default: ${DEFAULT-VALUE}).")
	double voiMm;

	@Option(names = "--voi-slices", paramLabel = "N",
		description = "VOI thickness in slices of week 1 instead of --voi-mm (BoneMet: 300 below the tibia-fibula junction).")
	Integer voiSlices;

	@Option(names = "--anchor", defaultValue = "growth-plate", paramLabel = "growth-plate|tf-junction",
		description = "Where the VOI starts: below the growth plate, or at the tibia-fibula junction running distally " +
			"(default: ${DEFAULT-VALUE}).")
	String anchor;

	@Option(names = "--component", paramLabel = "N",
		description = "With several bones in view (both tibiae, femur and tibia): use the N-th largest (default: the " +
			"largest tibia-like one).")
	Integer component;

	@Option(names = "--reslice-above-deg", defaultValue = "10",
		description = "Reslice along the bone's axis when it deviates from the scan axis by more than this; 90 = never " +
			"(default: ${DEFAULT-VALUE}).")
	double resliceAboveDeg;

	@Option(names = "--voi-start", defaultValue = "auto", paramLabel = "auto|N",
		description = "First VOI slice of week 1 (0-based), or auto to detect the growth plate (default: ${DEFAULT-VALUE}).")
	String voiStart;

	@Option(names = "--offset-mm", defaultValue = "0",
		description = "Move the VOI start this far from the plate towards the diaphysis (mm; default: ${DEFAULT-VALUE}).")
	double offsetMm;

	@Option(names = "--proximal", defaultValue = "auto", paramLabel = "top|bottom|auto",
		description = "Which end of the stack is the knee: top = slice 0 (default: ${DEFAULT-VALUE}).")
	String proximal;

	@Option(names = "--crop-mm", paramLabel = "MM",
		description = "Side of the square crop in mm (default: the bone's bounding square + 10 %%).")
	Double cropMm;

	@Option(names = "--window", paramLabel = "LO,HI",
		description = "Fixed grey-value window mapped to [0, 1] (default: 0.5-99.5 percentiles of the training mice).")
	String window;

	@Option(names = "--split", defaultValue = "0.8",
		description = "Fraction of mice for training + validation; the rest is the test set (default: ${DEFAULT-VALUE}).")
	double split;

	@Option(names = "--val-fraction", defaultValue = "0.125",
		description = "Fraction of the training mice held out for validation (default: ${DEFAULT-VALUE}).")
	double valFraction;

	@Option(names = "--seed", defaultValue = "42", description = "Seed of the split (default: ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--weeks", defaultValue = "4",
		description = "Weeks per mouse, from week 1; mice with fewer are skipped (default: ${DEFAULT-VALUE}).")
	int weeks;

	@Option(names = "--overwrite", description = "Replace an existing output as a whole (default: refuse to write over it).")
	boolean overwrite;

	@Option(names = "--include-unreliable",
		description = "Use weeks whose registration was flagged unreliable (default: skip such mice and list them).")
	boolean includeUnreliable;

	/** The options as the library's settings (validated). */
	SliceOptions options() {
		final SliceOptions o = new SliceOptions();
		o.slices = slices;
		o.size = size;
		o.voiMm = voiMm;
		o.voiSlices = voiSlices;
		o.anchor = SliceOptions.Anchor.parse(anchor);
		o.component = component;
		o.resliceAboveDeg = resliceAboveDeg;
		if (!"auto".equalsIgnoreCase(voiStart.trim())) {
			try {
				o.voiStart = Integer.parseInt(voiStart.trim());
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("--voi-start must be auto or a slice index, not '" + voiStart + "'");
			}
		}
		o.offsetMm = offsetMm;
		o.proximal = GrowthPlateDetector.Proximal.parse(proximal);
		o.cropMm = cropMm;
		if (window != null) o.window = SliceOptions.parseWindow(window);
		o.trainFraction = split;
		o.valFraction = valFraction;
		o.seed = seed;
		o.weeks = weeks;
		o.includeUnreliable = includeUnreliable;
		return o.validate();
	}

	@Override
	public Integer call() throws Exception {
		final SliceOptions o = options();
		final Cohort c = Cohort.read(cohort);
		final PrintWriter w = spec.commandLine().getOut();
		final PrintStream console = System.err;
		final Cancellation cancel = new Cancellation();
		final CohortSlicer.Report r = Interrupts.cancellable(cancel, "interrupted (Ctrl-C)", () -> CohortSlicer.run(c, o,
			out, overwrite, new ConsoleProgress(console), cancel));
		w.printf(Locale.ROOT, "%-12s %-6s %-8s %8s %9s %10s %11s%n", "mouse", "split", "start", "anchor", "voi_start",
			"crop_um", "axis_deg");
		for (final SliceDataset.Entry e : r.dataset.entries()) {
			final VoiGeometry g = r.geometry.get(e.mouse);
			w.printf(Locale.ROOT, "%-12s %-6s %-8s %8s %9.1f %10.0f %11s%n", e.mouse, e.split.label(), g.startMethod()
				.equals("manual") ? "manual" : g.junctionSlice() != null ? "junction" : "plate", g.junctionSlice() != null ? g
					.junctionSlice().toString() : g.plateSlice() == null ? "-" : g.plateSlice().toString(), g
					.startSlice(), g.cropSideUm(), Double.isFinite(g.axisDeviationDeg()) ? String.format(Locale.ROOT, "%.1f",
						g.axisDeviationDeg()) : "-");
		}
		w.printf(Locale.ROOT, "window %s%n", r.window);
		for (final CohortSlicer.Skipped s : r.skipped)
			w.println("skipped " + s);
		for (final String s : r.warnings)
			w.println("warning: " + s);
		w.printf(Locale.ROOT, "wrote %d mice to %s%n", r.dataset.entries().size(), r.dataset.root());
		w.flush();
		return 0;
	}
}
