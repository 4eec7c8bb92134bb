package org.osteocast.fiji;

import ij.ImagePlus;

import java.io.File;
import java.io.IOException;
import java.util.List;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.predict.Predictor;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Predict Next Scan": the forecast of the next week from the observed weeks,
 * K samples from the learned prior. On an open slice hyperstack (frames =
 * weeks, at least as many as the model observes): the forecast is appended as
 * a new frame and the uncertainty map (bone probability, spread) is opened.
 * On a data set folder: the prediction contract's files for every mouse.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Predict Next Scan", label = "Predict Next Scan")
public final class PredictCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Model archive", style = "file", description = "A .zip written by Train T-VAE.")
	File model;

	@Parameter(persist = false, label = "Slice data set", style = "directory", required = false,
		description = "Folder with cohort.csv; empty to predict the open hyperstack.")
	File data;

	@Parameter(persist = false, label = "Output folder", style = "directory", required = false, description = "Data set mode only.")
	File out;

	@Parameter(persist = false, label = "Slice hyperstack", required = false, description = "Frames = weeks (open-image mode).")
	ImagePlus image;

	@Parameter(persist = false, label = "Samples", min = "1")
	int samples = 8;

	@Parameter(persist = false, label = "Seed")
	long seed = 1;

	@Parameter(persist = false, label = "Weeks ahead", min = "1")
	int horizon = 1;

	@Parameter(persist = false, label = "Split", choices = { "test", "all" }, description = "Data set mode: which mice.")
	String split = "test";

	@Parameter(persist = false, label = "Overwrite existing output", required = false,
		description = "Replace an existing output as a whole; off: an existing output is refused with a message.")
	boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Observed + forecast")
	ImagePlus forecast;

	@Parameter(type = ItemIO.OUTPUT, label = "Uncertainty")
	ImagePlus uncertainty;

	@Override
	protected void execute() throws IOException {
		if (model == null) throw new IllegalArgumentException(Messages.required("model"));
		final ModelArchive archive = ModelArchive.read(model.toPath());
		final ai.djl.Device dev = EngineSetup.device("auto");
		final Predictor.Options o = new Predictor.Options().samples(samples).seed(seed).horizon(horizon).precision(Predictor
			.resolvePrecision("auto", dev, archive, Precision.SYSTEM_CPU, null));
		if (data != null && !data.getPath().isEmpty()) {
			if (out == null) throw new IllegalArgumentException(Messages.NO_OUTPUT);
			final List<String> mice = Predictor.run(archive, SliceDataset.open(data.toPath()), "all".equals(split) ? List
				.of() : List.of(SliceDataset.Split.TEST), out.toPath(), overwrite, o, dev, progress(),
				cancellation(), null);
			if (log != null) log.info("Predict Next Scan: " + mice.size() + " mice -> " + out);
			return;
		}
		if (image == null) throw new IllegalArgumentException(Messages.NO_IMAGE);
		final Hyperstack observed = Hyperstack.fromImagePlus(image, null);
		final Predictor.Forecast f = Predictor.predict(archive, observed, o, dev, cancellation());
		final int n = archive.nPast();
		forecast = f.withObserved(observed, n).toImagePlus();
		forecast.setTitle(image.getTitle() + " + forecast");
		for (int i = 1; i <= forecast.getStackSize(); i++) {
			final int week = (i - 1) / observed.slices() + 1;
			forecast.getStack().setSliceLabel((week > n ? "forecast week " : "week ") + week, i);
		}
		forecast.setCalibration(image.getCalibration());
		forecast.setDisplayRange(0, 1);
		uncertainty = f.uncertainty.toImagePlus();
		uncertainty.setTitle(image.getTitle() + " uncertainty (P(bone), SD)");
	}
}
