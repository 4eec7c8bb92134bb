package org.osteocast.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast bench}: speed and accuracy benchmarks against peer tools.
 * A parent command only; each benchmark is a subcommand owned by its step
 * (add yours to {@code subcommands}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks against peer tools (see the subcommands).",
	subcommands = { RegisterCommand.Bench.class, BenchTrainCommand.class, BenchPredictCommand.class, BenchRegistrationAccuracyCommand.class,
		BenchScaleCommand.class,
		CommandLine.HelpCommand.class })
public final class BenchCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		spec.commandLine().usage(spec.commandLine().getOut());
		return 0;
	}
}
