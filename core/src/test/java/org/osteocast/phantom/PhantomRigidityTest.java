package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The committed small cohort's true rigidity: the perforating lesion drops it past 35 %, the control does not. */
class PhantomRigidityTest {

	@Test
	void tumourDropsAboveTheThresholdAndControlDoesNot() throws Exception {
		final List<String> lines = Files.readAllLines(Path.of("test-data", "truth", PhantomRigidity.FILE));
		assertEquals(PhantomRigidity.HEADER, lines.get(0));
		assertEquals(1 + 2 * 4, lines.size(), "every week of both mice");
		boolean tumourAtRisk = false;
		for (final String l : lines.subList(1, lines.size())) {
			final String[] c = l.split(",");
			final double drop = Double.parseDouble(c[8]);
			if (c[2].equals("1")) assertEquals(0, drop, 0, "week 1 is the reference");
			if (c[1].equals("control")) assertTrue(drop < 0.35, l);
			if (c[1].equals("tumour") && drop > 0.35) tumourAtRisk = true;
			assertEquals(drop > 0.35, Boolean.parseBoolean(c[9]), l);
		}
		assertTrue(tumourAtRisk, "the tumour mouse's lesion breaks through the cortex");
	}
}
