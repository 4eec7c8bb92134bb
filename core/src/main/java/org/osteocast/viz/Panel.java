package org.osteocast.viz;

/**
 * One image tile of a figure: a float image (row-major, x fastest), the
 * display window mapped onto the colour map, a title, and whether to draw a
 * colour bar beside it.
 */
public final class Panel {

	final float[] pixels;
	final int width, height;
	final double lo, hi;
	final ColorMap map;
	final String title;
	final boolean colorBar;

	public Panel(final float[] pixels, final int width, final int height, final double lo, final double hi,
		final ColorMap map, final String title, final boolean colorBar)
	{
		if (pixels.length != width * height) throw new IllegalArgumentException("panel '" + title + "': " +
			pixels.length + " pixels for " + width + "x" + height);
		if (!(hi > lo)) throw new IllegalArgumentException("panel '" + title + "': display range must have hi > lo");
		this.pixels = pixels;
		this.width = width;
		this.height = height;
		this.lo = lo;
		this.hi = hi;
		this.map = map;
		this.title = title;
		this.colorBar = colorBar;
	}

	/** A grey CT panel with display range [0, 1]. */
	public static Panel grey(final float[] pixels, final int w, final int h, final String title) {
		return new Panel(pixels, w, h, 0, 1, ColorMap.GREY, title, false);
	}

	/** ARGB colour of pixel i. */
	int argb(final int i) {
		return map.argb((pixels[i] - lo) / (hi - lo));
	}
}
