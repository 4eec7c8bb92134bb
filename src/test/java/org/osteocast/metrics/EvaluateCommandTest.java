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
import org.osteocast.io.Hyperstack;
import org.osteocast.io.SliceDataset;

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
		// 2 test mice x 3 methods + 3 overall rows
		assertEquals(1 + 6 + 3, lines.size(), String.join("\n", lines));
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
