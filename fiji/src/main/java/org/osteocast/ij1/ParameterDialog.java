package org.osteocast.ij1;

import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

/**
 * The ImageJ 1.x dialog of a SciJava command, built from its parameters'
 * annotations so that every parameter, including ones added later, reads as
 * in Fiji: the {@code label} beside the field, the {@code min}/{@code max} range
 * beside a number, the {@code description} on a small line below, and a Help
 * button listing each parameter's macro key. Parameters whose {@code style}
 * contains {@value #ADVANCED} come last, under "Advanced settings".
 * <p>
 * Macro keys stay the parameter names: ImageJ 1.x would record the first word
 * of each label instead, so the dialog's own recording is switched off and the
 * values are recorded under the parameter names.
 */
final class ParameterDialog {

	/** A {@code style} word that places a parameter under "Advanced settings". */
	static final String ADVANCED = "advanced";
	static final String ADVANCED_HEADING = "Advanced settings";

	private static final Font NOTE = new Font("SansSerif", Font.PLAIN, 11);
	private static final Font HEADING = new Font("SansSerif", Font.BOLD, 12);
	private static final Color NOTE_COLOR = new Color(90, 90, 90);

	private final GenericDialog gd;
	private final List<ModuleItem<?>> items;

	private ParameterDialog(final GenericDialog gd, final List<ModuleItem<?>> items) {
		this.gd = gd;
		this.items = items;
	}

	/** The dialog's parameters in order: the common ones as declared, then the advanced ones. */
	static List<ModuleItem<?>> order(final List<ModuleItem<?>> inputs) {
		final List<ModuleItem<?>> out = new ArrayList<>();
		for (final ModuleItem<?> i : inputs)
			if (!isAdvanced(i)) out.add(i);
		for (final ModuleItem<?> i : inputs)
			if (isAdvanced(i)) out.add(i);
		return out;
	}

	static boolean isAdvanced(final ModuleItem<?> item) {
		final String style = item.getWidgetStyle();
		return style != null && style.toLowerCase(Locale.ROOT).contains(ADVANCED);
	}

	/** What the user reads for a parameter: its label, else its name in words. */
	static String label(final ModuleItem<?> item) {
		final String l = item.getLabel();
		if (l != null && !l.isBlank() && !l.equals(item.getName())) return l.trim();
		final String n = item.getName().replace('_', ' ');
		return Character.toUpperCase(n.charAt(0)) + n.substring(1);
	}

	/** The range beside a number, e.g. "≥ 0.1" or "0 – 1"; empty when none. */
	static String range(final ModuleItem<?> item) {
		final Object min = item.getMinimumValue(), max = item.getMaximumValue();
		if (min != null && max != null) return plain(min) + " \u2013 " + plain(max);
		if (min != null) return "\u2265 " + plain(min);
		if (max != null) return "\u2264 " + plain(max);
		return "";
	}

	private static String plain(final Object n) {
		if (n instanceof Number && Double.isFinite(((Number) n).doubleValue())) return new BigDecimal(n.toString())
			.stripTrailingZeros().toPlainString();
		return n.toString();
	}

	static boolean isNumber(final Class<?> t) {
		return t == int.class || t == Integer.class || t == long.class || t == Long.class || t == double.class ||
			t == Double.class || t == float.class || t == Float.class || t == short.class || t == Short.class;
	}

	private static boolean isInteger(final Class<?> t) {
		return t == int.class || t == Integer.class || t == long.class || t == Long.class || t == short.class ||
			t == Short.class;
	}

	/** Decimals that show a default exactly (at most 6). */
	static int digits(final Class<?> t, final Object def) {
		if (isInteger(t) || !(def instanceof Number) || !Double.isFinite(((Number) def).doubleValue())) return isInteger(
			t) ? 0 : 2;
		final int scale = new BigDecimal(def.toString()).stripTrailingZeros().scale();
		return Math.max(1, Math.min(6, scale));
	}

