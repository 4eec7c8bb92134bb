package org.osteocast.register.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ij.io.FileInfo;

import org.osteocast.OsteoCast;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.formats.LazyVolume;
import org.osteocast.io.formats.SkyScanWriter;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.register.RigidTransforms;

/**
 * The scale benchmark behind {@code osteocast bench scale}: wall time and peak
 * resident memory of {@code osteocast register} and {@code osteocast slice},
 * each run as its own Java process with a fixed heap, on synthetic 16-bit
 * pairs from about 10⁷ to 10⁹ voxels with a known transform, and of elastix on
 * the same pairs with the same fixed mask.
 * <p>
 * Pairs are rendered plane by plane ({@link SyntheticBone#streamed}) into
 * TIFF stacks, NRecon folders (one 16-bit TIFF slice per plane, the
 * reconstruction log and its scout image) or NIfTI files ({@link Options#format}),
 * so the benchmark itself never holds a scan. elastix reads the
 * very same TIFF files through MetaImage headers that point at their pixel
 * data (ImageJ writes a stack's planes contiguously), and a fixed mask written
 * as the registration builds its own: voxels above the midpoint between the
 * background and bone grey values, dilated by 2 voxels. Peak memory is the
 * kernel's high-water mark of the process's resident set ({@code VmHWM}),
 * polled every 100 ms. The machine's load average is recorded before and after
 * every run, since timings on a shared machine depend on it.
 * <p>
 * elastix runs on the TIFF pairs only.
 * <p>
 * Raw output, in the results folder: {@code results.csv} (one line per run),
 * {@code environment.txt} (date, CPU, memory, versions, load) and each run's
 * console output under {@code logs/}.
 */
public final class ScaleBenchmark {

	private ScaleBenchmark() {}

	/** A pair size: a label and the dimensions of both scans. */
	public static final class Size {
		public final String label;
		public final int nx, ny, nz;

		public Size(final String label, final int nx, final int ny, final int nz) {
			this.label = label;
			this.nx = nx;
			this.ny = ny;
			this.nz = nz;
		}

		public long voxels() {
			return (long) nx * ny * nz;
		}
	}

	/** The named sizes: those of the request's measurements, and BoneMet's registered scans (0.42G). */
	public static final Map<String, int[]> NAMED = new LinkedHashMap<>();
	static {
		NAMED.put("10M", new int[] { 256, 256, 160 });
		NAMED.put("58M", new int[] { 448, 448, 288 });
		NAMED.put("195M", new int[] { 672, 672, 432 });
		NAMED.put("0.42G", new int[] { 509, 539, 1538 });
		NAMED.put("1.1G", new int[] { 1196, 1196, 769 });
	}

