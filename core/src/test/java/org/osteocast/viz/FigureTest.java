package org.osteocast.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureTest {

	@TempDir
	Path tmp;

	@Test
	void colourMapsAreOrderedAndClamped() {
		assertEquals(0xff000000, ColorMap.GREY.argb(0));
		assertEquals(0xffffffff, ColorMap.GREY.argb(1));
		assertEquals(ColorMap.GREY.argb(1), ColorMap.GREY.argb(7));
		// magma brightens monotonically
		double prev = -1;
		for (int i = 0; i <= 10; i++) {
			final int c = ColorMap.MAGMA.argb(i / 10.0);
			final double lum = 0.3 * (c >> 16 & 255) + 0.59 * (c >> 8 & 255) + 0.11 * (c & 255);
			assertTrue(lum > prev, "luminance rises at " + i);
			prev = lum;
		}
		assertEquals(0xfff7f7f7, ColorMap.DIVERGING.argb(0.5), "white at zero difference");
	}

	@Test
	void rendersPanelsAtScaleWithPixelValuesIntact() throws Exception {
		final float[] ramp = new float[4 * 3];
		for (int i = 0; i < ramp.length; i++)
			ramp[i] = i / 11f;
		final Figure f = new Figure(3).title("t").row("row", List.of(Panel.grey(ramp, 4, 3, "a"), new Panel(ramp, 4, 3,
			0, 1, ColorMap.MAGMA, "b", true)));
		final Path png = tmp.resolve("f.png");
		f.writePng(png);
		final BufferedImage img = ImageIO.read(png.toFile());
		assertTrue(img.getWidth() > 2 * 4 * 3 && img.getHeight() > 3 * 3);
		// find the first panel: its top-left 3x3 block is black (value 0), the last block white
		boolean found = false;
		for (int y = 0; y < img.getHeight() - 9 && !found; y++)
			for (int x = 0; x < img.getWidth() - 12 && !found; x++)
				if ((img.getRGB(x, y) & 0xffffff) == 0 && (img.getRGB(x + 2, y + 2) & 0xffffff) == 0 && (img.getRGB(x + 11,
					y + 8) & 0xffffff) == 0xffffff && (img.getRGB(x + 9, y + 6) & 0xffffff) == 0xffffff) found = true;
		assertTrue(found, "a 3x-magnified grey ramp is drawn");
		assertNotEquals(img.getRGB(0, 0), 0);
	}

	@Test
	void badPanelsAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> Panel.grey(new float[5], 2, 2, "x"));
		assertThrows(IllegalArgumentException.class, () -> new Panel(new float[4], 2, 2, 1, 1, ColorMap.GREY, "x",
			false));
	}
}
