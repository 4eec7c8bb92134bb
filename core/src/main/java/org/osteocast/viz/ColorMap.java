package org.osteocast.viz;

/**
 * Colour maps for figures: grey for CT, a perceptually ordered dark-to-bright
 * map for uncertainty and probabilities ("magma"-like, interpolated from
 * control points), and a blue-white-red diverging map for signed differences.
 */
public enum ColorMap {

	GREY(new int[][] { { 0, 0, 0 }, { 255, 255, 255 } }),
	MAGMA(new int[][] { { 0, 0, 4 }, { 28, 16, 68 }, { 79, 18, 123 }, { 129, 37, 129 }, { 181, 54, 122 },
		{ 229, 80, 100 }, { 251, 135, 97 }, { 254, 194, 135 }, { 252, 253, 191 } }),
	DIVERGING(new int[][] { { 33, 102, 172 }, { 103, 169, 207 }, { 209, 229, 240 }, { 247, 247, 247 },
		{ 253, 219, 199 }, { 239, 138, 98 }, { 178, 24, 43 } });

	private final int[][] stops;

	ColorMap(final int[][] stops) {
		this.stops = stops;
	}

	/** Opaque ARGB colour for {@code t} in [0, 1] (clamped; NaN is mid-grey). */
	public int argb(final double t) {
		if (Double.isNaN(t)) return 0xff808080;
		final double u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
		final int i = Math.min(stops.length - 2, (int) Math.floor(u));
		final double f = u - i;
		final int r = (int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0]));
		final int g = (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1]));
		final int b = (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2]));
		return 0xff000000 | r << 16 | g << 8 | b;
	}
}
