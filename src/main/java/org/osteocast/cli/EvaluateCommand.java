package org.osteocast.cli;


import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.osteocast.io.SliceDataset;
import org.osteocast.metrics.CohortEvaluation;
import org.osteocast.metrics.Lpips;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast evaluate}: scores {@code <mouse>_pred.tif} forecasts
 * against the data set's true target week, next to the persistence and linear
 * extrapolation baselines; per mouse and overall (mean over mice), as an
 * aligned table and optionally a CSV (written atomically).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score forecasts (<mouse>_pred.tif: " +
	"slices x 64 x 64, float) against the true week of a slice data set: PSNR, SSIM, changed-pixel MSE, lesion Dice, " +
	"BV/TV error and cortical perforation, for the forecast and for the persistence and linear-extrapolation baselines.")
public final class EvaluateCommand implements Callable<Integer> {

	/** Printed because LPIPS needs a pretrained network that is not part of OsteoCast. */
	public static final String NO_LPIPS = "LPIPS not computed: no network given";

	@Spec
	CommandSpec spec;

	@Option(names = "--pred", required = true, paramLabel = "DIR", description = "Folder with <mouse>_pred.tif files.")
	Path pred;

	@Option(names = "--data", required = true, paramLabel = "DIR", description = "Slice data set (folder with cohort.csv).")
	Path data;

	@Option(names = "--split", defaultValue = "test", paramLabel = "test|val|train|all",
		description = "Which mice to score (default: ${DEFAULT-VALUE}).")
	String split;

	@Option(names = "--out", paramLabel = "FILE.csv", description = "Write the scores to this CSV (atomically).")
	Path out;

	@Option(names = "--observed", paramLabel = "N",
		description = "Observed weeks; the truth is week N+1 (default: all frames but the last).")
	Integer observed;

	@Option(names = "--change-threshold", paramLabel = "T",
		description = "Threshold on |truth - last observed| for changed pixels (default: 3 x robust SD of that difference).")
	Double changeThreshold;

	private static final String[] COLUMNS = CohortEvaluation.COLUMNS.toArray(new String[0]);

	/** CSV columns (the first row of the written file). */
	public static final List<String> CSV_COLUMNS = List.of(COLUMNS);

	@Option(names = "--lpips", paramLabel = "FILE.pt",
		description = "An LPIPS network exported to TorchScript (the lpips package's AlexNet or VGG variant).")
	Path lpips;

	@Override
	public Integer call() throws Exception {
		final CohortEvaluation e;
		if (lpips == null) e = CohortEvaluation.run(SliceDataset.open(data), split, pred, observed, changeThreshold);
		else try (Lpips net = Lpips.load(lpips)) {
			e = CohortEvaluation.run(SliceDataset.open(data), split, pred, observed, changeThreshold, net);
		}
		if (out != null) e.writeCsv(out);
		final PrintWriter w = spec.commandLine().getOut();
		printTable(w, e.rows);
		if (lpips == null) w.println(NO_LPIPS);
		if (out != null) w.println("wrote " + out);
		w.flush();
		return 0;
	}

	private static void printTable(final PrintWriter w, final List<String[]> rows) {
		final int[] width = new int[COLUMNS.length];
		for (int c = 0; c < COLUMNS.length; c++)
			width[c] = COLUMNS[c].length();
		for (final String[] r : rows)
			for (int c = 0; c < r.length; c++)
				width[c] = Math.max(width[c], r[c].length());
		final StringBuilder h = new StringBuilder();
		for (int c = 0; c < COLUMNS.length; c++)
			h.append(c == 0 ? "" : "  ").append(pad(COLUMNS[c], width[c], c < 2));
		w.println(h);
		for (final String[] r : rows) {
			final StringBuilder b = new StringBuilder();
			for (int c = 0; c < r.length; c++)
				b.append(c == 0 ? "" : "  ").append(pad(r[c], width[c], c < 2));
			w.println(b);
		}
	}

	private static String pad(final String s, final int n, final boolean left) {
		final String sp = " ".repeat(Math.max(0, n - s.length()));
		return left ? s + sp : sp + s;
	}
}
