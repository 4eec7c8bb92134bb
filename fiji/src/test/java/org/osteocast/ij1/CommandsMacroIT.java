package org.osteocast.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.io.contracts.Hyperstack;

/**
 * The commands that the pipeline and morphometry macros do not use, each from a
 * macro line in plain ImageJ 1.x, headless: Generate Synthetic Cohort, Open
 * Scan, Export Surface Mesh, Show Forecast 3D.
 */
class CommandsMacroIT {

	@TempDir
	Path tmp;

	@Test
	void everyOtherCommandRunsFromAMacroLine() throws Exception {
		final ImageJ1 ij = ImageJ1.install();
		// a forecast to render in 3-D: a bone disc that loses a wedge
		final Hyperstack data = new Hyperstack(24, 24, 6, 3, new double[] { 20, 20, 20 }, "m1");
		final Hyperstack pred = new Hyperstack(24, 24, 6, 1, new double[] { 20, 20, 20 }, "m1_pred");
		for (int z = 0; z < 6; z++)
			for (int y = 0; y < 24; y++)
				for (int x = 0; x < 24; x++) {
					final boolean bone = Math.hypot(x - 11.5, y - 11.5) < 8;
					for (int t = 0; t < 3; t++)
						data.plane(z, t)[y * 24 + x] = bone ? 0.9f : 0.1f;
					pred.plane(z, 0)[y * 24 + x] = bone && x < 14 ? 0.9f : 0.1f;
				}
		data.write(tmp.resolve("m1.tif"));
		pred.write(tmp.resolve("m1_pred.tif"));
		final Path macro = tmp.resolve("commands.ijm");
		final String d = tmp.toString();
		Files.writeString(macro, String.join("\n",
			"run(\"Generate Synthetic Cohort\", \"out=[" + d + "/cohort] mice=1 weeks=2 seed=5 format=skyscan voxel_um=60\");",
			"run(\"Open Scan\", \"scan=[" + d + "/cohort/M001/week1]\");",
			"getVoxelSize(vw, vh, vd, unit);",
			"print(\"opened \" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices + \" voxel \" + vw + \" \" + unit);",
			"run(\"Export Surface Mesh\", \"stl_file=[" + d + "/bone.stl]\");",
			"run(\"Show Forecast 3D\", \"data=[" + d + "/m1.tif] forecast=[" + d + "/m1_pred.tif]\");",
			"print(\"rendering \" + nSlices + \" views\");", ""));
		final ImageJ1.Result r = ij.runMacro(macro, null, 240);
		assertTrue(Files.isRegularFile(tmp.resolve("cohort/cohort.csv")), r.output);
		assertTrue(r.output.contains("opened 40x40x"), r.output);
		assertTrue(r.output.contains("voxel 60 micron"), r.output);
		assertTrue(Files.size(tmp.resolve("bone.stl")) > 84 + 50 * 100, r.output);
		assertTrue(r.output.contains("rendering 24 views"), r.output);
		assertEquals(0, r.exitCode, r.output);
	}
}
