package org.osteocast.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.report.DemoReport;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast demo}: the whole pipeline on a built-in synthetic cohort —
 * generate, register, slice, train, predict, evaluate — then a self-contained
 * HTML report. Each step is the very command line a user would type (printed
 * before it runs), executed in this process, so the report's commands are
 * exactly what ran.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
	description = "Run the whole pipeline on a synthetic cohort and write a report (index.html).")
public final class DemoCommand implements Callable<Integer> {

	@Spec
	CommandLine.Model.CommandSpec spec;

	@Option(names = "--out", defaultValue = "osteocast-demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
	Path out;

	@Option(names = "--quick", description = "A small cohort and model: about 3 minutes (says so in the report).")
	boolean quick;

	@Option(names = "--seed", defaultValue = "1", description = "Seed of the cohort, split and training (default: ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--overwrite", description = "Replace an earlier demo in --out.")
	boolean overwrite;

	/** The demo's settings; one place, reported in the page. */
	static final class Plan {
		final int mice;
		final double trainMinutes;
		final int nf, epochs;

		Plan(final boolean quick) {
			mice = quick ? 12 : 30;
			trainMinutes = quick ? 1.0 : 8.0;
			nf = quick ? 8 : 16;
			epochs = quick ? 40 : 200;
		}
	}

	@Override
	public Integer call() throws Exception {
		final PrintStream console = System.out;
		final Plan plan = new Plan(quick);
		if (Files.exists(out.resolve("index.html")) && !overwrite) throw new IllegalArgumentException(out +
			" already holds a demo (index.html); use --overwrite or another --out");
		Files.createDirectories(out);
		final Path cohort = out.resolve("cohort"), registered = out.resolve("registered"), slices = out.resolve(
			"slices"), model = out.resolve("model.zip"), predictions = out.resolve("predictions"), evaluation = out
				.resolve("evaluation.csv");
		final List<DemoReport.Step> steps = new ArrayList<>();
		final String s = Long.toString(seed);
		run(console, steps, "Generate a synthetic cohort", "phantom", "--out", cohort.toString(), "--mice", Integer
			.toString(plan.mice), "--weeks", "4", "--seed", s, "--missing-week-prob", "0.1", "--overwrite");
		// the demo owns its folder (an earlier demo was refused above without --overwrite): each step replaces its output
		run(console, steps, "Register every week to week 1", "register", "--cohort", cohort.toString(), "--out",
			registered.toString(), "--overwrite");
		run(console, steps, "Cut the VOI below the growth plate into slice sequences", "slice", "--cohort", registered
			.toString(), "--out", slices.toString(), "--seed", s, "--overwrite");
		run(console, steps, "Train the T-VAE", "train", "--data", slices.toString(), "--model", model.toString(),
			"--nf", Integer.toString(plan.nf), "--epochs", Integer.toString(plan.epochs), "--minutes", String.format(
				Locale.ROOT, "%.1f", plan.trainMinutes), "--seed", s, "--precision", "fp32", "--overwrite"); // fp32 until bf16's
		// forecasts are compared with fp32's on the validation mice (README: bfloat16 mixed precision)
		run(console, steps, "Forecast week 4 of the test mice", "predict", "--model", model.toString(), "--data", slices
			.toString(), "--out", predictions.toString(), "--samples", "8", "--seed", s, "--overwrite");
		run(console, steps, "Evaluate against the truth and the baselines", "evaluate", "--pred", predictions
			.toString(), "--data", slices.toString(), "--out", evaluation.toString(), "--overwrite");
		console.println("\n== Writing the report");
		final Path html = DemoReport.write(out, steps, quick, plan.mice, plan.nf, plan.trainMinutes);
		console.println("demo: report -> " + html.toAbsolutePath());
		return 0;
	}

	private void run(final PrintStream console, final List<DemoReport.Step> steps, final String title,
		final String... args)
	{
		console.println();
		console.println("== " + (steps.size() + 1) + ". " + title);
		console.println("$ osteocast " + DemoReport.quote(args));
		final long t0 = System.nanoTime();
		final CommandLine cl = Main.commandLine();
		cl.setOut(spec.commandLine().getOut());
		cl.setErr(spec.commandLine().getErr());
		final int rc = cl.execute(args);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		console.printf(Locale.ROOT, "-- %s: %s in %s%n", title, rc == 0 ? "done" : "FAILED (exit " + rc + ")",
			ConsoleProgress.time(seconds));
		if (rc != 0) throw new IllegalStateException("demo step '" + title + "' failed (exit " + rc + "); see above");
		steps.add(new DemoReport.Step(title, args, seconds));
	}
}
