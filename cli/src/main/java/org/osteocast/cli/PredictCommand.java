package org.osteocast.cli;

import ai.djl.Device;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.core.Cancellation;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.model.ModelArchive;
import org.osteocast.predict.Predictor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code osteocast predict}: forecasts the next week(s) for the mice of a data set (or one hyperstack). */
@Command(name = "predict", mixinStandardHelpOptions = true,
	description = "Forecast week n+1 (and more with --horizon) from weeks 1..n: point forecast, samples and uncertainty per mouse.")
public final class PredictCommand implements Callable<Integer> {

	@Option(names = "--model", required = true, description = "Model archive (.zip) written by osteocast train.")
	Path model;

	@Option(names = "--data", required = true, description = "Slice-sequence data set folder, cohort.csv, or one hyperstack .tif.")
	Path data;

	@Option(names = "--out", required = true, description = "Output folder: new or empty (or --overwrite).")
	Path out;

	@Option(names = "--samples", defaultValue = "8", description = "Samples per slice (default ${DEFAULT-VALUE}).")
	int samples;

	@Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--horizon", defaultValue = "1", description = "Weeks to roll out (default ${DEFAULT-VALUE}).")
	int horizon;

	@Option(names = "--split", defaultValue = "test", description = "test, val or all (default ${DEFAULT-VALUE}; a single .tif is always predicted).")
	String split;

	@Option(names = "--median", description = "Point forecast = per-pixel median of the samples (default: mean).")
	boolean median;

	@Option(names = "--bn", defaultValue = "running", description = "Batch norm at prediction: running (training statistics; default) or batch (SVG-LP).")
	String bn;

	@Option(names = "--batch", defaultValue = "96", description = "Sequences per forward pass (default ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--overwrite", description = "Replace an existing output as a whole (default: refuse to write over it).")
	boolean overwrite;

	@Option(names = "--precision", defaultValue = "auto", description = "auto, fp32 or bf16 (2-D T-VAE); auto = the precision the model was trained in where this machine would train in bf16, else fp32 (default ${DEFAULT-VALUE}).")
	String precision;

	@Override
	public Integer call() throws Exception {
		final List<SliceDataset.Split> splits;
		switch (split.toLowerCase(Locale.ROOT)) {
			case "test":
				splits = List.of(SliceDataset.Split.TEST);
				break;
			case "val":
				splits = List.of(SliceDataset.Split.VAL);
				break;
			case "all":
				splits = List.of();
				break;
			default:
				throw new IllegalArgumentException("--split must be test, val or all, not '" + split + "'");
		}
		if (!bn.equals("running") && !bn.equals("batch")) throw new IllegalArgumentException(
			"--bn must be running or batch, not '" + bn + "'");
		final ModelArchive archive = ModelArchive.read(model);
		final SliceDataset ds = SliceDataset.open(data);
		final Device dev = EngineSetup.device(device);
		System.out.println(String.format(Locale.ROOT, "device %s, PyTorch intra-op threads %d; model %s", dev, EngineSetup
			.intraOpThreads(), archive.architecture() + " " + archive.hyperParameters()));
		final Predictor.Options o = new Predictor.Options().samples(samples).seed(seed).horizon(horizon).median(median)
			.batch(batch).batchStatistics(bn.equals("batch")).precision(Predictor.resolvePrecision(precision, dev,
				archive, Precision.SYSTEM_CPU, System.out::println));
		System.out.println("precision " + o.precision.label());
		final Cancellation cancel = new Cancellation();
		final List<String> mice = Interrupts.cancellable(cancel, "interrupted (Ctrl-C); nothing was written",
			() -> Predictor.run(archive, ds, splits, out, overwrite, o, dev, new ConsoleProgress(System.err), cancel,
				System.out));
		System.out.println("predicted " + mice.size() + " mice into " + out);
		return 0;
	}
}
