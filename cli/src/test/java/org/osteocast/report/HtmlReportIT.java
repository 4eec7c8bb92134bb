package org.osteocast.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.viz.Figure;
import org.osteocast.viz.Panel;

/** A report is one self-contained file that headless Chromium renders with its figure. */
class HtmlReportIT {

	@TempDir
	Path tmp;

	@Test
	void rendersInHeadlessChromiumWithoutTheNetwork() throws Exception {
		final float[] pixels = new float[32 * 32];
		for (int i = 0; i < pixels.length; i++)
			pixels[i] = (i % 32) / 31f;
		final BufferedImage fig = new Figure(4).row(null, List.of(Panel.grey(pixels, 32, 32, "ramp"))).render();
		final HtmlReport r = new HtmlReport("Report test").heading("Figure").image(fig, "a ramp").table(List.of("method",
			"psnr"), List.of(List.of("forecast", "31.2"), List.of("persistence", "29.8")));
		final Path html = tmp.resolve("index.html");
		r.write(html);
		final String text = Files.readString(html);
		assertFalse(text.contains("http://") || text.contains("https://") || text.contains("<script"),
			"no network, no scripts");
		final Path png = tmp.resolve("shot.png");
		Chromium.screenshot(html, png, 900, 700);
		final BufferedImage shot = ImageIO.read(png.toFile());
		// the figure's black-to-white ramp shows up: a row that rises monotonically from black to white
		boolean ramp = false;
		for (int y = 0; y < shot.getHeight() && !ramp; y++)
			for (int x = 0; x + 100 < shot.getWidth() && !ramp; x++) {
				if ((shot.getRGB(x, y) & 0xff) > 20) continue;
				int end = x;
				while (end + 1 < shot.getWidth() && (shot.getRGB(end + 1, y) & 0xff) >= (shot.getRGB(end, y) & 0xff))
					end++;
				ramp = end - x >= 100 && (shot.getRGB(end, y) & 0xff) > 235;
			}
		assertTrue(ramp, "the embedded figure is rendered");
	}
}
