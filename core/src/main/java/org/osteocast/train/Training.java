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
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.Output;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.core.BadInputException;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.nn.model.ModelArchive;

/**
 * The headless facade of training, shared by {@code osteocast train} and the
 * Fiji command "Train T-VAE": load the data set's train and validation
 * sequences, train with checkpoints beside the model, write the model archive.
 */
public final class Training {

	private Training() {}

	/**
	 * A training run's settings beside the model's: the archive to write, the
	 * loop ({@link TrainConfig}; the batch defaults to the model's
	 * {@link ForecastNet#defaultBatch()}), the device, and who listens.
	 */
	public static final class Options {
		Path model;
		boolean resume, overwrite;
		Integer batch;
		TrainConfig.Builder loop = TrainConfig.builder();
		Device device = Device.cpu();
		Progress progress = Progress.NONE;
		Cancellation cancel = Cancellation.NEVER;
		ForecastTrainer.EpochListener listener;
		PrintStream log;
		String precision = "fp32";
		Precision.CpuFeatures cpu = Precision.SYSTEM_CPU;

		/**
		 * {@code auto}, {@code fp32} or {@code bf16} ({@link Precision#resolve});
		 * default fp32 here, {@code auto} in the command line and Fiji.
		 */
		public Options precision(final String p) {
			precision = p;
			return this;
		}

		/** The CPU's feature flags {@code auto} looks at (tests inject their own). */
		public Options cpu(final Precision.CpuFeatures c) {
			cpu = c;
			return this;
		}

		/** The model archive to write (required). */
		public Options model(final Path p) {
			model = p;
			return this;
		}

		public Options resume(final boolean b) {
			resume = b;
			return this;
		}

		public Options overwrite(final boolean b) {
			overwrite = b;
			return this;
		}

		/** Sequences (2-D) or volumes (3-D) per batch; null: the model's default. */
		public Options batch(final Integer b) {
			batch = b;
			return this;
		}

		/** The loop's settings (its batch is replaced by {@link #batch(Integer)} or the model's default). */
		public Options loop(final TrainConfig.Builder b) {
			loop = b;
			return this;
		}

		public Options device(final Device d) {
			device = d;
			return this;
		}

		public Options progress(final Progress p) {
			progress = p;
			return this;
		}

		public Options cancel(final Cancellation c) {
			cancel = c;
			return this;
		}

		/** Called after every epoch (a live loss plot), or null. */
		public Options listener(final ForecastTrainer.EpochListener l) {
			listener = l;
			return this;
		}

		/** One line per epoch, or null. */
		public Options log(final PrintStream p) {
			log = p;
			return this;
		}
	}

	/**
	 * The model a preset gives for a data set: the data decide the image size
	 * and depth ({@link #dataHyperParameters}), {@code overrides} (keys of the
	 * model's hyper-parameters, as in {@code model.json}) change the preset's
	 * own settings, the rest are the preset's.
	 */
	public static ForecastNet model(final ForecastNets.Preset preset, final JsonObject overrides,
		final SliceDataset data) throws IOException
	{
		final JsonObject h = dataHyperParameters(data);
		if (overrides != null) for (final String k : overrides.keySet())
			h.add(k, overrides.get(k));
		return preset.create(h);
	}

	/** Trains {@link #model(ForecastNets.Preset, JsonObject, SliceDataset)} on {@code data}: the facade of every caller. */
	public static ForecastTrainer.Result run(final ForecastNets.Preset preset, final JsonObject overrides,
		final SliceDataset data, final Options o) throws IOException
	{
		return run(model(preset, overrides, data), data, o);
	}

	/** Trains a model made by {@link #model} on {@code data} with the run's options. */
	public static ForecastTrainer.Result run(final ForecastNet net, final SliceDataset data, final Options o)
		throws IOException
	{
		if (o.model == null) throw new IllegalArgumentException("no model archive to write");
		final java.util.function.Consumer<String> log = o.log == null ? null : o.log::println;
		final Precision precision = Precision.resolve(Precision.onDevice(o.precision, o.device, log), net.bf16Layers(), net
			.architecture(), o.cpu, log);
		final TrainConfig tc = o.loop.optPrecision(precision).optBatch(o.batch != null ? o.batch : net.defaultBatch()).optModelDefaults(net
			.loopDefaults()).build();
		return run(data, o.model, net, tc, o.device, o.resume, o.overwrite, o.progress, o.cancel, o.listener, o.log);
	}

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
		if (!resume && !overwrite && Files.exists(ckpt)) throw new BadInputException(ckpt, UNFINISHED);
		if (ds.entries(SliceDataset.Split.TRAIN).isEmpty()) throw new BadInputException(ds.root(),
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
