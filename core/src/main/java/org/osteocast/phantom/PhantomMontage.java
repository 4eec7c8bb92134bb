package org.osteocast.phantom;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;

import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.contracts.TransformFile;
import org.osteocast.io.Volume;
import org.osteocast.io.VolumeIOException;

/**
 * Draws a phantom cohort as one PNG: one row per mouse (tumour mice first,
 * then controls), one column per week, each tile the axial slice half-way down
 * the VOI (1.05 mm below the growth plate) of that week's scan brought into
 * week 1's frame with the ground-truth transform, with the true lesion outlined
 * in red; a last column shows a coronal section of the last scan through the
 * bone axis (growth plate at the top, the VOI below, the axial level marked).
 * The grey window is the same for every tile (percentiles of the first
 * mouse's week-1 slice), so brightness can be compared across weeks.
 */
public final class PhantomMontage {

	private static final int SCALE = 2;

	private PhantomMontage() {}

	/**
	 * @param cohort a phantom output folder (cohort.csv, truth/)
	 * @param png the image to write
	 * @param tumourRows how many tumour (or loaded) mice to show
	 * @param controlRows how many controls to show
	 */
	public static void write(final Path cohort, final Path png, final int tumourRows, final int controlRows)
		throws IOException
	{
		final Map<String, String> groups = new LinkedHashMap<>();
		final Map<String, Map<Integer, String>> images = new LinkedHashMap<>();
		final Path csv = cohort.resolve("cohort.csv");
		if (!Files.isRegularFile(csv)) throw new VolumeIOException(cohort, "no cohort.csv: not a phantom output folder");
		final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
		for (final String line : lines.subList(1, lines.size())) {
			final String[] f = line.split(",");
			if (f.length < 4) continue;
			groups.put(f[0], f[3]);
			images.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(Integer.parseInt(f[1]), f[2]);
		}
		final JsonObject params = JsonParser.parseString(Files.readString(cohort.resolve("phantom.json"))).getAsJsonObject();
		final int weeks = params.get("weeks").getAsInt();
		final List<String> rows = new ArrayList<>();
		int t = 0, c = 0;
		for (final Map.Entry<String, String> e : groups.entrySet())
			if (!e.getValue().equals("control") && t < tumourRows) {
				rows.add(e.getKey());
				t++;
			}
		for (final Map.Entry<String, String> e : groups.entrySet())
			if (e.getValue().equals("control") && c < controlRows) {
				rows.add(e.getKey());
				c++;
			}
		if (rows.isEmpty()) throw new VolumeIOException(cohort, "no mice to show");

		final int label = 18;
		BufferedImage out = null;
		double lo = 0, hi = 1;
		int tile = 0;
		for (int r = 0; r < rows.size(); r++) {
			final String mouse = rows.get(r);
			final Path truth = cohort.resolve("truth").resolve(mouse);
			final JsonObject anatomy = JsonParser.parseString(Files.readString(truth.resolve("anatomy.json")))
				.getAsJsonObject();
			final double voxel = anatomy.get("voxel_um").getAsDouble();
			final int plate = anatomy.getAsJsonObject("growth_plate").get("slice").getAsInt();
			final int[] size = new int[3];
			for (int d = 0; d < 3; d++)
				size[d] = anatomy.getAsJsonArray("scan_size_xyz").get(d).getAsInt();
			final int zMid = Math.min(size[2] - 1, (int) Math.round(plate + 1050 / voxel));
			if (out == null) {
				tile = size[0] * SCALE;
				out = new BufferedImage((weeks + 1) * tile, rows.size() * (tile + label) + label,
					BufferedImage.TYPE_INT_RGB);
			}
			int lastWeek = 1;
			for (int k = 1; k <= weeks; k++) {
				final int x0 = (k - 1) * tile, y0 = label + r * (tile + label);
				final String image = images.get(mouse).get(k);
				if (image == null) {
					text(out, "week " + k + ": not scanned", x0 + 4, y0 + tile / 2, Color.LIGHT_GRAY);
					continue;
				}
				lastWeek = k;
				final Volume<?> scan = readScan(cohort.resolve(image));
				final double[][] m = TransformFile.read(truth.resolve("week" + k + ".transform.json")).movingToFixedVoxel();
				final float[] slice = axial(scan, m, size[0], size[1], zMid);
				if (r == 0 && k == 1) {
					final float[] s = slice.clone();
					Arrays.sort(s);
					lo = s[(int) (0.01 * (s.length - 1))];
					hi = s[(int) (0.998 * (s.length - 1))];
				}
				final byte[] lesion = plane(truth.resolve("week" + k + "_lesion.tif"), zMid);
				paint(out, slice, lesion, size[0], size[1], x0, y0, lo, hi, -1);
				text(out, mouse + " " + groups.get(mouse) + "  week " + k, x0 + 4, y0 - 4, Color.WHITE);
			}
			// coronal section through the bone axis of the last scan, from 0.3 mm above the plate to 2.1 mm below it
			final Volume<?> scan = readScan(cohort.resolve(images.get(mouse).get(lastWeek)));
			final double[][] m = TransformFile.read(truth.resolve("week" + lastWeek + ".transform.json"))
				.movingToFixedVoxel();
			final int yAxis = (int) Math.round(anatomy.getAsJsonObject("bone_axis").getAsJsonArray("point_voxel").get(1)
				.getAsDouble());
			final int z0 = (int) Math.round(plate - 300 / voxel);
			final int depth = (int) Math.round(2400 / voxel);
			final float[] cor = coronal(scan, m, size[0], yAxis, z0, depth);
			final byte[] corLesion = coronalLabel(truth.resolve("week" + lastWeek + "_lesion.tif"), size[0], yAxis, z0,
				depth);
			final int x0 = weeks * tile, y0 = label + r * (tile + label);
			paint(out, cor, corLesion, size[0], depth, x0, y0, lo, hi, zMid - z0);
			text(out, "coronal, week " + lastWeek, x0 + 4, y0 - 4, Color.WHITE);
		}
		final BufferedImage img = out;
		AtomicFiles.write(png, tmp -> {
			if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException(png + ": no PNG writer");
		});
	}

