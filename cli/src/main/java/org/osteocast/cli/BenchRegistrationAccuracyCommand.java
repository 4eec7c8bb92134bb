package org.osteocast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.core.Cancellation;
import org.osteocast.register.CohortRegistrationAccuracy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast bench registration-accuracy}: scores a registration output
 * folder ({@code <mouse>/week<k>.transform.json}, from {@code osteocast register}
 * or another tool writing the same contract) against a synthetic cohort's true
 * transforms ({@code osteocast phantom}): mean and maximum displacement over
 * week 1's bone per pair, and their summary, on the console and as CSV
 * ({@link CohortRegistrationAccuracy}).
 */
@Command(name = "registration-accuracy", mixinStandardHelpOptions = true,
	description = "Score registered transforms against a phantom's true transforms: mean and max displacement over the bone, per pair and summarised.")
public final class BenchRegistrationAccuracyCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--registered", required = true, paramLabel = "DIR",
		description = "Registration output folder (<mouse>/week<k>.transform.json).")
	Path registered;

	@Option(names = "--truth", required = true, paramLabel = "DIR",
		description = "The phantom's output folder (or its truth/ folder) with the true transforms.")
	Path truth;

	@Option(names = "--out", paramLabel = "FILE.csv", description = "Write the per-pair table and the summary rows as CSV.")
	Path out;

	@Option(names = "--overwrite", description = "Replace an existing --out file.")
	boolean overwrite;

	@Override
	public Integer call() throws Exception {
		if (out != null) org.osteocast.io.contracts.Output.checkFile(out, overwrite, java.util.List.of(registered, truth));
		final CohortRegistrationAccuracy a = CohortRegistrationAccuracy.score(registered, truth, Cancellation.NEVER);
		final PrintWriter o = spec.commandLine().getOut();
		o.println("mouse      week  mean (vox)  max (vox)  bone voxels");
		for (final CohortRegistrationAccuracy.Pair p : a.pairs)
			o.println(String.format(Locale.ROOT, "%-10s %4d  %10.4f %10.4f  %d", p.mouse, p.week, p.displacement.mean,
				p.displacement.max, p.displacement.boneVoxels));
		o.println(a.summary());
		if (!a.notRegistered.isEmpty()) o.println("not registered (no transform in " + registered + "): " + String.join(
			", ", a.notRegistered));
		if (out != null) {
			a.writeCsv(out);
			o.println("wrote " + out);
		}
		o.flush();
		return 0;
	}
}