	/** Builds (does not show) the dialog of {@code info} for the given inputs. */
	static ParameterDialog build(final CommandInfo info, final List<ModuleItem<?>> inputs) {
		final String title = info.getLabel() != null && !info.getLabel().isBlank() ? info.getLabel() : info
			.getClassName();
		final GenericDialog gd = new GenericDialog(title);
		final String about = info.getDescription();
		if (about != null && !about.isBlank()) gd.addMessage(about.trim(), HEADING);
		final List<ModuleItem<?>> ordered = order(inputs);
		boolean advancedShown = false;
		for (final ModuleItem<?> item : ordered) {
			if (isAdvanced(item) && !advancedShown) {
				gd.setInsets(15, 0, 3);
				gd.addMessage(ADVANCED_HEADING, HEADING);
				advancedShown = true;
			}
			addField(gd, item);
			final String d = item.getDescription();
			if (d != null && !d.isBlank()) {
				gd.setInsets(0, 20, 0);
				gd.addMessage(d.trim(), NOTE, NOTE_COLOR);
			}
		}
		gd.addHelp(help(title, ordered));
		return new ParameterDialog(gd, ordered);
	}

	private static void addField(final GenericDialog gd, final ModuleItem<?> item) {
		final String label = label(item);
		final Object def = item.getDefaultValue();
		final Class<?> t = item.getType();
		if (t == boolean.class || t == Boolean.class) gd.addCheckbox(label, def != null && (Boolean) def);
		else if (item.getChoices() != null && !item.getChoices().isEmpty()) {
			final String[] choices = item.getChoices().stream().map(Object::toString).toArray(String[]::new);
			gd.addChoice(label, choices, def != null ? def.toString() : choices[0]);
		}
		else if (t == File.class) {
			final String style = item.getWidgetStyle() == null ? "" : item.getWidgetStyle();
			if (style.contains("directory")) gd.addDirectoryField(label, def != null ? def.toString() : "", 30);
			else gd.addFileField(label, def != null ? def.toString() : "", 30);
		}
		else if (isNumber(t)) {
			final double v = def instanceof Number ? ((Number) def).doubleValue() : 0;
			gd.addNumericField(label, v, digits(t, def), 8, range(item));
		}
		else gd.addStringField(label, def != null ? def.toString() : "", 30);
	}

	/** The Help page: each parameter's macro key, label, range and description. */
	static String help(final String title, final List<ModuleItem<?>> items) {
		final StringBuilder b = new StringBuilder("<html><h2>").append(esc(title)).append("</h2>");
		b.append("<p>In a macro: <code>run(\"").append(esc(title)).append("\", \"key=value ...\");</code> ")
			.append("with these keys (a ticked checkbox is its bare key).</p><table border=1 cellpadding=3>")
			.append("<tr><th>key</th><th>setting</th><th>range</th><th>what it does</th></tr>");
		for (final ModuleItem<?> i : items) {
			final String d = i.getDescription();
			b.append("<tr><td><code>").append(esc(i.getName())).append("</code></td><td>").append(esc(label(i))).append(
				isAdvanced(i) ? " (advanced)" : "").append("</td><td>").append(esc(isNumber(i.getType()) ? range(i) : ""))
				.append("</td><td>").append(d == null ? "" : esc(d)).append("</td></tr>");
		}
		return b.append("</table></html>").toString();
	}

	private static String esc(final String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	GenericDialog dialog() {
		return gd;
	}

	/**
	 * Shows the dialog; returns the macro options it stands for (keys: the
	 * parameter names), or null when cancelled. Records them when the macro
	 * recorder is on.
	 */
	String show() {
		final boolean recording = Recorder.record;
		Recorder.record = false; // GenericDialog would record the first word of each label
		try {
			gd.showDialog();
		}
		finally {
			Recorder.record = recording;
		}
		if (gd.wasCanceled()) return null;
		final StringBuilder options = new StringBuilder();
		for (final ModuleItem<?> item : items) {
			final Class<?> t = item.getType();
			final String key = item.getName();
			if (t == boolean.class || t == Boolean.class) {
				if (gd.getNextBoolean()) {
					options.append(key).append(' ');
					if (recording) Recorder.recordOption(key);
				}
				continue;
			}
			final String value;
			if (item.getChoices() != null && !item.getChoices().isEmpty()) value = gd.getNextChoice();
			else if (isNumber(t)) {
				final double v = gd.getNextNumber();
				value = isInteger(t) ? Long.toString(Math.round(v)) : Double.toString(v);
			}
			else value = gd.getNextString();
			options.append(key).append("=[").append(value).append("] ");
			if (recording) Recorder.recordOption(key, value);
		}
		return options.toString();
	}
}
