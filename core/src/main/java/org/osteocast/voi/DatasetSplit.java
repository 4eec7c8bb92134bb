package org.osteocast.voi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.contracts.SliceDataset.Split;

/**
 * Splits mice (never slices: slices of one mouse are strongly correlated, so a
 * slice-level split would leak the test mice into training) into training,
 * validation and test sets, reproducibly for a seed and stratified by group.
 * <p>
 * Counts: {@code test = round(n (1 - trainFraction))} (at least one mouse when
 * n ≥ 3 and trainFraction &lt; 1); of the rest, {@code val = round(rest ·
 * valFraction)}, at least one when rest ≥ 2 and valFraction &gt; 0.
 * Stratification: within each group the mice are shuffled with the seed and
 * given the positions (i + 0.5) / n_group; sorting all mice by position
 * interleaves the groups in proportion, and the test set is taken first, then
 * validation, so every split gets each group's share (up to rounding).
 */
public final class DatasetSplit {

	private DatasetSplit() {}

	/**
	 * @param mice mouse names
	 * @param groups group of each mouse (missing or null = one common group)
	 * @return split of every mouse, in the order of {@code mice}
	 */
	public static Map<String, Split> assign(final List<String> mice, final Map<String, String> groups,
		final double trainFraction, final double valFraction, final long seed)
	{
		final int n = mice.size();
		int nTest = (int) Math.round(n * (1 - trainFraction));
		if (n >= 3 && trainFraction < 1) nTest = Math.max(1, nTest);
		nTest = Math.min(nTest, Math.max(0, n - 1));
		final int rest = n - nTest;
		int nVal = (int) Math.round(rest * valFraction);
		if (rest >= 2 && valFraction > 0) nVal = Math.max(1, nVal);
		nVal = Math.min(nVal, Math.max(0, rest - 1));
		final Random rnd = new Random(seed);
		final Map<String, List<String>> byGroup = new TreeMap<>();
		final List<String> sorted = new ArrayList<>(mice);
		sorted.sort(Cohort.NATURAL);
		for (final String m : sorted) {
			final String g = groups == null ? null : groups.get(m);
			byGroup.computeIfAbsent(g == null ? "" : g, k -> new ArrayList<>()).add(m);
		}
		final Map<String, Double> position = new HashMap<>();
		final Map<String, Double> jitter = new HashMap<>();
		for (final List<String> g : byGroup.values()) {
			Collections.shuffle(g, rnd);
			for (int i = 0; i < g.size(); i++) {
				position.put(g.get(i), (i + 0.5) / g.size());
				jitter.put(g.get(i), rnd.nextDouble());
			}
		}
		final List<String> order = new ArrayList<>(sorted);
		order.sort(Comparator.comparingDouble((String m) -> position.get(m)).thenComparingDouble(jitter::get));
		final Map<String, Split> chosen = new HashMap<>();
		for (int i = 0; i < order.size(); i++)
			chosen.put(order.get(i), i < nTest ? Split.TEST : i < nTest + nVal ? Split.VAL : Split.TRAIN);
		final Map<String, Split> out = new LinkedHashMap<>();
		for (final String m : mice)
			out.put(m, chosen.get(m));
		return out;
	}
}
