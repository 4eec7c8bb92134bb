package org.osteocast.fiji;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;

import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.metrics.LesionMetrics;
import org.osteocast.viz.RotatingProjection;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "Show Forecast 3D": week 1 and the forecast in 3-D with the predicted lesion
 * (bone in week 1 that the forecast has lost) in red. Uses Fiji's 3D Viewer
 * when it is installed (found at run time as {@code ij3d.Image3DUniverse}: the
 * forecast's bone as a surface and the lesion as a red surface); otherwise a
 * rotating brightest-point projection of an RGB rendering (as ImageJ's
 * "3D Project...", which needs a display), which works anywhere, headless too.
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>Show Forecast 3D", label = "Show Forecast 3D")
public final class Show3DCommand extends OsteoCastCommand {

	public static final String VIEWER = "3D Viewer";
	public static final String PROJECTION = "3D projection";

	@Parameter(persist = false, label = "Slice data", style = "file", description = "The mouse's slice hyperstack (.tif).")
	File data;

	@Parameter(persist = false, label = "Forecast", style = "file", description = "The mouse's <mouse>_pred.tif.")
	File forecast;

	@Parameter(persist = false, label = "Renderer", choices = { "auto", VIEWER, PROJECTION },
		description = "auto: the 3D Viewer when installed, else ImageJ's projection.")
	String renderer = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Rendering")
	ImagePlus rendering;

	@Parameter(type = ItemIO.OUTPUT, label = "Renderer used")
	String used;

	@Override
	protected void execute() throws IOException {
		if (data == null || forecast == null) throw new IllegalArgumentException(Messages.NO_INPUT);
		final Hyperstack hs = Hyperstack.read(data.toPath());
		final Hyperstack pred = Hyperstack.read(forecast.toPath());
		if (pred.slices() != hs.slices() || pred.width() != hs.width() || pred.height() != hs.height())
			throw new IllegalArgumentException("the forecast does not match the slice data's size");
		final ImageStack rgb = new ImageStack(hs.width(), hs.height());
		final ImageStack boneMask = new ImageStack(hs.width(), hs.height());
		final ImageStack lesionMask = new ImageStack(hs.width(), hs.height());
		// the predicted lesion as the metrics define it: bone in week 1 that the forecast has lost (one threshold)
		final double t = LesionMetrics.otsu(hs.planes(0));
		final boolean[][] isBone = LesionMetrics.bone(pred.planes(0), t), lost = LesionMetrics.lesion(hs.planes(0), pred
			.planes(0), t);
		for (int z = 0; z < hs.slices(); z++) {
			final float[] f = pred.plane(z, 0);
			final int[] px = new int[f.length];
			final byte[] bone = new byte[f.length], lesion = new byte[f.length];
			for (int i = 0; i < f.length; i++) {
				final int g = (int) Math.max(0, Math.min(255, f[i] * 255));
				px[i] = lost[z][i] ? 0xffff2020 : 0xff000000 | g << 16 | g << 8 | g;
				bone[i] = (byte) (isBone[z][i] ? 255 : 0);
				lesion[i] = (byte) (lost[z][i] ? 255 : 0);
			}
			rgb.addSlice(new ColorProcessor(hs.width(), hs.height(), px));
			boneMask.addSlice(new ij.process.ByteProcessor(hs.width(), hs.height(), bone));
			lesionMask.addSlice(new ij.process.ByteProcessor(hs.width(), hs.height(), lesion));
		}
		final double[] vs = pred.voxelSizeUm();
		final boolean viewer = !PROJECTION.equals(renderer) && viewerAvailable();
		if (VIEWER.equals(renderer) && !viewer) throw new IllegalArgumentException(
			"Fiji's 3D Viewer is not installed; choose '" + PROJECTION + "'");
		if (viewer && showInViewer(calibrate(new ImagePlus("bone", boneMask), vs), calibrate(new ImagePlus(
			"predicted lesion", lesionMask), vs)))
		{
			used = VIEWER;
			return;
		}
		final ImagePlus volume = calibrate(new ImagePlus("forecast with lesion", rgb), vs);
		rendering = project(volume);
		used = PROJECTION;
	}

	private static ImagePlus calibrate(final ImagePlus imp, final double[] vs) {
		imp.getCalibration().setUnit("micron");
		imp.getCalibration().pixelWidth = vs[0];
		imp.getCalibration().pixelHeight = vs[1];
		imp.getCalibration().pixelDepth = vs[2];
		return imp;
	}

	static boolean viewerAvailable() {
		try {
			Class.forName("ij3d.Image3DUniverse", false, Show3DCommand.class.getClassLoader());
			return true;
		}
		catch (final ClassNotFoundException | LinkageError e) {
			return false;
		}
	}

	/** Fiji's 3D Viewer through reflection (it is not a build dependency). */
	private boolean showInViewer(final ImagePlus bone, final ImagePlus lesion) {
		try {
			final Class<?> u = Class.forName("ij3d.Image3DUniverse");
			final Object universe = u.getConstructor().newInstance();
			u.getMethod("show").invoke(universe);
			final Method addMesh = u.getMethod("addMesh", ImagePlus.class);
			addMesh.invoke(universe, bone);
			final Object lesionContent = addMesh.invoke(universe, lesion);
			Class<?> color;
			try {
				color = Class.forName("org.scijava.vecmath.Color3f");
			}
			catch (final ClassNotFoundException e) {
				color = Class.forName("javax.vecmath.Color3f");
			}
			final Object red = color.getConstructor(float.class, float.class, float.class).newInstance(1f, 0.15f, 0.15f);
			lesionContent.getClass().getMethod("setColor", color).invoke(lesionContent, red);
			return true;
		}
		catch (final ReflectiveOperationException | LinkageError | RuntimeException e) {
			if (log != null) log.warn("3D Viewer failed (" + e + "); using ImageJ's 3D projection");
			return false;
		}
	}

	/** A rotating brightest-point projection (24 views), headless-safe. */
	private static ImagePlus project(final ImagePlus volume) {
		final ImageStack s = volume.getStack();
		final int[][] planes = new int[s.getSize()][];
		for (int z = 0; z < planes.length; z++)
			planes[z] = (int[]) s.getPixels(z + 1);
		final ij.measure.Calibration cal = volume.getCalibration();
		final int[] width = new int[1];
		final int[][] frames = RotatingProjection.project(planes, volume.getWidth(), volume.getHeight(), new double[] {
			cal.pixelWidth, cal.pixelHeight, cal.pixelDepth }, 24, width);
		final ImageStack out = new ImageStack(width[0], volume.getHeight());
		for (int v = 0; v < frames.length; v++)
			out.addSlice(v * 15 + " deg", new ColorProcessor(width[0], volume.getHeight(), frames[v]));
		return new ImagePlus("Projections of " + volume.getTitle(), out);
	}
}
