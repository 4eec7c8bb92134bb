package org.osteocast.register;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Stats;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.util.Csv;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.io.VolumeIOException;

/**
 * Scores a registration output folder against a synthetic cohort's true
 * transforms. Each {@code <mouse>/week<k>.transform.json} (k ≥ 2) of the
 * registration, from OsteoCast or any tool that writes the same contract, is
 * compared with the phantom's {@code truth/<mouse>/week<k>.transform.json}
 * ({@link RegistrationAccuracy#boneDisplacement}): the mean and the maximum
 * displacement, in voxels, over the bone of week 1 (Otsu's threshold of the
 * phantom's noise-free {@code truth/<mouse>/week1_ideal.tif}). The summary
 * gives the median and the range of the pairs' means and the worst maximum.
 * True pairs that the registration lacks are listed in {@link #notRegistered}.
 */
public final class CohortRegistrationAccuracy {

	/** Column names of the CSV. */
	public static final List<String> COLUMNS = List.of("mouse", "moving_week", "mean_displacement_vox",
		"max_displacement_vox", "bone_voxels");

	/** The mouse label of the summary rows. */
	public static final String ALL = "ALL";

	private static final Pattern WEEK = Pattern.compile("week(\\d+)\\.transform\\.json");

	/** One registered pair. */
	public static final class Pair {
		public final String mouse;
		public final int week;
		public final RegistrationAccuracy.Displacement displacement;

		Pair(final String mouse, final int week, final RegistrationAccuracy.Displacement displacement) {
			this.mouse = mouse;
			this.week = week;
			this.displacement = displacement;
		}
	}

	/** The scored pairs, by mouse and week. */
	public final List<Pair> pairs;
	/** True pairs ({@code mouse week k}) that the registration folder has no transform for. */
	public final List<String> notRegistered;

	private CohortRegistrationAccuracy(final List<Pair> pairs, final List<String> notRegistered) {
		this.pairs = pairs;
		this.notRegistered = notRegistered;
	}

	/**
	 * The folder of true transforms: {@code dir/truth} when it exists (a phantom's
	 * output folder), else {@code dir} itself.
	 */
	public static Path truthFolder(final Path dir) {
		final Path t = dir.resolve("truth");
		return Files.isDirectory(t) ? t : dir;
	}

	/**
	 * Scores every registered pair.
	 *
	 * @param registered a registration output folder ({@code <mouse>/week<k>.transform.json})
	 * @param truth a phantom's output folder, or its {@code truth} folder
	 * @throws VolumeIOException naming the file when a transform has no truth, a
	 *         file cannot be read, or the folder holds no registered pair
	 */
	public static CohortRegistrationAccuracy score(final Path registered, final Path truth, final Cancellation cancel)
		throws IOException
	{
		if (!Files.isDirectory(registered)) throw new VolumeIOException(registered, "is not a folder");
		if (!Files.isDirectory(truth)) throw new VolumeIOException(truth, "is not a folder");
		final Path t = truthFolder(truth);
		final List<Pair> pairs = new ArrayList<>();
		final List<String> notRegistered = new ArrayList<>();
		for (final Path mouseDir : sorted(registered)) {
			if (!Files.isDirectory(mouseDir)) continue;
			final String mouse = mouseDir.getFileName().toString();
			final List<int[]> weeks = weeks(mouseDir);
			if (weeks.isEmpty()) continue;
			final Path truthMouse = t.resolve(mouse);
			if (!Files.isDirectory(truthMouse)) throw new VolumeIOException(mouseDir, "has transforms but the truth " + t +
				" has no mouse '" + mouse + "'");
			final Path ideal = truthMouse.resolve("week1_ideal.tif");
			if (!Files.isRegularFile(ideal)) throw new VolumeIOException(ideal,
				"missing: the bone of week 1 is taken from the phantom's noise-free week 1");
			Volume<?> fixed = null;
			for (final int[] w : weeks) {
				cancel.check();
				final Path est = mouseDir.resolve("week" + w[0] + ".transform.json");
				final Path tru = truthMouse.resolve("week" + w[0] + ".transform.json");
				if (!Files.isRegularFile(tru)) throw new VolumeIOException(est, "has no true transform (" + tru + ")");
				if (fixed == null) fixed = VolumeIO.read(ideal);
				pairs.add(new Pair(mouse, w[0], RegistrationAccuracy.boneDisplacement(fixed, TransformFile.read(est)
					.movingToFixedVoxel(), TransformFile.read(tru).movingToFixedVoxel())));
			}
		}
		for (final Path truthMouse : sorted(t)) {
			if (!Files.isDirectory(truthMouse)) continue;
			final String mouse = truthMouse.getFileName().toString();
			for (final int[] w : weeks(truthMouse))
				if (!Files.isRegularFile(registered.resolve(mouse).resolve("week" + w[0] + ".transform.json")))
					notRegistered.add(mouse + " week " + w[0]);
		}
		if (pairs.isEmpty()) throw new VolumeIOException(registered,
			"holds no <mouse>/week<k>.transform.json with k >= 2 to score");
		return new CohortRegistrationAccuracy(pairs, notRegistered);
	}

