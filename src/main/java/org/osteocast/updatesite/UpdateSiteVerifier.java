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

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Checks a built update site the way the ImageJ updater will read it:
 * {@code db.xml.gz} is valid against its own DTD; every listed file exists as
 * {@code <path>-<timestamp>} with the recorded size and checksum; and no jar
 * is one that Fiji already ships (in any version).
 */
public final class UpdateSiteVerifier {

	private static final Pattern VERSIONED_JAR = Pattern.compile("(.*/)?([^/]+?)-(\\d[^/]*?)(-[a-z][^/]*)?\\.jar");

	private UpdateSiteVerifier() {}

	/** A listed file as the index records it. */
	public static final class Record {
		public final String filename, checksum, timestamp;
		public final long filesize;

		Record(final String filename, final String checksum, final String timestamp, final long filesize) {
			this.filename = filename;
			this.checksum = checksum;
			this.timestamp = timestamp;
			this.filesize = filesize;
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
			out.add(new Record(p.getAttribute("filename"), v.getAttribute("checksum"), v.getAttribute("timestamp"), Long
				.parseLong(v.getAttribute("filesize"))));
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
}
