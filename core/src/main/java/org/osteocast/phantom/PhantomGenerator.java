package org.osteocast.phantom;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.util.Fraction;

import org.osteocast.OsteoCast;
import org.osteocast.core.BadInputException;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Parallel;
import org.osteocast.core.Progress;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.contracts.Output;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.formats.SkyScanWriter;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.Volume;

/**
 * Writes a synthetic longitudinal micro-CT cohort with its ground truth into
 * a folder:
 * <pre>
 * out/phantom.json                    the parameters (to remake the cohort)
 * out/cohort.csv                      mouse,week,image,group (scanned weeks only)
 * out/&lt;mouse&gt;/week&lt;k&gt;.tif               16-bit scan (or week&lt;k&gt;/ SkyScan folder)
 * out/truth/summary.csv               mouse,group,week,scanned,lesion_volume_mm3,bone_volume_mm3
 * out/truth/&lt;mouse&gt;/anatomy.json       growth plate, tibia–fibula junction, bone axis, foci, poses
 * out/truth/&lt;mouse&gt;/week&lt;k&gt;.transform.json   true week k → week 1 (scanned weeks)
 * out/truth/&lt;mouse&gt;/week&lt;k&gt;_ideal.tif  noise-free volume in week 1's frame (every week)
 * out/truth/&lt;mouse&gt;/week&lt;k&gt;_lesion.tif 8-bit lesion label in week 1's frame (every week)
 * </pre>
 * Mice are made in parallel, one mouse per task, each from its own random
 * streams, so the bytes do not depend on the thread count; one mouse's
 * canonical fields are the only large arrays a task holds, so the cohort
 * size is limited by disk, not memory. A mouse whose fields would not fit
 * the heap (BoneMet-sized scans at 5 µm or finer) is rendered plane by plane
 * and its scans streamed to disk ({@link CanonicalPlanes}, the same values):
 * then the heap holds a window of planes, and a mouse whose window does not
 * fit is refused with the heap to set.
 */
public final class PhantomGenerator {

	/** Message when the output folder already exists and overwrite is off (tests assert on it). */
	public static final String EXISTS_MESSAGE = Output.EXISTS;

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

	private PhantomGenerator() {}

	/** One row of {@code truth/summary.csv}. */
	public record WeekSummary(String mouse, String group, int week, boolean scanned, double lesionVolumeMm3,
		double boneVolumeMm3)
	{}

	/** What was written. */
	public record Result(Path folder, int mice, int scans, List<WeekSummary> weeks) {}

	/**
	 * Generates the cohort.
	 *
	 * @param out the output folder (created if missing)
	 * @throws IOException when writing fails or {@code out} exists (not empty) and overwrite is off
	 * @throws Cancellation.CancelledException when cancelled between scans
	 */
	public static Result generate(final PhantomParameters p, final Path out, final Progress progress,
		final Cancellation cancel) throws IOException
	{
		// the output rule of every verb: refused when it exists (unless overwrite), replaced as a whole, whole or nothing
		try (Output o = Output.folder(out, p.overwrite(), List.of())) {
			final Result r = write(p, o.dir(), progress, cancel);
			o.commit();
			return new Result(out, r.mice(), r.scans(), r.weeks());
		}
	}

