package org.osteocast.cli;

import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.benchmark.Benchmark;
import org.osteocast.benchmark.BenchmarkReport;
import org.osteocast.core.Cancellation;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.model.ForecastNets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code osteocast benchmark}: the paper's Tables 1 and 2 on a slice data set
 * ({@link Benchmark}, {@link BenchmarkReport}). Interrupt and run the same
 * line again to continue: finished runs are kept and an interrupted training
 * resumes from its checkpoint.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
	description = "Train every model with the same time budget on the same split, forecast the test mice and write the paper's Tables 1-2 and figures.")
public final class BenchmarkCommand implements Callable<Integer> {

	@Option(names = "--data", description = "Slice data set (folder with cohort.csv, splits train/val/test).")
	Path data;

	@Option(names = "--out", description = "Output folder (runs/, results.csv, tables.md, figures).")
	Path out;

	@Option(names = "--seeds", defaultValue = "3", description = "Training seeds per model (default ${DEFAULT-VALUE}).")
	int seeds;

	@Option(names = { "--budget-minutes", "--budget_minutes" }, defaultValue = "5",
		description = "Training time per model and seed, minutes (default ${DEFAULT-VALUE}).")
	double budget;

	@Option(names = "--models", split = ",", description = "Models to run (default: all of both tables; see --list).")
	List<String> models;

	@Option(names = "--nf", defaultValue = "16", description = "Base width of the convolutional models (default ${DEFAULT-VALUE}: CPU budget).")
	int nf;

	@Option(names = "--hidden", defaultValue = "32", description = "Hidden channels of ConvLSTM and PredRNN (default ${DEFAULT-VALUE}: CPU budget).")
	int hidden;

	@Option(names = "--samples", defaultValue = "8", description = "Samples per slice for the stochastic models (default ${DEFAULT-VALUE}).")
	int samples;

	@Option(names = "--lpips", paramLabel = "FILE.pt", description = "An LPIPS network exported to TorchScript (else LPIPS is not computed).")
	Path lpips;

	@Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--rescore", description = "Forecast and score finished runs again (trained models are kept).")
	boolean rescore;

	@Option(names = "--report-only", description = "Write the tables and figures again from results.csv and the finished runs in --out (no training, no forecasting; the runs keep the code version that made them).")
	boolean reportOnly;

	@Option(names = "--list", description = "List the models and exit.")
	boolean list;

	@Override
	public Integer call() throws Exception {
		if (list) {
			for (final ForecastNets.Preset p : ForecastNets.presets())
				System.out.println(String.format(Locale.ROOT, "%-18s %s", p.name, p.description));
			return 0;
		}
		if (data == null || out == null) throw new IllegalArgumentException("--data and --out are required");
		final SliceDataset ds = SliceDataset.open(data);
		if (reportOnly) {
			final List<Benchmark.Run> runs = Benchmark.readResults(out.resolve("results.csv"));
			final String madeBy = BenchmarkReport.madeBy(out.resolve("tables.md"));
			BenchmarkReport.write(out, runs, ds, (madeBy != null ? madeBy + "`; tables written again from results.csv by `"
				: "") + "osteocast benchmark --data " + data + " --out " + out + " --report-only");
			System.out.println(java.nio.file.Files.readString(out.resolve("tables.md")));
			System.out.println("wrote " + out.resolve("tables.md") + " and the figures from " + out.resolve("results.csv"));
			return 0;
		}
		final Benchmark.Options o = new Benchmark.Options();
		o.seeds = seeds;
		o.budgetMinutes = budget;
		o.samples = samples;
		o.lpips = lpips;
		o.rescore = rescore;
		o.device = EngineSetup.device(device);
		if (models != null && !models.isEmpty()) o.models = models;
		final JsonObject h = new JsonObject();
		h.addProperty("nf", nf);
		h.addProperty("hidden", hidden);
		o.hyper = h;
		final StringBuilder cmd = new StringBuilder("osteocast benchmark --data " + data + " --out " + out + " --seeds " +
			seeds + " --budget-minutes " + budget + " --nf " + nf + " --hidden " + hidden);
		if (models != null) cmd.append(" --models ").append(String.join(",", models));
		final Cancellation cancel = new Cancellation();
		final List<Benchmark.Run> runs = Interrupts.cancellable(cancel,
			"interrupted (Ctrl-C); run the same command again to continue", () -> Benchmark.run(ds, out, o,
				new ConsoleProgress(System.err), cancel, System.out));
		BenchmarkReport.write(out, runs, ds, cmd.toString());
		System.out.println(java.nio.file.Files.readString(out.resolve("tables.md")));
		System.out.println("wrote " + out.resolve("tables.md") + ", results.csv and the figures");
		return 0;
	}
}
