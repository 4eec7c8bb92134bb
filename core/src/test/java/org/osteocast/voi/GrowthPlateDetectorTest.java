package org.osteocast.voi;

import org.osteocast.core.Otsu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ShortProcessor;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.Volume;

class GrowthPlateDetectorTest {

	private static final double PLATE_CENTRE_UM = (TibiaPhantom.PLATE_START_UM + TibiaPhantom.PLATE_END_UM) / 2;

	private static void assertPlate(final TibiaPhantom p, final GrowthPlateDetector.Result r, final int dir) {
		final double centre = p.sliceOf(PLATE_CENTRE_UM), edge = p.sliceOf(TibiaPhantom.PLATE_END_UM);
		System.out.printf("plate truth %.2f found %d (err %.2f); edge truth %.2f found %.2f (err %.2f); axis %.2f deg%n",
			centre, r.plateSlice, r.plateSlice - centre, edge, r.metaphysealEdge, r.metaphysealEdge - edge,
			r.axisDeviationDeg);
		assertEquals(dir, r.direction);
		assertEquals(centre, r.plateSlice, 2.0, "plate centre");
		assertEquals(edge, r.metaphysealEdge, 2.0, "metaphyseal edge");
		assertTrue(r.warnings.isEmpty(), r.warnings.toString());
		assertTrue(r.axisDeviationDeg < 5, "axis " + r.axisDeviationDeg);
	}

	@Test
	void findsPlateWithProximalAtTop() {
		final TibiaPhantom p = new TibiaPhantom();
		final GrowthPlateDetector.Result r = GrowthPlateDetector.detect(p.week(1), new GrowthPlateDetector.Options());
		assertTrue(r.directionFromData);
		assertPlate(p, r, 1);
	}

	@Test
	void findsPlateAndOrientationWhenFlipped() {
		final TibiaPhantom p = new TibiaPhantom();
		p.flipped = true;
		p.seed = 7;
		assertPlate(p, GrowthPlateDetector.detect(p.week(1), new GrowthPlateDetector.Options()), -1);
	}

	@Test
	void findsPlateAtAnisotropicVoxelsIn16Bit() {
		final TibiaPhantom p = new TibiaPhantom();
		p.voxelUm = new double[] { 20, 20, 30 };
		p.seed = 3;
		final Volume<?> v = to16Bit(p.week(1));
		assertEquals(16, v.type().getBitsPerPixel());
		assertPlate(p, GrowthPlateDetector.detect(v, new GrowthPlateDetector.Options()), 1);
	}

	@Test
	void findsPlateInALegSurroundedByAir() {
		// air | soft tissue | bone: a single Otsu cut would split air from the leg
		final TibiaPhantom p = new TibiaPhantom();
		p.width = p.height = 64;
		p.offsetXUm = p.offsetYUm = 0;
		p.legRadiusUm = 560;
		p.seed = 11;
		final Volume<FloatType> v = p.week(1);
		assertTrue(Otsu.threshold(values(v)) < TibiaPhantom.SOFT, "a single cut separates air from the leg here");
		final GrowthPlateDetector.Result r = GrowthPlateDetector.detect(v, new GrowthPlateDetector.Options());
		assertTrue(r.threshold > TibiaPhantom.CARTILAGE + 0.1 && r.threshold < TibiaPhantom.BONE - 0.1, "threshold " +
			r.threshold);
		assertPlate(p, r, 1);
	}

	@Test
	void givenOrientationIsRespected() {
		final TibiaPhantom p = new TibiaPhantom();
		p.flipped = true;
		final GrowthPlateDetector.Options o = new GrowthPlateDetector.Options();
		o.proximal = GrowthPlateDetector.Proximal.BOTTOM;
		final GrowthPlateDetector.Result r = GrowthPlateDetector.detect(p.week(1), o);
		assertEquals(false, r.directionFromData);
		assertPlate(p, r, -1);
	}