	/** A size from a name in {@link #NAMED} or {@code NXxNYxNZ}. */
	public static Size size(final String s) {
		final int[] d = NAMED.get(s);
		if (d != null) return new Size(s, d[0], d[1], d[2]);
		final String[] p = s.toLowerCase(Locale.ROOT).split("x");
		if (p.length != 3) throw new IllegalArgumentException("size '" + s + "': one of " + NAMED.keySet() +
			" or NXxNYxNZ");
		try {
			return new Size(s, Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("size '" + s + "': one of " + NAMED.keySet() + " or NXxNYxNZ");
		}
	}

	/** Settings of a benchmark run. */
	public static final class Options {
		/** Folder for the pairs and the tools' outputs (large: two scans of the biggest size and more). */
		public Path work;
		/** Results folder (created). */
		public Path out;
		/** Java heap of the OsteoCast processes. */
		public String xmx = "4g";
		public int threads = 2;
		/** Repetitions per size, and for sizes of at least {@link #bigVoxels}. */
		public int runs = 3, bigRuns = 1;
		/** elastix runs per size (at most the runs of OsteoCast). */
		public int elastixRuns = 1;
		public long bigVoxels = 400_000_000L;
		/** elastix executable (null: OsteoCast alone). */
		public Path elastix;
		/**
		 * elastix parameter files, each a configuration run on every size and
		 * labelled {@code elastix:<file name without .txt>} in the results.
		 */
		public List<Path> elastixParams = new ArrayList<>();
		/** Intensity drift of the second week ({@link SyntheticBone.Spec#intensityDrift}). */
		public double drift;
		/** Also time {@code osteocast slice} (default); false: registration only. */
		public boolean slice = true;
		/** Run elastix only when its estimated memory is below this fraction of the available memory. */
		public double elastixMemoryFraction = 0.6;
		/** Keep each size's scans and outputs (default: removed once the size is done). */
		public boolean keep;
		/** Seed of the phantoms and motions. */
		public long seed = 11;
		/** Format of the pairs: one of {@link ScaleBenchmark#FORMATS}. */
		public String format = "tiff";
	}

	/** The formats a pair can be written in: TIFF stack, NRecon folder of slices with its log, NIfTI. */
	public static final List<String> FORMATS = List.of("tiff", "nrecon", "nifti");

	/** Checks a format name; returns it in lower case. */
	public static String format(final String f) {
		final String l = f.toLowerCase(Locale.ROOT);
		if (!FORMATS.contains(l)) throw new IllegalArgumentException("format '" + f + "': one of " + FORMATS);
		return l;
	}

	/** The scan of week k in a pair's mouse folder, in the given format. */
	static Path scan(final Path m1, final int week, final String format) {
		switch (format) {
			case "nrecon":
				return m1.resolve("week" + week);
			case "nifti":
				return m1.resolve("week" + week + ".nii");
			default:
				return m1.resolve("week" + week + ".tif");
		}
	}

	/** A size's folder and log label: the size, with the format unless TIFF. */
	static String label(final Size s, final Options o) {
		return "tiff".equals(o.format) ? s.label : s.label + "_" + o.format;
	}

	/** Heap bytes per voxel elastix needs (two 16-bit inputs, two float copies with a recursive pyramid, the mask). */
	static final double ELASTIX_BYTES_PER_VOXEL = 2 * 2 + 2 * 4 * 1.15 + 1;

	/** Runs every size and writes the raw output; returns the results file. */
	public static Path run(final List<Size> sizes, final Options o, final PrintWriter log) throws IOException,
		InterruptedException
	{
		Files.createDirectories(o.out.resolve("logs"));
		Files.createDirectories(o.work);
		AtomicFiles.writeString(o.out.resolve("environment.txt"), environment(o));
		final Path csv = o.out.resolve("results.csv");
		final StringBuilder rows = new StringBuilder(
			"size,nx,ny,nz,voxels,tool,step,run,wall_s,peak_rss_mb,error_vox,heap,threads,load1_before,load1_after,status,format\n");
		AtomicFiles.writeString(csv, rows.toString());
		for (final Size s : sizes) {
			final Path dir = o.work.resolve(label(s, o));
			log.printf(Locale.ROOT, "%s: %d x %d x %d = %.3g voxels, %s%n", s.label, s.nx, s.ny, s.nz, (double) s.voxels(),
				o.format);
			log.flush();
			final double[][] truth = generate(s, dir, o, log);
			final int runs = s.voxels() >= o.bigVoxels ? o.bigRuns : o.runs;
			for (int r = 1; r <= runs; r++) {
				rows.append(register(s, dir, truth, r, o, log));
				AtomicFiles.writeString(csv, rows.toString());
				if (o.slice) {
					rows.append(slice(s, dir, r, o, log));
					AtomicFiles.writeString(csv, rows.toString());
				}
				if (o.elastix != null && r <= o.elastixRuns) for (final Path params : o.elastixParams) {
					rows.append(elastix(s, dir, truth, r, params, o, log));
					AtomicFiles.writeString(csv, rows.toString());
				}
			}
			if (!o.keep) delete(dir);
		}
		final String end = "load at the end: " + loadAverage() + "\n";
		Files.writeString(o.out.resolve("environment.txt"), end, StandardCharsets.UTF_8,
			java.nio.file.StandardOpenOption.APPEND);
		return csv;
	}

	/** Writes the pair (a one-mouse cohort in the options' format) unless present; returns the true transform. */
	static double[][] generate(final Size s, final Path dir, final Options o, final PrintWriter log)
		throws IOException
	{
		final Path m1 = dir.resolve("cohort").resolve("m1");
		final Path truthFile = dir.resolve("truth.transform.json");
		final SyntheticBone.Spec spec = new SyntheticBone.Spec();
		spec.nx = s.nx;
		spec.ny = s.ny;
		spec.nz = s.nz;
		spec.lesionRadiusVoxels = 0.05 * Math.min(s.nx, s.ny);
		spec.intensityDrift = o.drift;
		final SyntheticBone.StreamedPair p = SyntheticBone.streamed(spec, o.seed, o.threads);
		if (!Files.isRegularFile(truthFile)) {
			Files.createDirectories(m1);
			final long t0 = System.nanoTime();
			write(p.fixed, m1, 1, o.format);
			write(p.moving, m1, 2, o.format);
			TransformFile.fromVoxelMatrix(p.movingToFixedVoxel, p.moving.voxelSizeUm(), p.fixed.voxelSizeUm(), Double.NaN)
				.with("ground_truth", true).write(truthFile);
			log.printf(Locale.ROOT, "  pair written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
			log.flush();
		}
		return TransformFile.read(truthFile).movingToFixedVoxel();
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void write(final Volume v, final Path m1, final int week, final String format) throws IOException {
		if ("nrecon".equals(format)) SkyScanWriter.write(v, scan(m1, week, format), "m1_week" + week,
			new SkyScanWriter.Metadata());
		else VolumeIO.write(v, scan(m1, week, format));
	}

	private static String register(final Size s, final Path dir, final double[][] truth, final int run,
		final Options o, final PrintWriter log) throws IOException, InterruptedException
	{
		final Path out = dir.resolve("registered");
		final List<String> cmd = osteocast(o, "register", "--cohort", dir.resolve("cohort").toString(), "--out", out
			.toString(), "--threads", Integer.toString(o.threads), "--overwrite");
		final Measured m = exec(cmd, o.out.resolve("logs").resolve(label(s, o) + "_register_" + run + ".txt"));
		double err = Double.NaN;
		if (m.exit == 0) err = boneDisplacement(scan(dir.resolve("cohort").resolve("m1"), 1, o.format), TransformFile
			.read(out.resolve("m1").resolve("week2.transform.json")).movingToFixedVoxel(), truth);
		return row(s, "osteocast", "register", run, m, err, o.xmx, o, log);
	}

	private static String slice(final Size s, final Path dir, final int run, final Options o, final PrintWriter log)
		throws IOException, InterruptedException
	{
		final Path registered = dir.resolve("registered").resolve("cohort.csv");
		if (!Files.isRegularFile(registered)) return "";
		final List<String> cmd = osteocast(o, "slice", "--cohort", registered.toString(), "--out", dir.resolve("sliced")
			.toString(), "--weeks", "2", "--voi-start", Integer.toString(s.nz / 2), "--voi-mm", String.format(Locale.ROOT,
				"%.4f", s.nz / 4 * 10 / 1000.0), "--proximal", "top", "--overwrite");
		final Measured m = exec(cmd, o.out.resolve("logs").resolve(label(s, o) + "_slice_" + run + ".txt"));
		return row(s, "osteocast", "slice", run, m, Double.NaN, o.xmx, o, log);
	}

	/** The label of an elastix configuration: its parameter file's name without {@code .txt}. */
	public static String configName(final Path params) {
		return params.getFileName().toString().replaceFirst("\\.txt$", "");
	}

	private static String elastix(final Size s, final Path dir, final double[][] truth, final int run,
		final Path params, final Options o, final PrintWriter log) throws IOException, InterruptedException
	{
		final String tool = "elastix:" + configName(params);
		if (!"tiff".equals(o.format)) {
			final String why = "skipped: elastix runs on the TIFF pairs";
			log.println("  " + tool + " " + why);
			return row(s, tool, "register", run, new Measured(-1, Double.NaN, Double.NaN, loadAverage(),
				loadAverage()), Double.NaN, "", o, log, why);
		}
		final double need = ELASTIX_BYTES_PER_VOXEL * s.voxels();
		final double avail = memAvailable();
		if (need > o.elastixMemoryFraction * avail) {
			final String why = String.format(Locale.ROOT, "skipped: needs about %.1f GB and %.1f GB are available", need /
				1e9, avail / 1e9);
			log.println("  " + tool + " " + why);
			return row(s, tool, "register", run, new Measured(-1, Double.NaN, Double.NaN, loadAverage(),
				loadAverage()), Double.NaN, "", o, log, why);
		}
		final Path e = dir.resolve("elastix");
		Files.createDirectories(e);
		final Path m1 = dir.resolve("cohort").resolve("m1");
		final Path f = e.resolve("fixed.mhd"), mv = e.resolve("moving.mhd"), mask = e.resolve("mask.mhd");
		if (!Files.isRegularFile(mask)) {
			metaHeader(m1.resolve("week1.tif"), f);
			metaHeader(m1.resolve("week2.tif"), mv);
			writeMask(LazyVolume.open(m1.resolve("week1.tif"), Double.NaN), threshold(), 2, mask);
		}
		final Path res = e.resolve(configName(params) + "-run" + run);
		delete(res);
		Files.createDirectories(res);
		final List<String> cmd = List.of(o.elastix.toString(), "-f", f.toString(), "-m", mv.toString(), "-fMask", mask
			.toString(), "-p", params.toString(), "-out", res.toString(), "-threads", Integer.toString(
				o.threads));
		final Measured m = exec(cmd, o.out.resolve("logs").resolve(label(s, o) + "_elastix-" + configName(params) + "_" +
			run + ".txt"));
		double err = Double.NaN;
		if (m.exit == 0) {
			final Volume<?> fixed = LazyVolume.open(m1.resolve("week1.tif"), Double.NaN);
			err = boneDisplacement(m1.resolve("week1.tif"), RegistrationBenchmark.readElastixEuler(res.resolve(
				"TransformParameters.0.txt"), fixed.voxelSizeUm(), fixed.voxelSizeUm()), truth);
		}
		final Path tp = res.resolve("TransformParameters.0.txt");
		if (Files.isRegularFile(tp)) Files.copy(tp, o.out.resolve("logs").resolve(label(s, o) + "_elastix-" + configName(
			params) + "_" + run + ".TransformParameters.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		if (!o.keep) delete(res);
		return row(s, tool, "register", run, m, err, "", o, log);
	}

	private static String row(final Size s, final String tool, final String step, final int run, final Measured m,
		final double err, final String heap, final Options o, final PrintWriter log)
	{
		return row(s, tool, step, run, m, err, heap, o, log, m.exit == 0 ? "ok" : "failed (exit " + m.exit + ")");
	}

	private static String row(final Size s, final String tool, final String step, final int run, final Measured m,
		final double err, final String heap, final Options o, final PrintWriter log, final String status)
	{
		log.printf(Locale.ROOT, "  %-9s %-8s run %d: %8.1f s, peak %7.0f MB, error %.4f vox, load %.2f -> %.2f, %s%n",
			tool, step, run, m.wallS, m.peakMb, err, m.loadBefore, m.loadAfter, status);
		log.flush();
		return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%s,%s,%d,%.2f,%.0f,%.4f,%s,%d,%.2f,%.2f,%s,%s%n", s.label, s.nx,
			s.ny, s.nz, s.voxels(), tool, step, run, m.wallS, m.peakMb, err, heap, o.threads, m.loadBefore, m.loadAfter,
			status.replace(',', ';'), o.format);
	}

	/** The java command that runs an OsteoCast verb in its own process with the benchmark's heap. */
	static List<String> osteocast(final Options o, final String... args) {
		final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xmx" + o.xmx, "-Djava.awt.headless=true", "-Dosteocast.threads=" + o.threads, "-cp", System
				.getProperty("java.class.path"), "org.osteocast.cli.Main"));
		cmd.addAll(List.of(args));
		return cmd;
	}

	/** A finished process: exit code, wall time, peak resident set, load average before and after. */
	static final class Measured {
		final int exit;
		final double wallS, peakMb, loadBefore, loadAfter;

		Measured(final int exit, final double wallS, final double peakMb, final double loadBefore,
			final double loadAfter)
		{
			this.exit = exit;
			this.wallS = wallS;
			this.peakMb = peakMb;
			this.loadBefore = loadBefore;
			this.loadAfter = loadAfter;
		}
	}

	/** Runs a command, its output into {@code logFile}, polling its peak resident memory. */
	static Measured exec(final List<String> cmd, final Path logFile) throws IOException, InterruptedException {
		final double before = loadAverage();
		final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
		final long t0 = System.nanoTime();
		final Process p = pb.start();
		final Path status = Path.of("/proc", Long.toString(p.pid()), "status");
		double peakKb = 0;
		while (!p.waitFor(100, TimeUnit.MILLISECONDS))
			peakKb = Math.max(peakKb, highWaterKb(status));
		final double wall = (System.nanoTime() - t0) / 1e9;
		return new Measured(p.exitValue(), wall, peakKb / 1024, before, loadAverage());
	}

	private static double highWaterKb(final Path status) {
		try {
			for (final String l : Files.readAllLines(status))
				if (l.startsWith("VmHWM:")) return Double.parseDouble(l.replaceAll("[^0-9]", ""));
		}
		catch (final IOException | RuntimeException e) {
			// the process has just ended
		}
		return 0;
	}

	/** The 1-minute load average, NaN where {@code /proc/loadavg} is absent. */
	static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
		}
		catch (final IOException | RuntimeException e) {
			return Double.NaN;
		}
	}

