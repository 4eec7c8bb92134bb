package org.osteocast.register;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.osteocast.core.BadInputException;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.core.Stats;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.util.Csv;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.contracts.Output;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.io.VolumeIOException;

/**
 * Registers a whole cohort: each mouse's later weeks onto its first week and,
 * with a reference tibia, the first week onto the reference (the transforms
 * composed so that every week lands in the reference frame). The headless
 * facade behind {@code osteocast register} and the Fiji command "Register
 * Scans".
 * <p>
 * Writes into the output folder, never over an input: per scan
 * {@code <mouse>/week<k>.tif} (resampled onto the fixed grid, same pixel
 * type), {@code <mouse>/week<k>.transform.json} (the transform contract plus
 * rotation, translation, metric and the reliability verdict) and
 * {@code <mouse>/week<k>_qc.png}; for the cohort {@code cohort.csv} (the
 * registered manifest) and {@code registration_summary.csv}.
 * <p>
 * Besides each pair's own evidence ({@link RigidRegistration#assess}), a pair
 * is flagged when it is an outlier in its cohort: its metric more than
 * {@value #OUTLIER_FACTOR} times the cohort median and beyond the median by
 * {@value #OUTLIER_MADS} robust standard deviations (1.4826 × MAD), and its
 * Dice as far below the cohort's. Each of the four conditions is needed: a
 * tight cohort must not flag its ordinary spread, and a week with a large
 * lesion raises the metric of a correct registration on its own (on a
 * 30-mouse synthetic cohort, requiring the metric alone flagged 18 of 81
 * correct pairs, all within 0.05 voxel of the truth).
 */
public final class CohortRegistration {

	/** Cohort outlier rule: metric this many times the median ... */
	public static final double OUTLIER_FACTOR = 3;
	/** ... and this many robust standard deviations away from it. */
	public static final double OUTLIER_MADS = 5;
	/** Summary file name. */
	public static final String SUMMARY = "registration_summary.csv";

	private CohortRegistration() {}

	/** One registered scan. */
	public static final class Row {
		public final String mouse;
		public final int week;
		/** "week&lt;k&gt;" of the same mouse, or "reference". */
		public final String fixed;
		public final Path image, transform, qc;
		/** The registration result (for the first week without a reference: the identity). */
		public final RegistrationResult result;

		/** A row as {@link #run} makes it (for engines that register mice apart and join them in {@link #finish}). */
		public Row(final String mouse, final int week, final String fixed, final Path image, final Path transform,
			final Path qc, final RegistrationResult result)
		{
			this.mouse = mouse;
			this.week = week;
			this.fixed = fixed;
			this.image = image;
			this.transform = transform;
			this.qc = qc;
			this.result = result;
		}
	}

	/** What a cohort run produced. */
	public static final class Summary {
		public final List<Row> rows;
		public final Path manifest, summaryCsv;

		Summary(final List<Row> rows, final Path manifest, final Path summaryCsv) {
			this.rows = Collections.unmodifiableList(rows);
			this.manifest = manifest;
			this.summaryCsv = summaryCsv;
		}

		/** The rows flagged unreliable. */
		public List<Row> unreliable() {
			final List<Row> u = new ArrayList<>();
			for (final Row r : rows)
				if (!r.result.reliable()) u.add(r);
			return u;
		}
	}

	/**
	 * Registers every mouse of {@code cohort} and writes the outputs into a new
	 * folder {@code out} (see {@link #run(Cohort, Path, Path, RegistrationParameters, boolean, Progress, Cancellation)}).
	 */
	public static Summary run(final Cohort cohort, final Path out, final Path reference,
		final RegistrationParameters p, final Progress progress, final Cancellation cancel) throws IOException
	{
		return run(cohort, out, reference, p, false, progress, cancel);
	}

