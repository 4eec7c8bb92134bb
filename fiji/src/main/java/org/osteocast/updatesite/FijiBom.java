package org.osteocast.updatesite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Fiji ships, read from the {@code pom-scijava} bill of materials that
 * this project builds against: its {@code <groupId>.<artifactId>.version}
 * properties are the component versions of the Fiji distribution. A jar that
 * the BOM manages is already in Fiji and must not be shipped again (and must
 * not differ in version); any other jar belongs on our update site.
 */
public final class FijiBom {

	private static final Pattern REF = Pattern.compile("\\$\\{([^}]+)}");
	private final Map<String, String> properties;

	private FijiBom(final Map<String, String> properties) {
		this.properties = properties;
	}

	/** Parses the BOM's properties and resolves {@code ${...}} references. */
	public static FijiBom read(final Path pom) throws IOException {
		final Map<String, String> raw = new HashMap<>();
		try {
			final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
			f.setNamespaceAware(false);
			f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
			final Element root = f.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
			final NodeList props = root.getElementsByTagName("properties");
			for (int i = 0; i < props.getLength(); i++) {
				final Node p = props.item(i);
				if (p.getParentNode() != root) continue;
				final NodeList children = p.getChildNodes();
				for (int c = 0; c < children.getLength(); c++) {
					final Node n = children.item(c);
					if (n instanceof Element) raw.put(n.getNodeName(), n.getTextContent().trim());
				}
			}
		}
		catch (final Exception e) {
			throw new IOException(pom + ": cannot read the pom-scijava bill of materials (" + e.getMessage() + ")", e);
		}
		if (raw.isEmpty()) throw new IOException(pom + ": no <properties> found; is this pom-scijava?");
		final Map<String, String> resolved = new HashMap<>();
		for (final String k : raw.keySet())
			resolved.put(k, resolve(raw, raw.get(k), 0));
		return new FijiBom(resolved);
	}

	private static String resolve(final Map<String, String> raw, final String value, final int depth) {
		if (value == null || depth > 20) return value;
		final Matcher m = REF.matcher(value);
		final StringBuilder b = new StringBuilder();
		while (m.find()) {
			final String v = raw.get(m.group(1));
			m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group() : resolve(raw, v, depth + 1)));
		}
		m.appendTail(b);
		return b.toString();
	}

	/**
	 * Versions Fiji ships of any artifact named {@code artifactId} (whatever its
	 * group): what the updater compares, since it matches jars by base name.
	 */
	public java.util.Set<String> shippedVersionsOf(final String artifactId) {
		final java.util.Set<String> out = new java.util.TreeSet<>();
		final String suffix = "." + artifactId + ".version";
		properties.forEach((k, v) -> {
			if (k.endsWith(suffix) && !v.contains("${")) out.add(v);
		});
		return out;
	}

	/** The version Fiji ships of {@code groupId:artifactId}, or null if Fiji does not ship it. */
	public String shippedVersion(final String groupId, final String artifactId) {
		final String v = properties.get(groupId + "." + artifactId + ".version");
		return v == null || v.contains("${") ? null : v;
	}
}
