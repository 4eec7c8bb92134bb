package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.engine.EngineSetup;

/**
 * The PyTorch peer of the training-step benchmark ({@code bench/train/tvae_bench.py})
 * is OsteoCast's default model: its trainable parameters equal those DJL builds
 * for {@link Tvae} with {@link TvaeConfig}'s defaults (per-pixel variance head
 * included), at every width the benchmark measures. Compared with the
 * committed output of
 * <pre>
 * /usr/bin/python3 bench/train/tvae_bench.py --count-params --nf 16,32,64 &gt; bench/train/param_counts.txt
 * </pre>
 * and, when {@code /usr/bin/python3} can import torch, with the script itself.
 */
class TvaePeerParameterCountTest {

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	/** Trainable parameters (those with gradients: not batch norm's running statistics) of the default model. */
	static long djlParameters(final int nf, final boolean pixelVariance) {
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae net = new Tvae(TvaeConfig.builder().optNf(nf).optPixelVariance(pixelVariance).build());
			net.initialize(m);
			long n = 0;
			for (final Pair<String, Parameter> p : net.getParameters())
				if (p.getValue().requiresGradient()) n += p.getValue().getArray().size();
			return n;
		}
	}

	private static Path repoFile(final String rel) {
		Path p = Paths.get("").toAbsolutePath();
		while (p != null && !Files.isRegularFile(p.resolve(rel)))
			p = p.getParent();
		assertTrue(p != null, rel + " not found above the working folder");
		return p.resolve(rel);
	}

	/** nf → count, from the script's output lines {@code nf pixel_variance upsample parameters}. */
	private static Map<Integer, Long> parse(final String text) {
		final Map<Integer, Long> out = new LinkedHashMap<>();
		for (final String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) continue;
			final String[] c = line.trim().split("\\s+");
			assertEquals("true", c[1], "the default model has the per-pixel variance: " + line);
			assertEquals("subpixel", c[2], "the default up-sampling: " + line);
			out.put(Integer.parseInt(c[0]), Long.parseLong(c[3]));
		}
		return out;
	}

	@Test
	void defaultModelHasThePeersParameterCount() throws IOException {
		assertTrue(TvaeConfig.builder().build().pixelVariance, "the default model has the per-pixel variance");
		final Map<Integer, Long> committed = parse(Files.readString(repoFile("bench/train/param_counts.txt")));
		assertEquals(java.util.Set.of(16, 32, 64), committed.keySet());
		for (final Map.Entry<Integer, Long> e : committed.entrySet())
			assertEquals(e.getValue().longValue(), djlParameters(e.getKey(), true), "nf " + e.getKey());
	}

	@Test
	void theScriptItselfAgreesWhenTorchIsInstalled() throws Exception {
		final Path python = Paths.get("/usr/bin/python3");
		Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
		final Process probe = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true)
			.start();
		probe.getInputStream().readAllBytes();
		Assumptions.assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0,
			"torch is not importable by /usr/bin/python3");
		for (final boolean variance : new boolean[] { true, false }) {
			final ProcessBuilder pb = variance ? new ProcessBuilder(python.toString(), repoFile(
				"bench/train/tvae_bench.py").toString(), "--count-params", "--nf", "16") : new ProcessBuilder(python
					.toString(), repoFile("bench/train/tvae_bench.py").toString(), "--count-params", "--nf", "16",
					"--no-pixel-variance");
			final Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
			final String out;
			try (InputStream in = p.getInputStream()) {
				out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, out);
			final String line = out.lines().filter(l -> !l.startsWith("#")).findFirst().orElse("");
			final String[] c = line.trim().split("\\s+");
			assertEquals(Boolean.toString(variance), c[1], line);
			assertEquals(Long.parseLong(c[3]), djlParameters(16, variance), "nf 16, pixel variance " + variance);
		}
	}
}
