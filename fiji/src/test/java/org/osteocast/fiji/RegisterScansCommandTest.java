package org.osteocast.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.register.bench.SyntheticBone;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

class RegisterScansCommandTest {

	@Test
	void registersTwoOpenImagesOntoTheFixedGrid() throws Exception {
		final SyntheticBone.Spec spec = new SyntheticBone.Spec();
		spec.nx = 48;
		spec.ny = 48;
		spec.nz = 56;
		final SyntheticBone.Pair pair = SyntheticBone.pair(spec, 7);
		final ImagePlus fixed = ImagePlusVolumes.toImagePlus(pair.fixed.withName("week1"));
		final ImagePlus moving = ImagePlusVolumes.toImagePlus(pair.moving.withName("week2"));
		try (Context context = new Context(CommandService.class)) {
			final Map<String, Object> in = new HashMap<>();
			in.put("fixed", fixed);
			in.put("moving", moving);
			final CommandModule m = context.service(CommandService.class).run(RegisterScansCommand.class, true, in).get();
			assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
			final ImagePlus r = (ImagePlus) m.getOutput("registered");
			assertEquals(fixed.getWidth(), r.getWidth());
			assertEquals(fixed.getStackSize(), r.getStackSize());
			// the registered week matches week 1 far better than the unregistered one
			assertTrue(meanAbsDiff(fixed, r) < 0.5 * meanAbsDiff(fixed, moving), "registration reduces the difference");
		}
	}

	@Test
	void withoutCohortOrImagesItCancelsWithAMessage() throws Exception {
		try (Context context = new Context(CommandService.class)) {
			final CommandModule m = context.service(CommandService.class).run(RegisterScansCommand.class, true,
				new HashMap<>()).get();
			assertTrue(m.isCanceled());
			assertTrue(m.getCancelReason().contains("Give a cohort"), m.getCancelReason());
		}
	}

	private static double meanAbsDiff(final ImagePlus a, final ImagePlus b) {
		double s = 0;
		long n = 0;
		for (int z = 1; z <= a.getStackSize(); z++) {
			final float[] pa = (float[]) a.getStack().getProcessor(z).convertToFloat().getPixels();
			final float[] pb = (float[]) b.getStack().getProcessor(z).convertToFloat().getPixels();
			for (int i = 0; i < pa.length; i++) {
				s += Math.abs(pa[i] - pb[i]);
				n++;
			}
		}
		return s / n;
	}
}