	@Test
	void noBoneIsAClearError() {
		final Volume<FloatType> flat = Volume.of(ArrayImgs.floats(16, 16, 40), 10, "empty-scan");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrowthPlateDetector.detect(
			flat, new GrowthPlateDetector.Options()));
		assertTrue(e.getMessage().contains("empty-scan") && e.getMessage().contains("no bone"), e.getMessage());
	}

	@Test
	void tubeWithoutPlateIsAClearError() {
		// a plain tube (the diaphysis only) has no minimum with bone on both sides
		final Volume<FloatType> tube = Volume.of(ArrayImgs.floats(32, 32, 60), 20, "tube");
		final var ra = tube.image().randomAccess();
		for (int z = 0; z < 60; z++)
			for (int y = 0; y < 32; y++)
				for (int x = 0; x < 32; x++) {
					final double r = Math.hypot(x - 15.5, y - 15.5);
					ra.setPosition(new int[] { x, y, z });
					ra.get().setReal(r < 10 && r >= 7 ? 1 : 0.1);
				}
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrowthPlateDetector.detect(
			tube, new GrowthPlateDetector.Options()));
		assertTrue(e.getMessage().contains("tube") && e.getMessage().contains("--voi-start"), e.getMessage());
	}

	@Test
	void axisDeviationIsMeasuredInMicrometres() {
		// a rod tilted by 20 degrees in x-z; 20 um voxels
		final int w = 80, h = 24, d = 100;
		final Volume<FloatType> rod = Volume.of(ArrayImgs.floats(w, h, d), 20, "tilted");
		final var ra = rod.image().randomAccess();
		final double tan = Math.tan(Math.toRadians(20));
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					ra.setPosition(new int[] { x, y, z });
					final double cx = 22 + z * tan * 0.5;
					ra.get().setReal(Math.hypot(x - cx, y - 11.5) < 5 ? 1 : 0);
				}
		final boolean[][] mask = new boolean[d][w * h];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					ra.setPosition(new int[] { x, y, z });
					mask[z][y * w + x] = ra.get().getRealDouble() > 0.5;
				}
		final double angle = GrowthPlateDetector.axisDeviation(mask, w, h, new double[] { 20, 20, 20 });
		final double truth = Math.toDegrees(Math.atan(tan * 0.5));
		assertEquals(truth, angle, 1.0);
		// the same rod with a z voxel twice as long is steeper in µm: the measure works in µm
		final double anisotropic = GrowthPlateDetector.axisDeviation(mask, w, h, new double[] { 20, 20, 40 });
		assertEquals(Math.toDegrees(Math.atan(tan * 0.25)), anisotropic, 1.0);
	}

	@Test
	void axisDeviationBeyondLimitIsWarned() {
		final GrowthPlateDetector.Options o = new GrowthPlateDetector.Options();
		o.maxAxisDeviationDeg = 0; // the phantom's tiny residual tilt now exceeds the limit
		final GrowthPlateDetector.Result r = GrowthPlateDetector.detect(new TibiaPhantom().week(1).withName("m7"), o);
		assertEquals(1, r.warnings.size());
		assertTrue(r.warnings.get(0).contains("m7") && r.warnings.get(0).contains("long axis deviates"), r.warnings
			.toString());
	}

	private static float[] values(final Volume<FloatType> v) {
		final VolumePlanes vp = new VolumePlanes(v);
		final int n = vp.width() * vp.height();
		final float[] all = new float[n * vp.depth()];
		for (int z = 0; z < vp.depth(); z++)
			System.arraycopy(vp.read(z), 0, all, z * n, n);
		return all;
	}

	static Volume<?> to16Bit(final Volume<FloatType> v) {
		final int w = (int) v.width(), h = (int) v.height(), d = (int) v.depth();
		final ImageStack s = new ImageStack(w, h);
		final var ra = v.image().randomAccess();
		for (int z = 0; z < d; z++) {
			final short[] px = new short[w * h];
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					ra.setPosition(new int[] { x, y, z });
					px[y * w + x] = (short) Math.max(0, Math.min(65535, Math.round(1000 + 20000 * ra.get().getRealDouble())));
				}
			s.addSlice("", new ShortProcessor(w, h, px, null));
		}
		final ImagePlus imp = new ImagePlus("sixteen", s);
		final double[] vox = v.voxelSizeUm();
		imp.getCalibration().setUnit("micron");
		imp.getCalibration().pixelWidth = vox[0];
		imp.getCalibration().pixelHeight = vox[1];
		imp.getCalibration().pixelDepth = vox[2];
		try {
			return ImagePlusVolumes.wrap(imp, null);
		}
		catch (final org.osteocast.io.VolumeIOException e) {
			throw new AssertionError(e);
		}
	}
}
