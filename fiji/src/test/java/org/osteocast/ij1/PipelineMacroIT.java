package org.osteocast.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.phantom.PhantomGenerator;
import org.osteocast.phantom.PhantomParameters;

/**
 * macros/pipeline.ijm and macros/batch_forecast.ijm in a real ImageJ 1.x,
 * headless: a small synthetic cohort goes through registration, slicing, a
 * one-epoch training, prediction, evaluation, and per-mouse forecast montages.
 */
class PipelineMacroIT {

	@TempDir
	Path tmp;

	@Test
	void pipelineAndBatchForecastProduceTheirFiles() throws Exception {
		final Path cohort = tmp.resolve("cohort"), work = tmp.resolve("work");
		PhantomGenerator.generate(PhantomParameters.builder().mice(6).weeks(4).seed(3).voxelUm(40).missingWeekProb(0)
			.build(), cohort, Progress.NONE, Cancellation.NEVER);
		final ImageJ1 ij = ImageJ1.install();
		final ImageJ1.Result r = ij.runMacro(Path.of("macros/pipeline.ijm"), cohort + "|" + work + "|-|1|4|0", 500);
		assertTrue(r.output.contains("pipeline: done"), r.output);
		assertTrue(Files.isRegularFile(work.resolve("registered/cohort.csv")), r.output);
		assertTrue(Files.isRegularFile(work.resolve("slices/cohort.csv")), r.output);
		assertTrue(Files.isRegularFile(work.resolve("model.zip")), r.output);
		final List<String> eval = Files.readAllLines(work.resolve("evaluation.csv"));
		assertTrue(eval.get(0).startsWith("mouse,method,psnr_db,ssim"), eval.get(0));
		assertTrue(eval.stream().anyMatch(l -> l.contains(",forecast,")) && eval.stream().anyMatch(l -> l.contains(
			",persistence,")), eval.toString());
		final long preds;
		try (Stream<Path> s = Files.list(work.resolve("predictions"))) {
			preds = s.filter(p -> p.getFileName().toString().endsWith("_pred.tif")).count();
		}
		assertTrue(preds >= 1, "test mice predicted");

		final Path forecasts = tmp.resolve("forecasts");
		final ImageJ1.Result b = ij.runMacro(Path.of("macros/batch_forecast.ijm"), work.resolve("slices") + "|" + work
			.resolve("model.zip") + "|" + forecasts, 300);
		assertTrue(b.output.contains("batch_forecast: 6 mice"), b.output);
		final List<String> pngs;
		try (Stream<Path> s = Files.list(forecasts)) {
			pngs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_montage.png")).sorted().collect(
				Collectors.toList());
		}
		assertEquals(6, pngs.size(), pngs.toString());
	}
}
