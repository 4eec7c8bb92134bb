package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.phantom.PhantomGenerator;
import org.osteocast.phantom.PhantomParameters;

/** The growth plate on the synthetic cohort's week-1 scans, against the generator's truth. */
class GrowthPlatePhantomTest {

	@TempDir
	Path tmp;

	@Test
	void withinTwoSlicesOfTheTruthForEveryMouse() throws Exception {
		final PhantomParameters p = PhantomParameters.builder().mice(8).weeks(2).seed(11).missingWeekProb(0).build();
		PhantomGenerator.generate(p, tmp, Progress.NONE, Cancellation.NEVER);
		final List<String> report = new ArrayList<>();
		int worst = 0;
		for (int m = 1; m <= 8; m++) {
			final String mouse = String.format("M%03d", m);
			final Volume<?> week1 = VolumeIO.read(tmp.resolve(mouse).resolve("week1.tif"));
			final int detected = GrowthPlateDetector.detect(week1, new GrowthPlateDetector.Options()).plateSlice;
			final int truth = JsonParser.parseString(Files.readString(tmp.resolve("truth").resolve(mouse).resolve(
				"anatomy.json"))).getAsJsonObject().getAsJsonObject("growth_plate").get("slice").getAsInt();
			report.add(mouse + ": " + detected + " vs " + truth);
			worst = Math.max(worst, Math.abs(detected - truth));
		}
		assertTrue(worst <= 2, "growth plate errors: " + report);
	}
}
