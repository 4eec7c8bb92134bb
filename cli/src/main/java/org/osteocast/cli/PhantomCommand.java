package org.osteocast.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.osteocast.core.Cancellation;
import org.osteocast.phantom.PhantomGenerator;
import org.osteocast.phantom.PhantomMontage;
import org.osteocast.phantom.PhantomParameters;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code osteocast phantom}: writes the synthetic longitudinal micro-CT cohort
 * with its ground truth (see {@code docs/phantom.md}). Parses options into
 * {@link PhantomParameters}, calls {@link PhantomGenerator}, prints a summary.
 */
@Command(name = "phantom", mixinStandardHelpOptions = true,
	description = "Write a synthetic longitudinal micro-CT cohort of mouse tibiae with osteolytic lesions and ground truth.")
public final class PhantomCommand implements Callable<Integer> {

	private static final PhantomParameters D = PhantomParameters.builder().build();

	@Option(names = "--out", required = true, description = "Output folder.")
	Path out;

	@Option(names = "--mice", description = "Number of mice (default ${DEFAULT-VALUE}).")
	int mice = D.mice();

	@Option(names = "--weeks", description = "Weekly scans per mouse, weeks 1..W (default ${DEFAULT-VALUE}).")
	int weeks = D.weeks();

	@Option(names = "--seed", description = "Random seed; the same seed gives the same bytes (default ${DEFAULT-VALUE}).")
	long seed = D.seed();

	@Option(names = "--format", description = "Scan format: tiff or skyscan (default ${DEFAULT-VALUE}).")
	String format = "tiff";

	@Option(names = "--voxel-um", description = "Isotropic voxel size in um (default ${DEFAULT-VALUE}).")
	double voxelUm = D.voxelUm();

	@Option(names = "--tumour-fraction", description = "Fraction of tumour-injected mice (default ${DEFAULT-VALUE}).")
	double tumourFraction = D.tumourFraction();

	@Option(names = "--loaded-fraction",
		description = "Fraction of tumour mice that are also loaded: slower lesion growth (default ${DEFAULT-VALUE}).")
	double loadedFraction = D.loadedFraction();

	@Option(names = "--hard-fraction",
		description = "Fraction of tumour mice whose lesions appear only in the last week (default ${DEFAULT-VALUE}).")
	double hardFraction = D.hardFraction();

	@Option(names = "--missing-week-prob",
		description = "Probability that a scan of week >= 2 is missed (default ${DEFAULT-VALUE}).")
	double missingWeekProb = D.missingWeekProb();

	@Option(names = "--noise", description = "Gaussian noise SD in grey levels (default ${DEFAULT-VALUE}).")
	double noise = D.noiseSd();

	@Option(names = "--rings", description = "Add ring artefacts.")
	boolean rings;

	@Option(names = "--max-rotation-deg",
		description = "Largest misalignment rotation per axis in degrees (default ${DEFAULT-VALUE}).")
	double maxRotationDeg = D.maxRotationDeg();

	@Option(names = "--max-shift-vox", description = "Largest misalignment shift per axis in voxels (default ${DEFAULT-VALUE}).")
	double maxShiftVox = D.maxShiftVox();

	@Option(names = "--scan-length-um", description = "Scan length along the bone in um (default ${DEFAULT-VALUE}).")
	double scanLengthUm = D.scanLengthUm();

	@Option(names = "--field-of-view-um", description = "Width and height of the cross-section in um (default ${DEFAULT-VALUE}).")
	double fieldOfViewUm = D.fieldOfViewUm();

	@Option(names = "--fibula", paramLabel = "joined|separate",
		description = "joined: the fibula fuses with the tibia at the tibia-fibula junction; separate: it never touches " +
			"the tibia (cohorts made before the junction was modelled, e.g. test-data; default joined).")
	String fibula = "joined";

	@Option(names = "--junction-depth-um",
		description = "Mean depth of the tibia-fibula junction below the growth plate in um (default ${DEFAULT-VALUE}).")
	double junctionDepthUm = D.junctionDepthUm();

	@Option(names = "--tilt-deg",
		description = "Tilt of the bone axis from the scanner axis in every week, 0-30 degrees (default ${DEFAULT-VALUE}).")
	double tiltDeg = D.tiltDeg();

	@Option(names = "--overwrite", description = "Allow writing over an existing cohort in --out.")
	boolean overwrite;

	@Option(names = "--montage", description = "Also draw a montage PNG of the cohort (mid-VOI axial slices by week).")
	Path montage;

	@Override
	public Integer call() throws Exception {
		final PhantomParameters p = PhantomParameters.builder().mice(mice).weeks(weeks).seed(seed).format(
			PhantomParameters.Format.parse(format)).voxelUm(voxelUm).tumourFraction(tumourFraction).loadedFraction(
				loadedFraction).hardFraction(hardFraction).missingWeekProb(missingWeekProb).noiseSd(noise).rings(rings)
			.maxRotationDeg(maxRotationDeg).maxShiftVox(maxShiftVox).scanLengthUm(scanLengthUm).fieldOfViewUm(fieldOfViewUm)
			.fibula(PhantomParameters.Fibula.parse(fibula)).junctionDepthUm(junctionDepthUm).tiltDeg(tiltDeg).overwrite(
				overwrite).build();
		final long t0 = System.nanoTime();
		final PhantomGenerator.Result r = PhantomGenerator.generate(p, out, new ConsoleProgress(System.err),
			new Cancellation());
		final double s = (System.nanoTime() - t0) / 1e9;
		System.out.println(String.format(Locale.ROOT, "phantom: %d mice, %d scans (%dx%dx%d voxels of %.4g um) in %.1f s -> %s",
			r.mice(), r.scans(), p.scanWidth(), p.scanWidth(), p.scanDepth(), p.voxelUm(), s, out.resolve("cohort.csv")));
		if (montage != null) {
			PhantomMontage.write(out, montage, 4, 2);
			System.out.println("phantom: montage -> " + montage);
		}
		return 0;
	}
}
