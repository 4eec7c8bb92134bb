package org.osteocast.voi;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osteocast.OsteoCast;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.Output;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.contracts.SliceDataset.Split;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.io.VolumeIOException;

/**
 * Turns a registered cohort into the model's data set: selects mice with
 * weeks 1..n, splits them by mouse, cuts every mouse's VOI, picks one
 * intensity window from the training mice, and writes {@code <mouse>.tif}
 * hyperstacks, {@code cohort.csv} and {@code slices.json} (window, per-mouse
 * geometry, options, skipped mice, version) into the output folder.
 * <p>
 * A mouse with too few weeks or a gap inside 1..n is skipped and listed (not
 * fatal); a mouse whose VOI cannot be cut (past the end of the scan, crop
 * larger than the image, no plate) stops the run with a message naming it,
 * because those call for a change of options rather than silently losing a
 * mouse.
 */
public final class CohortSlicer {

	/** Name of the geometry/window record in the data set folder. */
	public static final String RECORD = "slices.json";

	private CohortSlicer() {}

	/** A mouse that was left out, and why. */
	public static final class Skipped {
		public final String mouse, reason;

		Skipped(final String mouse, final String reason) {
			this.mouse = mouse;
			this.reason = reason;
		}

		@Override
		public String toString() {
			return mouse + ": " + reason;
		}
	}

	/** What a run wrote. */
	public static final class Report {
		public final SliceDataset dataset;
		public final IntensityWindow window;
		public final Map<String, VoiGeometry> geometry;
		public final List<Skipped> skipped;
		public final List<String> warnings;

		Report(final SliceDataset dataset, final IntensityWindow window, final Map<String, VoiGeometry> geometry,
			final List<Skipped> skipped, final List<String> warnings)
		{
			this.dataset = dataset;
			this.window = window;
			this.geometry = Collections.unmodifiableMap(geometry);
			this.skipped = Collections.unmodifiableList(skipped);
			this.warnings = Collections.unmodifiableList(warnings);
		}
	}

	/** Builds the data set in a new folder {@code out} (see {@link #run(Cohort, SliceOptions, Path, boolean, Progress, Cancellation)}). */
	public static Report run(final Cohort cohort, final SliceOptions o, final Path out, final Progress progress,
		final Cancellation cancel) throws IOException
	{
		return run(cohort, o, out, false, progress, cancel);
	}

	/**
	 * Builds the data set. The output folder appears whole or not at all
	 * ({@link Output}); it may not hold or lie inside the cohort's scans.
	 *
	 * @param overwrite whether an existing output folder may be replaced (as a whole)
	 */
	public static Report run(final Cohort cohort, final SliceOptions o, final Path out, final boolean overwrite,
		final Progress progress, final Cancellation cancel) throws IOException
	{
		o.validate();
		final List<Path> inputs = new ArrayList<>();
		for (final Cohort.Scan s : cohort.scans())
			inputs.add(s.image);
		inputs.add(cohort.root().resolve("cohort.csv"));
		try (Output output = Output.folder(out, overwrite, inputs)) {
			final Report r = write(cohort, o, output.dir(), progress, cancel);
			output.commit();
			return new Report(SliceDataset.open(output.target()), r.window, r.geometry, r.skipped, r.warnings);
		}
	}

	/**
	 * The weeks of a mouse whose registration was flagged unreliable, read from
	 * the {@code <scan>.transform.json} files that {@code register} writes beside
	 * its scans (none for a cohort that was not registered by OsteoCast).
	 */
	static List<String> unreliableWeeks(final Path[] weeks) throws VolumeIOException {
		final List<String> bad = new ArrayList<>();
		for (int k = 0; k < weeks.length; k++) {
			final Path t = transformFile(weeks[k]);
			if (t == null || !Files.isRegularFile(t)) continue;
			final Map<String, com.google.gson.JsonElement> x = TransformFile.read(t).extra();
			final com.google.gson.JsonElement ok = x.get("reliable");
			if (ok != null && ok.isJsonPrimitive() && !ok.getAsBoolean()) {
				final com.google.gson.JsonElement why = x.get("reason");
				bad.add("week " + (k + 1) + (why != null && why.isJsonPrimitive() && !why.getAsString().isEmpty() ? " (" + why
					.getAsString() + ")" : ""));
			}
		}
		return bad;
	}

