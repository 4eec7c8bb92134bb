package org.osteocast.viz;

import java.util.ArrayList;
import java.util.List;

import org.osteocast.io.contracts.Hyperstack;

/**
 * The forecast figure of the paper (its Figs. 1, 2 and 4), for one slice of
 * one mouse: the observed weeks, the forecast, the true next week when known,
 * the per-pixel bone probability across samples and the per-pixel standard
 * deviation (each with a colour bar), and the forecast's change from the last
 * observed week (blue = loss, red = gain).
 */
public final class ForecastMontage {

	private ForecastMontage() {}

	/**
	 * @param data the mouse's slice sequence (frames = weeks; may hold the truth week after the observed ones)
	 * @param observed number of observed weeks (the forecast is week {@code observed + 1})
	 * @param pred point forecast (its first frame is used)
	 * @param uncertainty bone probability and standard deviation (frames 1 and 2), or null
	 * @param slice 0-based slice index
	 * @param scale magnification of each panel
	 */
	public static Figure figure(final Hyperstack data, final int observed, final Hyperstack pred,
		final Hyperstack uncertainty, final int slice, final int scale, final String title)
	{
		if (observed < 1 || observed > data.frames()) throw new IllegalArgumentException("observed weeks must be 1.." +
			data.frames() + ", not " + observed);
		if (pred.width() != data.width() || pred.height() != data.height() || pred.slices() != data.slices())
			throw new IllegalArgumentException("forecast " + pred.width() + "x" + pred.height() + "x" + pred.slices() +
				" does not match the data " + data.width() + "x" + data.height() + "x" + data.slices());
		if (slice < 0 || slice >= data.slices()) throw new IllegalArgumentException("slice must be 1.." + data.slices());
		final int w = data.width(), h = data.height();
		final List<Panel> row = new ArrayList<>();
		for (int t = 0; t < observed; t++)
			row.add(Panel.grey(data.plane(slice, t), w, h, "week " + (t + 1)));
		final float[] forecast = pred.plane(slice, 0);
		row.add(Panel.grey(forecast, w, h, "forecast wk " + (observed + 1)));
		if (data.frames() > observed) row.add(Panel.grey(data.plane(slice, observed), w, h, "truth wk " + (observed +
			1)));
		if (uncertainty != null && uncertainty.frames() >= 2) {
			row.add(new Panel(uncertainty.plane(slice, 0), w, h, 0, 1, ColorMap.MAGMA, "P(bone)", true));
			final float[] sd = uncertainty.plane(slice, 1);
			float max = 0;
			for (final float v : sd)
				max = Math.max(max, v);
			row.add(new Panel(sd, w, h, 0, Math.max(max, 1e-3), ColorMap.MAGMA, "predictive SD", true));
		}
		final float[] last = data.plane(slice, observed - 1);
		final float[] diff = new float[w * h];
		float m = 0;
		for (int i = 0; i < diff.length; i++) {
			diff[i] = forecast[i] - last[i];
			m = Math.max(m, Math.abs(diff[i]));
		}
		m = Math.max(m, 1e-3f);
		row.add(new Panel(diff, w, h, -m, m, ColorMap.DIVERGING, "change vs wk " + observed, true));
		return new Figure(scale).title(title).row(null, row);
	}
}
