package org.osteocast.voi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.Volume;

class SliceExtractorTest {

	private static List<Volume<FloatType>> weeks(final TibiaPhantom p, final int n) {
		final List<Volume<FloatType>> w = new ArrayList<>();
		for (int k = 1; k <= n; k++)
			w.add(p.week(k));
		return w;
	}

	@Test
	void allWeeksShareTheVoiAndTheContractLayout() {
		final TibiaPhantom p = new TibiaPhantom();
		final SliceExtractor.Extraction e = SliceExtractor.extract(weeks(p, 4), new SliceOptions(), null, "m1");
		final Hyperstack h = e.slices;
		assertEquals(64, h.width());
		assertEquals(64, h.height());
		assertEquals(48, h.slices());
		assertEquals(4, h.frames());
		final VoiGeometry g = e.geometry;
		assertEquals(2100, g.thicknessUm(), 1e-9);
		assertEquals(p.sliceOf(TibiaPhantom.PLATE_END_UM), g.startSlice(), 2.0);
		assertEquals(g.startSlice() + 105, g.endSlice(), 1e-9);
		// crop centred on the bone (the phantom's centre), side covers the bone (radius 380 um) + margin
		final double[] c = g.cropCentreVoxel();
		assertEquals(p.centreXUm() / 20 - 0.5, c[0], 1.0);
		assertEquals(p.centreYUm() / 20 - 0.5, c[1], 1.0);
		assertTrue(g.cropSideUm() >= 2 * 380 && g.cropSideUm() < 2 * 380 * 1.3, "side " + g.cropSideUm());
		assertArrayEquals(new double[] { g.cropSideUm() / 64, g.cropSideUm() / 64, 2100.0 / 48 }, h.voxelSizeUm(), 1e-6);
		double lo = 1, hi = 0;
		for (int t = 0; t < 4; t++)
			for (int z = 0; z < 48; z++)
				for (final float v : h.plane(z, t)) {
					lo = Math.min(lo, v);
					hi = Math.max(hi, v);
				}
		assertTrue(lo >= 0 && hi <= 1 && hi - lo > 0.9, lo + " " + hi);
		// identical geometry: away from the lesion, weeks differ only by noise (mean abs diff << bone contrast)
		final double far = meanAbsDiff(h, 0, 3, 44, 48);
		final double lesion = meanAbsDiff(h, 0, 3, 10, 20);
		assertTrue(far < 0.05, "far from the lesion weeks 1 and 4 differ by " + far);
		assertTrue(lesion > 2 * far, "lesion region " + lesion + " vs far " + far);
	}

	private static double meanAbsDiff(final Hyperstack h, final int t0, final int t1, final int z0, final int z1) {
		double s = 0;
		int n = 0;
		for (int z = z0; z < z1; z++) {
			final float[] a = h.plane(z, t0), b = h.plane(z, t1);
			for (int i = 0; i < a.length; i++) {
				s += Math.abs(a[i] - b[i]);
				n++;
			}
		}
		return s / n;
	}

	@Test
	void sameGeometryForEveryWeekEvenIfLaterWeeksAlone() {
		final TibiaPhantom p = new TibiaPhantom();
		final SliceOptions o = new SliceOptions();
		final VoiGeometry g = SliceExtractor.geometry(p.week(1), o, "m1", new ArrayList<>());
		final Hyperstack all = SliceExtractor.extractRaw(weeks(p, 3), g, "m1");
		final Hyperstack single = new Hyperstack(64, 64, 48, 1, g.outputVoxelUm(), "m1");
		SliceExtractor.extractFrame(p.week(3), g, single, 0);
		for (int z = 0; z < 48; z++)
			assertArrayEquals(all.plane(z, 2), single.plane(z, 0));
		// deterministic
		final Hyperstack again = SliceExtractor.extractRaw(weeks(p, 3), SliceExtractor.geometry(p.week(1), o, "m1",
			new ArrayList<>()), "m1");
		for (int t = 0; t < 3; t++)
			for (int z = 0; z < 48; z++)
				assertArrayEquals(all.plane(z, t), again.plane(z, t));
	}

	@Test
	void registeredHyperstackGivesTheSameResultAsTheWeekList() {
		final TibiaPhantom p = new TibiaPhantom();
		final List<Volume<FloatType>> w = weeks(p, 2);
		final int n = p.width * p.height, d = p.depth();
		final Hyperstack registered = new Hyperstack(p.width, p.height, d, 2, p.voxelUm, "open-image");
		for (int t = 0; t < 2; t++) {
			final float[] a = ((net.imglib2.img.array.ArrayImg<FloatType, net.imglib2.img.basictypeaccess.array.FloatArray>) w
				.get(t).image()).update(null).getCurrentStorageArray();
			for (int z = 0; z < d; z++)
				System.arraycopy(a, z * n, registered.plane(z, t), 0, n);
		}
		final SliceOptions o = new SliceOptions();
		final SliceExtractor.Extraction a = SliceExtractor.extract(registered, o, null);
		final SliceExtractor.Extraction b = SliceExtractor.extract(w, o, null, "open-image");
		assertEquals("open-image", a.slices.name());
		assertEquals(b.geometry.startSlice(), a.geometry.startSlice(), 1e-12);
		for (int t = 0; t < 2; t++)
			for (int z = 0; z < 48; z++)
				assertArrayEquals(b.slices.plane(z, t), a.slices.plane(z, t));
	}

