package org.osteocast.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.viz.ForecastMontage;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Show Forecast": the paper-style montage for one mouse — observed weeks,
 * forecast, truth when the data holds it, bone probability and spread with
 * colour bars, change from the last week — at one slice, or as a stack over
 * all slices.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Show Forecast", label = "Show Forecast")
public final class ShowForecastCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Slice data", style = "both",
		description = "The mouse's slice hyperstack (.tif), or the data set folder (then give the mouse).")
	File data;

	@Parameter(persist = false, label = "Predictions folder", style = "directory",
		description = "The folder with <mouse>_pred.tif and <mouse>_uncertainty.tif.")
	File predictions;

	@Parameter(persist = false, label = "Mouse", required = false, description = "Mouse name (default: the data file's name).")
	String mouse = "";

	@Parameter(persist = false, label = "Observed weeks", min = "1", description = "Weeks given to the model (the paper: 3).")
	int observed = 3;

	@Parameter(persist = false, label = "Slice", min = "0", description = "1-based slice; 0 for the middle slice.")
	int slice = 0;

	@Parameter(persist = false, label = "All slices as a stack", description = "Render every slice into an RGB stack.")
	boolean all_slices = false;

	@Parameter(persist = false, label = "Zoom", min = "1", max = "8")
	int zoom = 3;

	@Parameter(type = ItemIO.OUTPUT, label = "Forecast montage")
	ImagePlus montage;

	@Override
	protected void execute() throws IOException {
		if (data == null || predictions == null) throw new IllegalArgumentException(Messages.NO_INPUT);
		final Path dataFile;
		String name = mouse == null ? "" : mouse.trim();
		if (data.isDirectory()) {
			if (name.isEmpty()) throw new IllegalArgumentException(
				"give the mouse when the slice data is a data set folder");
			final String m = name;
			dataFile = SliceDataset.open(data.toPath()).entries().stream().filter(e -> e.mouse.equals(m)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no mouse '" + m + "' in " + data)).image;
		}
		else {
			dataFile = data.toPath();
			if (name.isEmpty()) name = dataFile.getFileName().toString().replaceFirst("\\.tiff?$", "");
		}
		final Hyperstack hs = Hyperstack.read(dataFile);
		final Path predFile = predictions.toPath().resolve(name + "_pred.tif");
		if (!Files.isRegularFile(predFile)) throw new IllegalArgumentException("no forecast " + predFile);
		final Hyperstack pred = Hyperstack.read(predFile);
		final Path uFile = predictions.toPath().resolve(name + "_uncertainty.tif");
		final Hyperstack unc = Files.isRegularFile(uFile) ? Hyperstack.read(uFile) : null;
		if (!all_slices) {
			final int z = slice <= 0 ? hs.slices() / 2 : slice - 1;
			final BufferedImage img = ForecastMontage.figure(hs, observed, pred, unc, z, zoom, name + ", slice " + (z + 1))
				.render();
			montage = new ImagePlus(name + " forecast (slice " + (z + 1) + ")", new ColorProcessor(img));
			return;
		}
		ImageStack stack = null;
		for (int z = 0; z < hs.slices(); z++) {
			cancellation().check();
			progress().progress(z, hs.slices());
			final BufferedImage img = ForecastMontage.figure(hs, observed, pred, unc, z, zoom, name + ", slice " + (z + 1))
				.render();
			if (stack == null) stack = new ImageStack(img.getWidth(), img.getHeight());
			stack.addSlice("slice " + (z + 1), new ColorProcessor(img));
		}
		montage = new ImagePlus(name + " forecast", stack);
	}
}
