package org.osteocast.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.plugin.Parameter;

/** What the ImageJ 1.x dialog takes from the parameters' annotations (without a display). */
class ParameterDialogTest {

	/** A command as a later contributor might write it. */
	public static final class Sample implements Command {
		@Parameter(label = "Scan folder", style = "directory", description = "Where the scans are.")
		File scan_dir;

		@Parameter(label = "Smoothing (px)", min = "0.1", style = "advanced", description = "Gaussian sigma.")
		double smoothing = 1.5;

		@Parameter(min = "1", max = "12")
		int num_weeks = 4;

		@Parameter(label = "Learning rate", style = "advanced,format:0.0000")
		double rate = 1e-4;

		@Override
		public void run() {}
	}

	private static List<ModuleItem<?>> inputs(final Context c) {
		final org.scijava.command.CommandInfo info = new org.scijava.command.CommandInfo(Sample.class);
		return OsteoCastPlugIn.dialogInputs(info);
	}

	@Test
	void advancedParametersComeLastAndLabelsRangesAndDigitsFollowTheAnnotations() {
		try (Context c = new Context(CommandService.class)) {
			final List<ModuleItem<?>> items = ParameterDialog.order(inputs(c));
			assertEquals(List.of("scan_dir", "num_weeks", "smoothing", "rate"), items.stream().map(ModuleItem::getName)
				.collect(Collectors.toList()));
			final ModuleItem<?> weeks = items.get(1), smoothing = items.get(2), rate = items.get(3);
			assertEquals("Num weeks", ParameterDialog.label(weeks), "no label: the name in words");
			assertEquals("Smoothing (px)", ParameterDialog.label(smoothing));
			assertEquals("1 \u2013 12", ParameterDialog.range(weeks));
			assertEquals("\u2265 0.1", ParameterDialog.range(smoothing));
			assertEquals("", ParameterDialog.range(rate));
			assertTrue(ParameterDialog.isAdvanced(rate) && !ParameterDialog.isAdvanced(weeks));
			assertEquals(0, ParameterDialog.digits(int.class, 4));
			assertEquals(1, ParameterDialog.digits(double.class, 1.5));
			assertEquals(4, ParameterDialog.digits(double.class, 1e-4));
			assertEquals(2, ParameterDialog.digits(double.class, Double.NaN));
			final String help = ParameterDialog.help("Sample", items);
			for (final String s : List.of("<code>scan_dir</code>", "<code>num_weeks</code>", "Smoothing (px) (advanced)",
				"Gaussian sigma.", "run(\"Sample\""))
				assertTrue(help.contains(s), s + " in " + help);
			assertFalse(help.contains("Learning rate</td><td>\u2265"), help);
		}
	}
}
