package org.osteocast.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.cli.Main;

/**
 * {@code osteocast demo --quick} end to end, in this process: every step's
 * output is there, nothing is written outside --out, and the report renders
 * in headless Chromium with its figures.
 */
class DemoIT {

	@TempDir
	Path tmp;

	@Test
	void quickDemoWritesAReportThatRenders() throws Exception {
		final Path out = tmp.resolve("demo");
		assertEquals(0, Main.run("demo", "--quick", "--out", out.toString()));
		for (final String p : new String[] { "cohort/cohort.csv", "registered/registration_summary.csv",
			"slices/cohort.csv", "model.zip", "evaluation.csv", "index.html" })
			assertTrue(Files.isRegularFile(out.resolve(p)), p);
		try (Stream<Path> s = Files.list(tmp)) {
			assertEquals(1, s.count(), "nothing written beside --out");
		}
		final String html = Files.readString(out.resolve("index.html"));
		for (final String section : new String[] { "1. The cohort", "2. Registration", "3. Training", "4. Forecasts",
			"5. How good is it?", "6. Do it on your own scans", "Quick mode" })
			assertTrue(html.contains(section), section);
		assertTrue(html.contains("<td>persistence</td>") && html.contains("<td>forecast</td>"), "the metrics table");
		assertTrue(html.contains("./osteocast register --cohort"), "the command lines to repeat each step");
		assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
			"self-contained");
		assertTrue(html.split("data:image/png;base64,").length - 1 >= 5, "cohort, QC, loss curve and forecasts embedded");

		final Path png = tmp.resolve("shot.png");
		Chromium.screenshot(out.resolve("index.html"), png, 1100, 3000);
		final BufferedImage shot = ImageIO.read(png.toFile());
		// the CT figures are there: many near-black pixels (air around the leg) on the white page
		long dark = 0;
		for (int y = 0; y < shot.getHeight(); y++)
			for (int x = 0; x < shot.getWidth(); x++)
				if ((shot.getRGB(x, y) & 0xff) < 40) dark++;
		assertTrue(dark > 0.05 * shot.getWidth() * shot.getHeight(), "figures rendered: " + dark + " dark pixels");
	}
}