	private static Result write(final PhantomParameters p, final Path out, final Progress progress,
		final Cancellation cancel) throws IOException
	{
		final Path csv = out.resolve("cohort.csv");
		Files.createDirectories(out.resolve("truth"));
		final List<MouseModel> mice = MouseModel.cohort(p);
		final long total = (long) p.mice() * p.weeks();
		final AtomicLong done = new AtomicLong();
		progress.status("phantom: " + p.mice() + " mice x " + p.weeks() + " weeks");
		progress.progress(0, total);
		// mice in parallel; when there are fewer mice than threads, the spare threads work on slices
		final int outer = Math.min(p.effectiveThreads(), p.mice());
		final int inner = Math.max(1, p.effectiveThreads() / outer);
		final ExecutorService pool = Parallel.pool("phantom", outer);
		final List<Future<List<WeekSummary>>> futures = new ArrayList<>();
		// raised when one mouse fails, so the others stop at their next week instead of writing on
		final Cancellation failed = new Cancellation();
		try {
			for (final MouseModel m : mice)
				futures.add(pool.submit(() -> writeMouse(m, out, progress, cancel, failed, done, total, inner, outer)));
			final List<WeekSummary> rows = new ArrayList<>();
			for (final Future<List<WeekSummary>> f : futures)
				rows.addAll(get(f, failed));
			final StringBuilder cohort = new StringBuilder("mouse,week,image,group\n");
			final StringBuilder summary = new StringBuilder(
				"mouse,group,week,scanned,lesion_volume_mm3,bone_volume_mm3\n");
			int scans = 0;
			for (final WeekSummary r : rows) {
				if (r.scanned()) {
					scans++;
					cohort.append(r.mouse()).append(',').append(r.week()).append(',').append(imagePath(p, r.mouse(), r.week()))
						.append(',').append(r.group()).append('\n');
				}
				summary.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%.6f,%.6f\n", r.mouse(), r.group(), r.week(), r
					.scanned(), r.lesionVolumeMm3(), r.boneVolumeMm3()));
			}
			final JsonObject params = GSON.toJsonTree(p.asMap()).getAsJsonObject();
			params.addProperty("software", "OsteoCast " + OsteoCast.VERSION);
			AtomicFiles.writeString(out.resolve("phantom.json"), GSON.toJson(params) + "\n");
			AtomicFiles.writeString(out.resolve("truth").resolve("summary.csv"), summary.toString());
			PhantomRigidity.write(out, p, rows);
			AtomicFiles.writeString(csv, cohort.toString());
			progress.status("phantom: wrote " + scans + " scans of " + p.mice() + " mice");
			return new Result(out, p.mice(), scans, List.copyOf(rows));
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static <T> T get(final Future<T> f, final Cancellation failed) throws IOException {
		try {
			return f.get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			failed.cancel("interrupted");
			throw new Cancellation.CancelledException("interrupted");
		}
		catch (final ExecutionException e) {
			final Throwable c = e.getCause();
			failed.cancel("another mouse failed: " + c);
			if (c instanceof IOException) throw (IOException) c;
			if (c instanceof RuntimeException) throw (RuntimeException) c;
			if (c instanceof Error) throw (Error) c;
			throw new IOException(c);
		}
	}

	/** The {@code image} column: relative path of a scan. */
	static String imagePath(final PhantomParameters p, final String mouse, final int week) {
		return mouse + "/week" + week + (p.format() == PhantomParameters.Format.TIFF ? ".tif" : "");
	}

