package org.osteocast.ij1;

import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Graphics2D;
import java.awt.Label;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

/**
 * Opens the ImageJ 1.x dialog of every command in {@code plugins.config}
 * (through {@link OsteoCastPlugIn}, as a menu click does, not in macro mode),
 * waits until it is on screen, captures it, writes
 * {@code <OUT>/<Command>.png} and {@code <OUT>/<Command>.txt} (the dialog's
 * title, then the text of every label, checkbox, choice and button, one per
 * line), and cancels it. Runs on a (virtual) display:
 * {@code xvfb-run -a java -cp ... org.osteocast.ij1.DialogShots plugins.config OUT}.
 */
public final class DialogShots {

	private DialogShots() {}

	public static void main(final String... args) throws Exception {
		final Path out = Files.createDirectories(Path.of(args[1]));
		final Pattern line = Pattern.compile("OsteoCastPlugIn\\(\"([^\"]+)\"\\)");
		final List<String> classes = new ArrayList<>();
		for (final String l : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
			final Matcher m = line.matcher(l);
			if (!l.startsWith("#") && m.find()) classes.add(m.group(1));
		}
		for (final String c : classes) {
			final Thread runner = new Thread(() -> new OsteoCastPlugIn().run(c), "run " + c);
			runner.start();
			final Dialog d = waitForDialog(runner, 120_000);
			if (d == null) {
				System.err.println(c + ": no dialog appeared");
				runner.interrupt();
				continue;
			}
			final String name = c.substring(c.lastIndexOf('.') + 1);
			BufferedImage shot = null;
			// until the dialog has painted its text, not only its background (a loaded machine paints slowly)
			for (int tries = 0; tries < 30 && (shot == null || !showsText(shot)); tries++) {
				Thread.sleep(300);
				shot = capture(d);
			}
			if (!showsText(shot)) shot = painted(d); // the screen could not be read: the dialog's own painting
			ImageIO.write(shot, "png", out.resolve(name + ".png").toFile());
			final List<String> texts = new ArrayList<>();
			texts.add(d.getTitle());
			EventQueue.invokeAndWait(() -> collect(d, texts));
			Files.write(out.resolve(name + ".txt"), texts, StandardCharsets.UTF_8);
			EventQueue.invokeAndWait(() -> d.dispatchEvent(new WindowEvent(d, WindowEvent.WINDOW_CLOSING)));
			runner.join(60_000);
			System.out.println(name + ": " + (texts.size() - 1) + " texts, " + d.getWidth() + "x" + d.getHeight());
		}
		System.exit(0);
	}

	private static Dialog waitForDialog(final Thread runner, final long millis) throws InterruptedException {
		final long end = System.currentTimeMillis() + millis;
		while (System.currentTimeMillis() < end && runner.isAlive()) {
			for (final Window w : Window.getWindows())
				if (w instanceof Dialog && w.isShowing() && w.getWidth() > 50) return (Dialog) w;
			Thread.sleep(100);
		}
		return null;
	}

	/** The dialog as on screen (Robot); its own painting where the screen cannot be read. */
	private static BufferedImage capture(final Dialog d) throws Exception {
		try {
			final Rectangle r = new Rectangle(d.getLocationOnScreen(), d.getSize());
			return new Robot().createScreenCapture(r);
		}
		catch (final Exception e) {
			return painted(d);
		}
	}

	private static BufferedImage painted(final Dialog d) throws Exception {
		final BufferedImage img = new BufferedImage(d.getWidth(), d.getHeight(), BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = img.createGraphics();
		EventQueue.invokeAndWait(() -> d.printAll(g));
		g.dispose();
		return img;
	}

	/** Whether a capture shows more than a background: text and fields bring many colours (anti-aliasing). */
	private static boolean showsText(final BufferedImage img) {
		final java.util.Set<Integer> seen = new java.util.HashSet<>();
		for (int y = 0; y < img.getHeight(); y++)
			for (int x = 0; x < img.getWidth(); x++)
				if (seen.add(img.getRGB(x, y)) && seen.size() > 8) return true;
		return false;
	}

	private static void collect(final Component c, final List<String> out) {
		if (c instanceof Label) out.add(((Label) c).getText());
		else if (c instanceof Checkbox) out.add(((Checkbox) c).getLabel());
		else if (c instanceof Button) out.add(((Button) c).getLabel());
		else if (c instanceof Choice) out.add(((Choice) c).getSelectedItem());
		else if (c instanceof TextField) out.add("[" + ((TextField) c).getText() + "]");
		else if (c.getClass().getName().equals("ij.gui.MultiLineLabel")) {
			try {
				final java.lang.reflect.Field f = c.getClass().getDeclaredField("lines");
				f.setAccessible(true);
				for (final String s : (String[]) f.get(c))
					if (s != null) out.add(s);
			}
			catch (final ReflectiveOperationException e) {
				out.add("?");
			}
		}
		if (c instanceof Container) for (final Component k : ((Container) c).getComponents())
			collect(k, out);
	}
}
