package org.osteocast.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.cli.Main;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;

import picocli.CommandLine;

class EvaluateCommandTest {

	@TempDir
	Path tmp;
	Path data, pred;

	/** m1, m2 (test) and m3 (train): 4 weeks of the ring phantom. m1 forecast = truth, m2 forecast = week 3. */
	@BeforeEach
	void setUp() throws Exception {
		data = tmp.resolve("data");
		pred = tmp.resolve("pred");
		Files.createDirectories(pred);
		final String[] mice = { "m1", "m2", "m3" };
		final SliceDataset.Split[] split = { SliceDataset.Split.TEST, SliceDataset.Split.TEST, SliceDataset.Split.TRAIN };
		final List<SliceDataset.Entry> entries = new java.util.ArrayList<>();
		for (int m = 0; m < 3; m++) {
			final Hyperstack h = new Hyperstack(64, 64, RingPhantom.SLICES, 4, new double[] { 15, 15, 44 }, mice[m]);
			for (int t = 0; t < 4; t++) {
				final float[][] w = RingPhantom.week(t + 1, 0.02, m + 1);
				for (int z = 0; z < RingPhantom.SLICES; z++)
					System.arraycopy(w[z], 0, h.plane(z, t), 0, w[z].length);
			}
			final Path f = data.resolve(mice[m] + ".tif");
			h.write(f);
			entries.add(new SliceDataset.Entry(mice[m], f, null, split[m]));
			final Hyperstack p = new Hyperstack(64, 64, RingPhantom.SLICES, 1, new double[] { 15, 15, 44 }, mice[m] +
				"_pred");
			for (int z = 0; z < RingPhantom.SLICES; z++)
				System.arraycopy(h.plane(z, m == 0 ? 3 : 2), 0, p.plane(z, 0), 0, 64 * 64);
			p.write(pred.resolve(mice[m] + "_pred.tif"));
		}
		new SliceDataset(data, entries).writeManifest();
	}

	private int run(final StringWriter out, final StringWriter err, final String... args) {
		final CommandLine cl = Main.commandLine();
		cl.setOut(new PrintWriter(out));
		cl.setErr(new PrintWriter(err));
		return cl.execute(args);
	}

	@Test
	void scoresForecastsAndBaselinesPerMouseAndOverall() throws Exception {
		final StringWriter out = new StringWriter(), err = new StringWriter();
		final Path csv = tmp.resolve("scores.csv");
		assertEquals(0, run(out, err, "evaluate", "--pred", pred.toString(), "--data", data.toString(), "--out", csv
			.toString()), err.toString());
		final List<String> lines = Files.readAllLines(csv);
		assertEquals(String.join(",", org.osteocast.cli.EvaluateCommand.CSV_COLUMNS), lines.get(0));
		// 2 test mice x 3 methods + 3 overall rows, then 3 rows (one per method) for each slice class present
		assertEquals(1 + 6 + 3, lines.stream().filter(l -> !l.startsWith("CLASS(")).count(), String.join("\n", lines));
		final long classRows = lines.stream().filter(l -> l.startsWith("CLASS(")).count();
		assertTrue(classRows > 0 && classRows % 3 == 0, String.join("\n", lines));
		final String m1 = lines.stream().filter(l -> l.startsWith("m1,forecast,")).findFirst().orElseThrow();
		final String[] c = m1.split(",");
		assertEquals("inf", c[2]);
		assertEquals("1.00000", c[3]);
		assertEquals("0.000000", c[4]);
		assertEquals("1.0000", c[6]);
		assertEquals("1", c[12]);
		// m2's forecast is week 3, i.e. exactly the persistence baseline
		final String m2f = lines.stream().filter(l -> l.startsWith("m2,forecast,")).findFirst().orElseThrow();
		final String m2p = lines.stream().filter(l -> l.startsWith("m2,persistence,")).findFirst().orElseThrow();
		assertEquals(m2f.substring(m2f.indexOf(",", 3)), m2p.substring(m2p.indexOf(",", 12)));
		assertTrue(lines.stream().anyMatch(l -> l.startsWith("ALL(mean),linear,")));
		assertTrue(lines.stream().noneMatch(l -> l.startsWith("m3,")), "train mouse scored");
		assertTrue(out.toString().contains(org.osteocast.cli.EvaluateCommand.NO_LPIPS), out.toString());
		assertTrue(out.toString().contains("persistence"), out.toString());
		try (var s = Files.list(tmp)) {
			assertEquals(3, s.count(), "a temporary file was left behind");
		}
	}