	private static List<WeekSummary> writeMouse(final MouseModel m, final Path out, final Progress progress,
		final Cancellation cancel, final Cancellation failed, final AtomicLong done, final long total, final int threads,
		final int concurrent) throws IOException
	{
		cancel.check();
		failed.check();
		final PhantomParameters p = m.p;
		final int weeks = p.weeks();
		// canonical grid: the bounding box of every week's field of view in the anatomy frame
		final double[] lo = { Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY };
		final double[] hi = { Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY };
		for (int k = 1; k <= weeks; k++) {
			final double[][] mk = m.scanToAnatomyVoxel(k);
			for (int c = 0; c < 8; c++) {
				final double[] a = Rigid.apply(mk, (c & 1) == 0 ? 0 : m.nx - 1, (c & 2) == 0 ? 0 : m.ny - 1, (c & 4) == 0 ? 0
					: m.nz - 1);
				for (int d = 0; d < 3; d++) {
					lo[d] = Math.min(lo[d], a[d]);
					hi[d] = Math.max(hi[d], a[d]);
				}
			}
		}
		final int pad = 2 + (int) Math.ceil(3 * p.psfSigmaVox());
		final int[] ilo = new int[3], ihi = new int[3];
		for (int d = 0; d < 3; d++) {
			ilo[d] = (int) Math.floor(lo[d]) - pad;
			ihi[d] = (int) Math.ceil(hi[d]) + pad;
		}
		final long canonical = (long) (ihi[0] - ilo[0] + 1) * (ihi[1] - ilo[1] + 1) * (ihi[2] - ilo[2] + 1);
		final boolean stream = StreamedScans.large(m, canonical, concurrent);
		if (stream) checkHeap(m, ilo, ihi, concurrent, threads);
		final AnatomyRenderer r = new AnatomyRenderer(m, ilo, ihi, stream);
		final double[][] toCanon = Rigid.translation(-ilo[0], -ilo[1], -ilo[2]);
		final double[][] week1ToCanon = Rigid.multiply(toCanon, m.scanToAnatomyVoxel(1));
		final double[][] canonToWeek1 = Rigid.invert(week1ToCanon);
		final Path mouseDir = out.resolve(m.name);
		final Path truthDir = out.resolve("truth").resolve(m.name);
		Files.createDirectories(truthDir);
		final double[] vox = { m.v, m.v, m.v };
		final double voxMm3 = Math.pow(m.v / 1000, 3);
		final List<WeekSummary> rows = new ArrayList<>();
		for (int k = 1; k <= weeks; k++) {
			cancel.check();
			failed.check();
			final double boneSum;
			final long lesionVoxels;
			if (stream) {
				lesionVoxels = streamWeek(p, m, k, r, toCanon, week1ToCanon, canonToWeek1, mouseDir, truthDir, threads);
				boneSum = r.boneVoxels;
			}
			else {
				// bone and lesion are measured before the blur (the PSF belongs to the scanner, not the anatomy)
				r.render(k, canonToWeek1, new int[] { m.nx, m.ny, m.nz }, threads);
				boneSum = r.boneVoxels;
				lesionVoxels = holdWeek(p, m, k, r, toCanon, week1ToCanon, mouseDir, truthDir, threads);
			}
			if (m.scanned(k)) {
				final TransformFile tf = TransformFile.fromVoxelMatrix(m.weekToWeek1Voxel(k), vox, vox, Double.NaN);
				tf.with("ground_truth", true).with("mouse", m.name).with("moving_week", k).with("fixed_week", 1).with(
					"rotation_deg_scan_to_anatomy", m.rotationDeg[k - 1]).with("shift_vox_scan_to_anatomy", m.shiftVox[k - 1]);
				tf.write(truthDir.resolve("week" + k + ".transform.json"));
			}
			rows.add(new WeekSummary(m.name, m.group.label(), k, m.scanned(k), lesionVoxels * voxMm3, boneSum * voxMm3));
			progress.progress(done.incrementAndGet(), total);
		}
		AtomicFiles.writeString(truthDir.resolve("anatomy.json"), GSON.toJson(anatomyJson(m)) + "\n");
		return rows;
	}

	/** Writes a week's scan, ideal image and lesion mask from whole arrays; returns the lesion voxels. */
	private static long holdWeek(final PhantomParameters p, final MouseModel m, final int k, final AnatomyRenderer r,
		final double[][] toCanon, final double[][] week1ToCanon, final Path mouseDir, final Path truthDir,
		final int threads) throws IOException
	{
		final float[] lesionW1 = r.anyLesion ? resample(r.lesion, week1ToCanon, m.nx, m.ny, m.nz, threads) : null;
		r.grey.gaussian(p.psfSigmaVox(), threads);
		if (m.scanned(k)) {
			final float[] scan = resample(r.grey, Rigid.multiply(toCanon, m.scanToAnatomyVoxel(k)), m.nx, m.ny, m.nz,
				threads);
			if (p.rings()) addRings(scan, m, k);
			if (p.noiseSd() > 0) addNoise(scan, m, k, threads);
			writeScan(p, m, k, scan, mouseDir);
		}
		final float[] ideal = resample(r.grey, week1ToCanon, m.nx, m.ny, m.nz, threads);
		writeTiff(shortVolume(ideal, m, m.name + "_week" + k + "_ideal"), truthDir.resolve("week" + k + "_ideal.tif"));
		long lesionVoxels = 0;
		final byte[][] planes = new byte[m.nz][m.nx * m.ny];
		if (lesionW1 != null) for (int z = 0, i = 0; z < m.nz; z++)
			for (int j = 0; j < m.nx * m.ny; j++, i++)
				if (lesionW1[i] >= 0.5f) {
					planes[z][j] = 1;
					lesionVoxels++;
				}
		writeTiff(byteVolume(planes, m, m.name + "_week" + k + "_lesion"), truthDir.resolve("week" + k +
			"_lesion.tif"));
		return lesionVoxels;
	}

