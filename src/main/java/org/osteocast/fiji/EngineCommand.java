package org.osteocast.fiji;

import com.google.gson.GsonBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

import org.osteocast.nn.EngineSettings;
import org.osteocast.nn.EngineSetup;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "OsteoCast Engine": shows the deep-learning engine, its version, devices,
 * CUDA and where its native library came from; and sets, persistently, a local
 * libtorch (for a GPU) or permission to fetch a matching build when online.
 * Offline with the bundled CPU library by default. Changes apply at the next
 * start of Fiji (the engine loads once per session).
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>OsteoCast Engine", label = "OsteoCast Engine")
public final class EngineCommand extends OsteoCastCommand {

	public static final String SHOW = "Show";
	public static final String USE_LOCAL = "Use local libtorch";
	public static final String ALLOW_DOWNLOAD = "Download matching build when online";
	public static final String RESET = "Reset to bundled CPU library";
	public static final String RESTART = "Saved; restart Fiji for the engine change to take effect.";

	@Parameter(persist = false, label = "Action", choices = { SHOW, USE_LOCAL, ALLOW_DOWNLOAD, RESET },
		description = "Show the engine, or change which PyTorch library it uses.")
	String action = SHOW;

	@Parameter(persist = false, label = "libtorch folder", style = "directory", required = false,
		description = "A local libtorch build (e.g. CUDA) for 'Use local libtorch'.")
	File libtorch_path;

	@Parameter(persist = false, label = "Flavour to download", required = false,
		description = "e.g. cu128 or cpu, for 'Download matching build when online'.")
	String flavor = "cu128";

	@Parameter(type = ItemIO.OUTPUT, label = "Engine")
	String engine;

	@Override
	protected void execute() throws IOException {
		final EngineSettings settings = EngineSettings.load();
		String note = null;
		switch (action) {
			case USE_LOCAL:
				if (libtorch_path == null || !Files.isDirectory(libtorch_path.toPath())) throw new IllegalArgumentException(
					"libtorch_path must be an existing folder (a libtorch build with lib/libtorch*)");
				settings.set(EngineSettings.LIBTORCH_PATH, libtorch_path.getAbsolutePath()).set(
					EngineSettings.ALLOW_DOWNLOAD, null).save();
				note = RESTART;
				break;
			case ALLOW_DOWNLOAD:
				settings.set(EngineSettings.ALLOW_DOWNLOAD, "true").set(EngineSettings.FLAVOR, flavor).save();
				note = RESTART;
				break;
			case RESET:
				settings.set(EngineSettings.LIBTORCH_PATH, null).set(EngineSettings.ALLOW_DOWNLOAD, null).set(
					EngineSettings.FLAVOR, null).save();
				note = RESTART;
				break;
			case SHOW:
				break;
			default:
				throw new IllegalArgumentException("unknown action '" + action + "'");
		}
		final java.util.Map<String, Object> d = new java.util.LinkedHashMap<>(EngineSetup.describe());
		d.put("settings_file", EngineSettings.file().toString());
		if (note != null) d.put("note", note);
		engine = new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(d);
		if (log != null) log.info(engine);
	}
}