	private static double memAvailable() {
		try {
			for (final String l : Files.readAllLines(Path.of("/proc/meminfo")))
				if (l.startsWith("MemAvailable:")) return 1024 * Double.parseDouble(l.replaceAll("[^0-9]", ""));
		}
		catch (final IOException | RuntimeException e) {
			// not Linux
		}
		return Runtime.getRuntime().maxMemory();
	}

	/** Bone of a streamed pair: above the midpoint between background and bone grey. */
	static double threshold() {
		return SyntheticBone.STREAMED_OFFSET + (SyntheticBone.BACKGROUND + SyntheticBone.BONE) / 2.0;
	}

	/**
	 * Mean over the fixed scan's bone voxels x (on up to 64 evenly spaced
	 * planes) of {@code |est(truth⁻¹(x)) − x|}, in voxels: the measure of
	 * {@code RegistrationAccuracy}, read plane by plane.
	 */
	static double boneDisplacement(final Path fixedFile, final double[][] est, final double[][] truth)
		throws IOException
	{
		final Volume<?> f = LazyVolume.open(fixedFile, Double.NaN, 2);
		final int nx = Math.toIntExact(f.width()), ny = Math.toIntExact(f.height()), nz = Math.toIntExact(f.depth());
		final double[][] d = RigidTransforms.multiply(est, RigidTransforms.invert(truth));
		final double thr = threshold();
		final int step = Math.max(1, nz / 64);
		double sum = 0;
		long n = 0;
		for (int z = 0; z < nz; z += step) {
			final short[] a = (short[]) LazyVolume.plane(f, z);
			for (int y = 0, i = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					if ((a[i] & 0xffff) <= thr) continue;
					final double[] q = RigidTransforms.apply(d, new double[] { x, y, z });
					sum += Math.sqrt((q[0] - x) * (q[0] - x) + (q[1] - y) * (q[1] - y) + (q[2] - z) * (q[2] - z));
					n++;
				}
		}
		return n == 0 ? Double.NaN : sum / n;
	}

