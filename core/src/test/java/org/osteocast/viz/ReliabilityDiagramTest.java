package org.osteocast.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.metrics.Calibration;

/** The diagram draws bars to the observed frequency, dots at the mean prediction and a log histogram of counts. */
class ReliabilityDiagramTest {

	@TempDir
	Path tmp;

	/** Bin 0: 100 pixels p 0.05, no bone; bin 5: 8 pixels p 0.55, 2 bone (freq 0.25); bin 9: 1000 pixels p 0.95, all bone. */
	private static Calibration.Reliability table() {
		final Calibration.Accumulator a = new Calibration.Accumulator(10);
		a.add(filled(100, 0.05f), new boolean[100]);
		final boolean[] y5 = new boolean[8];
		y5[0] = y5[1] = true;
		a.add(filled(8, 0.55f), y5);
		final boolean[] y9 = new boolean[1000];
		java.util.Arrays.fill(y9, true);
		a.add(filled(1000, 0.95f), y9);
		return a.result();
	}

	private static float[] filled(final int n, final float v) {
		final float[] p = new float[n];
		java.util.Arrays.fill(p, v);
		return p;
	}

	private static int rgb(final BufferedImage img, final int x, final int y) {
		return img.getRGB(x, y) & 0xffffff;
	}

	@Test
	void barsDotsAndHistogramAreWhereTheTableSays() {
		final Calibration.Reliability r = table();
		final BufferedImage img = ReliabilityDiagram.render(r, "test");
		assertEquals(ReliabilityDiagram.LEFT + ReliabilityDiagram.PLOT + ReliabilityDiagram.RIGHT, img.getWidth());
		assertEquals(ReliabilityDiagram.histBase() + ReliabilityDiagram.BOTTOM, img.getHeight());
		final int bar = ReliabilityDiagram.BAR.getRGB() & 0xffffff, white = Color.WHITE.getRGB() & 0xffffff;
		// bin 5's bar reaches 0.25 and no higher
		assertEquals(bar, rgb(img, ReliabilityDiagram.x(0.53), ReliabilityDiagram.y(0.1)));
		assertEquals(white, rgb(img, ReliabilityDiagram.x(0.53), ReliabilityDiagram.y(0.35)));
		// bin 9's bar is full height, bin 0's is empty (frequency 0), bin 3 has no pixels
		assertEquals(bar, rgb(img, ReliabilityDiagram.x(0.97), ReliabilityDiagram.y(0.9)));
		assertEquals(white, rgb(img, ReliabilityDiagram.x(0.03), ReliabilityDiagram.y(0.1)));
		assertEquals(white, rgb(img, ReliabilityDiagram.x(0.35), ReliabilityDiagram.y(0.1)));
		// the dot of bin 5 sits at (mean p, frequency)
		assertEquals(ReliabilityDiagram.DOT.getRGB() & 0xffffff, rgb(img, ReliabilityDiagram.x(r.meanPredicted(5)),
			ReliabilityDiagram.y(0.25)));
		// histogram: bin 9 (the largest) fills the box, bin 5 (8 pixels) is lower on the log scale, bin 3 is empty
		final int hist = ReliabilityDiagram.HIST_BAR.getRGB() & 0xffffff, base = ReliabilityDiagram.histBase();
		assertEquals(hist, rgb(img, ReliabilityDiagram.x(0.95), base - ReliabilityDiagram.HIST + 2));
		final int h5 = ReliabilityDiagram.histHeight(8, 1000);
		assertEquals((int) Math.round(ReliabilityDiagram.HIST * Math.log10(9) / Math.log10(1001)), h5);
		assertEquals(hist, rgb(img, ReliabilityDiagram.x(0.55), base - h5 + 1));
		assertEquals(white, rgb(img, ReliabilityDiagram.x(0.55), base - h5 - 2));
		assertEquals(white, rgb(img, ReliabilityDiagram.x(0.35), base - 2));
	}

	@Test
	void countLabelsStayShort() {
		assertEquals("950", ReliabilityDiagram.compact(950));
		assertEquals("122k", ReliabilityDiagram.compact(122_186));
		assertEquals("9.8M", ReliabilityDiagram.compact(9_830_400));
		assertEquals("98M", ReliabilityDiagram.compact(98_304_000));
	}

	@Test
	void writesAPngAndRefusesAnEmptyTable() throws Exception {
		final Path png = tmp.resolve("reliability.png");
		ReliabilityDiagram.write(table(), "cohort", png);
		final BufferedImage back = ImageIO.read(png.toFile());
		assertEquals(ReliabilityDiagram.render(table(), "cohort").getWidth(), back.getWidth());
		try (var files = Files.list(tmp)) {
			assertEquals(1, files.count(), "no temporary file left");
		}
		assertThrows(IllegalArgumentException.class, () -> ReliabilityDiagram.render(new Calibration.Accumulator(10)
			.result(), "empty"));
	}
}
