package org.osteocast.voi;

import org.osteocast.core.Otsu;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the VOI of one mouse lies in week 1's grid (which every registered
 * week shares), and how it is sampled. Immutable; the same geometry is applied
 * to every week so that changes between frames are changes of the bone.
 * <p>
 * Slice coordinates are in voxel units with slice {@code i} centred at
 * {@code i} and covering {@code [i - 0.5, i + 0.5]}; the VOI runs from the
 * boundary {@link #startSlice()} for {@link #thicknessUm()} µm in direction
 * {@link #direction()} (towards the diaphysis). The crop is a square of
 * {@link #cropSideUm()} µm centred on {@link #cropCentreVoxel()} (x, y).
 */
public final class VoiGeometry implements java.io.Serializable {

	private static final long serialVersionUID = 1L;

	private final long[] sourceDims;
	private final double[] voxelUm;
	private final double[] originUm;
	private final int direction;
	private final double startSlice;
	private final double thicknessUm;
	private final int slices;
	private final double[] cropCentre;
	private final double cropSideUm;
	private final int size;
	private final String startMethod;
	private final Integer plateSlice;
	private final double threshold;
	private final double axisDeviationDeg;
	private final Integer junctionSlice;
	private final Map<String, Object> frame;

	/**
	 * @param sourceDims week 1's dimensions (x, y, z)
	 * @param voxelUm week 1's voxel size (µm)
	 * @param originUm week 1's origin (µm)
	 * @param direction +1 (VOI at increasing z) or −1
	 * @param startSlice boundary where the VOI begins (continuous slice coordinate)
	 * @param thicknessUm VOI thickness (µm)
	 * @param slices output slices
	 * @param cropCentre crop centre (x, y) in voxels
	 * @param cropSideUm crop side (µm)
	 * @param size output width and height (pixels)
	 * @param startMethod "growth plate", "tf junction" or "manual"
	 * @param plateSlice detected plate centre, or null
	 * @param threshold Otsu threshold of week 1 (grey value)
	 * @param axisDeviationDeg bone axis vs. z (degrees; NaN if not measured)
	 */
	public VoiGeometry(final long[] sourceDims, final double[] voxelUm, final double[] originUm, final int direction,
		final double startSlice, final double thicknessUm, final int slices, final double[] cropCentre,
		final double cropSideUm, final int size, final String startMethod, final Integer plateSlice,
		final double threshold, final double axisDeviationDeg)
	{
		this(sourceDims, voxelUm, originUm, direction, startSlice, thicknessUm, slices, cropCentre, cropSideUm, size,
			startMethod, plateSlice, threshold, axisDeviationDeg, null, null);
	}

	/**
	 * As above, with the tibia–fibula junction and the frame the VOI was found
	 * in.
	 *
	 * @param junctionSlice detected tibia–fibula junction slice, or null
	 * @param frame how week 1 was prepared (bone component, reslicing; see
	 *          {@link VoiFrame#toMap()}), or null when it was used as it is
	 */
	public VoiGeometry(final long[] sourceDims, final double[] voxelUm, final double[] originUm, final int direction,
		final double startSlice, final double thicknessUm, final int slices, final double[] cropCentre,
		final double cropSideUm, final int size, final String startMethod, final Integer plateSlice,
		final double threshold, final double axisDeviationDeg, final Integer junctionSlice,
		final Map<String, Object> frame)
	{
		if (direction != 1 && direction != -1) throw new IllegalArgumentException("direction must be +1 or -1");
		this.sourceDims = sourceDims.clone();
		this.voxelUm = voxelUm.clone();
		this.originUm = originUm.clone();
		this.direction = direction;
		this.startSlice = startSlice;
		this.thicknessUm = thicknessUm;
		this.slices = slices;
		this.cropCentre = cropCentre.clone();
		this.cropSideUm = cropSideUm;
		this.size = size;
		this.startMethod = startMethod;
		this.plateSlice = plateSlice;
		this.threshold = threshold;
		this.axisDeviationDeg = axisDeviationDeg;
		this.junctionSlice = junctionSlice;
		this.frame = frame == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(frame));
	}

	/** The same geometry, found in the given frame (see {@link VoiFrame#toMap()}). */
	public VoiGeometry withFrame(final Map<String, Object> f) {
		return new VoiGeometry(sourceDims, voxelUm, originUm, direction, startSlice, thicknessUm, slices, cropCentre,
			cropSideUm, size, startMethod, plateSlice, threshold, axisDeviationDeg, junctionSlice, f);
	}

	/** The detected tibia–fibula junction slice, or null when the VOI was not anchored there. */
	public Integer junctionSlice() {
		return junctionSlice;
	}

	/** How week 1 was prepared before the VOI was found (null: used as it is). */
	public Map<String, Object> frame() {
		return frame;
	}

	public long[] sourceDims() {
		return sourceDims.clone();
	}

	public double[] voxelUm() {
		return voxelUm.clone();
	}

	public int direction() {
		return direction;
	}

	public double startSlice() {
		return startSlice;
	}

	/** The boundary where the VOI ends. */
	public double endSlice() {
		return startSlice + direction * thicknessUm / voxelUm[2];
	}

	public double thicknessUm() {
		return thicknessUm;
	}

	public int slices() {
		return slices;
	}

	/** Crop centre (x, y) in voxels; a copy. */
	public double[] cropCentreVoxel() {
		return cropCentre.clone();
	}

	public double cropSideUm() {
		return cropSideUm;
	}

	public int size() {
		return size;
	}

	public String startMethod() {
		return startMethod;
	}

	/** The detected growth-plate centre slice, or null when the start was given by hand. */
	public Integer plateSlice() {
		return plateSlice;
	}

	public double threshold() {
		return threshold;
	}

	public double axisDeviationDeg() {
		return axisDeviationDeg;
	}

	/** Voxel size of the output hyperstack (x, y, z) in µm. */
	public double[] outputVoxelUm() {
		return new double[] { cropSideUm / size, cropSideUm / size, thicknessUm / slices };
	}

	/** Crop box {x0, y0, x1, y1} in µm in the scan's physical coordinates (origin included; voxel edges). */
	public double[] cropBoxUm() {
		final double sx = cropSideUm / voxelUm[0], sy = cropSideUm / voxelUm[1];
		return new double[] { originUm[0] + (cropCentre[0] - sx / 2) * voxelUm[0], originUm[1] + (cropCentre[1] - sy /
			2) * voxelUm[1], originUm[0] + (cropCentre[0] + sx / 2) * voxelUm[0], originUm[1] + (cropCentre[1] + sy /
				2) * voxelUm[1] };
	}

	/** Kernel along x (source width) for the crop. */
	Resampling.Kernel kernelX() {
		final double s = cropSideUm / voxelUm[0];
		return Resampling.kernel((int) sourceDims[0], cropCentre[0] - s / 2, s / size, size);
	}

	/** Kernel along y. */
	Resampling.Kernel kernelY() {
		final double s = cropSideUm / voxelUm[1];
		return Resampling.kernel((int) sourceDims[1], cropCentre[1] - s / 2, s / size, size);
	}

	/** Kernel along z. */
	Resampling.Kernel kernelZ() {
		return Resampling.kernel((int) sourceDims[2], startSlice, direction * thicknessUm / voxelUm[2] / slices, slices);
	}

	/** The geometry as a JSON-friendly map (for {@code slices.json}). */
	public Map<String, Object> toMap() {
		final Map<String, Object> m = new LinkedHashMap<>();
		m.put("voi_start_method", startMethod);
		if (plateSlice != null) m.put("growth_plate_slice", plateSlice);
		if (junctionSlice != null) m.put("tf_junction_slice", junctionSlice);
		m.put("voi_start_slice", round(startSlice));
		m.put("voi_end_slice", round(endSlice()));
		m.put("direction", direction > 0 ? "increasing z (proximal at slice 0)" : "decreasing z (proximal at last slice)");
		m.put("direction_sign", direction);
		m.put("voi_thickness_um", round(thicknessUm));
		m.put("slices", slices);
		m.put("crop_centre_voxel_xy", new double[] { round(cropCentre[0]), round(cropCentre[1]) });
		m.put("crop_side_um", round(cropSideUm));
		final double[] box = cropBoxUm();
		for (int i = 0; i < 4; i++)
			box[i] = round(box[i]);
		m.put("crop_box_um_x0_y0_x1_y1", box);
		m.put("size", size);
		m.put("source_dims_xyz", sourceDims.clone());
		m.put("source_voxel_um", voxelUm.clone());
		final double[] ov = outputVoxelUm();
		for (int i = 0; i < 3; i++)
			ov[i] = round(ov[i]);
		m.put("output_voxel_um", ov);
		m.put("otsu_threshold", round(threshold));
		if (Double.isFinite(axisDeviationDeg)) m.put("axis_deviation_deg", round(axisDeviationDeg));
		if (frame != null) m.put("frame", frame);
		return m;
	}

	private static double round(final double v) {
		return Math.round(v * 1e4) / 1e4;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "VOI[%s start %.2f dir %+d %.0f um, crop %.0f um at (%.1f, %.1f)]", startMethod,
			startSlice, direction, thicknessUm, cropSideUm, cropCentre[0], cropCentre[1]);
	}
}
