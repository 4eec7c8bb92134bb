package org.osteocast.fiji;

import com.google.gson.GsonBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

import org.osteocast.nn.engine.EnginePlatform;
import org.osteocast.nn.engine.EngineSettings;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.LibtorchCheck;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * "OsteoCast Engine": shows the platform, where the deep-learning engine's
 * native library comes from, whether training will work (and on which
 * device), the engine's version, devices and CUDA; checks a downloaded CUDA
 * libtorch folder (version, CUDA flavour, libraries, NVIDIA driver), saying in
 * one line what is wrong; and sets, persistently, that folder (for a GPU) or
 * permission to fetch a matching build when online. Offline with the bundled
 * CPU library by default. Changes apply at the next start of Fiji (the engine
 * loads once per session).
 */
@Plugin(type = Command.class, menuPath = "Plugins>OsteoCast>OsteoCast Engine", label = "OsteoCast Engine")
public final class EngineCommand extends OsteoCastCommand {

	public static final String SHOW = "Show";
	public static final String CHECK = "Check libtorch folder";
	public static final String USE_LOCAL = "Use local libtorch";
	public static final String ALLOW_DOWNLOAD = "Download matching build when online";
	public static final String RESET = "Reset to bundled CPU library";
	public static final String RESTART = "Saved; restart Fiji for the engine change to take effect.";

	@Parameter(persist = false, label = "Action", choices = { SHOW, CHECK, USE_LOCAL, ALLOW_DOWNLOAD, RESET },
		description = "Show the engine; check a CUDA libtorch folder; use it (checked first) for the GPU; or go back to the bundled CPU library.")
	String action = SHOW;

	@Parameter(persist = false, label = "libtorch folder (GPU)", style = "directory", required = false,
		description = "The unpacked 'libtorch' folder of libtorch 2.7.1+cu128 from pytorch.org (Linux or Windows).")
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
		LibtorchCheck.Result check = null;
		switch (action) {
			case CHECK:
			case USE_LOCAL:
				if (libtorch_path == null) throw new IllegalArgumentException(
					"libtorch_path must be an existing folder (the unpacked 'libtorch' folder of libtorch 2.7.1+cu128)");
				if (!Files.isDirectory(libtorch_path.toPath())) throw new IllegalArgumentException(
					"libtorch_path must be an existing folder: " + libtorch_path + " is not one");
				check = LibtorchCheck.check(libtorch_path.toPath());
				if (!check.ok()) throw new IllegalArgumentException(check.problem);
				if (action.equals(USE_LOCAL)) {
					settings.set(EngineSettings.LIBTORCH_PATH, check.libDir.toAbsolutePath().toString()).set(
						EngineSettings.FLAVOR, EnginePlatform.CUDA_FLAVOR).set(EngineSettings.ALLOW_DOWNLOAD, null).save();
					note = RESTART;
				}
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
		if (check != null) d.put("libtorch_check", "ok: libtorch " + check.buildVersion + " in " + check.libDir +
			", NVIDIA driver " + check.driver);
		if (note != null) d.put("note", note);
		engine = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(d);
		if (log != null) log.info(engine);
	}
}
