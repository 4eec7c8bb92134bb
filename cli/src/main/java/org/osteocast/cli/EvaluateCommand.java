package org.osteocast.cli;


import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.metrics.Calibration;
import org.osteocast.metrics.CohortEvaluation;
import org.osteocast.metrics.Lpips;
import org.osteocast.metrics.Rigidity;
import org.osteocast.metrics.UncertaintyRanking;
import org.osteocast.viz.ReliabilityDiagram;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast evaluate}: scores {@code <mouse>_pred.tif} forecasts
 * against the data set's true target week, next to the persistence and linear
 * extrapolation baselines; per mouse and overall (mean over mice), as an
 * aligned table and optionally a CSV (written atomically). Where the
 * prediction folder has {@code <mouse>_uncertainty.tif}, also the calibration
 * of P(bone) (ECE, Brier) and how well the SD ranks changed pixels (AUC),
 * pooled over the cohort, printed and drawn as a reliability diagram
 * ({@value #RELIABILITY_PNG} beside the CSV, or {@code --reliability}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score forecasts (<mouse>_pred.tif: " +
	"slices x 64 x 64, float) against the true week of a slice data set: PSNR, SSIM, changed-pixel MSE, lesion Dice, " +
	"BV/TV error and cortical perforation, for the forecast and for the persistence and linear-extrapolation baselines; " +
	"with <mouse>_uncertainty.tif also the calibration of P(bone) (ECE, Brier, reliability diagram) and the AUC of " +
	"the per-pixel SD for changed pixels.")
public final class EvaluateCommand implements Callable<Integer> {

	/** Printed because LPIPS needs a pretrained network that is not part of OsteoCast. */
	public static final String NO_LPIPS = "LPIPS not computed: no network given";

	/** The end of the file name of the cohort's reliability diagram, written beside the CSV as {@code <csv>_reliability.png}. */
	public static final String RELIABILITY_PNG = "_" + ReliabilityDiagram.FILE_NAME;

	/** Printed when no scored mouse has an uncertainty file, so there is nothing to draw. */
	public static final String NO_RELIABILITY = "no reliability diagram: no scored forecast has an uncertainty file";

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

	@Option(names = "--reliability", paramLabel = "FILE.png",
		description = "Write the cohort's reliability diagram here (default: " + RELIABILITY_PNG + " beside --out; " +
			"none without either).")
	Path reliability;

	@Option(names = "--drop", paramLabel = "PCT", description = "Fracture risk in the rigidity columns: a drop of the " +
		"minimum rigidity (EA, EI_min or GJ) from week 1 by more than PCT %% (default ${DEFAULT-VALUE}).")
	double drop = Rigidity.DEFAULT_DROP_PERCENT;

	@Option(names = { "--proximal-margin-mm", "--proximal_margin_mm" }, paramLabel = "MM", description = "Rigidity " +
		"columns, where the VOI starts at the growth plate: leave the slices within MM of the plate's edge out of the " +
		"minima (default ${DEFAULT-VALUE}; 0 = none; docs/rigidity.md).")
	double proximalMarginMm = Rigidity.PROXIMAL_MARGIN_UM / 1000;

	@Option(names = "--overwrite", description = "Replace an existing output as a whole (default: refuse to write over it).")
	boolean overwrite;

	@Override
	public Integer call() throws Exception {
		final double riskDrop = Rigidity.dropFromPercent(drop);
		final Path png = reliability != null ? reliability : out != null ? ReliabilityDiagram.besideCsv(out) : null;
		final SliceDataset ds = SliceDataset.open(data);
		final java.util.List<Path> inputs = new java.util.ArrayList<>();
		for (final SliceDataset.Entry x : ds.entries())
			inputs.add(x.image);
		inputs.add(pred);
		if (out != null) org.osteocast.io.contracts.Output.checkFile(out, overwrite, inputs);
		if (png != null) org.osteocast.io.contracts.Output.checkFile(png, overwrite, inputs);
		final double marginUm = 1000 * proximalMarginMm;
		final CohortEvaluation e;
		if (lpips == null) e = CohortEvaluation.run(ds, split, pred, observed, changeThreshold, null, riskDrop, marginUm);
		else try (Lpips net = Lpips.load(lpips)) {
			e = CohortEvaluation.run(ds, split, pred, observed, changeThreshold, net, riskDrop, marginUm);
		}
		if (out != null) e.writeCsv(out);
		final PrintWriter w = spec.commandLine().getOut();
		printTable(w, e.rows);
		if (lpips == null) w.println(NO_LPIPS);
		for (final String note : e.notes())
			w.println(note);
		for (final String note : e.rigidity().notes())
			w.println(note);
		w.println(e.rigidity().summary("tumour"));
		final Calibration.Reliability r = e.reliability();
		final UncertaintyRanking.Result u = e.uncertaintyRanking();
		if (r != null) w.println(String.format(Locale.ROOT,
			"forecast uncertainty, pooled over %d of %d mice (%,d pixels): ECE %.4f, Brier %.4f; SD ranks changed " +
				"pixels with AUC %.4f (mean SD %.4f changed, %.4f unchanged; %,d changed pixels)", e.uncertainMice(), e
					.scoredMice(), r.n, r.ece, r.brier, u.auc, u.meanChanged, u.meanUnchanged, u.changed));
		if (out != null) w.println("wrote " + out);
		if (png != null) {
			if (r == null) w.println(NO_RELIABILITY);
			else {
				ReliabilityDiagram.write(r, "Reliability of P(bone), " + e.uncertainMice() + " mice (split " + split + ")",
					png);
				w.println("wrote " + png);
			}
		}
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
