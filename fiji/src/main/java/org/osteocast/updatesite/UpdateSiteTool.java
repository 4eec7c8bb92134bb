package org.osteocast.updatesite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.engine.EnginePlatform;

/**
 * Build tooling (not a user command): {@code build} assembles the update site,
 * {@code verify} checks one. Run by {@code update-site/build.sh}.
 *
 * <pre>
 * UpdateSiteTool build  JAR DEPS_LIST LIB_DIR BOM_POM MACROS_DIR OUT_DIR [NATIVES_DIR]
 * UpdateSiteTool verify SITE_DIR BOM_POM
 * </pre>
 *
 * {@code NATIVES_DIR} holds the other platforms' CPU libtorch jars
 * ({@code mvn package -Pupdate-site-natives} copies them to {@code target/natives}).
 * Both commands check every platform of {@link EnginePlatform#ALL} that has a CPU
 * build. The timestamp is {@code SOURCE_DATE_EPOCH} (seconds) when set, else now.
 */
public final class UpdateSiteTool {

	private UpdateSiteTool() {}

	/** Jars that the command line needs but Fiji must not get (it has its own logging binding). */
	static final List<String> NOT_FOR_FIJI = List.of("slf4j-simple");

	/** The platforms the site must serve: every one with a CPU libtorch. */
	static List<EnginePlatform.Target> servedPlatforms() {
		final List<EnginePlatform.Target> out = new ArrayList<>();
		for (final EnginePlatform.Target t : EnginePlatform.ALL)
			if (t.cpuBuild) out.add(t);
		return out;
	}

	public static void main(final String... args) throws Exception {
		if ((args.length == 7 || args.length == 8) && args[0].equals("build")) {
			final FijiBom bom = FijiBom.read(Path.of(args[4]));
			final List<UpdateSiteBuilder.Artifact> deps = new ArrayList<>(UpdateSiteBuilder.readDependencyList(Path.of(
				args[2]), Path.of(args[3])));
			if (args.length == 8) {
				String nativeVersion = null;
				for (final UpdateSiteBuilder.Artifact a : deps)
					if (a.artifactId.equals("pytorch-native-cpu")) nativeVersion = a.version;
				if (nativeVersion == null) throw new IllegalStateException(args[2] + ": no pytorch-native-cpu dependency");
				deps.addAll(UpdateSiteBuilder.readNativeJars(Path.of(args[7]), "ai.djl.pytorch", "pytorch-native-cpu",
					nativeVersion));
			}
			final List<UpdateSiteBuilder.Entry> plan = UpdateSiteBuilder.plan(Path.of(args[1]), deps, bom, Path.of(args[5]),
				NOT_FOR_FIJI);
			final String epoch = System.getenv("SOURCE_DATE_EPOCH");
			final ZonedDateTime when = epoch != null ? Instant.ofEpochSecond(Long.parseLong(epoch.trim())).atZone(
				ZoneOffset.UTC) : ZonedDateTime.now(ZoneOffset.UTC);
			final Path out = Path.of(args[6]);
			UpdateSiteBuilder.write(plan, out, UpdateSiteBuilder.timestamp(when));
			for (final UpdateSiteBuilder.Entry e : plan)
				System.out.println("  " + e.fijiPath + "  (" + Files.size(e.source) / 1024 + " KiB" + (e.platform != null
					? ", " + e.platform + " only" : "") + ")");
			System.out.println("update site: " + out + " (" + plan.size() + " files)");
			verifyOrExit(out, bom);
		}
		else if (args.length == 3 && args[0].equals("verify")) {
			verifyOrExit(Path.of(args[1]), FijiBom.read(Path.of(args[2])));
		}
		else {
			System.err.println("usage: UpdateSiteTool build JAR DEPS_LIST LIB_DIR BOM_POM MACROS_DIR OUT_DIR [NATIVES_DIR]\n" +
				"       UpdateSiteTool verify SITE_DIR BOM_POM");
			System.exit(2);
		}
	}

	private static void verifyOrExit(final Path site, final FijiBom bom) throws Exception {
		final List<String> problems = new ArrayList<>(UpdateSiteVerifier.verify(site, bom));
		final List<EnginePlatform.Target> platforms = servedPlatforms();
		problems.addAll(UpdateSiteVerifier.verifyPlatforms(site, platforms));
		if (problems.isEmpty()) {
			final List<String> names = new ArrayList<>();
			for (final EnginePlatform.Target t : platforms)
				names.add(t.fijiPlatform);
			System.out.println("verified: every file's checksum and size match db.xml.gz; no jar clashes with Fiji's; " +
				"a complete CPU libtorch, tagged for its platform, for each of " + names + "; the JNI library for each");
			return;
		}
		problems.forEach(p -> System.err.println("update site problem: " + p));
		System.exit(1);
	}
}
