package org.osteocast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.osteocast.metrics.SliceClasses;
import org.osteocast.metrics.SliceClassesTest;

class EmergenceSamplerTest {

	/** One mouse: {@code em} emergence slices then {@code ct} control slices (32 × 32, 4 weeks). */
	static SequenceSet set(final int em, final int ct) {
		final List<SequenceSet.Sequence> l = new ArrayList<>();
		for (int z = 0; z < em + ct; z++) {
			final float[][] f = new float[4][];
			for (int t = 0; t < 4; t++)
				f[t] = SliceClassesTest.ring(z < em && t == 3 ? 6 : 0, 0.05, 7L * z + t);
			l.add(new SequenceSet.Sequence("m1", z, f));
		}
		return new SequenceSet(SliceClassesTest.S, 4, l);
	}

	@Test
	void balancesEmergenceAgainstControlAndRecordsCounts() {
		final SequenceSet s = set(2, 18);
		final EmergenceSampler natural = EmergenceSampler.of(s, 3, Double.NaN);
		assertEquals(2, natural.count(SliceClasses.Kind.EMERGENCE));
		assertEquals(18, natural.count(SliceClasses.Kind.CONTROL));
		assertFalse(natural.balancing());
		final EmergenceSampler half = EmergenceSampler.of(s, 3, 0.5);
		assertTrue(half.balancing());
		final int[] order = half.order(new SplittableRandom(4));
		assertEquals(20, order.length, "an epoch keeps its length");
		int em = 0;
		for (final int i : order)
			if (half.kind(i) == SliceClasses.Kind.EMERGENCE) em++;
		assertEquals(10, em, "half of the emergence + control places go to emergence slices");
		final JsonObject j = half.toJson();
		assertEquals(2, j.get("emergence").getAsInt());
		assertEquals(0.1, j.get("natural_emergence_ratio").getAsDouble(), 1e-12);
		assertEquals("0.5", j.get("emergence_ratio").getAsString());
		assertTrue(half.describe().contains("sampled at 0.500"), half.describe());
		assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().optEmergenceRatio(1).build());
	}

	@Test
	void theRatioAsUsersWriteIt() {
		assertTrue(Double.isNaN(TrainConfig.builder().optEmergenceRatio("natural").build().emergenceRatio));
		assertTrue(Double.isNaN(TrainConfig.builder().optEmergenceRatio(" ").build().emergenceRatio));
		assertEquals(0.25, TrainConfig.builder().optEmergenceRatio(" 0.25").build().emergenceRatio, 0);
		assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().optEmergenceRatio("half"));
		assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().optEmergenceRatio("1").build());
	}

	@Test
	void oneCycleRisesThenFalls() {
		final TrainConfig.Schedule c = TrainConfig.Schedule.ONECYCLE;
		assertEquals(1 / 25.0, c.factor(0, 101), 1e-12);
		assertEquals(1, c.factor(30, 101), 1e-12);
		assertEquals(1 / 25.0 / 1e4, c.factor(100, 101), 1e-12);
		assertTrue(c.factor(15, 101) > c.factor(5, 101) && c.factor(60, 101) < c.factor(40, 101));
		assertEquals(1, TrainConfig.Schedule.CONSTANT.factor(77, 101));
		assertEquals(TrainConfig.Schedule.ONECYCLE, TrainConfig.Schedule.parse("one-cycle"));
		final JsonObject model = new JsonObject();
		model.addProperty("schedule", "onecycle");
		model.addProperty("weight_decay", 0.05);
		final TrainConfig t = TrainConfig.builder().optWeightDecay(0.01).optModelDefaults(model).build();
		assertEquals(0.01, t.weightDecay, "the user's setting wins over the model's");
		assertEquals(TrainConfig.Schedule.ONECYCLE, t.schedule);
		assertEquals("adamw", t.toJson().get("optimizer").getAsString());
	}
}