	@Test
	void flippedScanGivesTheSameSlicesInTheSameOrder() {
		final TibiaPhantom top = new TibiaPhantom(), bottom = new TibiaPhantom();
		top.noise = 0;
		bottom.noise = 0;
		bottom.flipped = true;
		final SliceOptions o = new SliceOptions();
		o.voiStart = (int) Math.round(top.sliceOf(TibiaPhantom.PLATE_END_UM) + 0.5);
		o.proximal = GrowthPlateDetector.Proximal.TOP;
		final Hyperstack a = SliceExtractor.extract(List.of(top.week(1)), o, new IntensityWindow(0, 1, "t"), "a").slices;
		o.voiStart = (int) Math.round(bottom.sliceOf(TibiaPhantom.PLATE_END_UM) - 0.5);
		o.proximal = GrowthPlateDetector.Proximal.BOTTOM;
		final SliceExtractor.Extraction eb = SliceExtractor.extract(List.of(bottom.week(1)), o, new IntensityWindow(0, 1,
			"t"), "b");
		assertEquals("manual", eb.geometry.startMethod());
		assertEquals(-1, eb.geometry.direction());
		for (int z = 0; z < 48; z++)
			assertArrayEquals(a.plane(z, 0), eb.slices.plane(z, 0), 1e-5f, "slice " + z);
	}

	@Test
	void offsetMovesTheStart() {
		final TibiaPhantom p = new TibiaPhantom();
		final SliceOptions o = new SliceOptions();
		final VoiGeometry g0 = SliceExtractor.geometry(p.week(1), o, "m", new ArrayList<>());
		o.offsetMm = 0.2;
		final VoiGeometry g1 = SliceExtractor.geometry(p.week(1), o, "m", new ArrayList<>());
		assertEquals(g0.startSlice() + 10, g1.startSlice(), 1e-9);
		o.offsetMm = 0;
		o.proximal = GrowthPlateDetector.Proximal.TOP;
		o.voiStart = 40;
		final VoiGeometry gm = SliceExtractor.geometry(p.week(1), o, "m", new ArrayList<>());
		assertEquals(39.5, gm.startSlice(), 1e-9);
		assertEquals(null, gm.plateSlice());
	}

	@Test
	void voiPastTheEndNamesMouseOverflowAndRemedy() {
		final TibiaPhantom p = new TibiaPhantom(); // 170 slices, VOI starts near 33.5
		final SliceOptions o = new SliceOptions();
		o.voiMm = 3.0; // 150 slices: past the end by about 14
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SliceExtractor.geometry(p
			.week(1), o, "mouse-7", new ArrayList<>()));
		final String m = e.getMessage();
		assertTrue(m.contains("mouse-7") && m.contains("past the end") && m.contains("--voi-mm") && m.contains(
			"170 slices"), m);
		final int past = Integer.parseInt(m.replaceAll(".*runs (\\d+) slices past.*", "$1"));
		assertTrue(past >= 12 && past <= 16, m);
	}

	@Test
	void cropLargerThanImageIsAnErrorAndNearTheEdgeIsClamped() {
		final TibiaPhantom p = new TibiaPhantom(); // 48 x 48 pixels of 20 um = 960 um
		final SliceOptions o = new SliceOptions();
		o.cropMm = 1.2;
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SliceExtractor.geometry(p
			.week(1), o, "mouse-3", new ArrayList<>()));
		assertTrue(e.getMessage().contains("mouse-3") && e.getMessage().contains("larger than the image") && e
			.getMessage().contains("12.0 pixels"), e.getMessage());
		o.cropMm = 0.9; // fits, but the bone sits 40 um right of centre: the square must move left
		final List<String> warnings = new ArrayList<>();
		final VoiGeometry g = SliceExtractor.geometry(p.week(1), o, "mouse-3", warnings);
		assertEquals(1, warnings.size(), warnings.toString());
		assertTrue(warnings.get(0).contains("mouse-3") && warnings.get(0).contains("moved"), warnings.get(0));
		final double[] box = g.cropBoxUm();
		assertTrue(box[0] >= -1e-6 && box[2] <= 960 + 1e-6, java.util.Arrays.toString(box));
	}

	@Test
	void weeksOffWeekOneGridAreRejected() {
		final TibiaPhantom p = new TibiaPhantom();
		final VoiGeometry g = SliceExtractor.geometry(p.week(1), new SliceOptions(), "m9", new ArrayList<>());
		final Volume<FloatType> other = Volume.of(ArrayImgs.floats(40, 48, 170), 20, "w2");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SliceExtractor.extractRaw(
			List.of(p.week(1), other), g, "m9"));
		assertTrue(e.getMessage().contains("m9") && e.getMessage().contains("register"), e.getMessage());
	}
}
