package org.osteocast.fiji;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import java.io.IOException;

import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.Volume;
import org.osteocast.metrics.Morphometry;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Bone Morphometry": bone volume fraction, mean (local) thickness, cortical
 * thickness and perforation of the open scan or forecast, into the "Results"
 * table (one row per run). OsteoCast's fallback for BoneJ's "Area/Volume
 * fraction" and "Thickness"; the morphometry macro uses BoneJ when present.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Bone Morphometry", label = "Bone Morphometry")
public final class MorphometryCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Image", description = "A scan or forecast volume (8-, 16- or 32-bit stack).")
	ImagePlus image;

	@Parameter(persist = false, label = "Bone threshold", required = false,
		description = "Grey value above which a voxel is bone; NaN or empty for Otsu's threshold.")
	double threshold = Double.NaN;

	@Parameter(type = ItemIO.OUTPUT, label = "BV/TV")
	double bv_tv;

	@Override
	protected void execute() throws IOException {
		if (image == null) throw new IllegalArgumentException(Messages.NO_IMAGE);
		progress().status("Bone morphometry of " + image.getTitle());
		final Volume<?> v = ImagePlusVolumes.wrap(image, null);
		final Morphometry.Result r = Morphometry.measure(v, threshold);
		cancellation().check();
		bv_tv = r.bvTv;
		// the system "Results" table, which macros read with getResult() and saveAs("Results", ...)
		final ResultsTable rt = ResultsTable.getResultsTable();
		rt.incrementCounter();
		rt.addValue("Image", image.getTitle());
		rt.addValue("Threshold", r.threshold);
		rt.addValue("BV (mm^3)", r.boneVolumeMm3);
		rt.addValue("TV (mm^3)", r.tissueVolumeMm3);
		rt.addValue("BV/TV", r.bvTv);
		rt.addValue("Th.Mean (um)", r.meanThicknessUm);
		rt.addValue("Th.SD (um)", r.sdThicknessUm);
		rt.addValue("Th.Max (um)", r.maxThicknessUm);
		rt.addValue("Ct.Th (um)", r.corticalThicknessUm);
		rt.addValue("Perforated slices", r.perforatedSlices);
		rt.show("Results");
	}
}
