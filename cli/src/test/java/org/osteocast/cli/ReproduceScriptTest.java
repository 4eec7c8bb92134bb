package org.osteocast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * {@code bench/reproduce.sh} and the scripts it runs call {@code osteocast}
 * with subcommands and options that exist: every call is parsed out of the
 * scripts and looked up in the command line's picocli model, so that a renamed
 * verb or option fails here rather than in a three-hour run. (Running the
 * script's {@code --quick} mode takes minutes, too long for the unit suite.)
 */
class ReproduceScriptTest {

	/** The scripts reproduce.sh runs, besides itself. */
	static final List<String> SCRIPTS = List.of("bench/reproduce.sh", "bench/spark/run.sh",
		"bench/rigidity/demo_risk.sh", "bench/rigidity/risk_auroc.sh", "bench/rigidity/end_slices.sh",
		"bench/loss/lambda_sigma.sh", "bench/quality/run_variants.sh", "bench/bf16/run_bench.sh", "bench/bf16/quality.sh",
		"bench/spark/memory.sh", "bench/spark/memory_shared.sh");

	/** How the scripts start osteocast. */
	static final Pattern LAUNCHER = Pattern.compile("\"\\$(oc|here/osteocast|root/osteocast)\"|(?<=\\s)\\./osteocast");

	/** A call through a script's own wrapper, {@code step TITLE VERB ARGS} (risk_auroc.sh). */
	static final Pattern STEP = Pattern.compile("^\\s*step [a-z0-9-]+ ([a-z].*)$");

	/** A train variant of run_variants.sh, NAME=ARGS. */
	static final Pattern VARIANT = Pattern.compile("\"[a-z0-9-]+=(--[^\"]*)\"");

	static Path repo() {
		for (final Path p : List.of(Path.of(".."), Path.of(".")))
			if (Files.isRegularFile(p.resolve("bench").resolve("reproduce.sh"))) return p;
		throw new AssertionError("bench/reproduce.sh not found from " + Path.of("").toAbsolutePath());
	}

	/** The script's lines with continuation lines joined. */
	static List<String> lines(final Path script) throws IOException {
		final List<String> out = new ArrayList<>();
		final StringBuilder b = new StringBuilder();
		for (final String l : Files.readAllLines(script)) {
			if (l.endsWith("\\")) {
				b.append(l, 0, l.length() - 1).append(' ');
				continue;
			}
			b.append(l);
			out.add(b.toString());
			b.setLength(0);
		}
		return out;
	}

	/** The osteocast calls of a script: the words after the launcher, up to the end of the command. */
	static List<List<String>> calls(final Path script) throws IOException {
		final List<List<String>> calls = new ArrayList<>();
		for (final String line : lines(script)) {
			// comments, and messages that quote a command
			if (line.trim().startsWith("#") || line.trim().startsWith("echo ")) continue;
			final Matcher m = LAUNCHER.matcher(line);
			while (m.find()) {
				final List<String> words = words(line.substring(m.end()));
				// a wrapper's "$@": its calls are found by STEP
				if (!words.isEmpty() && !words.get(0).startsWith("\"$")) calls.add(words);
			}
			final Matcher s = STEP.matcher(line);
			if (s.find()) calls.add(words(s.group(1)));
		}
		return calls;
	}

	/** The words of a command, up to the end of the command (a pipe, a redirection, {@code &&} ...). */
	static List<String> words(final String command) {
		final String rest = command.split("\\|\\||&&|[|;>]|\\)\\s")[0];
		final List<String> words = new ArrayList<>();
		for (final String w : rest.trim().split("\\s+"))
			if (!w.isEmpty()) words.add(w);
		return words;
	}

	/** Checks one call against the model; returns what is wrong, or null. */
	static String check(final CommandLine root, final List<String> words) {
		// the launcher runs `osteocast spark ...` from the spark module (SparkPipelineTest covers its options)
		if (!words.isEmpty() && words.get(0).equals("spark")) return null;
		CommandLine cl = root;
		int i = 0;
		while (i < words.size() && !words.get(i).startsWith("-") && !words.get(i).startsWith("\"")) {
			final CommandLine sub = cl.getSubcommands().get(words.get(i));
			if (sub == null) break;
			cl = sub;
			i++;
		}
		if (cl == root && !words.isEmpty() && !words.get(0).startsWith("-")) return "no verb '" + words.get(0) + "'";
		for (; i < words.size(); i++) {
			final String w = words.get(i);
			if (!w.startsWith("--")) continue;
			final String name = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
			if (cl.getCommandSpec().findOption(name) == null) return "'" + cl.getCommandSpec().qualifiedName() +
				"' has no option " + name;
		}
		return null;
	}

	@Test
	void everyOsteocastCallOfTheScriptsExists() throws IOException {
		final CommandLine root = Main.commandLine();
		final List<String> wrong = new ArrayList<>();
		int n = 0;
		for (final String s : SCRIPTS) {
			final Path script = repo().resolve(s);
			assertTrue(Files.isRegularFile(script), s);
			for (final List<String> call : calls(script)) {
				n++;
				final String w = check(root, call);
				if (w != null) wrong.add(s + ": osteocast " + String.join(" ", call) + ": " + w);
			}
			// run_variants.sh's variants are train options
			for (final String line : lines(script)) {
				final Matcher m = VARIANT.matcher(line);
				while (m.find()) {
					final List<String> call = new ArrayList<>(List.of("train"));
					call.addAll(List.of(m.group(1).trim().split("\\s+")));
					n++;
					final String w = check(root, call);
					if (w != null) wrong.add(s + ": variant " + m.group() + ": " + w);
				}
			}
		}
		assertTrue(n > 30, "osteocast calls found: " + n);
		assertEquals(List.of(), wrong);
	}

	@Test
	void aRenamedOptionIsCaught() {
		final CommandLine root = Main.commandLine();
		assertNotNull(check(root, List.of("bench", "scale", "--no-such-option", "1")));
		assertNotNull(check(root, List.of("no-such-verb", "--out", "x")));
		assertEquals(null, check(root, List.of("bench", "scale", "--sizes", "\"$sizes\"", "--runs=3")));
	}

	@Test
	void everyListedStepHasItsFunction() throws IOException {
		final String text = Files.readString(repo().resolve("bench/reproduce.sh"));
		final Matcher m = Pattern.compile("(?m)^#   step ([a-z0-9-]+) ").matcher(text);
		final List<String> steps = new ArrayList<>();
		while (m.find())
			steps.add(m.group(1));
		assertFalse(steps.isEmpty());
		for (final String s : steps)
			assertTrue(text.contains("\nstep_" + s.replace('-', '_') + "() {"), "no function for step " + s);
	}
}
