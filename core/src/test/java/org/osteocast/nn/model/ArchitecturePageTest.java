package org.osteocast.nn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import com.google.gson.JsonObject;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.nn.ForecastNet;
import org.osteocast.train.ForecastTrainer;
import org.osteocast.train.SequenceSet;
import org.osteocast.train.SyntheticCohort;
import org.osteocast.train.TrainConfig;

/**
 * {@code docs/architecture.md} stays true: every package it names exists in
 * one of the modules, and its worked example (a forecasting model added as
 * one package and one registry line) compiles, registers, trains, forecasts
 * and goes through a model archive like every other model.
 */
class ArchitecturePageTest {

	private static final Path PAGE = Path.of("docs/architecture.md");
	private static final String[] MODULES = { "core", "fiji", "cli", "spark" };
	/** The worked example's package: added by the reader, not by the project. */
	private static final String EXAMPLE = "org.osteocast.nn.weekblend";

	@Test
	void everyPackageThePageNamesExists() throws Exception {
		final Matcher m = Pattern.compile("`(org\\.osteocast(?:\\.[a-z0-9]+)*)`").matcher(Files.readString(PAGE));
		final Set<String> named = new TreeSet<>();
		while (m.find())
			named.add(m.group(1));
		assertTrue(named.size() >= 20, "the page names the packages: " + named);
		final List<String> missing = new ArrayList<>();
		for (final String p : named) {
			if (p.equals(EXAMPLE)) continue;
			boolean found = false;
			for (final String module : MODULES)
				found |= Files.isDirectory(Path.of(module, "src", "main", "java").resolve(p.replace('.', '/')));
			if (!found) missing.add(p);
		}
		assertEquals(List.of(), missing, "packages named in " + PAGE + " that no module has");
	}

	/**
	 * The order of the "Layers of core" table is the import rule: a source
	 * file of {@code core} imports only packages of its own row or of rows
	 * above it (a package without a row belongs to its parent's row).
	 */
	@Test
	void everyLayerImportsOnlyTheLayersAboveIt() throws Exception {
		final Matcher row = Pattern.compile("(?m)^\\| `(org\\.osteocast(?:\\.[a-z0-9]+)*)` \\|").matcher(Files.readString(
			PAGE));
		final List<String> layers = new ArrayList<>();
		while (row.find())
			layers.add(row.group(1));
		assertTrue(layers.size() >= 20, "the layer table of " + PAGE + ": " + layers);
		final Path root = Path.of("core", "src", "main", "java");
		final Pattern pkg = Pattern.compile("(?m)^package ([\\w.]+);"), imp = Pattern.compile(
			"(?m)^import (?:static )?(org\\.osteocast(?:\\.[a-z0-9]+)*)\\.[A-Z]");
		final List<String> wrong = new ArrayList<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (final Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
				final String src = Files.readString(f);
				final Matcher pm = pkg.matcher(src);
				if (!pm.find()) continue;
				final int own = layer(layers, pm.group(1));
				if (own < 0) continue;
				final Matcher im = imp.matcher(src);
				while (im.find()) {
					final int used = layer(layers, im.group(1));
					if (used > own) wrong.add(root.relativize(f) + " imports " + im.group(1) + " (a layer below its own)");
				}
			}
		}
		assertEquals(List.of(), wrong, "imports against the layer order of " + PAGE);
	}

	/** Row of a package: its own, else its closest ancestor's; -1 for none. */
	private static int layer(final List<String> layers, final String p) {
		for (String q = p; q.contains("."); q = q.substring(0, q.lastIndexOf('.'))) {
			final int i = layers.indexOf(q);
			if (i >= 0) return i;
		}
		return -1;
	}

	@Test
	void theWorkedExampleIsOnePackageAndOneRegistryLine(@TempDir final Path tmp) throws Exception {
		// the page's two files, compiled against the project as a reader's new package would be
		final Path src = tmp.resolve("src").resolve(EXAMPLE.replace('.', '/'));
		Files.createDirectories(src);
		final Matcher m = Pattern.compile("```java file=(\\w+\\.java)\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(
			PAGE));
		final List<String> files = new ArrayList<>();
		while (m.find()) {
			Files.writeString(src.resolve(m.group(1)), m.group(2), StandardCharsets.UTF_8);
			files.add(src.resolve(m.group(1)).toString());
		}
		assertEquals(2, files.size(), "a configuration and a model class");
		final Path classes = Files.createDirectories(tmp.resolve("classes"));
		final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		final List<String> args = new ArrayList<>(List.of("-proc:none", "-d", classes.toString(), "-cp", classPath()));
		args.addAll(files);
		assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "the worked example compiles");

		try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() }, getClass()
			.getClassLoader()))
		{
			final Class<?> config = loader.loadClass(EXAMPLE + ".WeekBlendConfig");
			final Class<?> model = loader.loadClass(EXAMPLE + ".WeekBlend");
			final String name = (String) config.getField("ARCHITECTURE").get(null);
			// the registry line of the page
			ForecastNets.architecture(name, h -> {
				try {
					return (ForecastNet) model.getConstructor(config).newInstance(config.getMethod("fromJson", JsonObject.class)
						.invoke(null, h));
				}
				catch (final ReflectiveOperationException e) {
					throw new IllegalStateException(e);
				}
			});
			final JsonObject hyper = ForecastNets.json("image_size", 16);
			final SliceDataset data = SyntheticCohort.write(tmp.resolve("data"), 4, 2, 16, 4, 3, 0, 0);
			final SequenceSet train = SequenceSet.load(data, SliceDataset.Split.TRAIN, 16, 4, Cancellation.NEVER);
			final ForecastNet net = ForecastNets.create(name, hyper);
			Engine.getInstance().setRandomSeed(1);
			final ForecastTrainer.Result r = ForecastTrainer.train(train, new SequenceSet(16, 4, List.of()), net,
				TrainConfig.builder().optEpochs(30).optBatch(4).optLr(1e-2).optMinCrop(1).optFlips(false).optSeed(1).build(),
				Device.cpu(), null, false, Progress.NONE, Cancellation.NEVER, null, null);
			final double first = r.log.rows().get(0).recon, last = r.log.rows().get(r.log.rows().size() - 1).recon;
			assertTrue(last < first, "the training loop trains it: loss " + first + " -> " + last);

			// the model archive and the forecast see it through ForecastNet only
			final Path zip = tmp.resolve("weekblend.zip");
			ModelArchive.write(zip, r.net, r.lastWeights, new JsonObject(), r.log);
			final ModelArchive archive = ModelArchive.read(zip);
			assertEquals(name, archive.architecture());
			try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
				final ForecastNet loaded = archive.load(manager);
				final ParameterStore ps = new ParameterStore(manager, false);
				final NDArray observed = manager.randomUniform(0, 1, new Shape(2, 3, 1, 16, 16));
				final NDArray f = loaded.forecast(ps, observed, null, 2, false);
				assertEquals(new Shape(2, 2, 1, 16, 16), f.getShape());
				assertArrayEquals(f.toFloatArray(), loaded.forecast(ps, observed, null, 2, false).toFloatArray(),
					"deterministic");
			}
		}
	}

	/** The test class path (surefire's own when it runs the tests through a manifest-only jar). */
	private static String classPath() {
		final String surefire = System.getProperty("surefire.test.class.path");
		return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path", "") +
			File.pathSeparator;
	}
}
