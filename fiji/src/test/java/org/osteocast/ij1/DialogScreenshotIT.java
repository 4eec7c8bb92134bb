package org.osteocast.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ij.ImagePlus;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

/**
 * Every command's dialog in plain ImageJ 1.x, opened as from the menu (not in
 * macro mode) under a virtual display, captured to
 * {@code target/dialog-screenshots/<Command>.png} for a person to look at, and
 * checked through its components: the title is the command's label, every
 * parameter shows its label (not its bare macro key), numbers show their
 * range, descriptions appear, and a Help button is there.
 */
class DialogScreenshotIT {

	@Test
	void everyDialogShowsLabelsRangesAndDescriptions() throws Exception {
		assumeTrue(ImageJ1.onPath("xvfb-run"), "xvfb-run is not installed (Debian package xvfb; .ci/run installs it)");
		final Path out = ImageJ1.BUILD.resolve("dialog-screenshots");
		final String cp = String.join(File.pathSeparator, ImageJ1.BUILD.resolve("test-classes").toString(), ImageJ1
			.BUILD.resolve("classes").toString(), ImageJ1.BUILD.resolve("lib") + File.separator + "*");
		final Path log = Files.createDirectories(ImageJ1.BUILD.resolve("it")).resolve("dialog-shots.log");
		final Process p = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1600x1400x24", "java", "-Xmx1g",
			"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, DialogShots.class.getName(), "plugins.config", out
				.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		assertTrue(p.waitFor(600, TimeUnit.SECONDS), "dialogs did not finish: " + Files.readString(log));
		assertEquals(0, p.exitValue(), Files.readString(log));

		final List<String> classes = new ArrayList<>();
		final Matcher m = Pattern.compile("OsteoCastPlugIn\\(\"([^\"]+)\"\\)").matcher(Files.readString(Path.of(
			"plugins.config")));
		while (m.find())
			classes.add(m.group(1));
		assertTrue(classes.size() >= 10, classes.toString());
		try (Context context = new Context(CommandService.class)) {
			final CommandService commands = context.service(CommandService.class);
			for (final String c : classes) {
				final String name = c.substring(c.lastIndexOf('.') + 1);
				final Path png = out.resolve(name + ".png"), txt = out.resolve(name + ".txt");
				assertTrue(Files.isRegularFile(png) && Files.isRegularFile(txt), name + ": no screenshot; " + Files
					.readString(log));
				final BufferedImage img = ImageIO.read(png.toFile());
				assertTrue(img.getWidth() > 150 && img.getHeight() > 80, name + ": " + img.getWidth() + "x" + img
					.getHeight());
				assertTrue(distinctColours(img) > 3, name + ": the screenshot is blank");
				final List<String> texts = trimmed(Files.readAllLines(txt, StandardCharsets.UTF_8));
				final CommandInfo info = commands.getCommand(Class.forName(c).asSubclass(Command.class));
				assertEquals(info.getLabel(), texts.get(0), name + ": title");
				assertTrue(texts.contains("Help"), name + ": no Help button in " + texts);
				for (final ModuleItem<?> item : OsteoCastPlugIn.dialogInputs(info)) {
					final String label = ParameterDialog.label(item);
					assertTrue(texts.contains(label), name + ": label '" + label + "' of " + item.getName() + " not in " +
						texts);
					if (!label.equals(item.getName())) assertFalse(texts.contains(item.getName()), name +
						": bare key shown: " + item.getName());
					final String d = item.getDescription();
					if (d != null && !d.isBlank()) assertTrue(texts.contains(d.trim()), name + ": description of " + item
						.getName() + " not in " + texts);
					if (ParameterDialog.isNumber(item.getType()) && !ParameterDialog.range(item).isEmpty()) assertTrue(texts
						.contains(ParameterDialog.range(item)), name + ": range of " + item.getName() + " not in " + texts);
				}
				assertFalse(texts.stream().anyMatch(t -> t.equals(ImagePlus.class.getSimpleName())), name);
			}
		}
		// the dialog the biologists saw with bare keys
		final List<String> train = trimmed(Files.readAllLines(out.resolve("TrainCommand.txt"), StandardCharsets.UTF_8));
		for (final String s : List.of("Train T-VAE", "Slice data set", "Base width nf (T-VAE 2-D)", "Edge blur sigma (px)",
			"KL weight beta", "0 = plain MSE.", "\u2265 4"))
			assertTrue(train.contains(s), "'" + s + "' in " + train);
		for (final String bare : List.of("data", "model", "nf", "lambda", "sigma", "beta"))
			assertFalse(train.contains(bare), "bare key '" + bare + "' in " + train);
	}

	/** ImageJ pads some labels (a unit after its field) with spaces. */
	private static List<String> trimmed(final List<String> texts) {
		final List<String> out = new ArrayList<>();
		for (final String t : texts)
			out.add(t.trim());
		return out;
	}

	private static int distinctColours(final BufferedImage img) {
		final java.util.Set<Integer> seen = new java.util.HashSet<>();
		for (int y = 0; y < img.getHeight(); y += 3)
			for (int x = 0; x < img.getWidth(); x += 3)
				if (seen.add(img.getRGB(x, y)) && seen.size() > 10) return seen.size();
		return seen.size();
	}
}