	/** A MetaImage header that reads the pixel data of an uncompressed ImageJ TIFF stack in place. */
	static void metaHeader(final Path tiff, final Path mhd) throws IOException {
		final FileInfo[] info = TiffIO.info(tiff);
		final FileInfo fi = info[0];
		final long planeBytes = (long) fi.width * fi.height * fi.getBytesPerPixel();
		if (info.length > 1 || fi.gapBetweenImages > 0 || fi.compression > FileInfo.COMPRESSION_NONE)
			throw new IOException(tiff + ": not one contiguous block of planes");
		final Volume<?> v = LazyVolume.open(tiff, Double.NaN, 2);
		final String type = fi.getBytesPerPixel() == 1 ? "MET_UCHAR" : "MET_USHORT";
		AtomicFiles.writeString(mhd, String.format(Locale.ROOT,
			"ObjectType = Image%nNDims = 3%nBinaryData = True%nBinaryDataByteOrderMSB = %s%nCompressedData = False%n" +
				"TransformMatrix = 1 0 0 0 1 0 0 0 1%nOffset = 0 0 0%nCenterOfRotation = 0 0 0%n" +
				"ElementSpacing = %s %s %s%nDimSize = %d %d %d%nElementType = %s%nHeaderSize = %d%nElementDataFile = %s%n",
			fi.intelByteOrder ? "False" : "True", Double.toString(v.voxelSizeUm(0) / 1000), Double.toString(v
				.voxelSizeUm(1) / 1000), Double.toString(v.voxelSizeUm(2) / 1000), fi.width, fi.height, fi.nImages, type, fi
					.getOffset(), mhd.toAbsolutePath().getParent().relativize(tiff.toAbsolutePath()).toString()));
		if (planeBytes * fi.nImages + fi.getOffset() > Files.size(tiff)) throw new IOException(tiff + ": truncated");
	}

