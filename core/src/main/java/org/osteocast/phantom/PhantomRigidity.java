package org.osteocast.phantom;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.osteocast.io.util.AtomicFiles;
import org.osteocast.io.formats.VolumeIO;
import org.osteocast.metrics.Rigidity;
import org.osteocast.metrics.RigidityAnalysis;

/**
 * The true rigidity of every week of a synthetic cohort
 * ({@code truth/rigidity.csv}): CT-based rigidity analysis ({@link Rigidity})
 * of each week's noise-free volume in week 1's frame, over the VOI from the
 * growth plate's metaphyseal edge to 2.1 mm below the plate, less the proximal
 * margin ({@link Rigidity#PROXIMAL_MARGIN_UM}: the slices within 0.1 mm of the
 * edge, where the plate's transition and not the shaft sets the minimum; the
 * {@code voi_slices} column gives the slices searched), in the relative mode with the
 * phantom's own grey levels (bone above the midpoint of soft tissue and
 * cortical bone; partial volume between them), and the worst drop of the
 * minimum EA, EI_min or GJ from week 1. Lesions that break through the cortex
 * drop it; controls barely change.
 */
public final class PhantomRigidity {

	private PhantomRigidity() {}

	/** File name under {@code truth/}. */
	public static final String FILE = "rigidity.csv";

	/** The VOI below the growth plate (µm). */
	public static final double VOI_UM = 2100;

	/** Header of {@link #FILE}. */
	public static final String HEADER = "mouse,group,week,voi_slices,min_ea_mm2,min_ei_min_mm4,min_gj_mm4," +
		"weakest_slice,drop_from_week1,drop_above_35pct";

	/** The material of the phantom's grey scale (relative mode). */
	public static Rigidity.Material material(final PhantomParameters p) {
		final double soft = p.softTissueGrey(), bone = p.boneGrey();
		return Rigidity.Material.relative((soft + bone) / 2, soft, bone, Rigidity.DEFAULT_POISSON);
	}

	/** Computes and writes {@code truth/rigidity.csv} for the weeks of {@code rows}. */
	static void write(final Path out, final PhantomParameters p, final List<PhantomGenerator.WeekSummary> rows)
		throws IOException
	{
		final Rigidity.Material m = material(p);
		final StringBuilder b = new StringBuilder(HEADER).append('\n');
		Rigidity.Profile week1 = null;
		for (final PhantomGenerator.WeekSummary r : rows) {
			final Path dir = out.resolve("truth").resolve(r.mouse());
			final JsonObject plate = JsonParser.parseString(Files.readString(dir.resolve("anatomy.json"))).getAsJsonObject()
				.getAsJsonObject("growth_plate");
			final double v = p.voxelUm();
			final float[][] all = RigidityAnalysis.planes(VolumeIO.read(dir.resolve("week" + r.week() + "_ideal.tif")));
			final int first = (int) Math.min(all.length - 1, plate.get("slice").getAsInt() + Math.ceil(plate.get(
				"thickness_um").getAsDouble() / 2 / v) + 1 + Rigidity.marginSlices(Rigidity.PROXIMAL_MARGIN_UM, v));
			final int last = (int) Math.min(all.length - 1, Math.round(plate.get("slice").getAsInt() + VOI_UM / v));
			final float[][] voi = java.util.Arrays.copyOfRange(all, first, last + 1);
			final Rigidity.Profile pr = Rigidity.profile(voi, p.scanWidth(), p.scanWidth(), v, m);
			if (r.week() == 1) week1 = pr;
			final double drop = week1 == null ? Double.NaN : Rigidity.worstDrop(week1, pr);
			b.append(String.format(Locale.ROOT, "%s,%s,%d,%d-%d,%.6g,%.6g,%.6g,%d,%.4f,%s\n", r.mouse(), r.group(), r
				.week(), first + 1, last + 1, pr.min(0), pr.min(1), pr.min(3), pr.weakest(1) + first + 1, drop, drop >
					Rigidity.DEFAULT_DROP));
		}
		AtomicFiles.writeString(out.resolve("truth").resolve(FILE), b.toString());
	}
}
