package org.osteocast.register;

import org.osteocast.core.Otsu;
import org.osteocast.io.Volume;

/**
 * Accuracy of an estimated transform against a known one: the mean
 * displacement over the fixed scan's bone voxels (Otsu), in fixed voxels —
 * the measure the registration's targets are stated in.
 */
public final class RegistrationAccuracy {

	private RegistrationAccuracy() {}

	/**
	 * Mean over the fixed scan's bone voxels x of
	 * {@code |est(truth⁻¹(x)) − x|} (voxel units of the fixed grid).
	 *
	 * @param estimate moving → fixed voxel matrix found by a registration
	 * @param truth the true moving → fixed voxel matrix
	 */
	public static double meanBoneDisplacementVoxels(final Volume<?> fixed, final double[][] estimate,
		final double[][] truth)
	{
		return boneDisplacement(fixed, estimate, truth).mean;
	}

	/** Mean and maximum displacement over the bone voxels, and their number. */
	public static final class Displacement {
		/** Voxel units of the fixed grid; NaN when there is no bone voxel. */
		public final double mean, max;
		/** Bone voxels the displacement was taken over. */
		public final long boneVoxels;

		Displacement(final double mean, final double max, final long boneVoxels) {
			this.mean = mean;
			this.max = max;
			this.boneVoxels = boneVoxels;
		}
	}

	/**
	 * Mean and maximum over the fixed scan's bone voxels x (above Otsu's
	 * threshold) of {@code |est(truth⁻¹(x)) − x|}, in voxels of the fixed grid.
	 *
	 * @param estimate moving → fixed voxel matrix found by a registration
	 * @param truth the true moving → fixed voxel matrix
	 */
	public static Displacement boneDisplacement(final Volume<?> fixed, final double[][] estimate,
		final double[][] truth)
	{
		final FloatGrid g = FloatGrid.of(fixed);
		final double thr = Otsu.classes(g.data)[0];
		final double[][] e = RigidTransforms.multiply(estimate, RigidTransforms.invert(truth));
		double sum = 0, max = Double.NaN;
		long n = 0;
		for (int z = 0, i = 0; z < g.nz; z++)
			for (int y = 0; y < g.ny; y++)
				for (int x = 0; x < g.nx; x++, i++) {
					if (!(g.data[i] > thr)) continue;
					final double dx = e[0][0] * x + e[0][1] * y + e[0][2] * z + e[0][3] - x;
					final double dy = e[1][0] * x + e[1][1] * y + e[1][2] * z + e[1][3] - y;
					final double dz = e[2][0] * x + e[2][1] * y + e[2][2] * z + e[2][3] - z;
					final double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
					sum += d;
					if (!(d <= max)) max = d;
					n++;
				}
		return new Displacement(n > 0 ? sum / n : Double.NaN, max, n);
	}
}
