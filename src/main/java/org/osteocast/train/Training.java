package org.osteocast.train;

import ai.djl.Device;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Hyperstack;
import org.osteocast.io.SliceDataset;
import org.osteocast.nn.ForecastNet;

/**
 * The headless facade of training, shared by {@code osteocast train} and the
 * Fiji command "Train T-VAE": load the data set's train and validation
 * sequences, train with checkpoints beside the model, write the model archive.
 */
public final class Training {

	private Training() {}

	/** The checkpoint file of a model archive: {@code <model>.ckpt}. */
	public static Path checkpoint(final Path model) {
		return model.resolveSibling(model.getFileName() + ".ckpt");
	}

	/**
	 * The hyper-parameters the data decide, from the data set's first mouse
	 * (read once): {@code image_size} (the slice side; slices must be square)
	 * and {@code depth} (slices per volume, what a 3-D model takes).
	 */
	public static JsonObject dataHyperParameters(final SliceDataset ds) throws IOException {
		final SliceDataset.Entry first = ds.entries().get(0);
		final Hyperstack h = first.read();
		if (h.width() != h.height()) throw new IllegalArgumentException(first.image + ": slices are " + h.width() +
			" x " + h.height() + "; the models need square slices");
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", h.width());
		o.addProperty("depth", h.slices());
		return o;
	}

	/**
	 * Trains on {@code data} and writes {@code model} (atomically).
	 *
	 * @param net a fresh model (its image size must match the data)
	 * @param listener called after every epoch (a live loss plot), or null
	 * @param out one line per epoch, or null
	 */
	public static ForecastTrainer.Result run(final SliceDataset ds, final Path model, final ForecastNet net,
		final TrainConfig tc, final Device device, final boolean resume, final Progress progress,
		final Cancellation cancel, final ForecastTrainer.EpochListener listener, final PrintStream out) throws IOException
	{
		final SequenceSet train = SequenceSet.load(ds, SliceDataset.Split.TRAIN, net.imageSize(), net.nPast() + 1,
			cancel);
		final SequenceSet val = SequenceSet.load(ds, SliceDataset.Split.VAL, net.imageSize(), net.nPast() + 1, cancel);
		if (val.count() == 0 && out != null) out.println(
			"warning: no mice with split=val: no early stopping, the last epoch is kept");
		final Path ckpt = checkpoint(model);
		if (!resume && Files.exists(ckpt) && out != null) out.println("starting afresh; overwriting " + ckpt +
			" (use --resume to continue)");
		final ForecastTrainer.Result r = ForecastTrainer.train(train, val, net, tc, device, ckpt, resume, progress, cancel,
			listener, out);
		ModelArchive.write(model, net, r.bestWeights, r.summary, r.log);
		return r;
	}
}
