package org.osteocast.nn.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The computer the engine runs on, in the two vocabularies that matter: the
 * platform folder and tag of Fiji's updater ({@code linux64}, {@code win64},
 * {@code macos-arm64}, …, as {@code net.imagej.updater.util.Platforms} names
 * them) and the classifier of DJL's native jars ({@code linux-x86_64},
 * {@code win-x86_64}, {@code osx-aarch64}, …, as {@code ai.djl.util.Platform}
 * derives it from {@code os.name}/{@code os.arch}).
 * <p>
 * It also finds the CPU libtorch jar ({@code pytorch-native-cpu-*-<classifier>.jar})
 * for a platform: on the class path (as Fiji, whose launcher puts
 * {@code jars/*}{@code /*.jar} on it, and the command line have it) or in the
 * platform folders of a Fiji or ImageJ 1.x installation (ImageJ 1.x reads only
 * one folder level below {@code plugins/}), and checks that such a jar holds
 * every library DJL loads for the platform.
 */
public final class EnginePlatform {

	/** The operating systems DJL's PyTorch engine knows. */
	public enum Os {
		LINUX, MAC, WINDOWS;

		/** {@link System#mapLibraryName} as it is on this operating system. */
		public String libraryName(final String name) {
			switch (this) {
				case WINDOWS:
					return name + ".dll";
				case MAC:
					return "lib" + name + ".dylib";
				default:
					return "lib" + name + ".so";
			}
		}
	}

	/** The libtorch version OsteoCast's DJL engine and JNI library are built for. */
	public static final String LIBTORCH_VERSION = "2.7.1";
	/** The CUDA flavour of the GPU JNI library in {@code pytorch-jni} (CUDA 12.8). */
	public static final String CUDA_FLAVOR = "cu128";
	/** Where the engine's CPU libraries live inside a {@code pytorch-native-cpu} jar. */
	public static final String NATIVE_PROPERTIES = "native/lib/pytorch.properties";

	/** One platform OsteoCast knows. */
	public static final class Target {
		/** Fiji's updater platform name, also the folder under {@code jars/}. */
		public final String fijiPlatform;
		/** DJL's classifier, e.g. {@code win-x86_64}. */
		public final String classifier;
		public final Os os;
		/** Whether a CPU libtorch is served for it ({@code pytorch-native-cpu} with this classifier). */
		public final boolean cpuBuild;
		/** JNI flavours held by {@code pytorch-jni} for it. */
		public final List<String> jniFlavors;

		Target(final String fijiPlatform, final String classifier, final Os os, final boolean cpuBuild,
			final String... jniFlavors)
		{
			this.fijiPlatform = fijiPlatform;
			this.classifier = classifier;
			this.os = os;
			this.cpuBuild = cpuBuild;
			this.jniFlavors = List.of(jniFlavors);
		}

		/** Whether a CUDA libtorch can be used here (a JNI library for {@link #CUDA_FLAVOR} exists). */
		public boolean gpuPossible() {
			return jniFlavors.contains(CUDA_FLAVOR);
		}

		/** The JNI library inside {@code pytorch-jni}, e.g. {@code jnilib/win-x86_64/cpu/djl_torch.dll}. */
		public String jniEntry(final String flavor) {
			return "jnilib/" + classifier + "/" + flavor + "/" + os.libraryName("djl_torch");
		}

		/** The file name of the CPU native jar served for it. */
		public String nativeJarName(final String version) {
			return "pytorch-native-cpu-" + version + "-" + classifier + ".jar";
		}

		@Override
		public String toString() {
			return fijiPlatform + " (" + classifier + ")";
		}
	}

	/** Every platform that DJL's PyTorch 2.7.1 engine serves, and Intel macOS, which it does not. */
	public static final List<Target> ALL = List.of( //
		new Target("linux64", "linux-x86_64", Os.LINUX, true, "cpu", CUDA_FLAVOR), //
		new Target("linux-arm64", "linux-aarch64", Os.LINUX, true, "cpu"), //
		new Target("win64", "win-x86_64", Os.WINDOWS, true, "cpu", CUDA_FLAVOR), //
		new Target("macos-arm64", "osx-aarch64", Os.MAC, true, "cpu"), //
		new Target("macos64", "osx-x86_64", Os.MAC, false));

	/** What an Intel Mac user reads instead of a broken engine. */
	public static final String NO_INTEL_MAC = "PyTorch " + LIBTORCH_VERSION +
		" has no build for Intel Macs (macOS x86-64), so OsteoCast cannot train or predict on this Mac: use an " +
		"Apple-silicon Mac, Windows or Linux (the command line runs on any Linux server); the other commands work";

	private EnginePlatform() {}

	/** The platform this JVM runs on. */
	public static Target current() {
		return detect(System.getProperty("os.name"), System.getProperty("os.arch"));
	}

	/**
	 * The platform for the given {@code os.name} and {@code os.arch} values.
	 *
	 * @throws IllegalStateException when OsteoCast's engine does not serve it,
	 *           with a message that names the platform
	 */
	public static Target detect(final String osName, final String osArch) {
		final String classifier = djlClassifier(osName, osArch);
		for (final Target t : ALL)
			if (t.classifier.equals(classifier)) return t;
		throw new IllegalStateException("PyTorch " + LIBTORCH_VERSION + " has no build for " + osName + " on " + osArch +
			" (Fiji platform " + fijiPlatform(osName, osArch) + "); OsteoCast's engine runs on " + served());
	}

	private static String served() {
		final List<String> names = new ArrayList<>();
		for (final Target t : ALL)
			if (t.cpuBuild) names.add(t.fijiPlatform);
		return String.join(", ", names);
	}

	/** DJL's classifier, as {@code ai.djl.util.Platform} derives it. */
	public static String djlClassifier(final String osName, final String osArch) {
		final String os;
		if (osName.startsWith("Win")) os = "win";
		else if (osName.startsWith("Mac")) os = "osx";
		else if (osName.startsWith("Linux")) os = "linux";
		else os = osName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		return os + "-" + ("amd64".equals(osArch) ? "x86_64" : osArch);
	}

	/** Fiji's updater platform name, as {@code net.imagej.updater.util.Platforms#current()} derives it. */
	public static String fijiPlatform(final String osName, final String osArch) {
		final String n = osName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
		final String os = n.startsWith("linux") ? "linux" : n.startsWith("mac") ? "macos" : n.startsWith("win") ? "win"
			: n;
		final String arch;
		switch (osArch) {
			case "aarch32":
				arch = "-arm32";
				break;
			case "aarch64":
				arch = "-arm64";
				break;
			case "i386":
			case "i486":
			case "i586":
			case "i686":
			case "x86":
			case "x86-32":
			case "x86_32":
				arch = "32";
				break;
			case "amd64":
			case "x64":
			case "x86-64":
			case "x86_64":
				arch = "64";
				break;
			default:
				arch = "-" + osArch;
		}
		return os + arch;
	}

	/** The platform whose classifier this is, or null. */
	public static Target byClassifier(final String classifier) {
		for (final Target t : ALL)
			if (t.classifier.equals(classifier)) return t;
		return null;
	}

	// -- the CPU native jar --

	/** The content of a native jar's {@code native/lib/pytorch.properties}. */
	public static final class NativeJar {
		public final Path jar;
		public final String version, flavor, classifier;
		public final List<String> libraries;

		NativeJar(final Path jar, final Properties p) {
			this.jar = jar;
			this.version = p.getProperty("version", "");
			this.flavor = p.getProperty("flavor", "");
			this.classifier = p.getProperty("classifier", "");
			final String libs = p.getProperty("libraries", "");
			this.libraries = libs.isBlank() ? List.of() : List.of(libs.split(","));
		}

		/** Where DJL reads library {@code lib} from inside the jar. */
		public String entry(final String lib) {
			return "pytorch/" + flavor + "/" + classifier + "/" + lib;
		}
	}

	/** Reads a native jar's properties, or throws with a line naming the jar. */
	public static NativeJar readNativeJar(final Path jar) throws IOException {
		try (ZipFile z = new ZipFile(jar.toFile())) {
			final ZipEntry e = z.getEntry(NATIVE_PROPERTIES);
			if (e == null) throw new IOException(jar + ": no " + NATIVE_PROPERTIES + " (not a DJL native jar)");
			final Properties p = new Properties();
			try (InputStream in = z.getInputStream(e)) {
				p.load(in);
			}
			return new NativeJar(jar, p);
		}
	}

	/**
	 * Checks that a native jar holds what DJL loads on {@code t}: its properties
	 * name the platform's classifier and the CPU flavour, list the engine library
	 * ({@code torch} by the platform's naming) and every listed library is in the
	 * jar. Returns the problems (empty when the jar is good).
	 */
	public static List<String> checkNativeJar(final Path jar, final Target t) throws IOException {
		final List<String> problems = new ArrayList<>();
		final NativeJar n = readNativeJar(jar);
		if (!n.classifier.equals(t.classifier)) problems.add(jar.getFileName() + ": built for " + n.classifier +
			", not " + t.classifier);
		if (!"cpu".equals(n.flavor)) problems.add(jar.getFileName() + ": flavour " + n.flavor + ", not cpu");
		if (!n.version.startsWith(LIBTORCH_VERSION)) problems.add(jar.getFileName() + ": libtorch " + n.version +
			", not " + LIBTORCH_VERSION);
		final String torch = t.os.libraryName("torch");
		if (!n.libraries.contains(torch)) problems.add(jar.getFileName() + ": does not list " + torch + " (lists " +
			n.libraries + ")");
		try (ZipFile z = new ZipFile(jar.toFile())) {
			for (final String lib : n.libraries)
				if (z.getEntry(n.entry(lib)) == null) problems.add(jar.getFileName() + ": lists " + lib + " but has no " + n
					.entry(lib));
		}
		return problems;
	}

	/**
	 * The native jar for {@code t} that a class loader sees, or null: DJL reads
	 * the first {@code native/lib/pytorch.properties} whose classifier matches.
	 */
	public static Path onClassPath(final Target t, final ClassLoader loader) {
		try {
			final Enumeration<URL> urls = loader.getResources(NATIVE_PROPERTIES);
			for (final URL u : Collections.list(urls)) {
				final Properties p = new Properties();
				try (InputStream in = u.openStream()) {
					p.load(in);
				}
				if (!t.classifier.equals(p.getProperty("classifier"))) continue;
				final String s = u.toString();
				if (s.startsWith("jar:file:") && s.contains("!/")) return Path.of(java.net.URI.create(s.substring(4, s
					.indexOf("!/"))));
				return Path.of(u.getPath());
			}
		}
		catch (final IOException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
			// an unreadable class path entry: as if absent
		}
		return null;
	}

	/**
	 * Looks for {@code t}'s native jar in installation folders: each folder's
	 * platform subfolder ({@code jars/linux64/}, as Fiji's updater installs it)
	 * first, then the folder itself (ImageJ 1.x's flat {@code plugins/jars/}).
	 * Returns the first jar whose properties name {@code t}'s classifier, or null.
	 */
	public static Path inFolders(final Target t, final List<Path> folders) {
		for (final Path f : folders) {
			if (f == null) continue;
			for (final Path dir : Arrays.asList(f.resolve(t.fijiPlatform), f)) {
				if (!Files.isDirectory(dir)) continue;
				final List<Path> candidates = new ArrayList<>();
				try (Stream<Path> s = Files.list(dir)) {
					s.filter(p -> {
						final String n = p.getFileName().toString();
						return n.startsWith("pytorch-native-cpu-") && n.endsWith("-" + t.classifier + ".jar");
					}).sorted().forEach(candidates::add);
				}
				catch (final IOException e) {
					continue;
				}
				for (final Path c : candidates) {
					try {
						if (t.classifier.equals(readNativeJar(c).classifier)) return c;
					}
					catch (final IOException e) {
						// damaged jar: try the next
					}
				}
			}
		}
		return null;
	}

	/**
	 * The folders of this installation where Fiji's updater or a user puts jars:
	 * {@code <Fiji>/jars}, {@code <ImageJ>/plugins/jars}, and the folder that holds
	 * DJL's engine jar (and its parent, when that is a platform folder).
	 */
	public static List<Path> installationFolders() {
		final List<Path> out = new ArrayList<>();
		for (final String key : List.of("scijava.app.directory", "fiji.dir", "ij.dir", "imagej.dir")) {
			final String d = System.getProperty(key);
			if (d == null || d.isBlank()) continue;
			addIfAbsent(out, Path.of(d, "jars"));
			addIfAbsent(out, Path.of(d, "plugins", "jars"));
		}
		final String plugins = System.getProperty("plugins.dir");
		if (plugins != null && !plugins.isBlank()) addIfAbsent(out, Path.of(plugins, "plugins", "jars"));
		try {
			final Path engineJar = Path.of(ai.djl.engine.Engine.class.getProtectionDomain().getCodeSource().getLocation()
				.toURI());
			if (engineJar.getParent() != null) addIfAbsent(out, engineJar.getParent());
		}
		catch (final Exception | LinkageError e) {
			// no code source (e.g. an unusual class loader): the other folders stand
		}
		return out;
	}

	private static void addIfAbsent(final List<Path> out, final Path p) {
		final Path n = p.toAbsolutePath().normalize();
		if (!out.contains(n)) out.add(n);
	}
}