	private static Volume<?> readScan(final Path image) throws IOException {
		if (Files.isDirectory(image)) {
			// a SkyScan folder as the phantom writes it: slices in index order
			final List<Path> slices = new ArrayList<>();
			try (DirectoryStream<Path> ds = Files.newDirectoryStream(image, "*_rec[0-9]*.tif")) {
				ds.forEach(slices::add);
			}
			slices.sort(null);
			if (slices.isEmpty()) throw new VolumeIOException(image, "no slices");
			final ij.ImageStack stack = new ij.ImageStack();
			for (final Path s : slices)
				stack.addSlice(TiffIO.read(s).getProcessor());
			return ImagePlusVolumes.wrap(new ij.ImagePlus(image.getFileName().toString(), stack), image);
		}
		return ImagePlusVolumes.wrap(TiffIO.read(image), image);
	}

	private static byte[] plane(final Path labelTif, final int z) throws IOException {
		final ij.ImagePlus imp = TiffIO.read(labelTif);
		return (byte[]) imp.getStack().getPixels(z + 1);
	}

	private static byte[] coronalLabel(final Path labelTif, final int nx, final int y, final int z0, final int depth)
		throws IOException
	{
		final ij.ImageStack st = TiffIO.read(labelTif).getStack();
		final byte[] out = new byte[nx * depth];
		for (int j = 0; j < depth; j++) {
			final int z = z0 + j;
			if (z < 0 || z >= st.getSize()) continue;
			final byte[] p = (byte[]) st.getPixels(z + 1);
			System.arraycopy(p, y * nx, out, j * nx, nx);
		}
		return out;
	}

	private static <T extends RealType<T>> float[] axial(final Volume<T> scan, final double[][] movingToFixed,
		final int nx, final int ny, final int z)
	{
		final double[][] inv = Rigid.invert(full(movingToFixed));
		final RandomAccess<T> ra = scan.image().randomAccess();
		final float[] s = new float[nx * ny];
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				final double[] p = Rigid.apply(inv, x, y, z);
				s[y * nx + x] = (float) RigidResampler.trilinear(ra, scan.width(), scan.height(), scan.depth(), p[0], p[1],
					p[2], Double.NaN);
			}
		return s;
	}

	private static <T extends RealType<T>> float[] coronal(final Volume<T> scan, final double[][] movingToFixed,
		final int nx, final int y, final int z0, final int depth)
	{
		final double[][] inv = Rigid.invert(full(movingToFixed));
		final RandomAccess<T> ra = scan.image().randomAccess();
		final float[] s = new float[nx * depth];
		for (int j = 0; j < depth; j++)
			for (int x = 0; x < nx; x++) {
				final double[] p = Rigid.apply(inv, x, y, z0 + j);
				s[j * nx + x] = (float) RigidResampler.trilinear(ra, scan.width(), scan.height(), scan.depth(), p[0], p[1],
					p[2], Double.NaN);
			}
		return s;
	}

	private static double[][] full(final double[][] m) {
		final double[][] f = Rigid.identity();
		for (int i = 0; i < 3; i++)
			f[i] = m[i].clone();
		return f;
	}

	/** Paints a w × h slice scaled into a tile-sized square, lesion outline in red, optional marker row. */
	private static void paint(final BufferedImage out, final float[] slice, final byte[] lesion, final int w,
		final int h, final int x0, final int y0, final double lo, final double hi, final int markRow)
	{
		final int tw = w * SCALE;
		for (int ty = 0; ty < tw; ty++)
			for (int tx = 0; tx < tw; tx++) {
				final int x = Math.min(w - 1, tx / SCALE), y = Math.min(h - 1, (int) ((long) ty * h / tw));
				final float v = slice[y * w + x];
				int rgb;
				if (Float.isNaN(v)) rgb = 0x202040;
				else {
					final int g = (int) Math.max(0, Math.min(255, Math.round(255 * (v - lo) / (hi - lo))));
					rgb = (g << 16) | (g << 8) | g;
				}
				if (lesion != null && lesion[y * w + x] != 0) {
					final boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1 || lesion[y * w + x - 1] == 0 ||
						lesion[y * w + x + 1] == 0 || lesion[(y - 1) * w + x] == 0 || lesion[(y + 1) * w + x] == 0;
					if (edge) rgb = 0xFF3030;
				}
				if (markRow >= 0 && y == markRow && (tx / 4) % 2 == 0) rgb = 0x30C0FF;
				out.setRGB(x0 + tx, y0 + ty, rgb);
			}
	}

	private static void text(final BufferedImage img, final String s, final int x, final int y, final Color c) {
		try {
			final Graphics2D g = img.createGraphics();
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setStroke(new BasicStroke(1));
			g.setColor(c);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			g.drawString(s, x, y);
			g.dispose();
		}
		catch (final RuntimeException | LinkageError | InternalError e) {
			// no fonts on this machine (a bare headless JRE): the image is still useful without labels
		}
	}
}
