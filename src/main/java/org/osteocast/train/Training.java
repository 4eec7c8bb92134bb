package org.osteocast.train;

import ai.djl.Device;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Hyperstack;
import org.osteocast.io.Output;
import org.osteocast.io.SliceDataset;
import org.osteocast.io.VolumeIOException;
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
		return run(ds, model, net, tc, device, resume, resume, progress, cancel, listener, out);
	}

	/** The message when a checkpoint of an unfinished training is in the way (tests assert on it). */
	public static final String UNFINISHED = "holds an unfinished training; --resume continues it, --overwrite starts afresh";

	/**
	 * Checks, before any work, that {@code model} may be written: not a folder
	 * nor an input, no existing archive or checkpoint unless {@code overwrite}
	 * (a resumed training may replace the archive of the run it continues), and
	 * a data set with training mice.
	 */
	public static void checkOutputs(final SliceDataset ds, final Path model, final boolean resume,
		final boolean overwrite) throws IOException
	{
		final List<Path> inputs = new ArrayList<>();
		for (final SliceDataset.Entry e : ds.entries())
			inputs.add(e.image);
		Output.checkFile(model, overwrite || resume, inputs);
		final Path ckpt = checkpoint(model);
		if (!resume && !overwrite && Files.exists(ckpt)) throw new VolumeIOException(ckpt, UNFINISHED);
		if (ds.entries(SliceDataset.Split.TRAIN).isEmpty()) throw new VolumeIOException(ds.root(),
			"has no training mice (split=train in its cohort.csv; found " + ds.entries().size() + " " + (ds.entries()
				.size() == 1 ? "mouse" : "mice") + " in split(s) " + splits(ds) + "): train on a data set folder written by " +
				"osteocast slice");
	}

	private static String splits(final SliceDataset ds) {
		final java.util.Set<String> s = new java.util.TreeSet<>();
		for (final SliceDataset.Entry e : ds.entries())
			s.add(e.split.label());
		return String.join(", ", s);
	}

	/**
	 * Trains on {@code data} and writes {@code model} (atomically), after
	 * {@link #checkOutputs}; the archive is locked against a second writer for
	 * the whole training.
	 *
	 * @param overwrite whether an existing archive (and checkpoint, when not resuming) may be replaced
	 */
	public static ForecastTrainer.Result run(final SliceDataset ds, final Path model, final ForecastNet net,
		final TrainConfig tc, final Device device, final boolean resume, final boolean overwrite,
		final Progress progress, final Cancellation cancel, final ForecastTrainer.EpochListener listener,
		final PrintStream out) throws IOException
	{
		checkOutputs(ds, model, resume, overwrite);
		try (Output lock = Output.file(model, true, List.of())) {
			return train(ds, model, net, tc, device, resume, progress, cancel, listener, out);
		}
	}

	private static ForecastTrainer.Result train(final SliceDataset ds, final Path model, final ForecastNet net,
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
