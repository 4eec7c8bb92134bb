package org.osteocast.updatesite;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.osteocast.io.util.AtomicFiles;
import org.osteocast.nn.engine.EnginePlatform;

/**
 * Assembles a static Fiji update site: every file stored as
 * {@code <path>-<timestamp>} as the ImageJ updater downloads it, and the index
 * {@code db.xml.gz} (the updater's {@code pluginRecords} format with its DTD,
 * checksums, timestamps and sizes). Host the folder on any static web server
 * and add its URL in Fiji under Help › Update › Manage update sites.
 * <p>
 * Only what Fiji does not ship goes on the site: the plugin jar, the DJL and
 * PyTorch jars, the macros. The CPU libtorch of each platform goes into that
 * platform's folder with its updater tag ({@code jars/win64/},
 * {@code <platform>win64</platform>}), so Fiji downloads only the user's own. A dependency that Fiji ships (per {@link FijiBom})
 * is left out; one that Fiji ships in a different version is a clash and stops
 * the build.
 */
public final class UpdateSiteBuilder {

	/** One resolved runtime dependency ({@code mvn dependency:list} line). */
	public static final class Artifact {
		public final String groupId, artifactId, classifier, version;
		public final Path jar;

		public Artifact(final String groupId, final String artifactId, final String classifier, final String version,
			final Path jar)
		{
			this.groupId = groupId;
			this.artifactId = artifactId;
			this.classifier = classifier;
			this.version = version;
			this.jar = jar;
		}

		@Override
		public String toString() {
			return groupId + ":" + artifactId + (classifier != null ? ":" + classifier : "") + ":" + version;
		}
	}

	/** A file of the site: where it goes in Fiji.app, and its source. */
	public static final class Entry {
		public final String fijiPath;
		public final Path source;
		public final String platform;
		public final String description;

		public Entry(final String fijiPath, final Path source, final String platform, final String description) {
			this.fijiPath = fijiPath;
			this.source = source;
			this.platform = platform;
			this.description = description;
		}
	}

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

	private UpdateSiteBuilder() {}

	/** The updater's timestamp format, UTC. */
	public static String timestamp(final ZonedDateTime t) {
		return t.withZoneSameInstant(ZoneOffset.UTC).format(STAMP);
	}

	/**
	 * Parses {@code mvn dependency:list -DoutputFile=...} output and finds each
	 * jar in {@code libDir} (as written by {@code dependency:copy-dependencies}).
	 */
	public static List<Artifact> readDependencyList(final Path listFile, final Path libDir) throws IOException {
		final List<Artifact> out = new ArrayList<>();
		for (String line : Files.readAllLines(listFile, StandardCharsets.UTF_8)) {
			line = line.trim();
			final int sp = line.indexOf(' ');
			if (sp > 0) line = line.substring(0, sp); // "-- module ..." suffix
			final String[] p = line.split(":");
			if (p.length < 5 || !"jar".equals(p[2])) continue;
			final String g = p[0], a = p[1];
			final String classifier = p.length >= 6 ? p[3] : null;
			final String v = p.length >= 6 ? p[4] : p[3];
			final String scope = p[p.length - 1];
			if (scope.equals("test") || scope.equals("provided") || scope.equals("system")) continue;
			final Path jar = libDir.resolve(a + "-" + v + (classifier != null ? "-" + classifier : "") + ".jar");
			if (!Files.isRegularFile(jar)) throw new IOException(listFile + ": " + line + " has no jar " + jar);
			out.add(new Artifact(g, a, classifier, v, jar));
		}
		if (out.isEmpty()) throw new IOException(listFile + ": no runtime dependencies listed");
		return out;
	}

	/**
	 * Chooses the site's files: the plugin jar, every dependency Fiji lacks,
	 * and the macros. Throws if a dependency clashes with a version Fiji ships.
	 *
	 * @param excluded artifactIds never shipped (e.g. the command line's own logging binding)
	 */
	public static List<Entry> plan(final Path pluginJar, final List<Artifact> deps, final FijiBom bom,
		final Path macrosDir, final List<String> excluded) throws IOException
	{
		final List<Entry> entries = new ArrayList<>();
		entries.add(new Entry("plugins/" + pluginJar.getFileName(), pluginJar, null,
			"OsteoCast: forecast osteolytic bone lesions in longitudinal micro-CT (T-VAE)."));
		final List<String> clashes = new ArrayList<>();
		for (final Artifact a : deps) {
			if (excluded.contains(a.artifactId)) continue;
			final String shipped = bom.shippedVersion(a.groupId, a.artifactId);
			if (shipped != null) {
				if (!shipped.equals(a.version)) clashes.add(a + " (Fiji ships " + shipped + ")");
				continue; // Fiji has it
			}
			final EnginePlatform.Target t = platformOf(a);
			final String dir = t != null ? "jars/" + t.fijiPlatform + "/" : "jars/";
			entries.add(new Entry(dir + a.jar.getFileName(), a.jar, t != null ? t.fijiPlatform : null, t != null
				? "The CPU libtorch for " + t.fijiPlatform + " (" + a + "); Fiji installs it on " + t.fijiPlatform + " only."
				: a.toString()));
		}
		if (!clashes.isEmpty()) throw new IOException("dependencies clash with jars that Fiji ships: " + String.join(
			"; ", clashes));
		if (macrosDir != null && Files.isDirectory(macrosDir)) {
			try (Stream<Path> s = Files.walk(macrosDir)) {
				for (final Path m : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator)
					entries.add(new Entry("macros/OsteoCast/" + macrosDir.relativize(m).toString().replace('\\', '/'), m,
						null, "OsteoCast macro"));
			}
		}
		return entries;
	}