	/**
	 * The fixed mask for elastix, written plane by plane as MetaImage (uchar):
	 * voxels above {@code thr}, dilated by a cube of radius {@code r}.
	 */
	static void writeMask(final Volume<?> fixed, final double thr, final int r, final Path mhd) throws IOException {
		final int nx = Math.toIntExact(fixed.width()), ny = Math.toIntExact(fixed.height()), nz = Math.toIntExact(fixed
			.depth());
		final Path raw = mhd.resolveSibling(mhd.getFileName().toString().replaceFirst("\\.mhd$", "") + ".raw");
		final byte[][] ring = new byte[2 * r + 1][];
		AtomicFiles.writeStream(raw, os -> {
			final OutputStream out = new BufferedOutputStream(os, 1 << 20);
			for (int z = -r; z < nz + r; z++) {
				final int zin = z + r;
				ring[Math.floorMod(zin, ring.length)] = zin < nz ? dilate2d(threshold(fixed, zin, thr, nx * ny), nx, ny, r)
					: new byte[nx * ny];
				if (z < 0 || z >= nz) continue;
				final byte[] m = new byte[nx * ny];
				for (int k = -r; k <= r; k++) {
					if (z + k < 0 || z + k >= nz) continue;
					final byte[] b = ring[Math.floorMod(z + k, ring.length)];
					for (int i = 0; i < m.length; i++)
						m[i] |= b[i];
				}
				out.write(m);
			}
			out.flush();
		});
		AtomicFiles.writeString(mhd, String.format(Locale.ROOT,
			"ObjectType = Image%nNDims = 3%nBinaryData = True%nBinaryDataByteOrderMSB = False%nCompressedData = False%n" +
				"TransformMatrix = 1 0 0 0 1 0 0 0 1%nOffset = 0 0 0%nCenterOfRotation = 0 0 0%n" +
				"ElementSpacing = %s %s %s%nDimSize = %d %d %d%nElementType = MET_UCHAR%nElementDataFile = %s%n", Double
					.toString(fixed.voxelSizeUm(0) / 1000), Double.toString(fixed.voxelSizeUm(1) / 1000), Double.toString(fixed
						.voxelSizeUm(2) / 1000), nx, ny, nz, raw.getFileName()));
	}

