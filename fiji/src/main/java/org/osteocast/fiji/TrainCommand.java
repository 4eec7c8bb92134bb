package org.osteocast.fiji;

import ij.ImagePlus;
import ij.gui.Plot;

import com.google.gson.JsonObject;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.blocks.FrameOutput;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.nn.tvae.TvaeConfig;
import org.osteocast.train.ForecastTrainer;
import org.osteocast.train.TrainConfig;
import org.osteocast.train.Training;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Train T-VAE": trains the temporal VAE on a slice data set with progress on
 * the status bar, a loss plot that grows epoch by epoch, cancel (Esc) that
 * keeps the last complete epoch in the checkpoint, and resume.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Train T-VAE", label = "Train T-VAE")
public final class TrainCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Slice data set", style = "directory", description = "Folder with cohort.csv (split train/val).")
	File data;

	@Parameter(persist = false, label = "Model archive", style = "save", description = "The .zip to write.")
	File model;

	@Parameter(persist = false, label = "Model", choices = { "tvae2d", "tvae2d-latent", "tvae2d-mse", "tvae2d-svglp", "tvae2d-logit",
		"tvae3d-dcgan", "tvae3d-unet", "tvae3d-dcgan-mse", "tvae3d-unet-mse", "convlstm", "predrnn", "gan3d", "simvp", "simvp-vae",
		"persistence", "linear" }, description = "tvae2d is the paper's model; the others are its baselines and variants.")
	String model_type = "tvae2d";

	@Parameter(persist = false, label = "Epochs", min = "1")
	int epochs = 200;

	@Parameter(persist = false, label = "Time budget (minutes)", min = "0", description = "0: no limit.")
	double minutes = 0;

	@Parameter(persist = false, style = "advanced", label = "Batch (2-D models; 3-D ones use 4)", min = "1")
	int batch = 48;

	/** The default T-VAE 2-D: the dialog's defaults, and what a value must differ from to override a preset. */
	private static final TvaeConfig T = TvaeConfig.builder().build();

	@Parameter(persist = false, style = "advanced", label = "Base width nf (T-VAE 2-D)", min = "4", description = "Encoder channels nf, 2nf, 4nf, 8nf (paper: 64).")
	int nf = T.nf;

	@Parameter(persist = false, style = "advanced", label = "Edge weight lambda", min = "0", description = "0 = plain MSE.")
	double lambda = T.lambda;

	@Parameter(persist = false, style = "advanced", label = "Edge blur sigma (px)", min = "0.1")
	double sigma = T.sigma;

	@Parameter(persist = false, style = "advanced", label = "KL weight beta", min = "0")
	double beta = T.beta;

	@Parameter(persist = false, label = "Residual output", description = "Predict the change from the last observed week.")
	boolean residual = T.output == FrameOutput.RESIDUAL_CLAMP;

	@Parameter(persist = false, style = "advanced", label = "Seed")
	long seed = 1;

	@Parameter(persist = false, style = "advanced", label = "Learning-rate schedule", choices = { "model default",
		"constant", "onecycle" }, description = "model default: SimVP one-cycle, the others constant.")
	String schedule = "model default";

	@Parameter(persist = false, style = "advanced", label = "Weight decay (AdamW; -1 = the model's)", min = "-1",
		description = "Decoupled weight decay; 0 = Adam; -1 keeps the model's (SimVP 0.05, the others 0).")
	double weight_decay = -1;

	@Parameter(persist = false, style = "advanced", label = "Lesion-emergence ratio", description =
		"2-D models: share of lesion-emergence slices among emergence and control slices per epoch, in [0, 1); natural: as the data come.")
	String emergence_ratio = "natural";

	@Parameter(persist = false, label = "Device", choices = { "auto", "cpu", "gpu" })
	String device = "auto";

	@Parameter(persist = false, style = "advanced", label = "Precision", choices = { "auto", "fp32", "bf16" },
		description = "bf16: bfloat16 mixed precision of the 2-D T-VAE (weights, optimiser, loss in fp32); auto = bf16 where the CPU has AVX-512 BF16 or AMX, else fp32.")
	String precision = "auto";

	@Parameter(persist = false, label = "Resume from the checkpoint")
	boolean resume = false;

	@Parameter(persist = false, label = "Overwrite existing output", required = false,
		description = "Replace an existing output as a whole; off: an existing output is refused with a message.")
	boolean overwrite = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Loss plot")
	ImagePlus loss_plot;

	@Override
	protected void execute() throws IOException {
		if (data == null || model == null) throw new IllegalArgumentException(Messages.NO_INPUT);
		final SliceDataset ds = SliceDataset.open(data.toPath());
		final ForecastNets.Preset preset = ForecastNets.preset(model_type);
		final JsonObject h = new JsonObject();
		if (TvaeConfig.ARCHITECTURE.equals(preset.architecture)) {
			// the dialog's width, loss and output settings are the 2-D T-VAE's; the other models keep their own, and
			// so does a T-VAE preset where the dialog still shows the default (tvae2d-mse keeps lambda 0, say)
			if (nf != T.nf) h.addProperty("nf", nf);
			if (lambda != T.lambda) h.addProperty("lambda", lambda);
			if (sigma != T.sigma) h.addProperty("sigma", sigma);
			if (beta != T.beta) h.addProperty("beta", beta);
			if (residual != (T.output == FrameOutput.RESIDUAL_CLAMP)) h.addProperty("output", residual
				? FrameOutput.RESIDUAL_CLAMP.label() : FrameOutput.SIGMOID.label());
		}
		final ForecastNet cfg = Training.model(preset, h, ds);
		final List<double[]> rows = new ArrayList<>();
		final Plot[] plot = { null };
		final ForecastTrainer.EpochListener live = row -> {
			rows.add(new double[] { row.epoch, row.recon, row.valMse });
			plot[0] = plot(rows);
			if (!java.awt.GraphicsEnvironment.isHeadless()) plot[0].show();
		};
		progress().status("Training " + preset.name + " on " + ds.entries().size() + " mice");
		// the batch field is the 2-D models' (a sequence of slices); 3-D models keep their own default (volumes)
		final ForecastTrainer.Result r = Training.run(cfg, ds, new Training.Options().model(model.toPath()).resume(resume)
			.overwrite(overwrite).batch(cfg.spatialDims() == 3 ? null : batch).loop(loop()).device(EngineSetup.device(
				device)).precision(precision).progress(progress()).cancel(cancellation()).listener(live));
		if (log != null) log.info("Train T-VAE: " + r.stopReason + "; best epoch " + r.bestEpoch + " of " + r.epochsRun +
			"; precision " + r.summary.getAsJsonObject("settings").get("precision").getAsString() + "; wrote " + model);
		loss_plot = plot[0] != null ? plot[0].getImagePlus() : null;
	}

	/** The loop's settings from the dialog; schedule and weight decay stay the model's unless set. */
	private TrainConfig.Builder loop() {
		final TrainConfig.Builder b = TrainConfig.builder().optEpochs(epochs).optSeed(seed).optMinutes(minutes)
			.optEmergenceRatio(emergence_ratio);
		if (!"model default".equals(schedule)) b.optSchedule(TrainConfig.Schedule.parse(schedule));
		if (weight_decay >= 0) b.optWeightDecay(weight_decay);
		return b;
	}

	private static Plot plot(final List<double[]> rows) {
		final double[] x = new double[rows.size()], recon = new double[rows.size()], val = new double[rows.size()];
		for (int i = 0; i < x.length; i++) {
			x[i] = rows.get(i)[0];
			recon[i] = rows.get(i)[1];
			val[i] = rows.get(i)[2];
		}
		final Plot p = new Plot("T-VAE training", "epoch", "loss");
		p.setColor(java.awt.Color.BLUE);
		p.addPoints(x, recon, Plot.LINE);
		p.setColor(java.awt.Color.RED);
		p.addPoints(x, val, Plot.LINE);
		p.addLegend("training reconstruction\tvalidation MSE");
		p.setLimitsToFit(false);
		return p;
	}

}