	/**
	 * As {@link #holdWeek}, with the canonical fields rendered plane by plane
	 * and the scan, the ideal image and the lesion mask computed plane by plane
	 * while they are written (the same values), each from its own pass over
	 * the canonical planes: for mice too large to hold. Measures the bone
	 * volume into {@code r.boneVoxels} (as {@link AnatomyRenderer#render} does).
	 */
	private static long streamWeek(final PhantomParameters p, final MouseModel m, final int k,
		final AnatomyRenderer r, final double[][] toCanon, final double[][] week1ToCanon, final double[][] canonToWeek1,
		final Path mouseDir, final Path truthDir, final int threads) throws IOException
	{
		final int[] size = { m.nx, m.ny, m.nz };
		final AtomicLongArray counts = new AtomicLongArray(m.nz);
		// the lesion mask first: it samples the lesion field, before any blur; the same pass measures the bone
		final CanonicalPlanes fields = new CanonicalPlanes(r, k, canonToWeek1, size, 0, threads);
		writeTiff(StreamedScans.lesion(fields, week1ToCanon, m, m.name + "_week" + k + "_lesion", counts), truthDir
			.resolve("week" + k + "_lesion.tif"));
		fields.measure();
		if (m.scanned(k)) writeScan(p, m, k, StreamedScans.scan(new CanonicalPlanes(r, k, canonToWeek1, size, p
			.psfSigmaVox(), threads), Rigid.multiply(toCanon, m.scanToAnatomyVoxel(k)), m, k, m.name + "_week" + k),
			mouseDir);
		writeTiff(StreamedScans.ideal(new CanonicalPlanes(r, k, canonToWeek1, size, p.psfSigmaVox(), threads),
			week1ToCanon, m, m.name + "_week" + k + "_ideal"), truthDir.resolve("week" + k + "_ideal.tif"));
		long n = 0;
		for (int z = 0; z < m.nz; z++)
			n += counts.get(z);
		return n;
	}

	/**
	 * Refuses, with one line naming the scan size and the heap to set, a
	 * streamed mouse whose plane window (see {@link CanonicalPlanes#bytes})
	 * does not fit the heap with {@code concurrent} mice at a time.
	 */
	static void checkHeap(final MouseModel m, final int[] ilo, final int[] ihi, final int concurrent,
		final int threads) throws BadInputException
	{
		final int cx = ihi[0] - ilo[0] + 1, cy = ihi[1] - ilo[1] + 1;
		long worst = 0;
		for (int k = 1; k <= m.p.weeks(); k++)
			worst = Math.max(worst, CanonicalPlanes.bytes(cx, cy, Rigid.multiply(Rigid.translation(-ilo[0], -ilo[1],
				-ilo[2]), m.scanToAnatomyVoxel(k)), m.nx, m.ny, m.p.psfSigmaVox(), threads));
		final long need = worst * Math.max(1, concurrent);
		final long heap = Runtime.getRuntime().maxMemory();
		if (need > 0.8 * heap) throw new BadInputException(Path.of(m.name), String.format(Locale.ROOT,
			"phantom scans of %d x %d x %d voxels at %.1f um are streamed plane by plane and still need about %.0f MB of "
				+ "Java heap (%d mice at a time), %.0f MB are available: set a larger heap (OSTEOCAST_XMX=%dm) or use a "
				+ "coarser --voxel-um", m.nx, m.ny, m.nz, m.v, need / 1e6, Math.max(1, concurrent), heap / 1e6,
			(long) Math.ceil(need / 0.8 / (1 << 20)) + 64));
	}

	/** Samples a canonical field at every voxel of an nx × ny × nz scan through scan→canonical matrix c. */
	static float[] resample(final FloatGrid g, final double[][] c, final int nx, final int ny, final int nz,
		final int threads)
	{
		// the grid is a box: if the scan's eight corners land strictly inside, every voxel does
		boolean in = true;
		for (int k = 0; k < 8; k++) {
			final double[] q = Rigid.apply(c, (k & 1) == 0 ? 0 : nx - 1, (k & 2) == 0 ? 0 : ny - 1, (k & 4) == 0 ? 0 : nz -
				1);
			in &= q[0] >= 0 && q[1] >= 0 && q[2] >= 0 && q[0] < g.nx - 1 && q[1] < g.ny - 1 && q[2] < g.nz - 1;
		}
		final boolean inside = in;
		final float[] out = new float[nx * ny * nz];
		Slices.run(nz, threads, z -> samplePlane(g, c, nx, ny, z, inside, out, z * nx * ny));
		return out;
	}

