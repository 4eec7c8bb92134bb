package org.osteocast.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhantomParametersTest {

	@Test
	void defaultsAreTheDocumentedDefaultCohort() {
		final PhantomParameters p = PhantomParameters.builder().build();
		assertEquals(8, p.mice());
		assertEquals(4, p.weeks());
		assertEquals(20, p.voxelUm());
		assertEquals(120, p.scanWidth());
		assertEquals(160, p.scanDepth());
		assertEquals(PhantomParameters.Format.TIFF, p.format());
		assertFalse(p.rings());
		assertEquals(5, p.maxRotationDeg());
		assertEquals(5, p.maxShiftVox());
		assertTrue(p.asMap().containsKey("voxel_um"));
	}

	@Test
	void badValuesAreRefusedByName() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhantomParameters.builder()
			.tumourFraction(1.5).build());
		assertTrue(e.getMessage().contains("tumour fraction"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> PhantomParameters.builder().weeks(1).build());
		assertThrows(IllegalArgumentException.class, () -> PhantomParameters.builder().voxelUm(0).build());
		assertThrows(IllegalArgumentException.class, () -> PhantomParameters.builder().scanLengthUm(2000).build());
		assertThrows(IllegalArgumentException.class, () -> PhantomParameters.builder().boneGrey(15000).build());
		assertEquals(PhantomParameters.Format.SKYSCAN, PhantomParameters.Format.parse("SkyScan"));
		assertThrows(IllegalArgumentException.class, () -> PhantomParameters.Format.parse("nifti"));
	}

	@Test
	void groupsAreAssignedInExactProportions() {
		final PhantomParameters p = PhantomParameters.builder().mice(20).tumourFraction(0.6).loadedFraction(0.5)
			.hardFraction(0.25).voxelUm(40).build();
		int tumour = 0, loaded = 0, control = 0, hard = 0;
		for (final MouseModel m : MouseModel.cohort(p)) {
			switch (m.group()) {
				case TUMOUR:
					tumour++;
					break;
				case LOADED:
					loaded++;
					break;
				default:
					control++;
					assertTrue(m.foci().isEmpty());
			}
			if (m.hardCase()) {
				hard++;
				assertTrue(m.group() != MouseModel.Group.CONTROL);
			}
			assertTrue(m.scanned(1), "week 1 is always scanned");
		}
		assertEquals(6, tumour);
		assertEquals(6, loaded);
		assertEquals(8, control);
		assertEquals(3, hard);
	}
}
