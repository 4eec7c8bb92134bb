package org.osteocast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.contracts.CohortPattern;
import org.osteocast.io.contracts.Output;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast cohort}: the cohort manifest from folder or file names
 * ({@link CohortPattern}), so that BoneMet-style and lab layouts need no
 * hand-written CSV. Parses options, calls the core, writes the CSV through
 * {@link Output}.
 */
@Command(name = "cohort", mixinStandardHelpOptions = true, description = "Write the cohort manifest (cohort.csv) from " +
	"folder or file names: e.g. --pattern '{mouse} week {week} {side} tibia'. The left and right tibia of a mouse " +
	"become two subjects (<mouse>_left, <mouse>_right); weeks may start at 0 (then written one higher).")
public final class CohortCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--root", required = true, paramLabel = "DIR", description = "Folder holding the scans (at any depth).")
	Path root;

	@Option(names = "--pattern", required = true, paramLabel = "PATTERN",
		description = "Name pattern with {mouse} and {week} (and optionally {side}, {group}, {*}); a space matches " +
			"spaces, '_' or '-'; with a '/' it is matched against the path below --root.")
	String pattern;

	@Option(names = "--out", required = true, paramLabel = "CSV", description = "The manifest to write (image paths relative to it).")
	Path out;

	@Option(names = "--keep-week-numbers", description = "Write weeks as named even when they start at 0.")
	boolean keepWeekNumbers;

	@Option(names = "--overwrite", description = "Replace an existing manifest (default: refuse to write over it).")
	boolean overwrite;

	@Override
	public Integer call() throws Exception {
		final CohortPattern.Result r = CohortPattern.find(root, pattern, !keepWeekNumbers);
		final List<Path> inputs = new ArrayList<>();
		for (final CohortPattern.Entry e : r.entries())
			inputs.add(e.image());
		try (Output o = Output.file(out, overwrite, inputs)) {
			AtomicFiles.writeString(o.target(), CohortPattern.manifest(r.entries(), o.target().getParent()));
		}
		final Cohort c = Cohort.read(out); // the manifest reads back as a cohort
		final PrintWriter w = spec.commandLine().getOut();
		for (final String n : r.notes())
			w.println("note: " + n);
		w.printf(Locale.ROOT, "cohort: %d subjects, %d scans -> %s%n", c.mice().size(), c.scans().size(), out);
		w.flush();
		return 0;
	}
}
