package org.osteocast.fiji;

import ij.ImagePlus;

import java.io.File;
import java.io.IOException;

import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.Volume;
import org.osteocast.register.CohortRegistration;
import org.osteocast.register.RegistrationParameters;
import org.osteocast.register.RegistrationResult;
import org.osteocast.register.Resampler;
import org.osteocast.register.RigidRegistration;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Register Scans": rigid 3-D registration of every week of every mouse to its
 * week 1 (and optionally week 1 to a reference tibia), with QC pictures and a
 * summary table; or of two open images (moving onto fixed).
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Register Scans", label = "Register Scans")
public final class RegisterScansCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Cohort", style = "both", required = false,
		description = "cohort.csv or a folder <mouse>/week<k>...; empty to register two open images.")
	File cohort;

	@Parameter(persist = false, label = "Output folder", style = "directory", required = false,
		description = "New folder for the registered cohort (cohort mode).")
	File out;

	@Parameter(persist = false, label = "Overwrite existing output", required = false,
		description = "Replace an existing output as a whole; off: an existing output is refused with a message.")
	boolean overwrite = false;

	@Parameter(persist = false, label = "Reference tibia", style = "file", required = false,
		description = "Optional scan that every mouse's week 1 is registered to.")
	File reference;

	@Parameter(persist = false, label = "Fixed image", required = false, description = "Two-image mode: the fixed scan (week 1).")
	ImagePlus fixed;

	@Parameter(persist = false, label = "Moving image", required = false, description = "Two-image mode: the scan to move.")
	ImagePlus moving;

	@Parameter(type = ItemIO.OUTPUT, label = "Registered")
	ImagePlus registered;

	@Parameter(type = ItemIO.OUTPUT, label = "Result")
	String result;

	@Override
	protected void execute() throws IOException {
		final RegistrationParameters p = RegistrationParameters.defaults();
		if (cohort != null && !cohort.getPath().isEmpty()) {
			if (out == null) throw new IllegalArgumentException(Messages.NO_OUTPUT);
			final CohortRegistration.Summary s = CohortRegistration.run(Cohort.read(cohort.toPath()), out.toPath(),
				reference == null ? null : reference.toPath(), p, overwrite, progress(), cancellation());
			result = s.rows.size() + " scans registered; " + s.unreliable().size() + " flagged unreliable (see " +
				s.summaryCsv + ")";
			return;
		}
		if (fixed == null || moving == null) throw new IllegalArgumentException(
			"Give a cohort, or open two images and choose the fixed and the moving one.");
		final Volume<?> f = ImagePlusVolumes.wrap(fixed, null), m = ImagePlusVolumes.wrap(moving, null);
		final RegistrationResult r = RigidRegistration.register(f, m, p, progress(), cancellation());
		registered = ImagePlusVolumes.toImagePlus(Resampler.resample(m, r.movingToFixedVoxel(), f).withName(moving
			.getTitle() + " registered"));
		result = r.toString();
	}
}
