package org.osteocast.register.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Otsu;
import org.osteocast.core.Progress;
import org.osteocast.core.Stats;
import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.Volume;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.io.VolumeIOException;
import org.osteocast.register.FloatGrid;
import org.osteocast.register.RegistrationAccuracy;
import org.osteocast.register.RegistrationParameters;
import org.osteocast.register.RegistrationResult;
import org.osteocast.register.RigidRegistration;
import org.osteocast.register.RigidTransforms;

/**
 * The registration benchmark behind {@code osteocast bench register}:
 * OsteoCast and elastix on the same pairs with known transforms, reporting
 * each tool's mean bone displacement error (voxels) and wall time.
 * <p>
 * elastix is run as an external program on MetaImage ({@code .mhd/.raw})
 * copies with the parameter file {@code bench/register/elastix_rigid.txt};
 * its {@code EulerTransform} result is read back from
 * {@code TransformParameters.0.txt} and converted into the voxel contract.
 */
public final class RegistrationBenchmark {

	private RegistrationBenchmark() {}

	/** One benchmark pair with its true moving → fixed voxel transform. */
	public static final class Case {
		public final String name;
		public final Volume<?> fixed, moving;
		public final double[][] truth;

		public Case(final String name, final Volume<?> fixed, final Volume<?> moving, final double[][] truth) {
			this.name = name;
			this.fixed = fixed;
			this.moving = moving;
			this.truth = truth;
		}
	}

	/** Measured figures of one case (elastix ones NaN when it did not run). */
	public static final class Outcome {
		public final String name;
		public final double oursError, oursSeconds, elastixError, elastixSeconds;
		public final boolean oursReliable;

		Outcome(final String name, final double oursError, final double oursSeconds, final boolean oursReliable,
			final double elastixError, final double elastixSeconds)
		{
			this.name = name;
			this.oursError = oursError;
			this.oursSeconds = oursSeconds;
			this.oursReliable = oursReliable;
			this.elastixError = elastixError;
			this.elastixSeconds = elastixSeconds;
		}
	}

	/** Synthetic tibia-like pairs with a lesion (see {@link SyntheticBone}), {@code size}³-ish voxels. */
	public static List<Case> syntheticCases(final int n, final int size, final long seed) {
		final List<Case> cases = new ArrayList<>();
		for (int k = 0; k < n; k++) {
			final SyntheticBone.Spec s = new SyntheticBone.Spec();
			s.nx = size;
			s.ny = size;
			s.nz = (int) Math.round(size * 1.25);
			s.lesionRadiusVoxels = 0.08 * size;
			final SyntheticBone.Pair p = SyntheticBone.pair(s, seed + k);
			cases.add(new Case("synthetic-" + (k + 1), p.fixed, p.moving, p.movingToFixedVoxel));
		}
		return cases;
	}

	/**
	 * Real scans under {@code realdata} (the SkyScan mouse thorax, the human
	 * trabecular core), each paired with a copy moved by a random known rigid
	 * transform; an absent folder is skipped.
	 */
	public static List<Case> realCases(final Path realdata, final long seed) throws VolumeIOException {
		final List<Case> cases = new ArrayList<>();
		final Path thorax = realdata.resolve("skyscan-mouse-thorax");
		if (Files.isDirectory(thorax)) cases.add(transformedCopy("skyscan-mouse-thorax", VolumeIO.read(thorax), 5, 5,
			seed));
		final Path human = realdata.resolve("human-trabecular-lhdl-3155");
		if (Files.isDirectory(human)) cases.add(transformedCopy("human-trabecular", VolumeIO.read(human), 5, 5, seed +
			1));
		return cases;
	}

