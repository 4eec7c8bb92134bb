package org.osteocast.fiji;

import ij.ImagePlus;

import java.io.File;
import java.io.IOException;

import org.osteocast.core.Otsu;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.Volume;
import org.osteocast.mesh.MarchingTetrahedra;
import org.osteocast.mesh.Mesh;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Export Surface Mesh": the iso-surface of the open volume (bone, or a lesion
 * map) as a binary STL in micrometres, for any 3-D viewer or printer.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Export Surface Mesh", label = "Export Surface Mesh")
public final class ExportMeshCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Image", description = "A scan, forecast or label volume.")
	ImagePlus image;

	@Parameter(persist = false, label = "Iso-level", required = false,
		description = "Surface level in grey values; NaN or empty for Otsu's threshold (bone).")
	double level = Double.NaN;

	@Parameter(persist = false, label = "STL file", style = "save", description = "Where to write the mesh (.stl).")
	File stl_file;

	@Parameter(persist = false, label = "Overwrite existing output", required = false,
		description = "Replace an existing STL file; off: an existing file is refused with a message.")
	boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Triangles")
	int triangles;

	@Override
	protected void execute() throws IOException {
		if (image == null) throw new IllegalArgumentException(Messages.NO_IMAGE);
		if (stl_file == null) throw new IllegalArgumentException(Messages.required("stl_file"));
		org.osteocast.io.contracts.Output.checkFile(stl_file.toPath(), overwrite, java.util.List.of());
		final Volume<?> v = ImagePlusVolumes.wrap(image, null);
		final double iso = Double.isNaN(level) ? otsu(image) : level;
		progress().status("Meshing " + image.getTitle() + " at level " + iso);
		final Mesh mesh = MarchingTetrahedra.extract(v.image(), iso, v.voxelSizeUm());
		cancellation().check();
		mesh.writeStl(stl_file.toPath(), "OsteoCast " + image.getTitle() + " level " + iso + " (um)");
		triangles = mesh.triangleCount();
	}

	private static double otsu(final ImagePlus imp) {
		final float[][] planes = new float[imp.getStackSize()][];
		for (int z = 0; z < planes.length; z++)
			planes[z] = (float[]) imp.getStack().getProcessor(z + 1).convertToFloat().getPixels();
		return Otsu.threshold(planes);
	}
}
