package org.osteocast.ij1;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.plugin.PlugIn;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

/**
 * Runs an OsteoCast SciJava command in plain ImageJ 1.x, so the same macro
 * lines work there and in Fiji. {@code plugins.config} names this class once
 * per command, with the command's class as the argument, under the command's
 * own menu label; macro keys are the command's parameter names.
 * <p>
 * From a macro, inputs come from the option string (a bare key is a ticked
 * checkbox); interactively, a dialog asks for them. An image input is the
 * image named by its key, else the current image. A cancelled command logs its
 * reason and aborts the macro instead of opening a dialog. The dialog
 * ({@link ParameterDialog}) shows each parameter's label, range and
 * description, with the advanced ones last.
 */
public final class OsteoCastPlugIn implements PlugIn {

	@Override
	public void run(final String commandClass) {
		final Class<? extends Command> type;
		try {
			type = Class.forName(commandClass.trim()).asSubclass(Command.class);
		}
		catch (final ClassNotFoundException | ClassCastException e) {
			IJ.log("OsteoCast: no such command " + commandClass);
			return;
		}
		final String options = Macro.getOptions();
		// SciJava discovers plugins through the context class loader; in ImageJ 1.x
		// that must be the plugin class loader that loaded this jar
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(OsteoCastPlugIn.class.getClassLoader());
		try (Context context = new Context(CommandService.class, ConvertService.class)) {
			final CommandService commands = context.service(CommandService.class);
			final CommandInfo info = commands.getCommand(type);
			final Map<String, Object> inputs = options != null ? fromMacro(info, options, context.service(
				ConvertService.class)) : fromDialog(info, context.service(ConvertService.class));
			if (inputs == null) return; // dialog cancelled
			final CommandModule module = commands.run(info, true, inputs).get();
			if (module.isCanceled()) {
				IJ.log("OsteoCast: " + module.getCancelReason());
				if (options != null) abortMacro();
				return;
			}
			for (final ModuleItem<?> out : info.outputs()) {
				final Object v = module.getOutput(out.getName());
				if (v instanceof ImagePlus) ((ImagePlus) v).show();
				else if (v != null && !(v instanceof Service)) IJ.log(out.getName() + ": " + v);
			}
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (final ExecutionException e) {
			IJ.log("OsteoCast: " + e.getCause());
			if (options != null) abortMacro();
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/** Stops the calling macro (as ImageJ's own commands do on bad input), without a dialog. */
	private static void abortMacro() {
		ij.macro.Interpreter.abort();
		throw new RuntimeException(Macro.MACRO_CANCELED);
	}

	private static boolean isUserInput(final ModuleItem<?> item) {
		final Class<?> t = item.getType();
		return !Service.class.isAssignableFrom(t) && !Context.class.isAssignableFrom(t) && item
			.getVisibility() != org.scijava.ItemVisibility.MESSAGE;
	}

	static Map<String, Object> fromMacro(final CommandInfo info, final String options, final ConvertService convert) {
		final Map<String, Object> inputs = new HashMap<>();
		for (final ModuleItem<?> item : info.inputs()) {
			if (!isUserInput(item)) continue;
			final String key = item.getName();
			final Class<?> t = item.getType();
			if (t == ImagePlus.class) {
				final String title = Macro.getValue(options, key, null);
				final ImagePlus imp = title != null ? WindowManager.getImage(title) : WindowManager.getCurrentImage();
				if (imp != null) inputs.put(key, imp);
				continue;
			}
			final String value = Macro.getValue(options, key, null);
			if (t == boolean.class || t == Boolean.class) {
				inputs.put(key, value != null ? Boolean.parseBoolean(value) : hasBareKey(options, key));
				continue;
			}
			if (value == null) continue; // the command's default stands
			inputs.put(key, convert.convert(value, t));
		}
		return inputs;
	}

	static boolean hasBareKey(final String options, final String key) {
		for (final String token : options.trim().split("\\s+"))
			if (token.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) return true;
		return false;
	}

	/** The inputs a dialog asks for: every user input but images (those come from the open windows). */
	static java.util.List<ModuleItem<?>> dialogInputs(final CommandInfo info) {
		final java.util.List<ModuleItem<?>> out = new java.util.ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (isUserInput(item) && item.getType() != ImagePlus.class) out.add(item);
		return out;
	}

	private static Map<String, Object> fromDialog(final CommandInfo info, final ConvertService convert) {
		final String options = ParameterDialog.build(info, dialogInputs(info)).show();
		return options == null ? null : fromMacro(info, options, convert);
	}
}
