package org.osteocast.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.train.SyntheticCohort;

/** The benchmark on a tiny cohort: every model through the same commands, seeds aggregated, resumable. */
class BenchmarkTest {

	@BeforeAll
	static void engine() {
		EngineSetup.intraOpThreads(1);
		EngineSetup.engine();
	}

	static Benchmark.Options tiny() {
		final Benchmark.Options o = new Benchmark.Options();
		o.seeds = 2;
		o.epochs = 2;
		o.samples = 3;
		o.budgetMinutes = 1;
		o.models = List.of("persistence", "linear", "tvae2d-mse", "tvae2d");
		final JsonObject h = new JsonObject();
		h.addProperty("nf", 4);
		h.addProperty("g_dim", 8);
		h.addProperty("z_dim", 3);
		h.addProperty("rnn_size", 8);
		o.hyper = h;
		return o;
	}

	@Test
	void tablesFiguresAndResume(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 6, 4, 16, 4, 3, 3, 3);
		final Path out = dir.resolve("bench");
		final List<Benchmark.Run> runs = Benchmark.run(data, out, tiny(), Progress.NONE, Cancellation.NEVER, null);
		assertEquals(8, runs.size(), "4 models x 2 seeds");
		// references do not depend on the seed; trained models do
		assertEquals(runs.get(0).scores, runs.get(1).scores);
		final Benchmark.Run t1 = runs.get(6), t2 = runs.get(7);
		assertEquals("tvae2d", t1.model);
		assertNotEquals(t1.scores.get("psnr_db"), t2.scores.get("psnr_db"), "another seed, another model");
		assertTrue(t1.scores.get("psnr_db") > 5 && t1.scores.get("ssim") <= 1);
		// the rigidity columns of evaluate reach every model's scores (risk_auroc is nan when one class is empty)
		for (final Benchmark.Run r : runs) {
			assertTrue(r.scores.containsKey("ei_min_rel_err") && r.scores.containsKey("risk_auroc"), r.model);
			final double e = r.scores.get("ei_min_rel_err"), a = r.scores.get("risk_auroc");
			assertTrue(e >= 0 && e < 10, r.model + ": relative error of min EI_min " + e);
			assertTrue(Double.isNaN(a) || a >= 0 && a <= 1, r.model + ": risk AUROC " + a);
		}
		final String results = Files.readAllLines(out.resolve("results.csv")).get(0);
		assertTrue(results.contains("ei_min_rel_err") && results.contains("risk_auroc"), results);
		assertTrue(results.contains(Benchmark.EMERGENCE_MSE), results);
		assertTrue(Files.isRegularFile(Benchmark.runDir(out, "tvae2d", 2).resolve("model.zip")));
		BenchmarkReport.write(out, runs, data, "test");
		final String md = Files.readString(out.resolve("tables.md"));
		assertTrue(md.contains("| persistence |") && md.contains("| tvae2d-mse |"), md);
		assertTrue(md.lines().anyMatch(l -> l.startsWith("| tvae2d |") && l.matches(".* \\(\\d+\\.\\d+–\\d+\\.\\d+\\) .*")),
			"median (min–max) over seeds: " + md);
		assertTrue(md.contains("**"), "best value in bold");
		assertTrue(md.contains("LPIPS was not computed"), "says why LPIPS is missing");
		assertTrue(md.contains("rel. error min EI ↓"), "the rigidity column in the tables");
		final List<String> t1csv = Files.readAllLines(out.resolve("table1.csv"));
		assertEquals(4, t1csv.size(), "header + persistence, linear, tvae2d");
		for (final String f : new String[] { "fig1_models.png", "fig2_variants.png", "fig3_3d_section.png",
			"fig4_samples.png", "fig7_edge_masks.png", "results.csv", "reliability_tvae2d.png" })
			assertTrue(Files.size(out.resolve(f)) > 500, f);
		// a second run reuses every finished run (no training: same scores, model files untouched)
		final long stamp = Files.getLastModifiedTime(Benchmark.runDir(out, "tvae2d", 1).resolve("model.zip")).toMillis();
		final List<Benchmark.Run> again = Benchmark.run(data, out, tiny(), Progress.NONE, Cancellation.NEVER, null);
		assertEquals(runs.get(7).scores, again.get(7).scores);
		assertEquals(stamp, Files.getLastModifiedTime(Benchmark.runDir(out, "tvae2d", 1).resolve("model.zip"))
			.toMillis());
		// a run made with other settings than the preset gives now is set aside (kept) and trained again
		final Benchmark.Options changed = tiny();
		changed.models = List.of("tvae2d");
		changed.seeds = 1;
		changed.hyper.addProperty("pixel_variance", false);
		final Path seed1 = Benchmark.runDir(out, "tvae2d", 1);
		Benchmark.run(data, out, changed, Progress.NONE, Cancellation.NEVER, null);
		assertTrue(Files.isRegularFile(seed1.resolveSibling(seed1.getFileName() + ".stale-1").resolve("model.zip")));
		assertFalse(org.osteocast.nn.model.ModelArchive.read(seed1.resolve("model.zip")).hyperParameters().get(
			"pixel_variance").getAsBoolean());
	}

	@Test
	void runsMadeByOtherCodeAreSetAsideAndMadeAgain(@TempDir final Path dir) throws Exception {
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 6, 4, 16, 4, 3, 3, 3);
		final Path out = dir.resolve("bench");
		final Benchmark.Options o = tiny();
		o.models = List.of("persistence");
		o.seeds = 1;
		o.codeVersion = "1.0+aaaa";
		final Path seed1 = Benchmark.runDir(out, "persistence", 1);
		final List<Benchmark.Run> first = Benchmark.run(data, out, o, Progress.NONE, Cancellation.NEVER, null);
		assertEquals("1.0+aaaa", Benchmark.codeVersion(seed1));
		assertEquals("1.0+aaaa", first.get(0).codeVersion);
		final Path eval = seed1.resolve("evaluation.csv");
		final long stamp = Files.getLastModifiedTime(eval).toMillis();
		// the same code: reused
		Benchmark.run(data, out, o, Progress.NONE, Cancellation.NEVER, null);
		assertEquals(stamp, Files.getLastModifiedTime(eval).toMillis());
		assertFalse(Files.exists(seed1.resolveSibling("seed1.stale-1")));
		// other code: set aside (kept) and made again
		o.codeVersion = "1.0+bbbb";
		final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
		final List<Benchmark.Run> second = Benchmark.run(data, out, o, Progress.NONE, Cancellation.NEVER,
			new java.io.PrintStream(log, true, "UTF-8"));
		assertEquals("1.0+aaaa", Benchmark.codeVersion(seed1.resolveSibling("seed1.stale-1")));
		assertEquals("1.0+bbbb", Benchmark.codeVersion(seed1));
		assertEquals("1.0+bbbb", second.get(0).codeVersion);
		assertTrue(log.toString("UTF-8").contains("was made by code version 1.0+aaaa, this is 1.0+bbbb"), log.toString(
			"UTF-8"));
		// a run that recorded no code version (made before runs recorded it): set aside too
		Files.delete(seed1.resolve(Benchmark.RUN_JSON));
		Benchmark.run(data, out, o, Progress.NONE, Cancellation.NEVER, null);
		assertTrue(Files.isDirectory(seed1.resolveSibling("seed1.stale-2")));
		assertEquals("1.0+bbbb", Benchmark.codeVersion(seed1));
		final List<String> results = Files.readAllLines(out.resolve("results.csv"));
		assertTrue(results.get(0).endsWith(",code_version") && results.get(1).endsWith(",1.0+bbbb"), results.toString());
		BenchmarkReport.write(out, second, data, "test");
		final String md = Files.readString(out.resolve("tables.md"));
		assertTrue(md.contains("Code version of every run: `1.0+bbbb`") && md.contains("(2 test mice)"), md);
		final List<String> t1 = Files.readAllLines(out.resolve("table1.csv"));
		assertTrue(t1.get(0).startsWith("model,seeds,test_mice,") && t1.get(1).startsWith("persistence,1,2,"), t1
			.toString());
	}

	@Test
	void anEvaluationFromBeforeBothPsnrsIsReadAsThePooledOne(@TempDir final Path dir) throws Exception {
		// psnr_db pooled over the volume, no psnr_volume_db: the format written before per-slice PSNR existed
		final Path eval = dir.resolve("evaluation.csv");
		Files.writeString(eval, "mouse,method,psnr_db,ssim\nALL(mean),forecast,27.5,0.87\n");
		final Path model = dir.resolve("m.zip");
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 3, 4, 16, 4, 3, 3, 3);
		final Benchmark.Options o = tiny();
		o.models = List.of("persistence");
		o.seeds = 1;
		Benchmark.run(data, dir.resolve("b"), o, Progress.NONE, Cancellation.NEVER, null);
		Files.copy(Benchmark.runDir(dir.resolve("b"), "persistence", 1).resolve("model.zip"), model);
		final Benchmark.Run r = Benchmark.read("x", 1, eval, org.osteocast.nn.model.ModelArchive.read(model), "v");
		assertEquals(27.5, r.scores.get("psnr_volume_db"), 0);
		assertTrue(r.scores.get("psnr_db").isNaN(), "the per-slice PSNR is unknown in an old file");
		assertEquals(0.87, r.scores.get("ssim"), 0);
		// a current evaluation has both, per slice at least the pooled value (Jensen)
		final Benchmark.Run now = Benchmark.read("x", 1, Benchmark.runDir(dir.resolve("b"), "persistence", 1).resolve(
			"evaluation.csv"), org.osteocast.nn.model.ModelArchive.read(model), "v");
		assertTrue(now.scores.get("psnr_db") >= now.scores.get("psnr_volume_db"), now.scores.toString());
	}

	@Test
	void statsAndBadInput(@TempDir final Path dir) throws Exception {
		final double[] s = BenchmarkReport.stats(List.of(run(1), run(3)), "psnr_db");
		assertEquals(2, s[BenchmarkReport.MEDIAN], 1e-12, "an even count: the mean of the middle two");
		assertEquals(Math.sqrt(2), s[BenchmarkReport.SD], 1e-12, "sample standard deviation");
		final double[] t = BenchmarkReport.stats(List.of(run(6), run(1), run(Double.NaN), run(2)), "psnr_db");
		assertEquals(2, t[BenchmarkReport.MEDIAN], 0, "the middle value, not the mean; NaN left out");
		assertEquals(1, t[BenchmarkReport.MIN], 0);
		assertEquals(6, t[BenchmarkReport.MAX], 0);
		assertEquals(3, t[BenchmarkReport.MEAN], 1e-12);
		assertTrue(Double.isNaN(BenchmarkReport.stats(List.of(run(Double.NaN)), "psnr_db")[BenchmarkReport.MEDIAN]));
		final Benchmark.Options o = tiny();
		o.models = List.of("no-such-model");
		final SliceDataset data = SyntheticCohort.write(dir.resolve("data"), 3, 2, 16, 4, 3, 0, 3);
		final Exception e = assertThrows(IllegalArgumentException.class, () -> Benchmark.run(data, dir.resolve("b"), o,
			Progress.NONE, Cancellation.NEVER, null));
		assertTrue(e.getMessage().contains("no-such-model") && e.getMessage().contains("tvae2d"), e.getMessage());
	}

	@Test
	void rigidityColumnsInTheTables(@TempDir final Path dir) throws Exception {
		final List<Benchmark.Run> runs = List.of(rigid("persistence", 1, 0.30, 0.50), rigid("tvae2d", 1, 0.10, 0.75),
			rigid("tvae2d", 2, 0.20, 1.0), rigid("linear", 1, 0.40, Double.NaN));
		final String md = BenchmarkReport.table(runs, Benchmark.TABLE1, dir.resolve("t.csv"), 3);
		assertTrue(md.contains("rel. error min EI ↓") && md.contains("risk AUROC ↑"), md);
		// lower error and higher AUROC are best; the median over seeds with the range
		assertTrue(md.contains("**0.150 (0.100–0.200)**") && md.contains("**0.875 (0.750–1.000)**"), md);
		final String linear = md.lines().filter(l -> l.startsWith("| linear |")).findFirst().orElseThrow();
		assertTrue(linear.contains("| 0.400 |") && linear.contains("| – |"), "nan AUROC shown as –: " + linear);
		final List<String> csv = Files.readAllLines(dir.resolve("t.csv"));
		assertTrue(csv.get(0).contains("ei_min_rel_err_median,ei_min_rel_err_min,ei_min_rel_err_max,ei_min_rel_err_mean,"
			+ "ei_min_rel_err_sd,risk_auroc_median"), csv.get(0));
	}

	@Test
	void resultsReadBackAsWritten(@TempDir final Path dir) throws Exception {
		final java.util.Map<String, Double> a = new java.util.LinkedHashMap<>(), b = new java.util.LinkedHashMap<>();
		a.put("psnr_db", 28.123456);
		a.put("ssim", 0.875);
		a.put("risk_auroc", Double.NaN);
		b.put("psnr_db", 27.5);
		final List<Benchmark.Run> runs = List.of(new Benchmark.Run("tvae2d", 1, a, 93.4, 31, "1.0+aaaa"),
			new Benchmark.Run("tvae2d", 2, b, 120, 40, "1.0+aaaa"));
		final Path f = dir.resolve("results.csv");
		Benchmark.writeResults(f, runs);
		final List<Benchmark.Run> back = Benchmark.readResults(f);
		assertEquals(2, back.size());
		final Benchmark.Run r = back.get(0);
		assertEquals("tvae2d", r.model);
		assertEquals(1, r.seed);
		assertEquals(93.4, r.trainSeconds, 1e-9);
		assertEquals(31, r.epochs);
		assertEquals("1.0+aaaa", r.codeVersion);
		assertEquals(28.1235, r.scores.get("psnr_db"), 1e-9, "six significant digits, as written");
		assertEquals(0.875, r.scores.get("ssim"), 0);
		assertTrue(r.scores.get("risk_auroc").isNaN() && back.get(1).scores.get("ssim").isNaN(), "nan and missing: NaN");
		assertEquals(Benchmark.METRICS.keySet(), r.scores.keySet());
		// a file of results written before runs recorded their code version
		Files.writeString(f, "model,seed,train_seconds,epochs,psnr_db\npersistence,1,0.0,0,27.25\n");
		assertEquals("unknown", Benchmark.readResults(f).get(0).codeVersion);
		// bad input names the file and the problem
		final org.osteocast.core.BadInputException missing = assertThrows(org.osteocast.core.BadInputException.class,
			() -> Benchmark.readResults(dir.resolve("none.csv")));
		assertTrue(missing.getMessage().startsWith(dir.resolve("none.csv").toString()) && missing.getMessage().contains(
			"no benchmark results"), missing.getMessage());
		Files.writeString(f, "mouse,psnr_db\nM01,27\n");
		assertTrue(assertThrows(org.osteocast.core.BadInputException.class, () -> Benchmark.readResults(f)).getMessage()
			.contains("not a benchmark results file: no column model"));
		Files.writeString(f, "model,seed,train_seconds,epochs\ntvae2d,one,1,1\n");
		assertTrue(assertThrows(org.osteocast.core.BadInputException.class, () -> Benchmark.readResults(f)).getMessage()
			.contains("line 2: seed, train_seconds and epochs must be numbers"));
	}

	private static Benchmark.Run rigid(final String model, final int seed, final double err, final double auroc) {
		final java.util.Map<String, Double> s = new java.util.LinkedHashMap<>();
		s.put("psnr_db", 20.0);
		s.put("ei_min_rel_err", err);
		s.put("risk_auroc", auroc);
		return new Benchmark.Run(model, seed, s, 60, 1);
	}

	private static Benchmark.Run run(final double psnr) {
		return new Benchmark.Run("x", 1, java.util.Map.of("psnr_db", psnr), 0, 0);
	}
}
