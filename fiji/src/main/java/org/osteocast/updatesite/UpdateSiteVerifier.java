package org.osteocast.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.osteocast.nn.engine.EnginePlatform;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Checks a built update site the way the ImageJ updater will read it:
 * {@code db.xml.gz} is valid against its own DTD; every listed file exists as
 * {@code <path>-<timestamp>} with the recorded size and checksum; and no jar
 * is one that Fiji already ships (in any version); files in platform folders
 * carry that platform's updater tag; and ({@link #verifyPlatforms}) each
 * platform gets a complete CPU libtorch.
 */
public final class UpdateSiteVerifier {

	private static final Pattern VERSIONED_JAR = Pattern.compile("(.*/)?([^/]+?)-(\\d[^/]*?)(-[a-z][^/]*)?\\.jar");

	private UpdateSiteVerifier() {}

	/**
	 * The platform names Fiji's updater knows ({@code net.imagej.updater.util.Platforms#known()},
	 * plus its platform groups), which a {@code <platform>} tag and a
	 * {@code jars/<platform>/} folder must use.
	 */
	public static final List<String> UPDATER_PLATFORMS = List.of("linux-arm64", "linux32", "linux64", "macos-arm64",
		"macos64", "macosx", "win-arm64", "win32", "win64", "linuxx", "winx");

	/** A listed file as the index records it. */
	public static final class Record {
		public final String filename, checksum, timestamp;
		public final long filesize;
		/** Its {@code <platform>} tags (empty: every platform). */
		public final List<String> platforms;

		Record(final String filename, final String checksum, final String timestamp, final long filesize,
			final List<String> platforms)
		{
			this.filename = filename;
			this.checksum = checksum;
			this.timestamp = timestamp;
			this.filesize = filesize;
			this.platforms = platforms;
		}
	}

