package org.osteocast.fiji;

import ij.ImagePlus;
import ij.ImageStack;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.Volume;
import org.osteocast.voi.CohortSlicer;
import org.osteocast.voi.SliceExtractor;
import org.osteocast.voi.SliceOptions;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Extract VOI Slices": the model's data set from a registered cohort (the
 * volume of interest below the growth plate, resampled to N slices of
 * size × size, one normalised hyperstack per mouse, split by mouse), or the
 * slice hyperstack of one open registered hyperstack (frames = weeks).
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Extract VOI Slices", label = "Extract VOI Slices")
public final class ExtractSlicesCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Registered cohort", style = "both", required = false,
		description = "cohort.csv or folder of a registered cohort; empty to use the open hyperstack.")
	File cohort;

	@Parameter(persist = false, label = "Output folder", style = "directory", required = false,
		description = "New folder for the data set (cohort mode).")
	File out;

	@Parameter(persist = false, label = "Overwrite existing output", required = false,
		description = "Replace an existing output as a whole; off: an existing output is refused with a message.")
	boolean overwrite = false;

	@Parameter(persist = false, label = "Include unreliable registrations", required = false,
		description = "Use weeks whose registration was flagged unreliable; off: such mice are skipped and listed.")
	boolean include_unreliable = false;

	@Parameter(persist = false, label = "Registered hyperstack", required = false,
		description = "Frames = weeks, already registered (used when no cohort is given).")
	ImagePlus image;

	@Parameter(persist = false, label = "Slices", min = "2")
	int slices = 48;

	@Parameter(persist = false, label = "Size (px)", min = "8")
	int size = 64;

	@Parameter(persist = false, label = "VOI thickness (mm)")
	double voi_mm = 2.1;

	@Parameter(persist = false, label = "VOI anchor", choices = { "growth-plate", "tf-junction" },
		description = "Where the VOI starts: below the growth plate, or at the tibia-fibula junction running distally.")
	String anchor = "growth-plate";

	@Parameter(persist = false, label = "VOI start", description = "auto (below the detected growth plate) or a slice index.")
	String voi_start = "auto";

	@Parameter(persist = false, label = "Offset (mm)", description = "Shift of the VOI start away from the growth plate.")
	double offset_mm = 0;

	@Parameter(persist = false, label = "Training fraction", description = "Fraction of mice for training+validation; the rest is test.")
	double split = 0.8;

	@Parameter(persist = false, label = "Seed")
	long seed = 42;

	@Parameter(persist = false, label = "Weeks", min = "2", description = "Weeks per mouse, from week 1.")
	int weeks = 4;

	@Parameter(type = ItemIO.OUTPUT, label = "Slices")
	ImagePlus slices_image;

	@Override
	protected void execute() throws IOException {
		final SliceOptions o = new SliceOptions();
		o.slices = slices;
		o.size = size;
		o.voiMm = voi_mm;
		if (voi_start != null && !voi_start.isBlank() && !"auto".equalsIgnoreCase(voi_start.trim())) {
			try {
				o.voiStart = Integer.parseInt(voi_start.trim());
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("voi_start must be auto or a slice index, not '" + voi_start + "'");
			}
		}
		o.offsetMm = offset_mm;
		o.anchor = SliceOptions.Anchor.parse(anchor == null || anchor.isBlank() ? "growth-plate" : anchor);
		o.trainFraction = split;
		o.seed = seed;
		o.weeks = weeks;
		o.includeUnreliable = include_unreliable;
		o.validate();
		if (cohort != null && !cohort.getPath().isEmpty()) {
			if (out == null) throw new IllegalArgumentException(Messages.NO_OUTPUT);
			final CohortSlicer.Report r = CohortSlicer.run(Cohort.read(cohort.toPath()), o, out.toPath(), overwrite, progress(),
				cancellation());
			if (log != null) log.info("Extract VOI Slices: " + r.dataset.entries().size() + " mice written to " + out +
				(r.skipped.isEmpty() ? "" : "; skipped " + r.skipped));
			return;
		}
		if (image == null) throw new IllegalArgumentException(Messages.NO_IMAGE);
		if (image.getNFrames() < 2) throw new IllegalArgumentException("the open image has " + image.getNFrames() +
			" frame; a registered hyperstack has one frame per week");
		final List<Volume<?>> frames = new ArrayList<>();
		for (int t = 1; t <= image.getNFrames(); t++) {
			final ImageStack s = new ImageStack(image.getWidth(), image.getHeight());
			for (int z = 1; z <= image.getNSlices(); z++)
				s.addSlice(image.getStack().getProcessor(image.getStackIndex(1, z, t)));
			final ImagePlus frame = new ImagePlus(image.getTitle() + " week " + t, s);
			frame.setCalibration(image.getCalibration());
			frames.add(ImagePlusVolumes.wrap(frame, null));
		}
		final SliceExtractor.Extraction x = SliceExtractor.extract(frames, o, null, image.getTitle());
		slices_image = x.slices.toImagePlus();
		slices_image.setTitle(image.getTitle() + " VOI slices");
		for (final String w : x.warnings)
			if (log != null) log.warn(w);
	}
}
