package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The committed small cohort's true rigidity: the perforating lesion drops it past 35 %, the control barely
 * changes, and the search starts below the proximal margin.
 */
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
			// below the proximal margin the control's shaft barely changes; at the plate's edge it dropped by 21 %
			if (c[1].equals("control")) assertTrue(drop < 0.05, l);
			if (c[1].equals("tumour") && drop > 0.35) tumourAtRisk = true;
			assertEquals(drop > 0.35, Boolean.parseBoolean(c[9]), l);
		}
		assertTrue(tumourAtRisk, "the tumour mouse's lesion breaks through the cortex");
		// 60 um voxels: the margin of 0.1 mm is 2 slices past the plate's edge (17 and 14 without it)
		assertEquals(2, org.osteocast.metrics.Rigidity.marginSlices(org.osteocast.metrics.Rigidity.PROXIMAL_MARGIN_UM, 60));
		assertTrue(lines.get(1).contains(",19-50,"), lines.get(1));
		assertTrue(lines.get(5).contains(",16-47,"), lines.get(5));
	}
}
