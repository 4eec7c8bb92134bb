package org.osteocast.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CohortVerdictTest {

	private static CohortRegistration.Row row(final String mouse, final int week, final double metric,
		final double dice)
	{
		final RegistrationResult r = new RegistrationResult(RigidTransforms.identity(), new double[] { 1, 1, 1 },
			new double[] { 1, 1, 1 }, new double[3], metric, 1, 0.9, dice, 1, true, 10, "identity", true, "", 1);
		return new CohortRegistration.Row(mouse, week, "week1", null, null, null, r);
	}

	@Test
	void outlierPairIsFlaggedAndOrdinarySpreadIsNot() {
		final List<CohortRegistration.Row> rows = new ArrayList<>();
		final double[] metrics = { 0.03, 0.035, 0.04, 0.05, 0.045, 0.38 };
		final double[] dice = { 0.97, 0.96, 0.975, 0.965, 0.96, 0.6 };
		for (int i = 0; i < metrics.length; i++)
			rows.add(row("m" + i, 2, metrics[i], dice[i]));
		CohortRegistration.judgeCohort(rows);
		for (int i = 0; i < metrics.length - 1; i++)
			assertTrue(rows.get(i).result.reliable(), "ordinary pair " + i);
		assertFalse(rows.get(metrics.length - 1).result.reliable());
		assertTrue(rows.get(metrics.length - 1).result.reason().contains("cohort median"));
	}

	@Test
	void aLesionWeekAloneIsNotAnOutlier() {
		// a large lesion raises the metric of a correct registration and lowers its Dice only a little
		final List<CohortRegistration.Row> rows = new ArrayList<>();
		final double[] metrics = { 0.03, 0.035, 0.04, 0.05, 0.045, 0.27 };
		final double[] dice = { 0.95, 0.955, 0.96, 0.945, 0.95, 0.887 }; // as measured on the synthetic cohort
		for (int i = 0; i < metrics.length; i++)
			rows.add(row("m" + i, 4, metrics[i], dice[i]));
		CohortRegistration.judgeCohort(rows);
		assertEquals(6, rows.stream().filter(r -> r.result.reliable()).count());
	}

	@Test
	void pairVerdictNamesEachPieceOfEvidence() {
		final String why = RigidRegistration.assess(1.3, 0.9, 0.2, 0.3, false, new double[] { 5000, 0, 0 }, new double[] {
			1000, 1000, 1000 }, true);
		assertTrue(why.contains("only 30%"), why);
		assertTrue(why.contains("worse than no registration"), why);
		assertTrue(why.contains("does not explain"), why);
		assertTrue(why.contains("Dice 0.20"), why);
		assertTrue(why.contains("did not converge"), why);
		assertTrue(why.contains("exceeds half the field of view"), why);
		assertEquals("", RigidRegistration.assess(0.05, 1.2, 0.95, 1, true, new double[] { 10, 0, 0 }, new double[] { 1000,
			1000, 1000 }, true));
	}
}
