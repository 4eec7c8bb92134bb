package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.VolumeIOException;

class PhantomMontageTest {

	@TempDir
	Path tmp;

	@Test
	void drawsOneRowPerMouseAndOneColumnPerWeekPlusCoronal() throws Exception {
		final Path out = tmp.resolve("c");
		PhantomGenerator.generate(PhantomTestSupport.tiny().mice(2).weeks(3).tumourFraction(0.5).build(), out,
			Progress.NONE, new Cancellation());
		final Path png = tmp.resolve("m.png");
		PhantomMontage.write(out, png, 1, 1);
		final BufferedImage img = ImageIO.read(png.toFile());
		final int tile = 60 * 2;
		assertEquals(4 * tile, img.getWidth());
		assertEquals(2 * (tile + 18) + 18, img.getHeight());
		// the tiles show anatomy: bone is bright, soft tissue grey
		int bright = 0, mid = 0;
		for (int y = 18; y < 18 + tile; y++)
			for (int x = 0; x < tile; x++) {
				final int g = img.getRGB(x, y) & 0xFF;
				if (g > 200) bright++;
				else if (g > 30) mid++;
			}
		assertTrue(bright > 200 && mid > 2000, "bright " + bright + ", mid " + mid);
	}

	@Test
	void refusesAFolderThatIsNotACohort() {
		assertThrows(VolumeIOException.class, () -> PhantomMontage.write(tmp, tmp.resolve("x.png"), 1, 1));
	}
}