	/** {@code week2.tif} → {@code week2.transform.json} beside it. */
	static Path transformFile(final Path scan) {
		final String n = scan.getFileName().toString();
		final int dot = n.indexOf('.');
		return scan.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".transform.json");
	}

	/**
	 * Which mice a run uses, and how: the first part of {@link #run}, for
	 * engines that cut mice apart (the Spark module). Mice with too few weeks
	 * or unreliable registrations are skipped; the others are split by mouse.
	 */
	public static final class Plan {
		/** The mice used, in the cohort's order. */
		public final List<String> eligible = new ArrayList<>();
		/** Weeks 1..n of each mouse used. */
		public final Map<String, Path[]> files = new LinkedHashMap<>();
		public final List<Skipped> skipped = new ArrayList<>();
		/** A warning per mouse known before cutting (an unreliable registration used anyway). */
		public final Map<String, String> early = new HashMap<>();
		public final Map<String, String> groups = new HashMap<>();
		public Map<String, Split> split;
	}

	/** One mouse's VOI before the intensity window: the hyperstack of grey values, its geometry and warnings. */
	public static final class Cut implements java.io.Serializable {
		private static final long serialVersionUID = 1L;
		public final Hyperstack raw;
		public final VoiGeometry geometry;
		public final List<String> warnings;

		public Cut(final Hyperstack raw, final VoiGeometry geometry, final List<String> warnings) {
			this.raw = raw;
			this.geometry = geometry;
			this.warnings = warnings;
		}
	}

	/** The mice of {@code cohort} that a run with options {@code o} uses, their weeks and splits. */
	public static Plan plan(final Cohort cohort, final SliceOptions o) throws IOException {
		final Plan plan = new Plan();
		for (final String m : cohort.mice()) {
			final Map<Integer, Path> byWeek = new HashMap<>();
			for (final Cohort.Scan s : cohort.scans(m))
				byWeek.put(s.week, s.image);
			final List<Integer> missing = new ArrayList<>();
			final Path[] p = new Path[o.weeks];
			for (int k = 1; k <= o.weeks; k++) {
				p[k - 1] = byWeek.get(k);
				if (p[k - 1] == null) missing.add(k);
			}
			if (!missing.isEmpty()) {
				final int have = (int) byWeek.keySet().stream().filter(k -> k >= 1).count();
				plan.skipped.add(new Skipped(m, have < o.weeks ? "has " + have + " week(s) of 1.." + o.weeks +
					", missing week(s) " + missing : "missing week(s) " + missing));
				continue;
			}
			final List<String> unreliable = unreliableWeeks(p);
			if (!unreliable.isEmpty()) {
				if (!o.includeUnreliable) {
					plan.skipped.add(new Skipped(m, "registration flagged unreliable: " + String.join(", ", unreliable) +
						" (check the QC pictures; --include-unreliable uses it anyway)"));
					continue;
				}
				plan.early.put(m, "registration flagged unreliable but used (--include-unreliable): " + String.join(", ",
					unreliable));
			}
			plan.eligible.add(m);
			plan.files.put(m, p);
		}
		if (plan.eligible.isEmpty()) throw new IllegalArgumentException("no mouse has all weeks 1.." + o.weeks + " (" +
			plan.skipped.size() + " skipped: " + plan.skipped + ")");
		for (final String m : plan.eligible)
			plan.groups.put(m, cohort.group(m));
		plan.split = DatasetSplit.assign(plan.eligible, plan.groups, o.trainFraction, o.valFraction, o.seed);
		return plan;
	}

	/** Cuts one mouse's VOI from its weeks (no intensity window yet). */
	public static Cut cut(final Plan plan, final String m, final SliceOptions o, final Progress progress,
		final Cancellation cancel) throws IOException
	{
		final Path[] p = plan.files.get(m);
		final List<String> mw = new ArrayList<>();
		if (plan.early.containsKey(m)) mw.add(m + ": " + plan.early.get(m));
		Hyperstack h = null;
		VoiGeometry g = null;
		VoiFrame frame = null;
		for (int t = 0; t < o.weeks; t++) {
			cancel.check();
			progress.status("slice " + m + " week " + (t + 1));
			final Volume<?> v = readVolume(p[t]);
			if (t == 0) {
				// several bones or a tilted tibia: the bone and the frame the VOI is found in
				frame = VoiFrame.find(v, o, m, mw);
				g = SliceExtractor.geometry(frame.analysis(v), o, m, mw, frame.isIdentity() ? null : frame.threshold());
				if (!frame.isIdentity()) g = g.withFrame(frame.toMap());
				h = new Hyperstack(o.size, o.size, o.slices, o.weeks, g.outputVoxelUm(), m);
			}
			else if (!java.util.Arrays.equals(frame.sourceDims(), v.dimensions())) throw new VolumeIOException(p[t],
				"mouse " + m + " week " + (t + 1) + " is " + java.util.Arrays.toString(v.dimensions()) +
					" voxels but week 1 is " + java.util.Arrays.toString(frame.sourceDims()) +
					"; register all weeks onto week 1's grid first");
			SliceExtractor.extractFrame(frame.apply(v), g, h, t);
			progress.progress(t + 1, o.weeks);
		}
		return new Cut(h, g, mw);
	}

	private static Report write(final Cohort cohort, final SliceOptions o, final Path outAbs, final Progress progress,
		final Cancellation cancel) throws IOException
	{
		final Plan plan = plan(cohort, o);
		final Map<String, Cut> cuts = new LinkedHashMap<>();
		final long total = (long) plan.eligible.size() * o.weeks;
		long done = 0;
		for (final String m : plan.eligible) {
			final long before = done;
			cuts.put(m, cut(plan, m, o, new Progress() {
				@Override
				public void status(final String message) {
					progress.status(message);
				}

				@Override
				public void progress(final long d, final long t) {
					progress.progress(before + d, total);
				}
			}, cancel));
			done += o.weeks;
		}
		return finish(cohort, o, plan, cuts, outAbs, progress, cancel);
	}

	/**
	 * The cohort-wide end of {@link #run}: the intensity window from the
	 * training mice' cuts, then every mouse's normalised hyperstack,
	 * {@code cohort.csv} and {@code slices.json}, written into {@code outAbs}.
	 * The cuts are normalised in place.
	 *
	 * @param cuts the cut of every mouse of {@code plan.eligible} (a mouse whose cut failed is left out of the
	 *          plan by the caller)
	 */
	public static Report finish(final Cohort cohort, final SliceOptions o, final Plan plan, final Map<String, Cut> cuts,
		final Path outAbs, final Progress progress, final Cancellation cancel) throws IOException
	{
		final List<String> eligible = plan.eligible;
		final Map<String, Split> split = plan.split;
		final Map<String, String> groups = plan.groups;
		final List<Skipped> skipped = plan.skipped;
		final Map<String, Hyperstack> raw = new LinkedHashMap<>();
		final Map<String, VoiGeometry> geometry = new LinkedHashMap<>();
		final Map<String, List<String>> mouseWarnings = new LinkedHashMap<>();
		final List<String> warnings = new ArrayList<>();
		for (final String m : eligible) {
			final Cut c = cuts.get(m);
			raw.put(m, c.raw);
			geometry.put(m, c.geometry);
			mouseWarnings.put(m, c.warnings);
			warnings.addAll(c.warnings);
		}
		final IntensityWindow window;
		if (o.window != null) window = new IntensityWindow(o.window[0], o.window[1], "fixed (--window)");
		else {
			final List<Hyperstack> train = new ArrayList<>();
			for (final String m : eligible)
				if (split.get(m) == Split.TRAIN) train.add(raw.get(m));
			final boolean noTrain = train.isEmpty();
			if (noTrain) {
				warnings.add("no training mice: the intensity window comes from all mice");
				train.addAll(raw.values());
			}
			final IntensityWindow pw = IntensityWindow.fromPercentiles(train, o.percentileLo, o.percentileHi);
			window = new IntensityWindow(pw.lo(), pw.hi(), pw.source() + (noTrain ? " of all mice" :
				" of the training mice"));
		}
		final List<SliceDataset.Entry> entries = new ArrayList<>();
		for (final String m : eligible) {
			cancel.check();
			final Hyperstack h = raw.get(m);
			window.normaliseInPlace(h);
			final Path f = outAbs.resolve(safeName(m) + ".tif");
			progress.status("write " + f.getFileName());
			h.write(f);
			entries.add(new SliceDataset.Entry(m, f, groups.get(m), split.get(m)));
		}
		final SliceDataset ds = new SliceDataset(outAbs, entries);
		ds.writeManifest();
		writeRecord(outAbs.resolve(RECORD), cohort, o, window, eligible, split, groups, geometry, mouseWarnings, skipped);
		return new Report(ds, window, geometry, skipped, warnings);
	}

	private static void writeRecord(final Path file, final Cohort cohort, final SliceOptions o,
		final IntensityWindow window, final List<String> mice, final Map<String, Split> split,
		final Map<String, String> groups, final Map<String, VoiGeometry> geometry,
		final Map<String, List<String>> warnings, final List<Skipped> skipped) throws IOException
	{
		final Map<String, Object> r = new LinkedHashMap<>();
		r.put("format", "osteocast-slices");
		r.put("format_version", 1);
		r.put("software", "OsteoCast " + OsteoCast.VERSION);
		r.put("cohort", cohort.root().toString());
		final Map<String, Object> w = new LinkedHashMap<>();
		w.put("lo", window.lo());
		w.put("hi", window.hi());
		w.put("source", window.source());
		w.put("mapping", "value = clip((grey - lo) / (hi - lo), 0, 1); grey = lo + value * (hi - lo)");
		r.put("window", w);
		final Map<String, Object> opt = new LinkedHashMap<>();
		opt.put("slices", o.slices);
		opt.put("size", o.size);
		opt.put("voi_mm", o.voiMm);
		if (o.voiSlices != null) opt.put("voi_slices", o.voiSlices);
		opt.put("anchor", o.anchor.label());
		if (o.component != null) opt.put("component", o.component);
		opt.put("reslice_above_deg", o.resliceAboveDeg);
		opt.put("voi_start", o.voiStart == null ? "auto" : o.voiStart);
		opt.put("offset_mm", o.offsetMm);
		opt.put("proximal", o.proximal.name().toLowerCase(Locale.ROOT));
		opt.put("crop_mm", o.cropMm == null ? "auto" : o.cropMm);
		opt.put("crop_margin", o.cropMargin);
		opt.put("weeks", o.weeks);
		opt.put("split", o.trainFraction);
		opt.put("val_fraction", o.valFraction);
		opt.put("seed", o.seed);
		opt.put("include_unreliable", o.includeUnreliable);
		r.put("options", opt);
		final List<Object> ms = new ArrayList<>();
		for (final String m : mice) {
			final Map<String, Object> e = new LinkedHashMap<>();
			e.put("mouse", m);
			if (groups.get(m) != null) e.put("group", groups.get(m));
			e.put("split", split.get(m).label());
			e.put("image", safeName(m) + ".tif");
			final List<Integer> wk = new ArrayList<>();
			for (int k = 1; k <= o.weeks; k++)
				wk.add(k);
			e.put("weeks", wk);
			e.put("geometry", geometry.get(m).toMap());
			if (!warnings.get(m).isEmpty()) e.put("warnings", warnings.get(m));
			ms.add(e);
		}
		r.put("mice", ms);
		final List<Object> sk = new ArrayList<>();
		for (final Skipped s : skipped) {
			final Map<String, Object> e = new LinkedHashMap<>();
			e.put("mouse", s.mouse);
			e.put("reason", s.reason);
			sk.add(e);
		}
		r.put("skipped", sk);
		final String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(r);
		org.osteocast.io.util.AtomicFiles.writeString(file, json + "\n");
	}

	/** A file name for a mouse (characters outside [A-Za-z0-9._-] become '_'). */
	static String safeName(final String mouse) {
		return mouse.replaceAll("[^A-Za-z0-9._-]", "_");
	}

	/** Opens one scan in any format {@code io.VolumeIO} knows (TIFF, NIfTI, SkyScan folders); plane by plane when large. */
	static Volume<?> readVolume(final Path file) throws VolumeIOException {
		return VolumeIO.open(file);
	}
}
