package org.osteocast.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.osteocast.io.contracts.Cohort;
import org.osteocast.io.util.Csv;
import org.osteocast.io.formats.SkyScanReader;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeHeader;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.io.VolumeIOException;
import org.osteocast.nn.engine.EnginePlatform;
import org.osteocast.nn.engine.EngineSettings;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.LibtorchCheck;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code osteocast info}: describes a scan, a cohort or the engine, as JSON.
 * <p>
 * A scan (TIFF stack or hyperstack, folder of TIFF slices, SkyScan NRecon
 * folder, NIfTI) is described by format, dimensions, pixel type, voxel size,
 * origin and its value range (computed by reading the pixels). A cohort (a
 * {@code .csv} manifest, a folder with {@code cohort.csv}, or a folder laid
 * out as {@code <mouse>/week<k>}) is described by its mice, weeks, groups and
 * each scan's header, plus every problem found in the images; reading headers
 * only keeps this fast for large cohorts.
 */
@Command(name = "info", description = "Print JSON describing a scan, a cohort or (--engine) the deep-learning engine.")
public final class InfoCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
		description = "A scan (.tif, .nii, .nii.gz, a folder of TIFF slices, a SkyScan NRecon folder) or a cohort (cohort.csv or its folder).")
	Path path;

	@Option(names = "--engine", description = "Describe the deep-learning engine (PyTorch via DJL) instead.")
	boolean engine;

	@Option(names = "--check-gpu", paramLabel = "DIR",
		description = "With --engine: check a CUDA libtorch folder (libtorch 2.7.1+cu128 from pytorch.org, unpacked) and, when it is right, save it in the engine settings so that --device gpu uses it; otherwise say in one line what is wrong (exit code 2).")
	Path checkGpu;

	@Option(names = "--voxel-um", paramLabel = "UM",
		description = "Voxel size in micrometres to assume (for files without a calibration, e.g. plain TIFF slices).")
	Double voxelUm;

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
		.create();

	@Override
	public Integer call() throws Exception {
		final Object out;
		if (checkGpu != null) out = checkGpu(checkGpu);
		else if (engine) out = EngineSetup.describe();
		else if (path == null) throw new CommandLine.ParameterException(spec.commandLine(),
			"give a PATH to describe, or --engine");
		else if (voxelUm != null && !(voxelUm > 0 && Double.isFinite(voxelUm))) throw new IllegalArgumentException(
			"--voxel-um must be a positive number of micrometres, not " + voxelUm);
		else out = isCohort(path) ? describeCohort(path) : describeScan(path);
		spec.commandLine().getOut().println(GSON.toJson(out));
		spec.commandLine().getOut().flush();
		return 0;
	}

	/** Checks a GPU libtorch folder; saves it in the engine settings when it is right. */
	static Map<String, Object> checkGpu(final Path dir) throws java.io.IOException {
		final LibtorchCheck.Result r = LibtorchCheck.check(dir);
		if (!r.ok()) throw new IllegalArgumentException(r.problem);
		EngineSettings.load().set(EngineSettings.LIBTORCH_PATH, r.libDir.toAbsolutePath().toString()).set(
			EngineSettings.FLAVOR, EnginePlatform.CUDA_FLAVOR).set(EngineSettings.ALLOW_DOWNLOAD, null).save();
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("libtorch", r.libDir.toString());
		m.put("libtorch_version", r.buildVersion);
		m.put("nvidia_driver", r.driver.toString());
		m.put("libtorch_check", "ok");
		m.put("settings_file", EngineSettings.file().toString());
		m.put("note", "saved: the next run uses this libtorch (--device gpu, or auto); 'osteocast info --engine' shows the GPU");
		return m;
	}

	private double override() {
		return voxelUm == null ? Double.NaN : voxelUm;
	}

	/** A .csv, a folder with cohort.csv, or a folder that is not itself a scan but holds mouse folders. */
	static boolean isCohort(final Path p) {
		if (Files.isRegularFile(p)) return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
		if (!Files.isDirectory(p)) return false;
		if (Files.isRegularFile(p.resolve("cohort.csv"))) return true;
		try {
			VolumeIO.detect(p);
			return false;
		}
		catch (final VolumeIOException e) {
			try (var s = Files.list(p)) {
				return s.anyMatch(Files::isDirectory);
			}
			catch (final java.io.IOException io) {
				return false;
			}
		}
	}

	private Map<String, Object> describeScan(final Path p) throws Exception {
		final VolumeHeader h = VolumeIO.readHeader(p, override());
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("path", p.toString());
		m.put("kind", "scan");
		m.put("format", h.format());
		final long[] d = h.dimensions();
		final Map<String, Object> dims = new LinkedHashMap<>();
		dims.put("x", d[0]);
		dims.put("y", d[1]);
		dims.put("z", d[2]);
		if (h.frames() > 1) dims.put("frames", h.frames());
		m.put("dimensions", dims);
		m.put("pixel_type", h.pixelType());
		m.put("bit_depth", h.bitDepth());
		m.put("voxel_size_um", xyz(h.voxelSizeUm()));
		m.put("voxel_size_source", voxelUm != null ? "--voxel-um" : h.calibrated() ? "file"
			: "none in the file: 1 um assumed (give --voxel-um)");
		m.put("origin_um", xyz(h.originUm()));
		if (SkyScanReader.isReconstructionFolder(p)) {
			final SkyScanReader.Layout l = SkyScanReader.layout(p);
			final Map<String, Object> s = new LinkedHashMap<>();
			s.put("log", l.log().file().getFileName().toString());
			s.put("scanner", l.log().scanner());
			s.put("slice_prefix", l.prefix());
			s.put("first_section", l.indices().get(0));
			s.put("last_section", l.indices().get(l.indices().size() - 1));
			s.put("result_file_type", l.log().resultFileType());
			m.put("skyscan", s);
		}
		m.put("value_range", range(p, h));
		return m;
	}

	/** Min and max over all voxels (all frames of a hyperstack). */
	private Map<String, Object> range(final Path p, final VolumeHeader h) throws Exception {
		double lo, hi;
		if (h.frames() > 1 && h.format().contains("TIFF")) {
			final ImagePlus imp = TiffIO.read(p);
			final ImageStack st = imp.getStack();
			lo = Double.POSITIVE_INFINITY;
			hi = Double.NEGATIVE_INFINITY;
			for (int i = 1; i <= st.getSize(); i++) {
				final ImageProcessor ip = st.getProcessor(i);
				for (int k = 0; k < ip.getPixelCount(); k++) {
					final double v = ip.getf(k);
					lo = Math.min(lo, v);
					hi = Math.max(hi, v);
				}
			}
		}
		else if (h.frames() > 1) return null; // a 4-D NIfTI: OsteoCast reads one volume per file
		else {
			final Volume<?> v = VolumeIO.open(p, override(), org.osteocast.core.Progress.NONE,
				org.osteocast.core.Cancellation.NEVER); // plane by plane when large
			final double[] r = VolumeIO.valueRange(v);
			lo = r[0];
			hi = r[1];
		}
		final Map<String, Object> r = new LinkedHashMap<>();
		r.put("min", number(lo));
		r.put("max", number(hi));
		return r;
	}

	private Map<String, Object> describeCohort(final Path p) throws Exception {
		final Cohort c = Cohort.read(p);
		final Cohort.ImageReport report = c.checkImages(override());
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("path", p.toString());
		m.put("kind", "cohort");
		final Path csv = Files.isRegularFile(p) ? p : p.resolve("cohort.csv");
		m.put("manifest", Files.isRegularFile(csv) ? csv.toString() : null);
		m.put("n_mice", c.mice().size());
		m.put("n_scans", c.scans().size());
		final List<Object> mice = new ArrayList<>();
		for (final String mouse : c.mice()) {
			final Map<String, Object> e = new LinkedHashMap<>();
			e.put("mouse", mouse);
			e.put("group", c.group(mouse));
			final List<Integer> weeks = new ArrayList<>();
			final List<Object> scans = new ArrayList<>();
			for (final Cohort.Scan s : c.scans(mouse)) {
				weeks.add(s.week);
				final Map<String, Object> sc = new LinkedHashMap<>();
				sc.put("week", s.week);
				sc.put("image", Csv.relative(c.root(), s.image));
				final VolumeHeader h = report.headers.get(s);
				if (h != null) {
					sc.put("format", h.format());
					sc.put("dimensions", h.dimensions());
					sc.put("pixel_type", h.pixelType());
					sc.put("voxel_size_um", h.voxelSizeUm());
				}
				scans.add(sc);
			}
			e.put("weeks", weeks);
			e.put("scans", scans);
			mice.add(e);
		}
		m.put("mice", mice);
		m.put("problems", report.problems);
		return m;
	}

	private static Map<String, Object> xyz(final double[] v) {
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("x", number(v[0]));
		m.put("y", number(v[1]));
		m.put("z", number(v[2]));
		return m;
	}

	/** Integral values print without ".0"; others as doubles. */
	private static Object number(final double v) {
		if (Double.isFinite(v) && v == Math.rint(v) && Math.abs(v) < 1e15) return (long) v;
		return v;
	}
}