	/**
	 * Registers every mouse of {@code cohort} and writes the outputs into
	 * {@code out}, which appears whole or not at all ({@link Output}): a
	 * failure at any mouse leaves the last complete output (or nothing) and
	 * names the mouse and week.
	 *
	 * @param reference a reference tibia scan, or null to keep each mouse in its first week's frame
	 * @param overwrite whether an existing output folder may be replaced (as a whole)
	 * @throws IOException for unreadable scans, unwritable outputs, an output that exists (without
	 *           {@code overwrite}) or would overwrite an input
	 */
	public static Summary run(final Cohort cohort, final Path out, final Path reference,
		final RegistrationParameters p, final boolean overwrite, final Progress progress, final Cancellation cancel)
		throws IOException
	{
		final List<Path> inputs = new ArrayList<>();
		for (final Cohort.Scan s : cohort.scans())
			inputs.add(s.image);
		if (reference != null) inputs.add(reference);
		try (Output o = Output.folder(out, overwrite, inputs)) {
			final Summary s = write(cohort, o.dir(), reference, p, progress, cancel);
			o.commit();
			final List<Row> rows = new ArrayList<>();
			for (final Row r : s.rows)
				rows.add(new Row(r.mouse, r.week, r.fixed, o.finalPath(r.image), o.finalPath(r.transform), r.qc == null
					? null : o.finalPath(r.qc), r.result));
			return new Summary(rows, o.finalPath(s.manifest), o.finalPath(s.summaryCsv));
		}
	}

	private static Summary write(final Cohort cohort, final Path outDir, final Path reference,
		final RegistrationParameters p, final Progress progress, final Cancellation cancel) throws IOException
	{
		final Volume<?> ref = reference == null ? null : VolumeIO.open(reference);
		final int total = cohort.scans().size();
		final List<Row> rows = new ArrayList<>();
		int done = 0;
		for (final String mouse : cohort.mice()) {
			try {
				done = registerMouse(cohort, mouse, outDir, null, ref, p, progress, cancel, rows, done, total);
			}
			catch (final Cancellation.CancelledException e) {
				throw e;
			}
			catch (final IOException | RuntimeException e) {
				throw failed(mouse, cohort, e);
			}
		}
		return finish(cohort, rows, outDir);
	}

	/**
	 * Registers one mouse's weeks, the per-mouse part of {@link #run}, for
	 * engines that register mice apart (the Spark module): writes
	 * {@code week<k>.tif} and {@code week<k>_qc.png} into {@code mouseDir}, and
	 * returns the rows as {@link #run} makes them, naming the files where they
	 * lie under {@code outDir/<mouse>/}. The cohort-wide verdicts and the
	 * transform files come from {@link #finish}.
	 *
	 * @param reference the reference tibia, already read, or null
	 */
	public static List<Row> registerMouse(final Cohort cohort, final String mouse, final Path outDir,
		final Path mouseDir, final Volume<?> reference, final RegistrationParameters p, final Progress progress,
		final Cancellation cancel) throws IOException
	{
		final List<Row> rows = new ArrayList<>();
		try {
			registerMouse(cohort, mouse, outDir, mouseDir, reference, p, progress, cancel, rows, 0, cohort.scans(mouse)
				.size());
		}
		catch (final Cancellation.CancelledException e) {
			throw e;
		}
		catch (final IOException | RuntimeException e) {
			throw failed(mouse, cohort, e);
		}
		return rows;
	}

	/**
	 * The cohort-wide end of {@link #run}, over the rows of every mouse in the
	 * cohort's order: judges outliers, writes each {@code week<k>.transform.json}
	 * into {@code outDir/<mouse>/}, {@code registration_summary.csv} and
	 * {@code cohort.csv}.
	 */
	public static Summary finish(final Cohort cohort, final List<Row> rowsInOrder, final Path outDir)
		throws IOException
	{
		final List<Row> rows = new ArrayList<>(rowsInOrder);
		judgeCohort(rows);
		for (final Row r : rows)
			r.result.toTransformFile().with("mouse", r.mouse).with("week", r.week).with("fixed", r.fixed).write(
				r.transform);
		final Path summary = outDir.resolve(SUMMARY);
		writeSummary(rows, summary);
		final List<Cohort.Scan> registered = new ArrayList<>();
		for (final Row r : rows)
			registered.add(new Cohort.Scan(r.mouse, r.week, r.image, cohort.group(r.mouse)));
		final Path manifest = outDir.resolve("cohort.csv");
		Cohort.of(outDir, registered).writeManifest(manifest);
		return new Summary(rows, manifest, summary);
	}

