package org.osteocast.updatesite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Build tooling (not a user command): {@code build} assembles the update site,
 * {@code verify} checks one. Run by {@code update-site/build.sh}.
 *
 * <pre>
 * UpdateSiteTool build  JAR DEPS_LIST LIB_DIR BOM_POM MACROS_DIR OUT_DIR
 * UpdateSiteTool verify SITE_DIR BOM_POM
 * </pre>
 *
 * The timestamp is {@code SOURCE_DATE_EPOCH} (seconds) when set, else now.
 */
public final class UpdateSiteTool {

	private UpdateSiteTool() {}

	/** Jars that the command line needs but Fiji must not get (it has its own logging binding). */
	static final List<String> NOT_FOR_FIJI = List.of("slf4j-simple");

	public static void main(final String... args) throws Exception {
		if (args.length == 7 && args[0].equals("build")) {
			final FijiBom bom = FijiBom.read(Path.of(args[4]));
			final List<UpdateSiteBuilder.Entry> plan = UpdateSiteBuilder.plan(Path.of(args[1]), UpdateSiteBuilder
				.readDependencyList(Path.of(args[2]), Path.of(args[3])), bom, Path.of(args[5]), NOT_FOR_FIJI);
			final String epoch = System.getenv("SOURCE_DATE_EPOCH");
			final ZonedDateTime when = epoch != null ? Instant.ofEpochSecond(Long.parseLong(epoch.trim())).atZone(
				ZoneOffset.UTC) : ZonedDateTime.now(ZoneOffset.UTC);
			final Path out = Path.of(args[6]);
			UpdateSiteBuilder.write(plan, out, UpdateSiteBuilder.timestamp(when));
			for (final UpdateSiteBuilder.Entry e : plan)
				System.out.println("  " + e.fijiPath + "  (" + Files.size(e.source) / 1024 + " KiB)");
			System.out.println("update site: " + out.toAbsolutePath() + " (" + plan.size() + " files)");
			verifyOrExit(out, bom);
		}
		else if (args.length == 3 && args[0].equals("verify")) {
			verifyOrExit(Path.of(args[1]), FijiBom.read(Path.of(args[2])));
		}
		else {
			System.err.println("usage: UpdateSiteTool build JAR DEPS_LIST LIB_DIR BOM_POM MACROS_DIR OUT_DIR\n" +
				"       UpdateSiteTool verify SITE_DIR BOM_POM");
			System.exit(2);
		}
	}

	private static void verifyOrExit(final Path site, final FijiBom bom) throws Exception {
		final List<String> problems = UpdateSiteVerifier.verify(site, bom);
		if (problems.isEmpty()) {
			System.out.println("verified: every file's checksum and size match db.xml.gz; no jar clashes with Fiji's");
			return;
		}
		problems.forEach(p -> System.err.println("update site problem: " + p));
		System.exit(1);
	}
}
