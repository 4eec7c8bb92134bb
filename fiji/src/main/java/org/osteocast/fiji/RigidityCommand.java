package org.osteocast.fiji;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.measure.ResultsTable;

import java.awt.Color;
import java.io.IOException;

import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.Volume;
import org.osteocast.metrics.Rigidity;
import org.osteocast.metrics.RigidityAnalysis;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Bone Rigidity (CTRA)": axial, bending and torsional rigidity of every slice
 * of the open scan or forecast ({@link RigidityAnalysis#scan}) into the
 * "Results" table, and a plot of EI_min along the slices with the weakest
 * slice marked. Without a density calibration the modulus is uniform over
 * bone (relative mode, labelled in the table).
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Bone Rigidity (CTRA)", label = "Bone Rigidity (CTRA)")
public final class RigidityCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Image", description = "A scan or forecast volume with its pixel size (stack).")
	ImagePlus image;

	@Parameter(persist = false, label = "Bone threshold", required = false,
		description = "Grey value above which a pixel is bone; NaN for Otsu's threshold.")
	double threshold = Double.NaN;

	@Parameter(persist = false, label = "BMD slope", required = false,
		description = "Density calibration BMD (mg HA/cm3) = slope * grey + intercept; NaN for the relative mode.")
	double bmd_slope = Double.NaN;

	@Parameter(persist = false, label = "BMD intercept", required = false, description = "Density calibration intercept.")
	double bmd_intercept = 0;

	@Parameter(persist = false, label = "Modulus coefficient (MPa)", required = false,
		description = "E = coefficient * rho^exponent, rho = BMD/1000 g/cm3 (default: Morgan et al. 2003, vertebra: 4730).")
	double modulus_coefficient = Rigidity.DEFAULT_A_MPA;

	@Parameter(persist = false, label = "Modulus exponent", required = false, description = "Default: Morgan et al. 2003, vertebra: 1.56.")
	double modulus_exponent = Rigidity.DEFAULT_B;

	@Parameter(persist = false, label = "Poisson ratio", required = false, description = "G = E / 2(1 + nu).")
	double poisson = Rigidity.DEFAULT_POISSON;

	@Parameter(persist = false, label = "First slice", required = false, min = "1",
		description = "First slice of the volume of interest (1-based).")
	int first_slice = 1;

	@Parameter(persist = false, label = "Last slice", required = false, min = "0",
		description = "Last slice of the volume of interest; 0 for the last of the stack.")
	int last_slice = 0;

	@Parameter(type = ItemIO.OUTPUT, label = "Minimum EI_min")
	double min_ei;

	@Parameter(type = ItemIO.OUTPUT, label = "Weakest slice")
	int weakest;

	@Parameter(type = ItemIO.OUTPUT, label = "EI_min along the slices")
	ImagePlus ei_plot;

	@Override
	protected void execute() throws IOException {
		if (image == null) throw new IllegalArgumentException(Messages.NO_IMAGE);
		progress().status("Rigidity of " + image.getTitle());
		final Volume<?> v = ImagePlusVolumes.wrap(image, null);
		final RigidityAnalysis.Options o = new RigidityAnalysis.Options();
		o.threshold = threshold;
		o.slope = bmd_slope;
		o.intercept = bmd_intercept;
		o.a = modulus_coefficient;
		o.b = modulus_exponent;
		o.poisson = poisson;
		o.first = first_slice;
		o.last = last_slice;
		final RigidityAnalysis.Tables t = RigidityAnalysis.scan(v, o);
		cancellation().check();
		final Rigidity.Profile p = t.profiles.get(0);
		final String units = t.summary.get(0)[t.summary.get(0).length - 1];
		final ResultsTable rt = ResultsTable.getResultsTable();
		final double[] x = new double[p.slices.length], ei = p.eiMin();
		for (int z = 0; z < p.slices.length; z++) {
			final Rigidity.Section s = p.slices[z];
			x[z] = z + first_slice;
			rt.incrementCounter();
			rt.addValue("Image", image.getTitle());
			rt.addValue("Slice", x[z]);
			rt.addValue("EA", s.ea);
			rt.addValue("EI_min", s.eiMin);
			rt.addValue("EI_max", s.eiMax);
			rt.addValue("GJ", s.gj);
			rt.addValue("Weakest", z == p.weakest(1) ? 1 : 0);
			rt.addValue("Units", units);
		}
		// rigidities in mm^2 and mm^4 of a mouse bone are small: scientific notation, 7 significant digits,
		// so that a saved table keeps them
		for (final String col : new String[] { "EA", "EI_min", "EI_max", "GJ" })
			rt.setDecimalPlaces(rt.getColumnIndex(col), -6);
		rt.show("Results");
		weakest = p.weakest(1) + first_slice;
		min_ei = p.min(1);
		if (log != null) for (final String n : t.notes)
			log.info("Bone Rigidity (CTRA): " + n);
		final Plot plot = new Plot("EI_min of " + image.getTitle(), "slice", "EI_min (" + units.replaceAll(".*EI and GJ ",
			"") + ")");
		plot.setColor(Color.BLUE);
		plot.addPoints(x, ei, Plot.LINE);
		plot.setColor(Color.RED);
		plot.addPoints(new double[] { weakest }, new double[] { min_ei }, Plot.CIRCLE);
		plot.addLabel(0.02, 0.08, "weakest slice " + weakest);
		plot.setLimitsToFit(false);
		ei_plot = plot.getImagePlus();
	}
}