	/** An error at one mouse, said so: nothing of the run is kept. */
	private static IOException failed(final String mouse, final Cohort cohort, final Exception e) {
		final String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
		final Path file = e instanceof BadInputException ? ((BadInputException) e).file() : cohort.scans(mouse).get(0)
			.image;
		final String problem = e instanceof BadInputException && m.startsWith(file + ": ") ? m.substring(file.toString()
			.length() + 2) : m;
		return new VolumeIOException(file, problem + " (mouse " + mouse + "; the run stopped there and wrote nothing)", e);
	}

	private static int registerMouse(final Cohort cohort, final String mouse, final Path outDir, final Path mouseDir,
		final Volume<?> ref, final RegistrationParameters p, final Progress progress, final Cancellation cancel,
		final List<Row> rows, int done, final int total) throws IOException
	{
		final List<Cohort.Scan> scans = cohort.scans(mouse);
		final Cohort.Scan first = scans.get(0);
		cancel.check();
		final Volume<?> week1 = VolumeIO.open(first.image);
		final Progress sub = sub(progress, done, total);
		// week 1: identity, or onto the reference
		final RegistrationResult r1;
		final Volume<?> grid;
		if (ref != null) {
			progress.status(mouse + " week " + first.week + " -> reference");
			r1 = RigidRegistration.register(ref, week1, p, sub, cancel);
			grid = ref;
		}
		else {
			r1 = identity(week1);
			grid = week1;
		}
		final Path w1file = at(mouseDir, image(outDir, first));
		if (ref != null) {
			final Volume<?> shown = writeRegistered(week1, r1, grid, w1file, p);
			QualityControl.writePng(ref, shown, at(mouseDir, qc(outDir, first)));
		}
		else if (LazyVolume.isLazy(week1) && isTiff(first.image)) // a large TIFF is copied as is, not re-encoded
			AtomicFiles.write(w1file, tmp -> Files.copy(first.image, tmp, StandardCopyOption.REPLACE_EXISTING));
		else VolumeIO.write(week1, w1file);
		rows.add(new Row(mouse, first.week, ref != null ? "reference" : "self", image(outDir, first), transform(
			outDir, first), ref != null ? qc(outDir, first) : null, r1));
		progress.progress(++done, total);
		for (final Cohort.Scan s : scans.subList(1, scans.size())) {
			cancel.check();
			progress.status(mouse + " week " + s.week + " -> week " + first.week);
			final Volume<?> moving = VolumeIO.open(s.image);
			RegistrationResult rk = RigidRegistration.register(week1, moving, p, sub(progress, done, total), cancel);
			if (ref != null) rk = rk.composedWith(r1);
			QualityControl.writePng(grid, writeRegistered(moving, rk, grid, at(mouseDir, image(outDir, s)), p), at(
				mouseDir, qc(outDir, s)));
			rows.add(new Row(mouse, s.week, ref != null ? "reference" : "week" + first.week, image(outDir, s),
				transform(outDir, s), qc(outDir, s), rk));
			progress.progress(++done, total);
		}
		return done;
	}

	/**
	 * Resamples {@code moving} onto {@code grid} and writes it; returns the
	 * registered scan for its QC picture: itself when in memory; when it was
	 * computed plane by plane while being written (a large scan), the written
	 * file read back plane by plane, which is cheaper than resampling again and
	 * lets the resampling's plane window go.
	 */
	private static Volume<?> writeRegistered(final Volume<?> moving, final RegistrationResult r, final Volume<?> grid,
		final Path file, final RegistrationParameters p) throws IOException
	{
		final Volume<?> reg = Resampler.resample(moving, r.movingToFixedVoxel(), grid, p.threads(), p.heapBytes());
		VolumeIO.write(reg, file);
		if (!LazyVolume.isLazy(reg)) return reg;
		final double[] vs = reg.voxelSizeUm();
		return LazyVolume.open(file, vs[0] == vs[1] && vs[0] == vs[2] ? vs[0] : Double.NaN);
	}

	private static boolean isTiff(final Path file) {
		final String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return Files.isRegularFile(file) && (n.endsWith(".tif") || n.endsWith(".tiff"));
	}

	/** {@code file}, or its name inside {@code dir} when one is given. */
	private static Path at(final Path dir, final Path file) {
		return dir == null ? file : dir.resolve(file.getFileName());
	}

