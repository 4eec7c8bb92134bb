package org.osteocast.fiji;

import ij.measure.ResultsTable;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.metrics.Calibration;
import org.osteocast.metrics.CohortEvaluation;
import org.osteocast.metrics.Rigidity;
import org.osteocast.viz.ReliabilityDiagram;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Evaluate Forecast": PSNR, SSIM, changed-pixel error, lesion Dice, BV/TV and
 * cortical perforation of the forecasts against the true week, beside the
 * persistence and linear baselines, into the "Results" table (and optionally
 * a CSV). With {@code <mouse>_uncertainty.tif} in the predictions folder the
 * forecast rows also hold ECE, Brier, the SD's AUC for changed pixels and the
 * mean SDs (pooled over the cohort in the mean row), and a reliability diagram
 * is written beside the CSV, as {@code osteocast evaluate} does.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Evaluate Forecast", label = "Evaluate Forecast")
public final class EvaluateCommand extends OsteoCastCommand {

	@Parameter(persist = false, label = "Predictions folder", style = "directory", description = "Folder with <mouse>_pred.tif.")
	File predictions;

	@Parameter(persist = false, label = "Slice data set", style = "directory", description = "Folder with cohort.csv and the truth week.")
	File data;

	@Parameter(persist = false, label = "Split", choices = { "test", "val", "train", "all" })
	String split = "test";

	@Parameter(persist = false, label = "CSV file", style = "save", required = false, description = "Also write the table here.")
	File csv;

	@Parameter(persist = false, label = "Fracture-risk drop (%)", required = false, min = "1", max = "99.99",
		description = "Rigidity columns: at risk when the minimum rigidity drops from week 1 by more than this (CTRA: 35).")
	double drop = Rigidity.DEFAULT_DROP_PERCENT;

	@Parameter(persist = false, label = "Overwrite existing output", required = false,
		description = "Replace an existing output as a whole; off: an existing output is refused with a message.")
	boolean overwrite = false;

	@Override
	protected void execute() throws IOException {
		if (predictions == null || data == null) throw new IllegalArgumentException(Messages.NO_INPUT);
		final double riskDrop = Rigidity.dropFromPercent(drop);
		if (csv != null) {
			org.osteocast.io.contracts.Output.checkFile(csv.toPath(), overwrite, List.of(predictions.toPath(), data.toPath()));
			org.osteocast.io.contracts.Output.checkFile(ReliabilityDiagram.besideCsv(csv.toPath()), overwrite, List.of());
		}
		progress().status("Evaluating forecasts in " + predictions);
		final CohortEvaluation e = CohortEvaluation.run(SliceDataset.open(data.toPath()), split, predictions.toPath(),
			null, null, null, riskDrop);
		if (csv != null) e.writeCsv(csv.toPath());
		final Calibration.Reliability r = e.reliability();
		if (csv != null && r != null) ReliabilityDiagram.write(r, "Reliability of P(bone), " + e.uncertainMice() +
			" mice (split " + split + ")", ReliabilityDiagram.besideCsv(csv.toPath()));
		// the system "Results" table: macros read it with getResult() and saveAs("Results", ...)
		final ResultsTable rt = ResultsTable.getResultsTable();
		rt.reset();
		for (final String[] row : e.rows) {
			rt.incrementCounter();
			for (int c = 0; c < row.length; c++) {
				final String col = CohortEvaluation.COLUMNS.get(c);
				try { // the CSV's nan / inf as numbers, so the columns stay numeric for getResult()
					rt.addValue(col, "nan".equals(row[c]) ? Double.NaN : "inf".equals(row[c]) ? Double.POSITIVE_INFINITY
						: "-inf".equals(row[c]) ? Double.NEGATIVE_INFINITY : Double.parseDouble(row[c]));
				}
				catch (final NumberFormatException ex) {
					rt.addValue(col, row[c]);
				}
			}
		}
		rt.show("Results");
		if (log != null) {
			log.info("Evaluate Forecast: " + (e.rows.size()) + " rows (LPIPS not computed: no network given)");
			for (final String note : e.notes())
				log.warn("Evaluate Forecast: " + note);
			log.info("Evaluate Forecast: " + e.rigidity().summary("tumour"));
			if (r != null) log.info(String.format(Locale.ROOT,
				"Evaluate Forecast: P(bone) over %d of %d mice: ECE %.4f, Brier %.4f; SD's AUC for changed pixels %.4f", e
					.uncertainMice(), e.scoredMice(), r.ece, r.brier, e.uncertaintyRanking().auc));
		}
	}
}
