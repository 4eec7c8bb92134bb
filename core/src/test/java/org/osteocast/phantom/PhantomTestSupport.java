package org.osteocast.phantom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osteocast.io.formats.ImagePlusVolumes;
import org.osteocast.io.formats.TiffIO;
import org.osteocast.io.Volume;

/** Helpers shared by the phantom tests: tiny cohorts, CSV rows, file hashes. */
final class PhantomTestSupport {

	private PhantomTestSupport() {}

	/** A fast cohort: 40 µm voxels (60 × 60 × 80), no noise. */
	static PhantomParameters.Builder tiny() {
		return PhantomParameters.builder().voxelUm(40).mice(3).weeks(4).noiseSd(0).missingWeekProb(0).hardFraction(0)
			.tumourFraction(0.67).threads(2);
	}

	/** Rows of a CSV file without its header, split at commas. */
	static List<String[]> rows(final Path csv) throws IOException {
		final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
		final List<String[]> rows = new ArrayList<>();
		for (final String l : lines.subList(1, lines.size()))
			if (!l.isBlank()) rows.add(l.split(","));
		return rows;
	}

	/** A TIFF stack as a volume. */
	static Volume<?> read(final Path tif) throws IOException {
		return ImagePlusVolumes.wrap(TiffIO.read(tif), tif);
	}

	/** SHA-256 of every file under a folder, keyed by relative path. */
	static Map<String, String> hashes(final Path root) throws IOException {
		final Map<String, String> m = new TreeMap<>();
		try (Stream<Path> s = Files.walk(root)) {
			for (final Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator)
				m.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
		}
		return m;
	}

	static String sha256(final byte[] b) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Pearson correlation over the pairs where neither value is NaN. */
	static double correlation(final float[] a, final float[] b) {
		double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
		long n = 0;
		for (int i = 0; i < a.length; i++) {
			if (Float.isNaN(a[i]) || Float.isNaN(b[i])) continue;
			sa += a[i];
			sb += b[i];
			saa += a[i] * (double) a[i];
			sbb += b[i] * (double) b[i];
			sab += a[i] * (double) b[i];
			n++;
		}
		final double cov = sab / n - sa / n * sb / n, va = saa / n - sa / n * sa / n, vb = sbb / n - sb / n * sb / n;
		return cov / Math.sqrt(va * vb);
	}

	/** The voxels of a volume as floats, x fastest. */
	static float[] values(final Volume<?> v) {
		final ij.ImageStack st = ImagePlusVolumes.toImagePlus(v).getStack();
		final int np = st.getWidth() * st.getHeight();
		final float[] out = new float[np * st.getSize()];
		for (int z = 0; z < st.getSize(); z++) {
			final ij.process.ImageProcessor ip = st.getProcessor(z + 1);
			for (int j = 0; j < np; j++)
				out[z * np + j] = ip.getf(j);
		}
		return out;
	}
}