	private static RegistrationResult identity(final Volume<?> v) {
		return new RegistrationResult(RigidTransforms.identity(), v.voxelSizeUm(), v.voxelSizeUm(), new double[3], 0, 0,
			1, 1, 1, true, 0, "fixed scan", true, "", 0);
	}

	/** Replaces a pair's verdict when it is an outlier of the cohort (see the class documentation). */
	static void judgeCohort(final List<Row> rows) {
		final List<Integer> pairs = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++)
			if (!"self".equals(rows.get(i).fixed)) pairs.add(i);
		if (pairs.size() < 3) return;
		final double[] metric = new double[pairs.size()], dice = new double[pairs.size()];
		for (int k = 0; k < pairs.size(); k++) {
			metric[k] = rows.get(pairs.get(k)).result.metric();
			dice[k] = rows.get(pairs.get(k)).result.dice();
		}
		final double mMed = Stats.median(metric), mMad = 1.4826 * mad(metric, mMed);
		final double dMed = Stats.median(dice), dMad = 1.4826 * mad(dice, dMed);
		for (int k = 0; k < pairs.size(); k++) {
			final int i = pairs.get(k);
			final Row r = rows.get(i);
			final List<String> why = new ArrayList<>();
			if (!r.result.reliable()) why.add(r.result.reason());
			// both signs together: a lesion raises the metric of a well-registered week on its own,
			// and lowers its Dice a little; a failed registration does both, strongly
			final boolean metricOutlier = metric[k] > OUTLIER_FACTOR * mMed && metric[k] > mMed + OUTLIER_MADS * mMad;
			final boolean diceOutlier = 1 - dice[k] > OUTLIER_FACTOR * (1 - dMed) && dice[k] < dMed - OUTLIER_MADS * dMad;
			if (metricOutlier && diceOutlier) why.add(String.format(Locale.ROOT,
				"metric %.3f is %.1f times the cohort median %.3f and Dice %.3f is far below the median %.3f", metric[k],
				metric[k] / mMed, mMed, dice[k], dMed));
			if (!why.isEmpty() && r.result.reliable()) rows.set(i, new Row(r.mouse, r.week, r.fixed, r.image,
				r.transform, r.qc, r.result.withReliability(false, String.join("; ", why))));
		}
	}

	static double mad(final double[] v, final double med) {
		final double[] d = new double[v.length];
		for (int i = 0; i < v.length; i++)
			d[i] = Math.abs(v[i] - med);
		return Stats.medianInPlace(d);
	}

	/** Writes {@code registration_summary.csv}, atomically. */
	static void writeSummary(final List<Row> rows, final Path csv) throws IOException {
		final StringBuilder b = new StringBuilder(Csv.line("mouse", "week", "fixed", "rotation_deg", "translation_um",
			"metric", "initial_metric", "ncc", "dice", "overlap", "converged", "reliable", "reason", "seconds")).append(
				'\n');
		for (final Row r : rows) {
			final RegistrationResult x = r.result;
			b.append(Csv.line(r.mouse, r.week, r.fixed, f(x.rotationDeg()), f(x.translationLengthUm()), f(x.metric()), f(x
				.initialMetric()), f(x.ncc()), f(x.dice()), f(x.overlap()), x.converged(), x.reliable(), x.reason(), f(x
					.seconds()))).append('\n');
		}
		AtomicFiles.writeString(csv, b.toString());
	}

	private static String f(final double v) {
		return String.format(Locale.ROOT, "%.4f", v);
	}

	static Path image(final Path out, final Cohort.Scan s) {
		return out.resolve(s.mouse).resolve("week" + s.week + ".tif");
	}

	static Path transform(final Path out, final Cohort.Scan s) {
		return out.resolve(s.mouse).resolve("week" + s.week + ".transform.json");
	}

	static Path qc(final Path out, final Cohort.Scan s) {
		return out.resolve(s.mouse).resolve("week" + s.week + "_qc.png");
	}

	/** A progress sink for one scan inside the cohort's count: forwards status, maps progress into [done, done+1). */
	private static Progress sub(final Progress parent, final int done, final int total) {
		return new Progress() {
			@Override
			public void status(final String message) {
				parent.status(message);
			}

			@Override
			public void progress(final long d, final long t) {
				if (t > 0) parent.progress(done * 1000L + Math.min(999, d * 1000 / t), total * 1000L);
			}
		};
	}
}
