package org.osteocast.train;

import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.osteocast.metrics.SliceClasses;

/**
 * The order of a 2-D model's training sequences in one epoch, with the
 * paper's balancing: "the ratio of slices with lesion emergence and lack of
 * lesion emergence in nontumor mice was explicitly adjusted". Each sequence
 * is classified from its own images ({@link SliceClasses}: weeks 1..n
 * observed, week n+1 the target). With a ratio {@code r}, the
 * {@code E + C} places of the emergence and control sequences in an epoch
 * are refilled with {@code round(r (E + C))} emergence sequences (drawn
 * without replacement while they last, then again) and the rest control
 * sequences; progression and stable sequences keep one place each. The
 * epoch's length is unchanged; the order is then shuffled.
 */
public final class EmergenceSampler {

	private final SliceClasses.Kind[] kinds;
	private final double ratio;
	private final Map<SliceClasses.Kind, int[]> byKind = new EnumMap<>(SliceClasses.Kind.class);

	private EmergenceSampler(final SliceClasses.Kind[] kinds, final double ratio) {
		this.kinds = kinds;
		this.ratio = ratio;
		for (final SliceClasses.Kind k : SliceClasses.Kind.values()) {
			final List<Integer> l = new ArrayList<>();
			for (int i = 0; i < kinds.length; i++)
				if (kinds[i] == k) l.add(i);
			byKind.put(k, l.stream().mapToInt(Integer::intValue).toArray());
		}
	}

	/**
	 * Classifies every sequence of {@code set} (mouse by mouse: the bone
	 * threshold is the mouse's) with {@code nPast} observed weeks.
	 *
	 * @param ratio share of emergence among emergence and control sequences, in [0, 1); NaN = as they come
	 */
	public static EmergenceSampler of(final SequenceSet set, final int nPast, final double ratio) {
		final SliceClasses.Kind[] kinds = new SliceClasses.Kind[set.count()];
		final Map<String, List<Integer>> byMouse = new LinkedHashMap<>();
		for (int i = 0; i < set.count(); i++)
			byMouse.computeIfAbsent(set.sequences().get(i).mouse, k -> new ArrayList<>()).add(i);
		for (final List<Integer> idx : byMouse.values()) {
			final float[][][] weeks = new float[nPast + 1][idx.size()][];
			for (int j = 0; j < idx.size(); j++)
				for (int t = 0; t <= nPast; t++)
					weeks[t][j] = set.sequences().get(idx.get(j)).frames[t];
			final SliceClasses.Kind[] k = SliceClasses.classify(weeks, nPast, set.size(), set.size());
			for (int j = 0; j < idx.size(); j++)
				kinds[idx.get(j)] = k[j];
		}
		return new EmergenceSampler(kinds, ratio);
	}

	/** The class of sequence {@code i}. */
	public SliceClasses.Kind kind(final int i) {
		return kinds[i];
	}

	/** Sequences of a class. */
	public int count(final SliceClasses.Kind k) {
		return byKind.get(k).length;
	}

	/** Whether the epochs are rebalanced (a ratio is set and both emergence and control sequences exist). */
	public boolean balancing() {
		return !Double.isNaN(ratio) && count(SliceClasses.Kind.EMERGENCE) > 0 && count(SliceClasses.Kind.CONTROL) > 0;
	}

	/** One epoch's order: {@link #kinds}'s length, balanced when {@link #balancing()}, shuffled. */
	public int[] order(final SplittableRandom rnd) {
		final int n = kinds.length;
		if (!balancing()) return ForecastTrainer.permutation(n, rnd);
		final int[] em = byKind.get(SliceClasses.Kind.EMERGENCE), ct = byKind.get(SliceClasses.Kind.CONTROL);
		final int pool = em.length + ct.length, nEm = (int) Math.round(ratio * pool);
		final int[] out = new int[n];
		int j = 0;
		for (final SliceClasses.Kind k : new SliceClasses.Kind[] { SliceClasses.Kind.PROGRESSION,
			SliceClasses.Kind.STABLE })
			for (final int i : byKind.get(k))
				out[j++] = i;
		j = draw(em, nEm, out, j, rnd);
		j = draw(ct, pool - nEm, out, j, rnd);
		final int[] p = ForecastTrainer.permutation(n, rnd), shuffled = new int[n];
		for (int i = 0; i < n; i++)
			shuffled[i] = out[p[i]];
		return shuffled;
	}

	/** {@code m} draws from {@code from}: without replacement in rounds (each round a fresh shuffle). */
	private static int draw(final int[] from, final int m, final int[] out, int j, final SplittableRandom rnd) {
		int left = m;
		while (left > 0) {
			final int[] p = ForecastTrainer.permutation(from.length, rnd);
			for (int i = 0; i < from.length && left > 0; i++, left--)
				out[j++] = from[p[i]];
		}
		return j;
	}

	/** Counts per class and the ratio, for model.json. */
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		for (final SliceClasses.Kind k : SliceClasses.Kind.values())
			o.addProperty(k.label(), count(k));
		o.addProperty("emergence_ratio", Double.isNaN(ratio) ? "natural" : String.valueOf(ratio));
		o.addProperty("natural_emergence_ratio", naturalRatio());
		return o;
	}

	private double naturalRatio() {
		final int e = count(SliceClasses.Kind.EMERGENCE), c = count(SliceClasses.Kind.CONTROL);
		return e + c == 0 ? Double.NaN : e / (double) (e + c);
	}

	/** One line for the training log. */
	public String describe() {
		final StringBuilder b = new StringBuilder("slice classes:");
		for (final SliceClasses.Kind k : SliceClasses.Kind.values())
			b.append(' ').append(k.label()).append(' ').append(count(k));
		b.append(String.format(Locale.ROOT, "; emergence among emergence + control %.3f", naturalRatio()));
		b.append(balancing() ? String.format(Locale.ROOT, ", sampled at %.3f per epoch (--emergence-ratio)", ratio)
			: Double.isNaN(ratio) ? ", not rebalanced" : ", not rebalanced (no emergence or no control slices)");
		return b.toString();
	}
}
