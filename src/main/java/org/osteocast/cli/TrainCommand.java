package org.osteocast.cli;

import ai.djl.Device;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.core.Cancellation;
import org.osteocast.io.SliceDataset;
import org.osteocast.nn.EngineSetup;
import org.osteocast.nn.TvaeConfig;
import org.osteocast.train.TrainConfig;
import org.osteocast.train.Training;
import org.osteocast.train.TvaeTrainer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code osteocast train}: trains the 2-D T-VAE on a slice-sequence data set
 * and writes a model archive. A checkpoint {@code <model>.ckpt} is written
 * after every epoch; Ctrl-C stops between batches (the checkpoint holds the
 * last complete epoch) and {@code --resume} continues from it.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
	description = "Train the T-VAE (2-D) on a slice-sequence data set (cohort.csv with split train/val) and write a model archive.")
public final class TrainCommand implements Callable<Integer> {

	@Option(names = "--data", required = true, description = "Slice-sequence data set folder (with cohort.csv) or a cohort.csv.")
	Path data;

	@Option(names = "--model", required = true, description = "Model archive to write (.zip).")
	Path model;

	@Option(names = "--epochs", defaultValue = "200", description = "Maximum epochs (default ${DEFAULT-VALUE}).")
	int epochs;

	@Option(names = "--batch", defaultValue = "48", description = "Batch size in sequences (default ${DEFAULT-VALUE}).")
	int batch;

	@Option(names = "--lr", defaultValue = "2e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
	double lr;

	@Option(names = "--patience", defaultValue = "20", description = "Early stopping: epochs without validation improvement (default ${DEFAULT-VALUE}).")
	int patience;

	@Option(names = "--lambda", defaultValue = "1.0", description = "Edge-aware loss weight λ; 0 = plain MSE (default ${DEFAULT-VALUE}).")
	double lambda;

	@Option(names = "--sigma", defaultValue = "2.0", description = "Gaussian σ (pixels) of the edge weight (default ${DEFAULT-VALUE}).")
	double sigma;

	@Option(names = "--beta", defaultValue = "1e-4", description = "KL weight β (default ${DEFAULT-VALUE}).")
	double beta;

	@Option(names = { "--free-bits", "--free_bits" }, defaultValue = "0", description = "Free bits per latent dimension and step, nats (default 0 = off).")
	double freeBits;

	@Option(names = { "--kl-anneal", "--kl_anneal" }, defaultValue = "0", description = "Epochs of linear KL annealing from 0 to β (default 0 = off).")
	int klAnneal;

	@Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--resume", description = "Continue from <model>.ckpt if it exists.")
	boolean resume;

	@Option(names = "--nf", defaultValue = "64", description = "Encoder base width nf (channels nf, 2nf, 4nf, 8nf; default ${DEFAULT-VALUE}).")
	int nf;

	@Option(names = { "--g-dim", "--g_dim" }, defaultValue = "128", description = "Frame embedding size (default ${DEFAULT-VALUE}).")
	int gDim;

	@Option(names = { "--z-dim", "--z_dim" }, defaultValue = "10", description = "Latent size (default ${DEFAULT-VALUE}).")
	int zDim;

	@Option(names = { "--rnn-size", "--rnn_size" }, defaultValue = "256", description = "LSTM units (default ${DEFAULT-VALUE}).")
	int rnnSize;

	@Option(names = { "--n-past", "--n_past" }, defaultValue = "3", description = "Observed weeks (default ${DEFAULT-VALUE}).")
	int nPast;

	@Option(names = { "--skip-levels", "--skip_levels" }, split = ",", description = "Encoder levels (1 = finest) with skip connections (default: all).")
	int[] skipLevels;

	@Option(names = "--upsample", defaultValue = "subpixel", description = "subpixel, pixel_shuffle or resize_conv (default ${DEFAULT-VALUE}).")
	String upsample;

	@Option(names = "--residual", description = "Predict the change from the last observed week: sigmoid(logit(x_last) + Δ).")
	boolean residual;

	@Option(names = "--output", description = "Output mapping: sigmoid, residual_clamp or residual_logit (overrides --residual).")
	String output;

	@Option(names = { "--min-crop", "--min_crop" }, defaultValue = "0.85", description = "Smallest random crop side (fraction; 1 = no crop; default ${DEFAULT-VALUE}).")
	double minCrop;

	@Option(names = { "--no-flips", "--no_flips" }, description = "Disable horizontal-flip augmentation.")
	boolean noFlips;

	@Option(names = "--minutes", defaultValue = "0", description = "Time budget in minutes: no epoch starts that would end after it (default 0 = none).")
	double minutes;

	@Override
	public Integer call() throws Exception {
		final PrintStream out = System.out;
		final TvaeConfig.Output outMode = output != null ? TvaeConfig.Output.parse(output) : residual
			? TvaeConfig.Output.RESIDUAL_LOGIT : TvaeConfig.Output.SIGMOID;
		final TvaeConfig cfg = TvaeConfig.builder().optNf(nf).optGDim(gDim).optZDim(zDim).optRnnSize(rnnSize).optNPast(
			nPast).optSkipLevels(skipLevels).optUpsample(TvaeConfig.Upsample.parse(upsample)).optOutput(outMode).optLambda(
				lambda).optSigma(sigma).optBeta(beta).optFreeBits(freeBits).optImageSize(imageSize()).build();
		final TrainConfig tc = TrainConfig.builder().optEpochs(epochs).optBatch(batch).optLr(lr).optPatience(patience)
			.optSeed(seed).optMinCrop(minCrop).optFlips(!noFlips).optMinutes(minutes).optKlAnnealEpochs(klAnneal).build();
		final SliceDataset ds = SliceDataset.open(data);
		final Device dev = EngineSetup.device(device);
		out.println(String.format(Locale.ROOT, "device %s, PyTorch intra-op threads %d, inter-op %s", dev, EngineSetup
			.intraOpThreads(), System.getProperty("ai.djl.pytorch.num_interop_threads", "?")));
		final Cancellation cancel = new Cancellation();
		final Path ckpt = Training.checkpoint(model);
		final TvaeTrainer.Result r = Interrupts.cancellable(cancel, "interrupted (Ctrl-C); the checkpoint " + ckpt +
			" holds the last complete epoch: run again with --resume", () -> Training.run(ds, model, cfg, tc, dev, resume,
				new ConsoleProgress(System.err), cancel, null, out));
		out.println(String.format(Locale.ROOT, "%s; best epoch %d of %d; wrote %s (checkpoint %s)", r.stopReason,
			r.bestEpoch, r.epochsRun, model, ckpt));
		return 0;
	}

	private int imageSize() throws Exception {
		return Training.imageSize(SliceDataset.open(data));
	}
}
