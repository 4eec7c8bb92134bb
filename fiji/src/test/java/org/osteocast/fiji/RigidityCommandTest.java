package org.osteocast.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.measure.ResultsTable;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** "Bone Rigidity (CTRA)" headless: the Results table per slice, the weakest slice, the plot. */
class RigidityCommandTest {

	static Context context;
	static CommandService commands;

	@BeforeAll
	static void start() {
		context = new Context(CommandService.class);
		commands = context.service(CommandService.class);
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	static CommandModule run(final ImagePlus imp) throws Exception {
		final Map<String, Object> in = new HashMap<>();
		in.put("image", imp);
		return commands.run(RigidityCommand.class, true, in).get();
	}

	@Test
	void perforatedCortexIsWeakerAndEverySliceIsListed() throws Exception {
		final CommandModule intact = run(CommandContractTest.tube(false));
		assertFalse(intact.isCanceled(), String.valueOf(intact.getCancelReason()));
		final double ei0 = (Double) intact.getOutput("min_ei");
		final ImagePlus one = CommandContractTest.tube(true);
		// perforate only slice 4 further: its bone is gone on the right half
		final float[] p = (float[]) one.getStack().getPixels(4);
		for (int i = 0; i < p.length; i++)
			if (i % 48 > 24) p[i] = 0.1f;
		final CommandModule holed = run(one);
		assertFalse(holed.isCanceled(), String.valueOf(holed.getCancelReason()));
		assertEquals(4, (int) (Integer) holed.getOutput("weakest"));
		assertTrue((Double) holed.getOutput("min_ei") < 0.5 * ei0, holed.getOutput("min_ei") + " vs " + ei0);
		assertNotNull(holed.getOutput("ei_plot"));
		final ResultsTable rt = ResultsTable.getResultsTable();
		assertEquals(1, (int) rt.getValue("Weakest", rt.size() - 3), "slice 4 of 6 is marked");
		assertEquals(4, (int) rt.getValue("Slice", rt.size() - 3));
		assertTrue(rt.getStringValue("Units", rt.size() - 1).startsWith("relative"), rt.getStringValue("Units", rt
			.size() - 1));
	}
}
