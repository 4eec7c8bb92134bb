package org.osteocast.fiji;

import java.io.File;
import java.io.IOException;

import org.osteocast.phantom.PhantomGenerator;
import org.osteocast.phantom.PhantomParameters;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Generate Synthetic Cohort": a longitudinal micro-CT cohort of mouse
 * proximal tibiae with osteolytic lesions and its ground truth (transforms,
 * lesion labels, noise-free volumes), for trying the pipeline before one's own
 * scans. See docs/phantom.md for what each parameter stands for.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Generate Synthetic Cohort",
	label = "Generate Synthetic Cohort")
public final class GenerateCohortCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Output folder", style = "directory", description = "New folder for the cohort.")
	File out;

	@Parameter(persist = false, label = "Mice", min = "1")
	int mice = 8;

	@Parameter(persist = false, label = "Weeks", min = "2", max = "12")
	int weeks = 4;

	@Parameter(persist = false, label = "Seed", description = "The same seed gives the same files, byte for byte.")
	long seed = 1;

	@Parameter(persist = false, label = "Format", choices = { "tiff", "skyscan" },
		description = "TIFF stacks, or SkyScan NRecon folders (slices + .log).")
	String format = "tiff";

	@Parameter(persist = false, label = "Voxel size (um)", min = "1")
	double voxel_um = 20;

	@Parameter(persist = false, label = "Tumour fraction", min = "0", max = "1",
		description = "Fraction of mice with an intratibial tumour; the rest are saline controls.")
	double tumour_fraction = 0.75;

	@Parameter(persist = false, label = "Missing-week probability", min = "0", max = "1",
		description = "Probability that a mouse misses a weekly scan, as in real studies.")
	double missing_week_prob = 0.1;

	@Parameter(persist = false, label = "Overwrite an earlier cohort")
	boolean overwrite = false;

	@Override
	protected void execute() throws IOException {
		if (out == null) throw new IllegalArgumentException(Messages.NO_OUTPUT);
		final PhantomParameters p = PhantomParameters.builder().mice(mice).weeks(weeks).seed(seed).format(
			PhantomParameters.Format.parse(format)).voxelUm(voxel_um).tumourFraction(tumour_fraction).missingWeekProb(
				missing_week_prob).overwrite(overwrite).build();
		PhantomGenerator.generate(p, out.toPath(), progress(), cancellation());
	}
}
