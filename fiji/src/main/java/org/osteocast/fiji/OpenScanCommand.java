package org.osteocast.fiji;

import ij.ImagePlus;

import java.io.File;
import java.io.IOException;

import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Open Scan": a micro-CT volume as one calibrated stack, from a Bruker
 * SkyScan NRecon reconstruction folder (voxel size from its .log), a folder of
 * single-slice TIFFs, a TIFF stack or a NIfTI file — without SCIFIO.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Open Scan", label = "Open Scan")
public final class OpenScanCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Scan", style = "both",
		description = "A SkyScan reconstruction folder, a folder of TIFF slices, a TIFF stack, or a .nii/.nii.gz file.")
	File scan;

	@Parameter(persist = false, label = "Voxel size (um)", required = false,
		description = "Override the voxel size (0 keeps the file's own).")
	double voxel_um = 0;

	@Parameter(type = ItemIO.OUTPUT, label = "Scan")
	ImagePlus image;

	@Override
	protected void execute() throws IOException {
		if (scan == null) throw new IllegalArgumentException(Messages.NO_INPUT);
		progress().status("Opening " + scan.getName());
		final Volume<?> v = VolumeIO.open(scan.toPath(), voxel_um > 0 ? voxel_um : Double.NaN, progress(),
			cancellation());
		image = ImagePlusVolumes.toImagePlus(v.withName(scan.getName()));
	}
}