	private static byte[] threshold(final Volume<?> v, final int z, final double thr, final int n) {
		final short[] a = (short[]) LazyVolume.plane(v, z);
		final byte[] m = new byte[n];
		for (int i = 0; i < n; i++)
			if ((a[i] & 0xffff) > thr) m[i] = 1;
		return m;
	}

	/** Square dilation of a 0/1 plane by radius r (separable: rows, then columns). */
	static byte[] dilate2d(final byte[] m, final int nx, final int ny, final int r) {
		final byte[] rows = new byte[m.length], out = new byte[m.length];
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				if (m[x + nx * y] == 0) continue;
				for (int k = Math.max(0, x - r); k <= Math.min(nx - 1, x + r); k++)
					rows[k + nx * y] = 1;
			}
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				if (rows[x + nx * y] == 0) continue;
				for (int k = Math.max(0, y - r); k <= Math.min(ny - 1, y + r); k++)
					out[x + nx * k] = 1;
			}
		return out;
	}

	/** Date, CPU, memory, versions and load: the context every number of the run depends on. */
	static String environment(final Options o) {
		final StringBuilder b = new StringBuilder();
		b.append("date: ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)).append('\n');
		b.append("cpu: ").append(cpuModel()).append(" (").append(Runtime.getRuntime().availableProcessors()).append(
			" cores visible)\n");
		b.append(String.format(Locale.ROOT, "memory available: %.1f GB%n", memAvailable() / 1e9));
		b.append("java: ").append(System.getProperty("java.version")).append(' ').append(System.getProperty(
			"java.vm.name")).append('\n');
		b.append("osteocast: ").append(OsteoCast.VERSION).append(", heap ").append(o.xmx).append(", threads ").append(
			o.threads).append(", pairs as ").append(o.format).append('\n');
		final List<String> configs = new ArrayList<>();
		for (final Path p : o.elastixParams)
			configs.add(p.getFileName().toString());
		b.append("elastix: ").append(o.elastix == null ? "not run" : elastixVersion(o.elastix) + " with " + String.join(
			", ", configs)).append('\n');
		b.append(String.format(Locale.ROOT, "pairs: lesion in week 2, new noise, intensity drift %.3f%n", o.drift));
		b.append(String.format(Locale.ROOT, "runs per size: %d (%d for sizes of %d voxels or more), elastix %d%n", o.runs,
			o.bigRuns, o.bigVoxels, o.elastixRuns));
		b.append("load at the start: ").append(loadAverage()).append('\n');
		return b.toString();
	}

	private static String cpuModel() {
		try {
			for (final String l : Files.readAllLines(Path.of("/proc/cpuinfo")))
				if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
		}
		catch (final IOException | RuntimeException e) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}

	private static String elastixVersion(final Path exe) {
		try {
			final Process p = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true).start();
			final String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			p.waitFor(30, TimeUnit.SECONDS);
			return s.replace('\n', ' ');
		}
		catch (final IOException | InterruptedException e) {
			return "unknown";
		}
	}

	private static void delete(final Path dir) throws IOException {
		if (!Files.exists(dir)) return;
		try (Stream<Path> s = Files.walk(dir)) {
			for (final Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator)
				Files.delete(p);
		}
	}
}
