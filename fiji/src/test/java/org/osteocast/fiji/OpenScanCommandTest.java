package org.osteocast.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osteocast.io.RealData;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

class OpenScanCommandTest {

	@Test
	void opensASkyScanFolderCalibrated() throws Exception {
		final java.nio.file.Path thorax = RealData.require("skyscan-mouse-thorax");
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("scan", thorax.toFile());
			final CommandModule m = context.service(CommandService.class).run(OpenScanCommand.class, true, in).get();
			assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
			final ImagePlus imp = (ImagePlus) m.getOutput("image");
			assertEquals(248, imp.getWidth());
			assertEquals(164, imp.getHeight());
			assertEquals(237, imp.getStackSize());
			assertEquals(16, imp.getBitDepth());
			assertEquals(105.32, imp.getCalibration().pixelDepth, 1e-6);
		}
	}

	@Test
	void missingFolderCancelsNamingIt() throws Exception {
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("scan", new java.io.File("/no/such/scan"));
			final CommandModule m = context.service(CommandService.class).run(OpenScanCommand.class, true, in).get();
			assertTrue(m.isCanceled());
			assertTrue(m.getCancelReason().contains("/no/such/scan"), m.getCancelReason());
		}
	}
}