	/** Whether every voxel of an nx × ny × nz scan maps strictly inside the canonical grid through c. */
	static boolean inside(final FloatGrid g, final double[][] c, final int nx, final int ny, final int nz) {
		boolean in = true;
		for (int k = 0; k < 8; k++) {
			final double[] q = Rigid.apply(c, (k & 1) == 0 ? 0 : nx - 1, (k & 2) == 0 ? 0 : ny - 1, (k & 4) == 0 ? 0 : nz -
				1);
			in &= q[0] >= 0 && q[1] >= 0 && q[2] >= 0 && q[0] < g.nx - 1 && q[1] < g.ny - 1 && q[2] < g.nz - 1;
		}
		return in;
	}

	/** Plane z of {@link #resample} into {@code out} from index {@code at}. */
	static void samplePlane(final FloatGrid g, final double[][] c, final int nx, final int ny, final int z,
		final boolean inside, final float[] out, final int at)
	{
		int i = at;
		for (int y = 0; y < ny; y++) {
			double px = c[0][1] * y + c[0][2] * z + c[0][3], py = c[1][1] * y + c[1][2] * z + c[1][3], pz = c[2][1] * y +
				c[2][2] * z + c[2][3];
			for (int x = 0; x < nx; x++) {
				out[i++] = inside ? g.sampleInside(px, py, pz) : g.sample(px, py, pz);
				px += c[0][0];
				py += c[1][0];
				pz += c[2][0];
			}
		}
	}

	/** Concentric rings about the rotation axis (scanner frame): defective detector columns after reconstruction. */
	private static void addRings(final float[] scan, final MouseModel m, final int week) {
		final float[] plane = ringPlane(m, week);
		for (int z = 0, i = 0; z < m.nz; z++)
			for (int j = 0; j < plane.length; j++, i++)
				scan[i] += plane[j];
	}

	/** The ring pattern of a week, the same in every slice. */
	static float[] ringPlane(final MouseModel m, final int week) {
		final SplittableRandom r = Seeds.stream(m.seed, Seeds.RINGS, week);
		final int n = 3 + r.nextInt(4);
		final double ccx = (m.nx - 1) / 2.0 + (r.nextDouble() - 0.5) * 4, ccy = (m.ny - 1) / 2.0 + (r.nextDouble() - 0.5) *
			4;
		final double base = Math.max(m.p.noiseSd(), 0.03 * (m.p.boneGrey() - m.p.airGrey()));
		final double[] radius = new double[n], amp = new double[n];
		for (int j = 0; j < n; j++) {
			radius[j] = 3 + r.nextDouble() * 0.45 * m.nx;
			amp[j] = (r.nextBoolean() ? 1 : -1) * base * (0.6 + 0.8 * r.nextDouble());
		}
		final float[] plane = new float[m.nx * m.ny];
		for (int y = 0; y < m.ny; y++)
			for (int x = 0; x < m.nx; x++) {
				final double rho = Math.hypot(x - ccx, y - ccy);
				double s = 0;
				for (int j = 0; j < n; j++) {
					final double d = (rho - radius[j]) / 0.6;
					if (Math.abs(d) < 5) s += amp[j] * Math.exp(-0.5 * d * d);
				}
				plane[y * m.nx + x] = (float) s;
			}
		return plane;
	}

	/**
	 * Gaussian noise, one random stream per slice. Reconstructed CT noise is
	 * not white: the filtered back-projection correlates neighbouring pixels
	 * within a slice. White noise smoothed in-plane by a 3 × 3 binomial kernel,
	 * rescaled to the wanted SD, has that grain.
	 */
	private static void addNoise(final float[] scan, final MouseModel m, final int week, final int threads) {
		Slices.run(m.nz, threads, z -> addNoise(scan, z * m.nx * m.ny, m, week, z));
	}

