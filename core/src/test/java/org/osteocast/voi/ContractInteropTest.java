package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;

/** A data set written by another tool (plain ImageJ here) in the contract layout is accepted. */
class ContractInteropTest {

	@TempDir
	Path tmp;

	@Test
	void hyperstackWrittenByImageJIsAccepted() throws Exception {
		// 3 slices x 4 frames, 32-bit, made and saved with ImageJ's own API, not OsteoCast's writer
		final ImagePlus imp = IJ.createHyperStack("ext", 16, 16, 1, 3, 4, 32);
		for (int t = 1; t <= 4; t++)
			for (int z = 1; z <= 3; z++) {
				final float[] p = (float[]) imp.getStack().getPixels(imp.getStackIndex(1, z, t));
				p[0] = z / 10f + t / 100f;
			}
		imp.getCalibration().setUnit("micron");
		imp.getCalibration().pixelWidth = 15;
		imp.getCalibration().pixelHeight = 15;
		imp.getCalibration().pixelDepth = 43.75;
		new FileSaver(imp).saveAsTiffStack(tmp.resolve("ext1.tif").toString());
		Files.writeString(tmp.resolve("cohort.csv"), "mouse,image,split\next1,ext1.tif,test\n");
		final SliceDataset ds = SliceDataset.open(tmp);
		assertEquals(1, ds.entries().size());
		assertEquals(SliceDataset.Split.TEST, ds.entries().get(0).split);
		final Hyperstack h = ds.entries().get(0).read();
		assertEquals(3, h.slices());
		assertEquals(4, h.frames());
		assertEquals(43.75, h.voxelSizeUm()[2], 1e-9);
		for (int t = 0; t < 4; t++)
			for (int z = 0; z < 3; z++)
				assertEquals((z + 1) / 10f + (t + 1) / 100f, h.plane(z, t)[0], 1e-7);
	}
}
