package org.osteocast.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

/**
 * Contract tests over every OsteoCast menu command, headless through a SciJava
 * context: unique leaf labels under Plugins › OsteoCast, snake_case parameter
 * names (macro keys) with labels, no key that ends with another key after an
 * underscore, each command listed in plugins.config under the same label, and
 * a clean cancel with a message when the image is missing.
 */
public class CommandContractTest {

	static Context context;
	static CommandService commands;
	static List<CommandInfo> ours;

	@TempDir
	Path tmp;

	@BeforeAll
	static void start() {
		context = new Context(CommandService.class);
		commands = context.service(CommandService.class);
		ours = commands.getCommands().stream().filter(c -> c.getClassName().startsWith("org.osteocast.")).collect(
			Collectors.toList());
	}

	@AfterAll
	static void stop() {
		context.dispose();
	}

	@Test
	void menuLabelsParametersAndPluginsConfigAgree() throws Exception {
		assertFalse(ours.isEmpty());
		final String config = Files.readString(Path.of("plugins.config"));
		final Set<String> labels = new HashSet<>();
		for (final CommandInfo c : ours) {
			final String path = c.getMenuPath().getMenuString();
			assertTrue(path.startsWith("Plugins > OsteoCast > "), c.getClassName() + " menu " + path);
			final String leaf = c.getMenuPath().getLeaf().getName();
			assertTrue(labels.add(leaf), "duplicate label " + leaf);
			final Matcher m = Pattern.compile("\"" + Pattern.quote(leaf) + "\", org\\.osteocast\\.ij1\\.OsteoCastPlugIn\\(\"" +
				Pattern.quote(c.getClassName()) + "\"\\)").matcher(config);
			assertTrue(m.find(), "plugins.config lists " + leaf + " -> " + c.getClassName());
			final Set<String> keys = new HashSet<>();
			for (final ModuleItem<?> in : c.inputs()) {
				if (org.scijava.service.Service.class.isAssignableFrom(in.getType()) || in.getType() == Context.class) continue;
				assertTrue(in.getName().matches("[a-z][a-z0-9_]*"), c.getClassName() + ": key " + in.getName());
				assertNotNull(in.getLabel(), in.getName());
				assertFalse(in.isPersisted(), c.getClassName() + ": '" + in.getName() +
					"' must not persist (a macro line must mean the same every time)");
				keys.add(in.getName());
			}
			for (final String a : keys)
				for (final String b : keys)
					assertFalse(!a.equals(b) && a.endsWith("_" + b), c.getClassName() + ": '" + a + "' ends with '_" + b +
						"', which ImageJ's macro parser would confuse");
		}
	}

	@Test
	void trainOffersEveryModelPreset() {
		final CommandInfo train = ours.stream().filter(c -> c.getClassName().equals(TrainCommand.class.getName()))
			.findFirst().orElseThrow();
		final Set<String> choices = new HashSet<>();
		for (final ModuleItem<?> in : train.inputs())
			if (in.getName().equals("model_type")) for (final Object o : in.getChoices())
				choices.add(o.toString());
		assertEquals(org.osteocast.nn.model.ForecastNets.presets().stream().map(p -> p.name).collect(Collectors.toSet()),
			choices, "the Fiji dialog lists exactly the presets of osteocast train --arch");
	}

	@Test
	void everyImageCommandCancelsCleanlyWithoutAnImage() throws Exception {
		for (final CommandInfo c : ours) {
			boolean takesImage = false;
			for (final ModuleItem<?> i : c.inputs())
				takesImage |= i.getType() == ImagePlus.class;
			if (!takesImage) continue;
			final CommandModule m = commands.run(c, true, new HashMap<>()).get();
			assertTrue(m.isCanceled(), c.getClassName() + " must cancel without an image");
			assertNotNull(m.getCancelReason());
		}
	}

	public static ImagePlus tube(final boolean hole) {
		final int n = 48, d = 6;
		final ImageStack s = new ImageStack(n, n);
		for (int z = 0; z < d; z++) {
			final float[] p = new float[n * n];
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double dx = x - 23.5, dy = y - 23.5, r = Math.hypot(dx, dy);
					final boolean bone = r <= 18 && r > 13 && !(hole && dx > 0 && Math.abs(dy) < 4);
					p[y * n + x] = bone ? 1 : 0.1f;
				}
			s.addSlice(new FloatProcessor(n, n, p));
		}
		final ImagePlus imp = new ImagePlus("tube", s);
		imp.getCalibration().setUnit("micron");
		imp.getCalibration().pixelWidth = imp.getCalibration().pixelHeight = imp.getCalibration().pixelDepth = 10;
		return imp;
	}

	@Test
	void boneMorphometryFillsTheResultsTable() throws Exception {
		final Map<String, Object> in = new HashMap<>();
		in.put("image", tube(true));
		final CommandModule m = commands.run(MorphometryCommand.class, true, in).get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		final ResultsTable rt = ResultsTable.getResultsTable();
		assertNotNull(rt);
		assertEquals(6, (int) rt.getValue("Perforated slices", rt.size() - 1));
		assertEquals(50, rt.getValue("Ct.Th (um)", rt.size() - 1), 10);
		assertTrue((double) m.getOutput("bv_tv") > 0.2);
	}

	/** One overwrite rule: every command that writes files (an output folder or a file to save) offers 'overwrite'. */
	@Test
	void everyCommandThatWritesFilesHasTheOverwriteBox() {
		int writers = 0;
		for (final CommandInfo c : ours) {
			boolean writes = false, box = false;
			for (final ModuleItem<?> in : c.inputs()) {
				final String style = in.getWidgetStyle() == null ? "" : in.getWidgetStyle();
				writes |= in.getType() == java.io.File.class && (style.contains("save") || in.getName().equals("out"));
				box |= in.getName().equals("overwrite") && (in.getType() == boolean.class || in.getType() == Boolean.class);
			}
			if (writes) writers++;
			assertTrue(!writes || box, c.getClassName() + " writes files but has no 'overwrite' parameter");
		}
		assertTrue(writers >= 7, "the commands that write: register, slices, train, predict, evaluate, cohort, mesh");
	}

	@Test
	void exportSurfaceMeshRefusesAnExistingFileUnlessAsked() throws Exception {
		final Path stl = tmp.resolve("existing.stl");
		Files.writeString(stl, "an earlier mesh");
		final Map<String, Object> in = new HashMap<>();
		in.put("image", tube(false));
		in.put("stl_file", stl.toFile());
		final CommandModule m = commands.run(ExportMeshCommand.class, true, in).get();
		assertTrue(m.isCanceled(), "refused");
		assertTrue(String.valueOf(m.getCancelReason()).contains(org.osteocast.io.contracts.Output.EXISTS), m.getCancelReason());
		assertEquals("an earlier mesh", Files.readString(stl));
		in.put("overwrite", true);
		assertFalse(commands.run(ExportMeshCommand.class, true, in).get().isCanceled());
		assertTrue(Files.size(stl) > 1000);
	}

	@Test
	void exportSurfaceMeshWritesStl() throws Exception {
		final Path stl = tmp.resolve("tube.stl");
		final Map<String, Object> in = new HashMap<>();
		in.put("image", tube(false));
		in.put("stl_file", stl.toFile());
		final CommandModule m = commands.run(ExportMeshCommand.class, true, in).get();
		assertFalse(m.isCanceled(), String.valueOf(m.getCancelReason()));
		final int triangles = (Integer) m.getOutput("triangles");
		assertTrue(triangles > 100);
		assertEquals(84 + 50L * triangles, Files.size(stl));
	}
}