	/** Parses and DTD-validates {@code db.xml.gz}. */
	public static List<Record> read(final Path site) throws IOException {
		final Path db = site.resolve("db.xml.gz");
		final Document doc;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
			final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
			f.setValidating(true);
			final DocumentBuilder b = f.newDocumentBuilder();
			final List<String> errors = new ArrayList<>();
			b.setErrorHandler(new ErrorHandler() {
				@Override
				public void warning(final SAXParseException e) {}

				@Override
				public void error(final SAXParseException e) {
					errors.add("line " + e.getLineNumber() + ": " + e.getMessage());
				}

				@Override
				public void fatalError(final SAXParseException e) throws SAXParseException {
					throw e;
				}
			});
			doc = b.parse(in);
			if (!errors.isEmpty()) throw new IOException(db + ": not valid against the updater's DTD: " + String.join(
				"; ", errors));
		}
		catch (final IOException e) {
			throw e;
		}
		catch (final Exception e) {
			throw new IOException(db + ": cannot parse (" + e.getMessage() + ")", e);
		}
		final List<Record> out = new ArrayList<>();
		final NodeList plugins = doc.getDocumentElement().getElementsByTagName("plugin");
		for (int i = 0; i < plugins.getLength(); i++) {
			final Element p = (Element) plugins.item(i);
			final NodeList versions = p.getElementsByTagName("version");
			if (versions.getLength() != 1) throw new IOException(db + ": " + p.getAttribute("filename") +
				" has no current version");
			final Element v = (Element) versions.item(0);
			final List<String> platforms = new ArrayList<>();
			final NodeList tags = p.getElementsByTagName("platform");
			for (int k = 0; k < tags.getLength(); k++)
				platforms.add(tags.item(k).getTextContent().trim());
			out.add(new Record(p.getAttribute("filename"), v.getAttribute("checksum"), v.getAttribute("timestamp"), Long
				.parseLong(v.getAttribute("filesize")), platforms));
		}
		return out;
	}

	/**
	 * Verifies the site; returns the problems (empty when the site is good).
	 *
	 * @param bom what Fiji ships (null to skip the clash check)
	 */
	public static List<String> verify(final Path site, final FijiBom bom) throws IOException {
		final List<String> problems = new ArrayList<>();
		final List<Record> records = read(site);
		if (records.isEmpty()) problems.add("db.xml.gz lists no files");
		for (final Record r : records) {
			if (!r.timestamp.matches("\\d{14}")) problems.add(r.filename + ": timestamp '" + r.timestamp +
				"' is not yyyyMMddHHmmss");
			final Path f = site.resolve(r.filename + "-" + r.timestamp);
			if (!Files.isRegularFile(f)) {
				problems.add(r.filename + ": missing " + site.relativize(f));
				continue;
			}
			if (Files.size(f) != r.filesize) problems.add(r.filename + ": size " + Files.size(f) + " but index says " +
				r.filesize);
			final String sum = UpdaterChecksum.checksum(r.filename, f);
			if (!sum.equals(r.checksum)) problems.add(r.filename + ": checksum " + sum + " but index says " + r.checksum);
			problems.addAll(checkPlatformTags(r));
			final String notForFiji = notForFiji(r.filename);
			if (notForFiji != null) problems.add(notForFiji);
			if (bom != null && r.filename.startsWith("jars/")) {
				final Matcher m = VERSIONED_JAR.matcher(r.filename);
				if (m.matches()) {
					final Set<String> shipped = bom.shippedVersionsOf(m.group(2));
					if (!shipped.isEmpty()) problems.add(r.filename + ": Fiji already ships " + m.group(2) + " " + shipped +
						(shipped.contains(m.group(3)) ? " (redundant)" : " (version clash)"));
				}
			}
		}
		return problems;
	}

	/**
	 * Spark and Scala stay out of Fiji: the Spark module runs on a cluster (or
	 * the launcher), never inside Fiji. Returns the problem with a site file
	 * that is a Spark, Scala or osteocast-spark jar, else null.
	 */
	static String notForFiji(final String filename) {
		final String name = filename.substring(filename.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
		if (name.startsWith("spark-") || name.startsWith("scala-") || name.startsWith("scala3-") || name.startsWith(
			"osteocast-spark")) return filename + ": Spark and Scala have no place in Fiji (the Spark module runs " +
				"with spark-submit or the osteocast launcher)";
		return null;
	}

	/**
	 * A file in a platform folder ({@code jars/<p>/}, {@code lib/<p>/}) carries
	 * exactly that platform's tag, and every tag is one the updater knows: else
	 * Fiji installs it on the wrong computers, or on all of them.
	 */
	static List<String> checkPlatformTags(final Record r) {
		final List<String> problems = new ArrayList<>();
		for (final String p : r.platforms)
			if (!UPDATER_PLATFORMS.contains(p)) problems.add(r.filename + ": platform '" + p +
				"' is not one Fiji's updater knows " + UPDATER_PLATFORMS);
		final String[] parts = r.filename.split("/");
		if (parts.length >= 3 && (parts[0].equals("jars") || parts[0].equals("lib"))) {
			final String folder = parts[1];
			if (UPDATER_PLATFORMS.contains(folder) && !r.platforms.equals(List.of(folder))) problems.add(r.filename +
				": in the " + folder + " folder but tagged " + r.platforms + " (must be [" + folder + "])");
		}
		return problems;
	}

	/**
	 * Checks that the site serves the engine on each platform: one CPU libtorch
	 * jar per platform in {@code jars/<platform>/}, tagged for it, that holds every
	 * library DJL loads there ({@link EnginePlatform#checkNativeJar}); no native
	 * jar that every platform would download; and a {@code pytorch-jni} jar that
	 * holds each platform's JNI library (CPU, and CUDA 12.8 where DJL has one).
	 * Returns the problems (empty when good).
	 */
	public static List<String> verifyPlatforms(final Path site, final List<EnginePlatform.Target> platforms)
		throws IOException
	{
		final List<String> problems = new ArrayList<>();
		final List<Record> records = read(site);
		for (final Record r : records) {
			final String name = r.filename.substring(r.filename.lastIndexOf('/') + 1);
			if (name.startsWith("pytorch-native-") && r.platforms.isEmpty()) problems.add(r.filename +
				": a native library without a platform tag: every user would download it");
		}
		for (final EnginePlatform.Target t : platforms) {
			final List<Record> mine = new ArrayList<>();
			for (final Record r : records)
				if (r.filename.startsWith("jars/" + t.fijiPlatform + "/pytorch-native-cpu-") && r.filename.endsWith("-" +
					t.classifier + ".jar")) mine.add(r);
			if (mine.size() != 1) {
				problems.add(t + ": " + mine.size() + " CPU libtorch jars in jars/" + t.fijiPlatform + "/, expected 1");
				continue;
			}
			final Record r = mine.get(0);
			if (!r.platforms.equals(List.of(t.fijiPlatform))) problems.add(r.filename + ": tagged " + r.platforms +
				", expected [" + t.fijiPlatform + "]");
			final Path f = site.resolve(r.filename + "-" + r.timestamp);
			if (Files.isRegularFile(f)) problems.addAll(EnginePlatform.checkNativeJar(f, t));
		}
		Record jni = null;
		for (final Record r : records)
			if (r.filename.matches("jars/pytorch-jni-[^/]*\\.jar")) jni = r;
		if (jni == null) problems.add("no jars/pytorch-jni-*.jar: the engine's JNI library is missing");
		else {
			final Path f = site.resolve(jni.filename + "-" + jni.timestamp);
			if (!jni.platforms.isEmpty()) problems.add(jni.filename + ": tagged " + jni.platforms +
				", but every platform needs it");
			if (Files.isRegularFile(f)) try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(f.toFile())) {
				for (final EnginePlatform.Target t : platforms)
					for (final String flavor : t.jniFlavors)
						if (z.getEntry(t.jniEntry(flavor)) == null) problems.add(jni.filename + ": no " + t.jniEntry(flavor));
			}
		}
		return problems;
	}
}
