package org.osteocast.cli;

import ai.djl.Device;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.core.Cancellation;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.train.ForecastTrainer;
import org.osteocast.train.TrainConfig;
import org.osteocast.train.Training;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code osteocast train}: trains a forecaster (the 2-D T-VAE by default, or
 * any preset of {@link ForecastNets}) on a slice-sequence data set and writes a
 * model archive. Model options left out take the chosen model's defaults. A checkpoint {@code <model>.ckpt} is written
 * after every epoch; Ctrl-C stops between batches (the checkpoint holds the
 * last complete epoch) and {@code --resume} continues from it.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
	description = "Train the T-VAE (or a baseline: --arch) on a slice-sequence data set (cohort.csv with split train/val) and write a model archive.")
public final class TrainCommand implements Callable<Integer> {

	@Option(names = "--arch", defaultValue = "tvae2d", description = "Model preset: tvae2d (the paper's), tvae2d-mse, persistence, linear and the baselines (`osteocast benchmark --list`; default ${DEFAULT-VALUE}).")
	String arch;

	@Option(names = "--data", required = true, description = "Slice-sequence data set folder (with cohort.csv) or a cohort.csv.")
	Path data;

	@Option(names = "--model", required = true, description = "Model archive to write (.zip).")
	Path model;

	@Option(names = "--epochs", defaultValue = "200", description = "Maximum epochs (default ${DEFAULT-VALUE}).")
	int epochs;

	@Option(names = "--batch", description = "Batch size: sequences for 2-D models (default 48), volumes for 3-D ones (default 4).")
	Integer batch;

	@Option(names = "--lr", defaultValue = "2e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}).")
	double lr;

	@Option(names = "--patience", defaultValue = "20", description = "Early stopping: epochs without validation improvement (default ${DEFAULT-VALUE}).")
	int patience;

	@Option(names = "--lambda", description = "Edge-aware loss weight λ; 0 = plain MSE (default: the model's; T-VAE 1.0, ConvLSTM/PredRNN 0).")
	Double lambda;

	@Option(names = "--sigma", description = "Gaussian σ (pixels) of the edge weight (default 1.0, from the search in bench/loss/lambda_sigma.sh).")
	Double sigma;

	@Option(names = "--beta", description = "KL weight β of the T-VAE (default: the model's, 1e-4).")
	Double beta;

	@Option(names = { "--free-bits", "--free_bits" }, description = "Free bits per latent dimension and step, nats (default: the model's, 0 = off).")
	Double freeBits;

	@Option(names = "--pixel-variance", negatable = true, description = "T-VAE: a per-pixel variance head, whose variance joins the samples' spread in the uncertainty map (default: on; --no-pixel-variance: uncertainty from the latent samples only, as SVG-LP).")
	Boolean pixelVariance;

	@Option(names = { "--variance-weight", "--variance_weight" }, description = "T-VAE: weight of the per-pixel variance's likelihood in the loss (default: the model's).")
	Double varianceWeight;

	@Option(names = { "--kl-anneal", "--kl_anneal" }, defaultValue = "0", description = "Epochs of linear KL annealing from 0 to β (default 0 = off).")
	int klAnneal;

	@Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--resume", description = "Continue from <model>.ckpt if it exists.")
	boolean resume;

	@Option(names = "--overwrite", description = "Replace an existing model archive and start afresh over its checkpoint (default: refuse).")
	boolean overwrite;

	@Option(names = "--nf", description = "Encoder base width nf: channels nf, 2nf, 4nf, 8nf (default: the model's; T-VAE 2-D 64, 3-D models 16).")
	Integer nf;

	@Option(names = "--hidden", description = "Hidden channels of ConvLSTM and PredRNN (default 64).")
	Integer hidden;

	@Option(names = { "--g-dim", "--g_dim" }, description = "Frame embedding size of the T-VAE (default 128).")
	Integer gDim;

	@Option(names = { "--z-dim", "--z_dim" }, description = "Latent size of the T-VAE (default 10).")
	Integer zDim;

	@Option(names = { "--rnn-size", "--rnn_size" }, description = "LSTM units of the T-VAE (default 256).")
	Integer rnnSize;

	@Option(names = { "--n-past", "--n_past" }, description = "Observed weeks (default 3).")
	Integer nPast;

	@Option(names = { "--skip-levels", "--skip_levels" }, split = ",", description = "Encoder levels (1 = finest) with skip connections (default: all).")
	int[] skipLevels;

	@Option(names = "--upsample", description = "T-VAE 2-D up-sampling: subpixel, pixel_shuffle or resize_conv (default subpixel).")
	String upsample;

	@Option(names = "--residual", description = "Predict the change from the last observed week (the default output, residual_clamp; kept for old scripts).")
	boolean residual;

	@Option(names = "--output", description = "Output mapping: sigmoid, residual_clamp or residual_logit (overrides --residual).")
	String output;

	@Option(names = { "--min-crop", "--min_crop" }, defaultValue = "0.85", description = "Smallest random crop side (fraction; 1 = no crop; default ${DEFAULT-VALUE}).")
	double minCrop;

	@Option(names = { "--no-flips", "--no_flips" }, description = "Disable horizontal-flip augmentation.")
	boolean noFlips;

	@Option(names = "--minutes", defaultValue = "0", description = "Time budget in minutes: no epoch starts that would end after it (default 0 = none).")
	double minutes;