	/**
	 * A pair from one real scan: the moving scan shows the fixed one through a
	 * random rigid transform (up to ±{@code maxRotDeg} about each axis and
	 * ±{@code maxShiftVoxels} along each, about the volume centre), resampled
	 * with Catmull-Rom tricubic interpolation (not the trilinear kernel the
	 * registration uses, so the pair does not favour it), plus fresh noise of
	 * the scan's own level (robust estimate from neighbour differences).
	 */
	public static Case transformedCopy(final String name, final Volume<?> scan, final double maxRotDeg,
		final double maxShiftVoxels, final long seed)
	{
		final FloatGrid g = FloatGrid.of(scan);
		final SplittableRandom rnd = new SplittableRandom(seed);
		final double r = Math.toRadians(maxRotDeg);
		final double[][] rot = RigidTransforms.eulerXyz(u(rnd, r), u(rnd, r), u(rnd, r));
		final double[] c = { (g.nx - 1) * g.vs[0] / 2, (g.ny - 1) * g.vs[1] / 2, (g.nz - 1) * g.vs[2] / 2 };
		final double[] t = { u(rnd, maxShiftVoxels) * g.vs[0], u(rnd, maxShiftVoxels) * g.vs[1], u(rnd,
			maxShiftVoxels) * g.vs[2] };
		final double[][] m2fVox = RigidTransforms.umToVoxel(RigidTransforms.about(rot, c, t), g.vs, g.vs);
		final double[][] a = m2fVox; // moving voxel p shows fixed position a·p
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(g.nx, g.ny, g.nz);
		final float[] out = img.update(null).getCurrentStorageArray();
		final double sigma = noiseSigma(g);
		final double fill = Otsu.classes(g.data)[1];
		for (int z = 0, i = 0; z < g.nz; z++)
			for (int y = 0; y < g.ny; y++)
				for (int x = 0; x < g.nx; x++, i++) {
					final double v = cubic(g, a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3], a[1][0] * x + a[1][1] * y +
						a[1][2] * z + a[1][3], a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3]);
					out[i] = (float) ((Double.isNaN(v) ? fill : v) + sigma * gauss(rnd));
				}
		final Volume<FloatType> fixed = new Volume<>(ArrayImgs.floats(g.data, g.nx, g.ny, g.nz), g.vs, new double[3],
			name + "-fixed");
		return new Case(name, fixed, new Volume<>(img, g.vs, new double[3], name + "-moving"), m2fVox);
	}

	/** Noise standard deviation from neighbour differences along x: 1.4826 · MAD / √2. */
	static double noiseSigma(final FloatGrid g) {
		final int step = Math.max(1, g.data.length / 200_000);
		final float[] d = new float[g.data.length / step + 1];
		int k = 0;
		for (int i = 0; i + 1 < g.data.length; i += step)
			if ((i + 1) % g.nx != 0) d[k++] = Math.abs(g.data[i + 1] - g.data[i]);
		Arrays.sort(d, 0, k);
		return k == 0 ? 0 : 1.4826 * d[k / 2] / Math.sqrt(2);
	}

	private static double u(final SplittableRandom rnd, final double a) {
		return (2 * rnd.nextDouble() - 1) * a;
	}

	private static double gauss(final SplittableRandom rnd) {
		double v;
		do
			v = rnd.nextDouble();
		while (v <= 0);
		return Math.sqrt(-2 * Math.log(v)) * Math.cos(2 * Math.PI * rnd.nextDouble());
	}

	/** Catmull-Rom tricubic value at a voxel position; NaN outside [0, n-1]. */
	static double cubic(final FloatGrid g, final double x, final double y, final double z) {
		if (!(x >= 0 && y >= 0 && z >= 0 && x <= g.nx - 1 && y <= g.ny - 1 && z <= g.nz - 1)) return Double.NaN;
		final int ix = (int) Math.floor(x), iy = (int) Math.floor(y), iz = (int) Math.floor(z);
		final double[] wx = weights(x - ix), wy = weights(y - iy), wz = weights(z - iz);
		double s = 0;
		for (int c = 0; c < 4; c++) {
			final int zz = Math.max(0, Math.min(g.nz - 1, iz - 1 + c));
			for (int b = 0; b < 4; b++) {
				final int yy = Math.max(0, Math.min(g.ny - 1, iy - 1 + b));
				final int row = g.nx * (yy + g.ny * zz);
				double sx = 0;
				for (int a = 0; a < 4; a++)
					sx += wx[a] * g.data[row + Math.max(0, Math.min(g.nx - 1, ix - 1 + a))];
				s += wz[c] * wy[b] * sx;
			}
		}
		return s;
	}

	private static double[] weights(final double t) {
		final double t2 = t * t, t3 = t2 * t;
		return new double[] { -0.5 * t3 + t2 - 0.5 * t, 1.5 * t3 - 2.5 * t2 + 1, -1.5 * t3 + 2 * t2 + 0.5 * t, 0.5 * t3 -
			0.5 * t2 };
	}

	/**
	 * Runs both tools on every case and prints a table and the summary to {@code out}.
	 *
	 * @param elastix the elastix executable, or null to run OsteoCast alone
	 * @param work a folder for the elastix inputs and outputs
	 */
	public static List<Outcome> run(final List<Case> cases, final Path elastix, final Path params, final int threads,
		final Path work, final PrintWriter out) throws IOException
	{
		final RegistrationParameters p = RegistrationParameters.defaults().withThreads(threads);
		out.printf(Locale.ROOT, "%-22s %-13s %12s %9s %12s %9s %7s%n", "pair", "size", "ours err vx", "ours s",
			"elastix err", "elastix s", "ratio");
		final List<Outcome> outcomes = new ArrayList<>();
		// warm the JIT once on a small pair, as a long-running Fiji or CLI session would be
		final Case warm = syntheticCases(1, 40, 999).get(0);
		RigidRegistration.register(warm.fixed, warm.moving, p, Progress.NONE, Cancellation.NEVER);
		for (final Case c : cases) {
			final long t0 = System.nanoTime();
			final RegistrationResult r = RigidRegistration.register(c.fixed, c.moving, p, Progress.NONE,
				Cancellation.NEVER);
			final double ours = (System.nanoTime() - t0) / 1e9;
			final double oursErr = RegistrationAccuracy.meanBoneDisplacementVoxels(c.fixed, r.movingToFixedVoxel(),
				c.truth);
			double eErr = Double.NaN, eSec = Double.NaN;
			if (elastix != null) {
				final Path dir = work.resolve(c.name);
				final double[] e = runElastix(elastix, params, threads, c, dir);
				eErr = RegistrationAccuracy.meanBoneDisplacementVoxels(c.fixed, RigidTransforms.copy(new double[][] { { e[0],
					e[1], e[2], e[3] }, { e[4], e[5], e[6], e[7] }, { e[8], e[9], e[10], e[11] }, { 0, 0, 0, 1 } }), c.truth);
				eSec = e[12];
			}
			final Outcome o = new Outcome(c.name, oursErr, ours, r.reliable(), eErr, eSec);
			outcomes.add(o);
			out.printf(Locale.ROOT, "%-22s %-13s %12.4f %9.2f %12.4f %9.2f %7.2f%s%n", c.name, c.fixed.width() + "x" + c.fixed
				.height() + "x" + c.fixed.depth(), oursErr, ours, eErr, eSec, eSec / ours, r.reliable() ? ""
					: "  (ours flagged: " + r.reason() + ")");
			out.flush();
		}
		final double[] oe = outcomes.stream().mapToDouble(o -> o.oursError).toArray();
		final double ot = outcomes.stream().mapToDouble(o -> o.oursSeconds).sum();
		out.printf(Locale.ROOT, "OsteoCast: median error %.4f vx, worst %.4f vx, total %.2f s (%d threads)%n",
			Stats.median(oe), Arrays.stream(oe).max().orElse(Double.NaN), ot, threads);
		if (elastix != null) {
			final double[] ee = outcomes.stream().mapToDouble(o -> o.elastixError).toArray();
			final double et = outcomes.stream().mapToDouble(o -> o.elastixSeconds).sum();
			out.printf(Locale.ROOT, "elastix:   median error %.4f vx, worst %.4f vx, total %.2f s (%d threads)%n",
				Stats.median(ee), Arrays.stream(ee).max().orElse(Double.NaN), et, threads);
			out.printf(Locale.ROOT, "wall-time ratio elastix / OsteoCast: %.2f (target >= 2); median error ratio %.2f%n",
				et / ot, Stats.median(oe) / Stats.median(ee));
		}
		out.flush();
		return outcomes;
	}

	/**
	 * Runs elastix on one case; returns the moving → fixed voxel matrix
	 * (12 numbers, row-major 3 × 4) followed by the wall time in seconds.
	 */
	static double[] runElastix(final Path elastix, final Path params, final int threads, final Case c, final Path dir)
		throws IOException
	{
		Files.createDirectories(dir);
		final Path f = dir.resolve("fixed.mhd"), m = dir.resolve("moving.mhd"), res = dir.resolve("elastix");
		writeMetaImage(FloatGrid.of(c.fixed), f);
		writeMetaImage(FloatGrid.of(c.moving), m);
		Files.createDirectories(res);
		final ProcessBuilder pb = new ProcessBuilder(elastix.toString(), "-f", f.toString(), "-m", m.toString(), "-p",
			params.toString(), "-out", res.toString(), "-threads", Integer.toString(threads));
		pb.redirectErrorStream(true);
		pb.redirectOutput(dir.resolve("elastix-console.txt").toFile());
		final long t0 = System.nanoTime();
		final Process proc = pb.start();
		try {
			if (!proc.waitFor(30, TimeUnit.MINUTES)) {
				proc.destroyForcibly();
				throw new IOException(elastix + ": timed out on " + c.name);
			}
		}
		catch (final InterruptedException e) {
			proc.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", e);
		}
		final double sec = (System.nanoTime() - t0) / 1e9;
		if (proc.exitValue() != 0) throw new IOException(elastix + " failed on " + c.name + " (exit " + proc
			.exitValue() + "); see " + dir.resolve("elastix-console.txt"));
		final double[][] m2f = readElastixEuler(res.resolve("TransformParameters.0.txt"), c.moving.voxelSizeUm(), c.fixed
			.voxelSizeUm());
		final double[] o = new double[13];
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 4; j++)
				o[4 * i + j] = m2f[i][j];
		o[12] = sec;
		return o;
	}

	/**
	 * Reads an elastix {@code EulerTransform} parameter file (fixed mm → moving
	 * mm, {@code R (x − c) + c + t}, {@code R = Rz·Rx·Ry} unless
	 * {@code ComputeZYX} is true) and returns the moving → fixed voxel matrix.
	 */
	public static double[][] readElastixEuler(final Path file, final double[] movingVoxelUm,
		final double[] fixedVoxelUm) throws IOException
	{
		final String text = Files.readString(file, StandardCharsets.UTF_8);
		final double[] p = numbers(file, text, "TransformParameters", 6);
		final double[] c = numbers(file, text, "CenterOfRotationPoint", 3);
		final boolean zyx = text.matches("(?s).*\\(ComputeZYX \"true\"\\).*");
		final double[][] rx = { { 1, 0, 0 }, { 0, Math.cos(p[0]), -Math.sin(p[0]) }, { 0, Math.sin(p[0]), Math.cos(
			p[0]) } };
		final double[][] ry = { { Math.cos(p[1]), 0, Math.sin(p[1]) }, { 0, 1, 0 }, { -Math.sin(p[1]), 0, Math.cos(
			p[1]) } };
		final double[][] rz = { { Math.cos(p[2]), -Math.sin(p[2]), 0 }, { Math.sin(p[2]), Math.cos(p[2]), 0 }, { 0, 0,
			1 } };
		final double[][] r = zyx ? RigidTransforms.mul3(rz, RigidTransforms.mul3(ry, rx)) : RigidTransforms.mul3(rz,
			RigidTransforms.mul3(rx, ry));
		final double[] cu = { c[0] * 1000, c[1] * 1000, c[2] * 1000 };
		final double[] tu = { p[3] * 1000, p[4] * 1000, p[5] * 1000 };
		final double[][] f2mUm = RigidTransforms.about(r, cu, tu);
		return RigidTransforms.umToVoxel(RigidTransforms.invert(f2mUm), movingVoxelUm, fixedVoxelUm);
	}

	private static double[] numbers(final Path file, final String text, final String key, final int n)
		throws VolumeIOException
	{
		final Matcher m = Pattern.compile("\\(" + key + "((?:\\s+[-+0-9.eE]+)+)\\s*\\)").matcher(text);
		if (!m.find()) throw new VolumeIOException(file, "no (" + key + " ...) entry");
		final String[] parts = m.group(1).trim().split("\\s+");
		if (parts.length != n) throw new VolumeIOException(file, key + " has " + parts.length + " values, expected " +
			n);
		final double[] v = new double[n];
		for (int i = 0; i < n; i++)
			v[i] = Double.parseDouble(parts[i]);
		return v;
	}

	/** A minimal MetaImage writer: {@code .mhd} header + {@code .raw} float32 little-endian, spacing in mm. */
	static void writeMetaImage(final FloatGrid g, final Path mhd) throws IOException {
		final String base = mhd.getFileName().toString().replaceFirst("\\.mhd$", "");
		final Path raw = mhd.resolveSibling(base + ".raw");
		AtomicFiles.writeStream(raw, os -> writeFloats(g.data, os));
		final String header = String.format(Locale.ROOT,
			"ObjectType = Image%nNDims = 3%nBinaryData = True%nBinaryDataByteOrderMSB = False%nCompressedData = False%n" +
				"TransformMatrix = 1 0 0 0 1 0 0 0 1%nOffset = 0 0 0%nCenterOfRotation = 0 0 0%n" +
				"ElementSpacing = %s %s %s%nDimSize = %d %d %d%nElementType = MET_FLOAT%nElementDataFile = %s%n",
			Double.toString(g.vs[0] / 1000), Double.toString(g.vs[1] / 1000), Double.toString(
				g.vs[2] / 1000), g.nx, g.ny, g.nz, raw.getFileName());
		AtomicFiles.writeString(mhd, header);
	}

	private static void writeFloats(final float[] d, final OutputStream os) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
		for (final float v : d) {
			if (b.remaining() < 4) {
				os.write(b.array(), 0, b.position());
				b.clear();
			}
			b.putFloat(v);
		}
		os.write(b.array(), 0, b.position());
	}

	/** The elastix executable: {@code name} if it is a path to a file, else looked up on PATH; null if absent. */
	public static Path findExecutable(final String name) {
		final Path direct = Path.of(name);
		if (name.contains(File.separator)) return Files.isExecutable(direct) ? direct : null;
		final String path = System.getenv("PATH");
		if (path == null) return null;
		for (final String dir : path.split(File.pathSeparator)) {
			final Path p = Path.of(dir, name);
			if (Files.isExecutable(p) && !Files.isDirectory(p)) return p;
		}
		return null;
	}

}
