package org.osteocast.register;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

import org.osteocast.io.Volume;

/** Helpers shared by the registration tests. */
final class TestScans {

	private TestScans() {}

	/**
	 * The shared real data: {@code ../shared/realdata} from the repository root
	 * (a worktree one level deeper also finds {@code ../../shared/realdata});
	 * the test is skipped when neither exists.
	 */
	static Path realData(final String sub) {
		for (final String root : new String[] { "../shared/realdata", "../../shared/realdata" }) {
			final Path p = Path.of(root, sub);
			if (Files.exists(p)) return p;
		}
		assumeTrue(false, "real data not available: ../shared/realdata/" + sub);
		return null;
	}

	/** 2 × 2 × 2 block average (voxel size doubled). */
	static Volume<FloatType> downsample2(final Volume<?> v) {
		final FloatGrid g = FloatGrid.of(v);
		final int nx = g.nx / 2, ny = g.ny / 2, nz = g.nz / 2;
		final float[] out = new float[nx * ny * nz];
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++, i++) {
					float s = 0;
					for (int c = 0; c < 2; c++)
						for (int b = 0; b < 2; b++)
							for (int a = 0; a < 2; a++)
								s += g.data[2 * x + a + g.nx * (2 * y + b + g.ny * (2 * z + c))];
					out[i] = s / 8;
				}
		return new Volume<>(ArrayImgs.floats(out, nx, ny, nz), new double[] { 2 * g.vs[0], 2 * g.vs[1], 2 * g.vs[2] },
			new double[3], v.name());
	}

	/** Linear map of a float volume's [lo, hi] onto an 8-bit planar volume. */
	static Volume<UnsignedByteType> to8bit(final Volume<FloatType> v, final double lo, final double hi) {
		final FloatGrid g = FloatGrid.of(v);
		final PlanarImg<UnsignedByteType, ?> img = PlanarImgs.unsignedBytes(g.nx, g.ny, g.nz);
		final var c = net.imglib2.view.Views.flatIterable(img).cursor();
		for (int i = 0; c.hasNext(); i++)
			c.next().setReal(Math.max(0, Math.min(255, Math.round(255 * (g.data[i] - lo) / (hi - lo)))));
		return v.withImage(img);
	}

	/** Linear map of a float volume's [lo, hi] onto a 16-bit planar volume (0 … 40000). */
	static Volume<UnsignedShortType> to16bit(final Volume<FloatType> v, final double lo, final double hi) {
		final FloatGrid g = FloatGrid.of(v);
		final PlanarImg<UnsignedShortType, ?> img = PlanarImgs.unsignedShorts(g.nx, g.ny, g.nz);
		final var c = net.imglib2.view.Views.flatIterable(img).cursor();
		for (int i = 0; c.hasNext(); i++)
			c.next().setReal(Math.max(0, Math.min(65535, Math.round(40000 * (g.data[i] - lo) / (hi - lo)))));
		return v.withImage(img);
	}

	/**
	 * The pair the streaming tests register: 192 × 176 × 240 synthetic scans
	 * with a lesion, 16-bit, written as {@code dir/week1.tif} and
	 * {@code dir/week2.tif}.
	 *
	 * @return the true moving-to-fixed voxel transform
	 */
	static double[][] writeStreamingPair(final Path dir) throws java.io.IOException {
		final org.osteocast.register.bench.SyntheticBone.Spec s = new org.osteocast.register.bench.SyntheticBone.Spec();
		s.nx = 192;
		s.ny = 176;
		s.nz = 240;
		s.lesionRadiusVoxels = 8;
		final org.osteocast.register.bench.SyntheticBone.Pair p = org.osteocast.register.bench.SyntheticBone.pair(s, 21);
		Files.createDirectories(dir);
		org.osteocast.io.formats.VolumeIO.write(to16bit(p.fixed, 0, 1100), dir.resolve("week1.tif"));
		org.osteocast.io.formats.VolumeIO.write(to16bit(p.moving, 0, 1100), dir.resolve("week2.tif"));
		return p.movingToFixedVoxel;
	}
}