	@Option(names = { "--hid-s", "--hid_s" }, description = "SimVP: channels of the encoder and decoder (multiple of 16; default 32).")
	Integer hidS;

	@Option(names = { "--hid-t", "--hid_t" }, description = "SimVP: channels of the gSTA translator (multiple of 16; default 128).")
	Integer hidT;

	@Option(names = { "--z-samples", "--z_samples" }, description = "SimVP with a latent: posterior samples per sequence in training (default 1).")
	Integer zSamples;

	@Option(names = { "--latent-objective", "--latent_objective" }, description = "SimVP with several posterior samples: mean (of their losses) or best_of_k (default mean).")
	String latentObjective;

	@Option(names = { "--variance-head", "--variance_head" }, description = "SimVP's per-pixel variance: shared (a read-out channel of the decoder's last block) or separate (a last block of its own; default shared).")
	String varianceHead;

	@Option(names = { "--weight-decay", "--weight_decay" }, description = "Decoupled weight decay (AdamW; 0 = Adam; default: the model's, SimVP 0.05, others 0).")
	Double weightDecay;

	@Option(names = "--schedule", description = "Learning-rate schedule: constant or onecycle (default: the model's, SimVP onecycle, others constant).")
	String schedule;

	@Option(names = { "--emergence-ratio", "--emergence_ratio" }, description = "2-D models: share of lesion-emergence slices among emergence and control slices in each epoch, in [0, 1) (default: natural, as the data come).")
	String emergenceRatio;

	@Option(names = "--precision", defaultValue = "auto", description = "auto, fp32 or bf16: bfloat16 mixed precision of the 2-D T-VAE's convolutions and matmuls (master weights, optimiser, batch norm, loss in fp32); auto = bf16 where the CPU has AVX-512 BF16 or AMX and the engine's bf16 convolution passes its check, else fp32 (default ${DEFAULT-VALUE}).")
	String precision;

	@Override
	public Integer call() throws Exception {
		final PrintStream out = System.out;
		final SliceDataset ds = SliceDataset.open(data);
		final ForecastNets.Preset preset = ForecastNets.preset(arch);
		Training.checkOutputs(ds, model, resume, overwrite);
		final JsonObject h = new JsonObject();
		put(h, "n_past", nPast);
		put(h, "nf", nf);
		put(h, "g_dim", gDim);
		put(h, "hidden", hidden);
		put(h, "z_dim", zDim);
		put(h, "rnn_size", rnnSize);
		put(h, "lambda", lambda);
		put(h, "sigma", sigma);
		put(h, "beta", beta);
		put(h, "free_bits", freeBits);
		if (pixelVariance != null) h.addProperty("pixel_variance", pixelVariance);
		put(h, "variance_weight", varianceWeight);
		put(h, "hid_s", hidS);
		put(h, "hid_t", hidT);
		put(h, "z_samples", zSamples);
		if (latentObjective != null) h.addProperty("latent_objective", latentObjective);
		if (varianceHead != null) h.addProperty("variance_head", varianceHead);
		if (upsample != null) h.addProperty("upsample", upsample);
		if (output != null || residual) h.addProperty("output", output != null ? output : "residual_clamp");
		if (skipLevels != null) {
			final JsonArray a = new JsonArray();
			for (final int l : skipLevels)
				a.add(l);
			h.add("skip_levels", a);
		}
		final ForecastNet net = Training.model(preset, h, ds);
		out.println(preset.name + " (" + preset.description + "): " + net.architecture() + " " + net.hyperParameters());
		final Device dev = EngineSetup.device(device);
		out.println(String.format(Locale.ROOT, "device %s, PyTorch intra-op threads %d, inter-op %s", dev, EngineSetup
			.intraOpThreads(), System.getProperty("ai.djl.pytorch.num_interop_threads", "?")));
		final Cancellation cancel = new Cancellation();
		final Path ckpt = Training.checkpoint(model);
		final Training.Options o = new Training.Options().model(model).resume(resume).overwrite(overwrite).batch(batch)
			.loop(optimiser(TrainConfig.builder().optEpochs(epochs).optLr(lr).optPatience(patience).optSeed(seed).optMinCrop(minCrop)
				.optFlips(!noFlips).optMinutes(minutes).optKlAnnealEpochs(klAnneal).optEmergenceRatio(
					emergenceRatio))).device(dev).progress(new ConsoleProgress(
					System.err)).cancel(cancel).log(out).precision(precision);
		final ForecastTrainer.Result r = Interrupts.cancellable(cancel, "interrupted (Ctrl-C); the checkpoint " + ckpt +
			" holds the last complete epoch: run again with --resume", () -> Training.run(net, ds, o));
		out.println(String.format(Locale.ROOT, "%s; best epoch %d of %d; wrote %s (checkpoint %s)", r.stopReason,
			r.bestEpoch, r.epochsRun, model, ckpt));
		return 0;
	}

	/** The optimiser options given (the others stay the model's). */
	private TrainConfig.Builder optimiser(final TrainConfig.Builder b) {
		if (weightDecay != null) b.optWeightDecay(weightDecay);
		if (schedule != null) b.optSchedule(TrainConfig.Schedule.parse(schedule));
		return b;
	}

	private static void put(final JsonObject h, final String key, final Number v) {
		if (v != null) h.addProperty(key, v);
	}
}