	/** The noise of slice z added to {@code scan} from index {@code at}. */
	static void addNoise(final float[] scan, final int at, final MouseModel m, final int week, final int z) {
		final int nx = m.nx, ny = m.ny, np = nx * ny;
		final double sd = m.p.noiseSd() / 0.375; // the binomial kernel's sqrt(sum w^2) = 0.375
		final float[] white = new float[np], rows = new float[np];
		final SplittableRandom r = Seeds.stream(m.seed, Seeds.NOISE, week, z);
		for (int j = 0; j < np; j++)
			white[j] = (float) (sd * r.nextGaussian());
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				final int i = y * nx + x;
				rows[i] = 0.25f * white[x > 0 ? i - 1 : i + 1] + 0.5f * white[i] + 0.25f * white[x < nx - 1 ? i + 1 : i - 1];
			}
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				final int i = y * nx + x;
				scan[at + i] += 0.25f * rows[y > 0 ? i - nx : i + nx] + 0.5f * rows[i] + 0.25f * rows[y < ny - 1 ? i + nx
					: i - nx];
			}
	}

	private static void writeScan(final PhantomParameters p, final MouseModel m, final int week, final float[] scan,
		final Path mouseDir) throws IOException
	{
		writeScan(p, m, week, shortVolume(scan, m, m.name + "_week" + week), mouseDir);
	}

	/** Writes a week's scan in the cohort's format (a volume in memory, or one made plane by plane as it is written). */
	static void writeScan(final PhantomParameters p, final MouseModel m, final int week,
		final Volume<UnsignedShortType> vol, final Path mouseDir) throws IOException
	{
		if (p.format() == PhantomParameters.Format.TIFF) {
			writeTiff(vol, mouseDir.resolve("week" + week + ".tif"));
		}
		else {
			final SplittableRandom r = Seeds.stream(m.seed, Seeds.SCHEDULE, 1000 + week);
			final SkyScanWriter.Metadata meta = new SkyScanWriter.Metadata().firstSection(50 + r.nextInt(400)).studyDate(
				LocalDateTime.of(2026, 1, 5, 9, 0).plusDays(7L * (week - 1) + m.index / 8).plusMinutes(15L * (m.index % 8)))
				.ringArtifactCorrection(p.rings() ? 0 : 5);
			SkyScanWriter.write(vol, mouseDir.resolve("week" + week), m.name + "_week" + week, meta);
		}
	}

	private static Volume<UnsignedShortType> shortVolume(final float[] data, final MouseModel m, final String name) {
		final PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(new long[] { m.nx, m.ny, m.nz },
			new Fraction());
		final int np = m.nx * m.ny;
		for (int z = 0; z < m.nz; z++) {
			final short[] s = new short[np];
			for (int j = 0; j < np; j++) {
				s[j] = toShort(data[z * np + j]);
			}
			img.setPlane(z, new ShortArray(s));
		}
		img.setLinkedType(new UnsignedShortType(img));
		return Volume.of(img, m.v, name);
	}

	/** A grey value as unsigned 16-bit: clamped, rounded half up. */
	static short toShort(final float v) {
		return (short) (v <= 0 ? 0 : v >= 65535 ? 65535 : (int) (v + 0.5f));
	}

	private static Volume<UnsignedByteType> byteVolume(final byte[][] planes, final MouseModel m, final String name) {
		final PlanarImg<UnsignedByteType, ByteArray> img = new PlanarImg<>(new long[] { m.nx, m.ny, m.nz },
			new Fraction());
		for (int z = 0; z < m.nz; z++)
			img.setPlane(z, new ByteArray(planes[z]));
		img.setLinkedType(new UnsignedByteType(img));
		return Volume.of(img, m.v, name);
	}

	static void writeTiff(final Volume<?> v, final Path file) throws IOException {
		TiffIO.write(ImagePlusVolumes.toImagePlus(v), file);
	}

	/** The mouse's ground-truth description, positions in week 1's scan (voxels and µm). */
	static JsonObject anatomyJson(final MouseModel m) {
		final double[][] a2w = m.anatomyUmToWeek1Voxel();
		final JsonObject o = new JsonObject();
		o.addProperty("mouse", m.name);
		o.addProperty("group", m.group.label());
		o.addProperty("hard", m.hardCase);
		o.addProperty("voxel_um", m.v);
		o.add("scan_size_xyz", GSON.toJsonTree(new int[] { m.nx, m.ny, m.nz }));
		o.addProperty("frame", "week-1 scan: voxel indices (x, y, z; 0-based), um = voxel * voxel_um; z is the scan axis, growing distally");
		final JsonArray scannedWeeks = new JsonArray();
		for (int k = 1; k <= m.p.weeks(); k++)
			if (m.scanned(k)) scannedWeeks.add(k);
		o.add("scanned_weeks", scannedWeeks);

		final double plateZ = m.plateSurface(m.axisX, m.axisY);
		final double[] plateVox = Rigid.apply(a2w, m.axisX, m.axisY, plateZ);
		final JsonObject plate = new JsonObject();
		plate.addProperty("slice", (int) Math.round(plateVox[2]));
		plate.add("centre_voxel", GSON.toJsonTree(round(plateVox)));
		plate.add("centre_um", GSON.toJsonTree(round(scale(plateVox, m.v))));
		plate.addProperty("thickness_um", round(m.plateThickness));
		plate.addProperty("note", "centre of the growth plate where the bone axis crosses it; the VOI is the 2.1 mm below");
		o.add("growth_plate", plate);

		if (m.fibulaJoins()) {
			final double[] j = m.junctionPointUm();
			final double[] jVox = Rigid.apply(a2w, j[0], j[1], j[2]);
			final JsonObject tfj = new JsonObject();
			tfj.addProperty("slice", (int) Math.round(jVox[2]));
			tfj.addProperty("in_scan", jVox[2] > -0.5 && jVox[2] < m.nz - 0.5);
			tfj.add("centre_voxel", GSON.toJsonTree(round(jVox)));
			tfj.add("centre_um", GSON.toJsonTree(round(scale(jVox, m.v))));
			tfj.addProperty("depth_below_plate_um", round(m.junctionDepth));
			tfj.addProperty("note", "where the fibula first touches the tibia going distally: the most proximal slice " +
				"where their cross-sections merge (BoneMet's anchor: its region of interest is the 300 slices below it)");
			o.add("tf_junction", tfj);
		}

		final double[] dir = Rigid.applyLinear(a2w, new double[] { 0, 0, 1 });
		final double nrm = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
		final JsonObject axis = new JsonObject();
		axis.add("point_voxel", GSON.toJsonTree(round(plateVox)));
		axis.add("direction", GSON.toJsonTree(round(new double[] { dir[0] / nrm, dir[1] / nrm, dir[2] / nrm })));
		axis.addProperty("note", "unit vector pointing distally (from the knee towards the ankle)");
		o.add("bone_axis", axis);

		final JsonArray foci = new JsonArray();
		for (final Focus f : m.foci) {
			final JsonObject j = new JsonObject();
			final double[] c = Rigid.apply(a2w, f.cx, f.cy, f.cz);
			j.add("centre_voxel", GSON.toJsonTree(round(c)));
			j.add("centre_um", GSON.toJsonTree(round(scale(c, m.v))));
			j.addProperty("depth_below_plate_um", round(f.cz - m.plateSurface(f.cx, f.cy)));
			j.addProperty("onset_week", round(f.onset));
			j.addProperty("precursor_lead_weeks", round(f.lead));
			j.addProperty("growth_law", "logistic radius: r(t) = r_max / (1 + (r_max/r0 - 1) exp(-g (t - onset))), t in weeks");
			j.addProperty("r0_um", round(f.r0));
			j.addProperty("r_max_um", round(f.rMax));
			j.addProperty("growth_per_week", round(f.growth));
			j.addProperty("front_um", round(f.front));
			j.addProperty("edge_thinning", round(f.edgeThinning));
			j.addProperty("cortex_lag_um", round(f.cortexLag));
			j.addProperty("elongation_z", round(f.elongation));
			j.addProperty("hard", f.hard);
			final JsonArray radii = new JsonArray();
			for (int k = 1; k <= m.p.weeks(); k++)
				radii.add(round(f.radiusUm(k)));
			j.add("radius_um_by_week", radii);
			foci.add(j);
		}
		o.add("foci", foci);

		final JsonArray poses = new JsonArray();
		for (int k = 1; k <= m.p.weeks(); k++) {
			final JsonObject j = new JsonObject();
			j.addProperty("week", k);
			j.addProperty("scanned", m.scanned(k));
			j.add("rotation_deg_xyz", GSON.toJsonTree(round(m.rotationDeg[k - 1])));
			j.add("shift_vox_xyz", GSON.toJsonTree(round(m.shiftVox[k - 1])));
			poses.add(j);
		}
		o.add("poses_scan_to_anatomy", poses);
		return o;
	}

	private static double[] scale(final double[] a, final double s) {
		return new double[] { a[0] * s, a[1] * s, a[2] * s };
	}

	private static double round(final double x) {
		return Math.round(x * 1e4) / 1e4;
	}

	private static double[] round(final double[] a) {
		final double[] r = new double[a.length];
		for (int i = 0; i < a.length; i++)
			r[i] = round(a[i]);
		return r;
	}
}
