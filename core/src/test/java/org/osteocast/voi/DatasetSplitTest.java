package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osteocast.io.contracts.SliceDataset.Split;

class DatasetSplitTest {

	private static List<String> mice(final int n) {
		final List<String> m = new ArrayList<>();
		for (int i = 1; i <= n; i++)
			m.add("m" + i);
		return m;
	}

	private static long count(final Map<String, Split> s, final Split k) {
		return s.values().stream().filter(v -> v == k).count();
	}

	@Test
	void countsFollowFractions() {
		final Map<String, Split> s = DatasetSplit.assign(mice(10), null, 0.8, 1.0 / 8, 1);
		assertEquals(10, s.size());
		assertEquals(2, count(s, Split.TEST));
		assertEquals(1, count(s, Split.VAL));
		assertEquals(7, count(s, Split.TRAIN));
		// small cohorts still get a test and a validation mouse
		final Map<String, Split> small = DatasetSplit.assign(mice(3), null, 0.8, 1.0 / 8, 1);
		assertEquals(1, count(small, Split.TEST));
		assertEquals(1, count(small, Split.VAL));
		assertEquals(1, count(small, Split.TRAIN));
		assertEquals(Split.TRAIN, DatasetSplit.assign(mice(1), null, 0.8, 0.125, 1).get("m1"));
	}

	@Test
	void deterministicForASeedAndVariesWithIt() {
		final List<String> m = mice(20);
		assertEquals(DatasetSplit.assign(m, null, 0.8, 0.125, 5), DatasetSplit.assign(m, null, 0.8, 0.125, 5));
		// the input order does not matter
		final List<String> reversed = new ArrayList<>(m);
		java.util.Collections.reverse(reversed);
		assertEquals(new HashMap<>(DatasetSplit.assign(m, null, 0.8, 0.125, 5)), new HashMap<>(DatasetSplit.assign(
			reversed, null, 0.8, 0.125, 5)));
		assertNotEquals(DatasetSplit.assign(m, null, 0.8, 0.125, 5), DatasetSplit.assign(m, null, 0.8, 0.125, 6));
	}

	@Test
	void stratifiedByGroup() {
		final List<String> m = mice(20);
		final Map<String, String> g = new HashMap<>();
		for (int i = 0; i < 20; i++)
			g.put(m.get(i), i < 10 ? "tumour" : "control");
		for (long seed = 0; seed < 5; seed++) {
			final Map<String, Split> s = DatasetSplit.assign(m, g, 0.8, 0.125, seed);
			int tumourTest = 0, controlTest = 0;
			for (final String mouse : m)
				if (s.get(mouse) == Split.TEST) {
					if (g.get(mouse).equals("tumour")) tumourTest++;
					else controlTest++;
				}
			assertEquals(2, tumourTest, "seed " + seed);
			assertEquals(2, controlTest, "seed " + seed);
		}
	}
}
