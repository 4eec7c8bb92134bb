package org.osteocast.io.contracts;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osteocast.OsteoCast;
import org.osteocast.io.VolumeIOException;
import org.osteocast.io.util.AtomicFiles;

/**
 * The rigid-transform contract ({@code <mouse>/week<k>.transform.json}):
 * {@code moving_to_fixed_voxel_xyz}, a 4 × 4 homogeneous matrix mapping a
 * voxel position (x, y, z; 0-based index units) of the moving scan to the
 * fixed scan; the same in micrometres ({@code moving_to_fixed_um}); the final
 * metric; the software version; and free-form extra fields.
 */
public final class TransformFile {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
		.create();

	private final double[][] voxel;
	private final double[][] um;
	private final double metric;
	private final String version;
	private final Map<String, JsonElement> extra;

	/**
	 * @param movingToFixedVoxel 4 × 4 (or 3 × 4) voxel-index matrix, moving → fixed
	 * @param movingVoxelUm voxel size of the moving scan (x, y, z) in µm
	 * @param fixedVoxelUm voxel size of the fixed scan in µm
	 * @param metric final similarity value (NaN where none, e.g. a ground truth)
	 */
	public static TransformFile fromVoxelMatrix(final double[][] movingToFixedVoxel, final double[] movingVoxelUm,
		final double[] fixedVoxelUm, final double metric)
	{
		final double[][] v = homogeneous(movingToFixedVoxel);
		// x_um_fixed = S_f * V * S_m^-1 * x_um_moving
		final double[][] u = new double[4][4];
		for (int r = 0; r < 3; r++) {
			for (int c = 0; c < 3; c++)
				u[r][c] = fixedVoxelUm[r] * v[r][c] / movingVoxelUm[c];
			u[r][3] = fixedVoxelUm[r] * v[r][3];
		}
		u[3][3] = 1;
		return new TransformFile(v, u, metric, OsteoCast.VERSION, new LinkedHashMap<>());
	}

	private TransformFile(final double[][] voxel, final double[][] um, final double metric, final String version,
		final Map<String, JsonElement> extra)
	{
		this.voxel = voxel;
		this.um = um;
		this.metric = metric;
		this.version = version;
		this.extra = extra;
	}

	private static double[][] homogeneous(final double[][] m) {
		if ((m.length != 3 && m.length != 4) || m[0].length != 4) throw new IllegalArgumentException(
			"expected a 3x4 or 4x4 matrix");
		final double[][] h = new double[4][4];
		for (int r = 0; r < m.length && r < 3; r++)
			System.arraycopy(m[r], 0, h[r], 0, 4);
		h[3][3] = 1;
		return h;
	}

	/** Moving → fixed voxel-index matrix (4 × 4, a copy). */
	public double[][] movingToFixedVoxel() {
		return copy(voxel);
	}

	/** Moving → fixed matrix in µm (4 × 4, a copy). */
	public double[][] movingToFixedUm() {
		return copy(um);
	}

	public double metric() {
		return metric;
	}

	public String version() {
		return version;
	}

	/** Extra fields kept in the file (rotation in degrees, flags, ...). */
	public Map<String, JsonElement> extra() {
		return extra;
	}

	/** Adds an extra field (numbers, strings, booleans or arrays of them). */
	public TransformFile with(final String key, final Object value) {
		extra.put(key, GSON.toJsonTree(value));
		return this;
	}

	/** Writes the JSON atomically. */
	public void write(final Path file) throws IOException {
		final JsonObject o = new JsonObject();
		o.add("moving_to_fixed_voxel_xyz", GSON.toJsonTree(voxel));
		o.add("moving_to_fixed_um", GSON.toJsonTree(um));
		o.addProperty("metric", metric);
		o.addProperty("software", "OsteoCast");
		o.addProperty("version", version);
		for (final Map.Entry<String, JsonElement> e : extra.entrySet())
			o.add(e.getKey(), e.getValue());
		AtomicFiles.writeString(file, GSON.toJson(o) + "\n");
	}

	/** Reads a transform file, checking the contract's required field. */
	public static TransformFile read(final Path file) throws VolumeIOException {
		final JsonObject o;
		try {
			o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
		}
		catch (final IOException e) {
			throw new VolumeIOException(file, "cannot read transform file", e);
		}
		catch (final JsonParseException | IllegalStateException e) {
			throw new VolumeIOException(file, "not a JSON object (" + e.getMessage() + ")", e);
		}
		if (!o.has("moving_to_fixed_voxel_xyz")) throw new VolumeIOException(file,
			"missing 'moving_to_fixed_voxel_xyz'");
		final double[][] v = matrix(file, o.get("moving_to_fixed_voxel_xyz"));
		final double[][] u = o.has("moving_to_fixed_um") ? matrix(file, o.get("moving_to_fixed_um")) : null;
		final double metric = o.has("metric") && !o.get("metric").isJsonNull() ? o.get("metric").getAsDouble()
			: Double.NaN;
		final String version = o.has("version") ? o.get("version").getAsString() : "unknown";
		final Map<String, JsonElement> extra = new LinkedHashMap<>();
		for (final Map.Entry<String, JsonElement> e : o.entrySet())
			if (!e.getKey().equals("moving_to_fixed_voxel_xyz") && !e.getKey().equals("moving_to_fixed_um") && !e
				.getKey().equals("metric") && !e.getKey().equals("version") && !e.getKey().equals("software")) extra.put(e
					.getKey(), e.getValue());
		return new TransformFile(v, u != null ? u : v, metric, version, extra);
	}

	private static double[][] matrix(final Path file, final JsonElement e) throws VolumeIOException {
		try {
			final JsonArray rows = e.getAsJsonArray();
			final double[][] m = new double[rows.size()][];
			for (int r = 0; r < m.length; r++) {
				final JsonArray row = rows.get(r).getAsJsonArray();
				m[r] = new double[row.size()];
				for (int c = 0; c < m[r].length; c++)
					m[r][c] = row.get(c).getAsDouble();
			}
			return homogeneous(m);
		}
		catch (final RuntimeException ex) {
			throw new VolumeIOException(file, "transform matrix must be 4x4 numbers (" + ex.getMessage() + ")", ex);
		}
	}

	private static double[][] copy(final double[][] m) {
		final double[][] c = new double[m.length][];
		for (int i = 0; i < m.length; i++)
			c[i] = m[i].clone();
		return c;
	}
}
