package org.osteocast.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.osteocast.OsteoCast;
import org.osteocast.core.Cancellation;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/**
 * The {@code osteocast} command line. Each verb is a small class that parses
 * options, calls the core, and prints results; option names match the Fiji
 * commands' parameters.
 */
@Command(name = "osteocast", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
	description = "Forecast osteolytic bone lesions in longitudinal micro-CT (T-VAE, Xiong et al. 2022).",
	subcommands = { InfoCommand.class, PhantomCommand.class, CohortCommand.class, RegisterCommand.class, SliceCommand.class,
		TrainCommand.class, PredictCommand.class, EvaluateCommand.class, DemoCommand.class, BenchCommand.class, BenchmarkCommand.class, RigidityCommand.class,
		CommandLine.HelpCommand.class })
public final class Main implements Callable<Integer> {

	/** Exit code for bad input (a file that cannot be used). */
	public static final int EXIT_BAD_INPUT = 2;
	/** Exit code for a run cancelled by the user (Ctrl-C). */
	public static final int EXIT_CANCELLED = 130;

	@Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
		description = "Print stack traces of errors.")
	boolean verbose;

	@Override
	public Integer call() {
		new CommandLine(this).usage(System.out);
		return 0;
	}

	public static void main(final String... args) {
		System.exit(run(args));
	}

	/** Runs the command line and returns the exit code (for tests). */
	public static int run(final String... args) {
		return commandLine().execute(args);
	}

	/** The configured picocli command line (for tests that capture output). */
	public static CommandLine commandLine() {
		final CommandLine cl = new CommandLine(new Main());
		cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
			final boolean verbose = verbose(parsed);
			final PrintWriter err = cmd.getErr();
			if (ex instanceof Cancellation.CancelledException) {
				err.println("osteocast: cancelled: " + ex.getMessage());
				err.flush();
				return EXIT_CANCELLED;
			}
			err.println(cmd.getCommandSpec().qualifiedName() + ": " + describe(ex));
			if (verbose) ex.printStackTrace(err);
			else err.println("(run again with --verbose for the stack trace)");
			err.flush();
			return ex instanceof java.io.IOException || ex instanceof IllegalArgumentException ? EXIT_BAD_INPUT : 1;
		});
		return cl;
	}

	/** Whether --verbose was given anywhere: before the verb or after it. */
	static boolean verbose(final CommandLine.ParseResult parsed) {
		for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand())
			if (p.hasMatchedOption("--verbose")) return true;
		return false;
	}

	private static String describe(final Throwable ex) {
		if (ex instanceof OutOfMemoryError) return "out of Java heap memory (" + Runtime.getRuntime().maxMemory() / (1 <<
			20) + " MB): set a larger heap with OSTEOCAST_XMX (e.g. OSTEOCAST_XMX=16g) or use smaller inputs";
		final String m = ex.getMessage();
		return m == null || m.isBlank() ? ex.getClass().getSimpleName() : m;
	}

	/** Prints the build's version. */
	public static final class Version implements IVersionProvider {
		@Override
		public String[] getVersion() {
			return new String[] { "OsteoCast " + OsteoCast.VERSION };
		}
	}
}
