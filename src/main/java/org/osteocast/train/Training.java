package org.osteocast.train;

import ai.djl.Device;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Hyperstack;
import org.osteocast.io.SliceDataset;
import org.osteocast.nn.TvaeConfig;

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

	/** The slice size of the data set's first mouse (the model's input size); slices must be square. */
	public static int imageSize(final SliceDataset ds) throws IOException {
		final SliceDataset.Entry first = ds.entries().get(0);
		final Hyperstack h = first.read();
		if (h.width() != h.height()) throw new IllegalArgumentException(first.image + ": slices are " + h.width() +
			" x " + h.height() + "; the T-VAE needs square slices");
		return h.width();
	}

	/**
	 * Trains on {@code data} and writes {@code model} (atomically).
	 *
	 * @param cfg the model (its image size must match the data)
	 * @param listener called after every epoch (a live loss plot), or null
	 * @param out one line per epoch, or null
	 */
	public static TvaeTrainer.Result run(final SliceDataset ds, final Path model, final TvaeConfig cfg,
		final TrainConfig tc, final Device device, final boolean resume, final Progress progress,
		final Cancellation cancel, final TvaeTrainer.EpochListener listener, final PrintStream out) throws IOException
	{
		final SequenceSet train = SequenceSet.load(ds, SliceDataset.Split.TRAIN, cfg.imageSize, cfg.nPast + 1, cancel);
		final SequenceSet val = SequenceSet.load(ds, SliceDataset.Split.VAL, cfg.imageSize, cfg.nPast + 1, cancel);
		if (val.count() == 0 && out != null) out.println(
			"warning: no mice with split=val: no early stopping, the last epoch is kept");
		final Path ckpt = checkpoint(model);
		if (!resume && Files.exists(ckpt) && out != null) out.println("starting afresh; overwriting " + ckpt +
			" (use --resume to continue)");
		final TvaeTrainer.Result r = TvaeTrainer.train(train, val, cfg, tc, device, ckpt, resume, progress, cancel,
			listener, out);
		ModelArchive.write(model, cfg, r.bestWeights, r.summary, r.log);
		return r;
	}
}