	/**
	 * The platform of a native jar (a classifier naming one of
	 * {@link EnginePlatform#ALL}), or null for a jar every platform needs.
	 */
	static EnginePlatform.Target platformOf(final Artifact a) {
		if (a.classifier == null) return null;
		for (final EnginePlatform.Target t : EnginePlatform.ALL)
			if (a.classifier.equals(t.classifier) || a.classifier.endsWith("-" + t.classifier)) return t;
		return null;
	}

	/**
	 * The other platforms' native jars in a folder (as {@code mvn package
	 * -Pupdate-site-natives} copies them), named
	 * {@code <artifactId>-<version>-<classifier>.jar}.
	 */
	public static List<Artifact> readNativeJars(final Path dir, final String groupId, final String artifactId,
		final String version) throws IOException
	{
		final List<Artifact> out = new ArrayList<>();
		if (dir == null || !Files.isDirectory(dir)) return out;
		final String prefix = artifactId + "-" + version + "-";
		try (Stream<Path> s = Files.list(dir)) {
			for (final Path jar : (Iterable<Path>) s.sorted()::iterator) {
				final String n = jar.getFileName().toString();
				if (!n.startsWith(prefix) || !n.endsWith(".jar")) continue;
				out.add(new Artifact(groupId, artifactId, n.substring(prefix.length(), n.length() - 4), version, jar));
			}
		}
		return out;
	}

	/** Copies the files as {@code <path>-<timestamp>} and writes {@code db.xml.gz}, atomically. */
	public static void write(final List<Entry> entries, final Path siteDir, final String timestamp) throws IOException {
		Files.createDirectories(siteDir);
		final StringBuilder xml = new StringBuilder();
		xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").append(DTD).append("<pluginRecords>\n");
		final Entry plugin = entries.get(0);
		for (final Entry e : entries) {
			final Path target = siteDir.resolve(e.fijiPath + "-" + timestamp);
			Files.createDirectories(target.getParent());
			AtomicFiles.write(target, tmp -> Files.copy(e.source, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING));
			final String checksum = UpdaterChecksum.checksum(e.fijiPath, e.source);
			xml.append("    <plugin filename=\"").append(esc(e.fijiPath)).append("\">\n");
			if (e.platform != null) xml.append("        <platform>").append(e.platform).append("</platform>\n");
			xml.append("        <version checksum=\"").append(checksum).append("\" timestamp=\"").append(timestamp)
				.append("\" filesize=\"").append(Files.size(e.source)).append("\">\n");
			xml.append("            <description>").append(esc(e.description)).append("</description>\n");
			if (e == plugin) for (final Entry d : entries)
				if (d != plugin && d.fijiPath.startsWith("jars/")) xml.append("            <dependency filename=\"").append(
					esc(d.fijiPath)).append("\" timestamp=\"").append(timestamp).append("\"/>\n");
			xml.append("            <author>OsteoCast team</author>\n");
			xml.append("        </version>\n    </plugin>\n");
		}
		xml.append("</pluginRecords>\n");
		AtomicFiles.writeStream(siteDir.resolve("db.xml.gz"), out -> {
			try (OutputStream gz = new GZIPOutputStream(out); Writer w = new OutputStreamWriter(gz,
				StandardCharsets.UTF_8))
			{
				w.write(xml.toString());
			}
		});
	}

	private static String esc(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	/** The updater's own DTD, which it validates the index against. */
	static final String DTD = "<!DOCTYPE pluginRecords [\n" +
		"<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n" +
		"<!ELEMENT update-site EMPTY>\n" + "<!ELEMENT disabled-update-site EMPTY>\n" +
		"<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n" +
		"<!ELEMENT version (description?, dependency*, link*, author*)>\n" +
		"<!ELEMENT previous-version EMPTY>\n" + "<!ELEMENT description (#PCDATA)>\n" +
		"<!ELEMENT dependency EMPTY>\n" + "<!ELEMENT link (#PCDATA)>\n" + "<!ELEMENT author (#PCDATA)>\n" +
		"<!ELEMENT platform (#PCDATA)>\n" + "<!ELEMENT category (#PCDATA)>\n" +
		"<!ATTLIST update-site name CDATA #REQUIRED>\n" + "<!ATTLIST update-site url CDATA #REQUIRED>\n" +
		"<!ATTLIST update-site ssh-host CDATA #IMPLIED>\n" + "<!ATTLIST update-site upload-directory CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site description CDATA #IMPLIED>\n" + "<!ATTLIST update-site maintainer CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST disabled-update-site name CDATA #REQUIRED>\n" +
		"<!ATTLIST disabled-update-site url CDATA #REQUIRED>\n" +
		"<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site description CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST plugin update-site CDATA #IMPLIED>\n" + "<!ATTLIST plugin filename CDATA #REQUIRED>\n" +
		"<!ATTLIST plugin executable CDATA #IMPLIED>\n" + "<!ATTLIST dependency filename CDATA #REQUIRED>\n" +
		"<!ATTLIST dependency timestamp CDATA #IMPLIED>\n" + "<!ATTLIST dependency overrides CDATA #IMPLIED>\n" +
		"<!ATTLIST version timestamp CDATA #REQUIRED>\n" + "<!ATTLIST version checksum CDATA #REQUIRED>\n" +
		"<!ATTLIST version filesize CDATA #REQUIRED>\n" +
		"<!ATTLIST previous-version filename CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n";
}
