package org.osteocast.nn.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.osteocast.io.util.AtomicFiles;

/**
 * The user's persistent engine choice ({@code ~/.osteocast/engine.properties},
 * or under the folder named by the system property {@code osteocast.config.dir}):
 * a local libtorch folder to use instead of the bundled CPU library, or
 * permission to download a matching GPU build when online. Read once when the
 * engine starts; environment variables set by the user always win.
 */
public final class EngineSettings {

	/** Key: a local libtorch folder (e.g. a CUDA build), passed to DJL as PYTORCH_LIBRARY_PATH. */
	public static final String LIBTORCH_PATH = "libtorch_path";
	/** Key: "true" lets DJL download a native build (needs network). */
	public static final String ALLOW_DOWNLOAD = "allow_download";
	/** Key: the flavour of the local libtorch, or the one to download: e.g. "cu128" or "cpu". */
	public static final String FLAVOR = "flavor";

	private final Properties props;

	private EngineSettings(final Properties props) {
		this.props = props;
	}

	/** The settings file. */
	public static Path file() {
		final String dir = System.getProperty("osteocast.config.dir");
		return (dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".osteocast")).resolve(
			"engine.properties");
	}

	/** Loads the settings (empty when there is no file). */
	public static EngineSettings load() {
		final Properties p = new Properties();
		final Path f = file();
		if (Files.isRegularFile(f)) {
			try (InputStream in = Files.newInputStream(f)) {
				p.load(in);
			}
			catch (final IOException e) {
				// unreadable settings: run with the defaults (offline, bundled CPU library)
			}
		}
		return new EngineSettings(p);
	}

	public String get(final String key) {
		final String v = props.getProperty(key);
		return v == null || v.isBlank() ? null : v.trim();
	}

	/** Sets (or, with null, removes) a key. */
	public EngineSettings set(final String key, final String value) {
		if (value == null) props.remove(key);
		else props.setProperty(key, value);
		return this;
	}

	/** Saves atomically. */
	public void save() throws IOException {
		final StringWriter w = new StringWriter();
		props.store(w, "OsteoCast engine settings (see the 'OsteoCast Engine' command)");
		AtomicFiles.writeString(file(), w.toString());
	}

	/** Applies the settings as DJL system properties, unless the user set the variables themselves. */
	void apply() {
		final String lib = get(LIBTORCH_PATH);
		if (lib != null && System.getenv("PYTORCH_LIBRARY_PATH") == null && System.getProperty(
			"PYTORCH_LIBRARY_PATH") == null)
		{
			System.setProperty("PYTORCH_LIBRARY_PATH", lib);
			// the flavour picks the JNI library inside pytorch-jni (cpu or cu128); DJL's own guess
			// ("cpu-precxx11" on Linux, the driver's CUDA version) names one that is not there
			final String flavor = get(FLAVOR);
			if (flavor != null && System.getenv("PYTORCH_FLAVOR") == null && System.getProperty(
				"PYTORCH_FLAVOR") == null) System.setProperty("PYTORCH_FLAVOR", flavor);
		}
		if ("true".equalsIgnoreCase(get(ALLOW_DOWNLOAD))) {
			if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "false");
			final String flavor = get(FLAVOR);
			if (flavor != null && System.getenv("PYTORCH_FLAVOR") == null && System.getProperty(
				"PYTORCH_FLAVOR") == null) System.setProperty("PYTORCH_FLAVOR", flavor);
		}
	}
}