	private static List<Path> sorted(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.sorted().collect(java.util.stream.Collectors.toList());
		}
	}

	/** Weeks k ≥ 2 with a transform file in a mouse folder, ascending. */
	private static List<int[]> weeks(final Path mouseDir) throws IOException {
		final List<int[]> out = new ArrayList<>();
		for (final Path f : sorted(mouseDir)) {
			final Matcher m = WEEK.matcher(f.getFileName().toString());
			if (m.matches() && Integer.parseInt(m.group(1)) >= 2) out.add(new int[] { Integer.parseInt(m.group(1)) });
		}
		out.sort((a, b) -> Integer.compare(a[0], b[0]));
		return out;
	}

	/** The pairs' mean displacements. */
	public double[] means() {
		return pairs.stream().mapToDouble(p -> p.displacement.mean).toArray();
	}

	/** Median of the pairs' mean displacements. */
	public double medianOfMeans() {
		return Stats.median(means());
	}

	/** Mean of the pairs' mean displacements. */
	public double meanOfMeans() {
		return Arrays.stream(means()).average().orElse(Double.NaN);
	}

	/** The largest mean displacement of a pair. */
	public double worstMean() {
		return Arrays.stream(means()).max().orElse(Double.NaN);
	}

	/** The smallest mean displacement of a pair. */
	public double bestMean() {
		return Arrays.stream(means()).min().orElse(Double.NaN);
	}

	/** The largest displacement of any bone voxel of any pair. */
	public double worstMax() {
		return pairs.stream().mapToDouble(p -> p.displacement.max).max().orElse(Double.NaN);
	}

	/**
	 * Writes one row per pair, then {@value #ALL} rows: {@code median}, {@code mean}
	 * and {@code max} in the week column, each over the pairs (the max row: the
	 * worst pair's mean and the worst voxel), atomically.
	 */
	public void writeCsv(final Path file) throws IOException {
		final StringBuilder b = new StringBuilder(Csv.line(COLUMNS.toArray())).append('\n');
		long voxels = 0;
		for (final Pair p : pairs) {
			b.append(Csv.line(p.mouse, p.week, f(p.displacement.mean), f(p.displacement.max), p.displacement.boneVoxels))
				.append('\n');
			voxels += p.displacement.boneVoxels;
		}
		final double[] maxes = pairs.stream().mapToDouble(p -> p.displacement.max).toArray();
		b.append(Csv.line(ALL, "median", f(medianOfMeans()), f(Stats.median(maxes)), voxels)).append('\n');
		b.append(Csv.line(ALL, "mean", f(meanOfMeans()), f(Arrays.stream(maxes).average().orElse(Double.NaN)), voxels))
			.append('\n');
		b.append(Csv.line(ALL, "max", f(worstMean()), f(worstMax()), voxels)).append('\n');
		AtomicFiles.writeString(file, b.toString());
	}

	/** One line: the number of pairs, the median and range of their means, the worst voxel. */
	public String summary() {
		return String.format(Locale.ROOT,
			"%d pairs: mean displacement over the bone median %.4f voxel (range %.4f-%.4f, mean %.4f); worst voxel %.4f",
			pairs.size(), medianOfMeans(), bestMean(), worstMean(), meanOfMeans(), worstMax());
	}

	private static String f(final double v) {
		return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.6f", v);
	}
}