	/**
	 * With uncertainty files (P(bone) = forecast above Otsu of weeks 1-3, SD =
	 * |forecast - week 3|): the new columns are filled on the forecast rows,
	 * ECE and AUC are printed and the reliability diagram lies beside the CSV.
	 */
	@Test
	void uncertaintyIsScoredPrintedAndDrawn() throws Exception {
		for (final String mouse : new String[] { "m1", "m2" }) {
			final Hyperstack h = Hyperstack.read(data.resolve(mouse + ".tif"));
			final Hyperstack f = Hyperstack.read(pred.resolve(mouse + "_pred.tif"));
			final double t = PredictionUncertainty.otsuOfObserved(h, 3);
			final Hyperstack u = new Hyperstack(64, 64, RingPhantom.SLICES, 2, new double[] { 15, 15, 44 }, mouse);
			for (int z = 0; z < RingPhantom.SLICES; z++)
				for (int i = 0; i < 64 * 64; i++) {
					u.plane(z, 0)[i] = f.plane(z, 0)[i] > t ? 1 : 0;
					u.plane(z, 1)[i] = Math.abs(f.plane(z, 0)[i] - h.plane(z, 2)[i]);
				}
			u.write(pred.resolve(mouse + "_uncertainty.tif"));
		}
		final StringWriter out = new StringWriter(), err = new StringWriter();
		final Path csv = tmp.resolve("scores.csv");
		assertEquals(0, run(out, err, "evaluate", "--pred", pred.toString(), "--data", data.toString(), "--out", csv
			.toString()), err.toString());
		final List<String> lines = Files.readAllLines(csv);
		final List<String> header = List.of(lines.get(0).split(","));
		final String[] m1 = lines.stream().filter(l -> l.startsWith("m1,forecast,")).findFirst().orElseThrow().split(",");
		final String[] m2 = lines.stream().filter(l -> l.startsWith("m2,forecast,")).findFirst().orElseThrow().split(",");
		final String[] m2p = lines.stream().filter(l -> l.startsWith("m2,persistence,")).findFirst().orElseThrow().split(
			",");
		// m1's forecast is the truth: P(bone) is the truth's bone at the same threshold
		assertEquals("0.00000", m1[header.indexOf("ece")]);
		assertEquals("0.00000", m1[header.indexOf("brier")]);
		// m1's SD is |truth - week 3|, which is what "changed" thresholds: a perfect ranking
		assertEquals("1.0000", m1[header.indexOf("unc_auc")]);
		// m2's SD is 0 everywhere (its forecast is week 3): ties, AUC 0.5; its P(bone) is week 3's bone, so ECE > 0
		assertEquals("0.5000", m2[header.indexOf("unc_auc")]);
		assertTrue(Double.parseDouble(m2[header.indexOf("ece")]) > 0, m2[header.indexOf("ece")]);
		assertEquals("nan", m2p[header.indexOf("ece")]);
		final String text = out.toString();
		assertTrue(text.contains("pooled over 2 of 2 mice") && text.contains("ECE ") && text.contains("AUC "), text);
		final Path png = org.osteocast.viz.ReliabilityDiagram.besideCsv(tmp.resolve("scores.csv"));
		assertTrue(text.contains("wrote " + png.toAbsolutePath()), text);
		assertTrue(javax.imageio.ImageIO.read(png.toFile()).getWidth() > 100);
	}

	@Test
	void withoutUncertaintyTheNoteSaysWhyAndNoDiagramIsWritten() throws Exception {
		final StringWriter out = new StringWriter(), err = new StringWriter();
		assertEquals(0, run(out, err, "evaluate", "--pred", pred.toString(), "--data", data.toString(), "--reliability",
			tmp.resolve("r.png").toString()), err.toString());
		assertTrue(out.toString().contains(CohortEvaluation.NO_UNCERTAINTY + " for m1, m2"), out.toString());
		assertTrue(out.toString().contains(org.osteocast.cli.EvaluateCommand.NO_RELIABILITY), out.toString());
		assertTrue(Files.notExists(tmp.resolve("r.png")));
	}

	/** {@code --drop PCT}: the risk threshold of the rigidity columns, in per cent; a fraction is refused. */
	@Test
	void riskDropIsSettableInPercent() throws Exception {
		StringWriter out = new StringWriter(), err = new StringWriter();
		// the lesion cuts the cortex of both test mice: every minimum drops by more than 1 %, none by 99 %
		assertEquals(0, run(out, err, "evaluate", "--pred", pred.toString(), "--data", data.toString(), "--drop", "1"),
			err.toString());
		assertTrue(out.toString().contains("rigidity: 2 of 2 mice truly drop > 1 %"), out.toString());
		assertTrue(out.toString().contains("above 1 %"), out.toString());
		out = new StringWriter();
		assertEquals(0, run(out, err, "evaluate", "--pred", pred.toString(), "--data", data.toString(), "--drop", "99"),
			err.toString());
		assertTrue(out.toString().contains("rigidity: 0 of 2 mice truly drop > 99 %"), out.toString());
		out = new StringWriter();
		assertEquals(0, run(out, err, "evaluate", "--pred", pred.toString(), "--data", data.toString()), err.toString());
		assertTrue(out.toString().contains("mice truly drop > 35 %"), "default 35 %: " + out);
		for (final String bad : new String[] { "0.35", "100", "-5" }) {
			err = new StringWriter();
			assertEquals(2, run(new StringWriter(), err, "evaluate", "--pred", pred.toString(), "--data", data.toString(),
				"--drop", bad), bad);
			final String first = err.toString().lines().findFirst().orElse("");
			assertTrue(first.contains("percentage") && first.contains(bad), "one line names the problem: " + err);
		}
	}

	@Test
	void missingOrMisshapenForecastIsAClearError() throws Exception {
		Files.delete(pred.resolve("m2_pred.tif"));
		StringWriter err = new StringWriter();
		assertEquals(2, run(new StringWriter(), err, "evaluate", "--pred", pred.toString(), "--data", data.toString()));
		assertTrue(err.toString().contains("m2_pred.tif") && err.toString().contains("missing"), err.toString());
		new Hyperstack(64, 64, 5, 1, new double[] { 1, 1, 1 }, "bad").write(pred.resolve("m2_pred.tif"));
		err = new StringWriter();
		assertEquals(2, run(new StringWriter(), err, "evaluate", "--pred", pred.toString(), "--data", data.toString()));
		assertTrue(err.toString().contains("m2_pred.tif") && err.toString().contains("64 x 64 x 5"), err.toString());
	}
}
