package org.osteocast.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.osteocast.nn.model.ModelArchive;

/**
 * The per-epoch training log: a CSV ({@code training_log.csv} in the model
 * archive) and a loss-curve PNG drawn headless with java.awt.
 */
public final class TrainingLog implements ModelArchive.Log {

	/** One epoch's numbers. */
	public static final class Row {
		public final int epoch;
		public final double recon, kl, beta, valPsnr, valSsim, valMse, seconds, rssMb;
		public final int activeUnits;
		public final double[] klPerDim;
		/**
		 * Spread of the forecast over latent samples on the validation slices
		 * (mean per-pixel standard deviation, estimated from two samples); NaN
		 * for deterministic models. Near 0 with no active units: the latent has
		 * collapsed and the uncertainty map carries no information.
		 */
		public final double valSpread;

		public Row(final int epoch, final double recon, final double kl, final double beta, final double valPsnr,
			final double valSsim, final double valMse, final int activeUnits, final double[] klPerDim,
			final double seconds, final double rssMb)
		{
			this(epoch, recon, kl, beta, valPsnr, valSsim, valMse, activeUnits, klPerDim, seconds, rssMb, Double.NaN);
		}

		public Row(final int epoch, final double recon, final double kl, final double beta, final double valPsnr,
			final double valSsim, final double valMse, final int activeUnits, final double[] klPerDim,
			final double seconds, final double rssMb, final double valSpread)
		{
			this.valSpread = valSpread;
			this.epoch = epoch;
			this.recon = recon;
			this.kl = kl;
			this.beta = beta;
			this.valPsnr = valPsnr;
			this.valSsim = valSsim;
			this.valMse = valMse;
			this.activeUnits = activeUnits;
			this.klPerDim = klPerDim.clone();
			this.seconds = seconds;
			this.rssMb = rssMb;
		}

		String csv() {
			final StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.3g,%.4f,%.5f,%.6g,%d,%.1f,%.0f",
				epoch, recon, kl, beta, valPsnr, valSsim, valMse, activeUnits, seconds, rssMb)).append(String.format(
					Locale.ROOT, ",%.4g", valSpread));
			for (final double d : klPerDim)
				b.append(String.format(Locale.ROOT, ",%.4g", d));
			return b.toString();
		}

		/** @param spread whether the line has the val_spread column (logs before it had none) */
		static Row parse(final String line, final boolean spread) {
			final String[] f = line.split(",");
			final int k0 = spread ? 11 : 10;
			final double[] kd = new double[f.length - k0];
			for (int i = 0; i < kd.length; i++)
				kd[i] = Double.parseDouble(f[k0 + i]);
			return new Row(Integer.parseInt(f[0]), d(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]), d(f[6]), Integer.parseInt(
				f[7]), kd, d(f[8]), d(f[9]), spread ? d(f[10]) : Double.NaN);
		}

		private static double d(final String s) {
			return Double.parseDouble(s);
		}
	}

	private final List<Row> rows = new ArrayList<>();

	public void add(final Row r) {
		rows.add(r);
	}

	public List<Row> rows() {
		return Collections.unmodifiableList(rows);
	}

	/** The CSV text: epoch, recon, kl, beta, val_psnr, val_ssim, val_mse, active_units, seconds, rss_mb, val_spread, kl_d1… */
	@Override
	public String csv() {
		final int z = rows.isEmpty() ? 0 : rows.get(0).klPerDim.length;
		final StringBuilder b = new StringBuilder(
			"epoch,recon,kl,beta,val_psnr,val_ssim,val_mse,active_units,seconds,rss_mb,val_spread");
		for (int i = 1; i <= z; i++)
			b.append(",kl_d").append(i);
		b.append('\n');
		for (final Row r : rows)
			b.append(r.csv()).append('\n');
		return b.toString();
	}

	/** Reads {@link #csv()}'s text. */
	public static TrainingLog parse(final String csv) {
		final TrainingLog log = new TrainingLog();
		final String[] lines = csv.split("\n");
		final boolean spread = lines.length > 0 && java.util.Arrays.asList(lines[0].trim().split(",")).contains(
			"val_spread");
		for (int i = 1; i < lines.length; i++)
			if (!lines[i].isBlank()) log.add(Row.parse(lines[i].trim(), spread));
		return log;
	}

	/** A PNG of training reconstruction loss and validation MSE per epoch (log scale). */
	@Override
	public byte[] lossCurvePng() {
		final int w = 640, h = 400, l = 70, r = 20, t = 30, bt = 50;
		final BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = img.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, w, h);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
			for (final Row row : rows)
				for (final double v : new double[] { row.recon, row.valMse })
					if (v > 0 && Double.isFinite(v)) {
						lo = Math.min(lo, Math.log10(v));
						hi = Math.max(hi, Math.log10(v));
					}
			if (!(hi >= lo)) {
				lo = -3;
				hi = 0;
			}
			if (hi - lo < 1e-6) {
				lo -= 0.5;
				hi += 0.5;
			}
			final int n = Math.max(2, rows.size());
			g.setColor(Color.GRAY);
			g.drawRect(l, t, w - l - r, h - t - bt);
			g.setColor(Color.BLACK);
			g.drawString("epoch", w / 2 - 15, h - 15);
			g.drawString(String.format(Locale.ROOT, "1e%.1f", hi), 5, t + 5);
			g.drawString(String.format(Locale.ROOT, "1e%.1f", lo), 5, h - bt);
			g.drawString("1", l, h - bt + 15);
			g.drawString(Integer.toString(n), w - r - 20, h - bt + 15);
			final Color[] colors = { new Color(0, 90, 200), new Color(220, 90, 0) };
			final String[] names = { "train reconstruction loss", "validation MSE (week " + "n+1)" };
			g.setStroke(new BasicStroke(2f));
			for (int s = 0; s < 2; s++) {
				g.setColor(colors[s]);
				g.drawString(names[s], l + 10, t + 15 + 15 * s);
				int px = -1, py = -1;
				for (int i = 0; i < rows.size(); i++) {
					final double v = s == 0 ? rows.get(i).recon : rows.get(i).valMse;
					if (!(v > 0) || !Double.isFinite(v)) continue;
					final int x = l + (int) Math.round((w - l - r) * i / (double) (n - 1));
					final int y = t + (int) Math.round((h - t - bt) * (hi - Math.log10(v)) / (hi - lo));
					if (px >= 0) g.drawLine(px, py, x, y);
					g.fillOval(x - 2, y - 2, 5, 5);
					px = x;
					py = y;
				}
			}
		}
		finally {
			g.dispose();
		}
		try {
			final ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(img, "png", out);
			return out.toByteArray();
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
