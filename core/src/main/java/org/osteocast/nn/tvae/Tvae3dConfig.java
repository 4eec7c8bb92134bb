package org.osteocast.nn.tvae;

import com.google.gson.JsonObject;

import java.util.Locale;

import org.osteocast.nn.blocks.Conv3dDepthPad;
import org.osteocast.nn.blocks.FrameOutput;

/**
 * Every hyper-parameter of the 3-D T-VAE ({@link Tvae3d}), immutable, as
 * recorded in {@code model.json} under architecture {@value #ARCHITECTURE}.
 * The keys are those of the 2-D {@link TvaeConfig} that apply ({@link AbstractTvaeConfig}), plus
 * {@code depth} (slices per volume, set by the caller from the data) and
 * {@code style}. Defaults follow the paper / SVG-LP except {@code nf}: 16
 * rather than 64, because 3-D convolutions on whole 48 × 64 × 64 volumes
 * cost about {@code 48×} a slice and the model must train on a CPU. The
 * default style is {@code unet}, the 3-D analogue of the 2-D model (whose
 * decoder has skips at every level); the presets name the style explicitly.
 */
public final class Tvae3dConfig extends AbstractTvaeConfig {

	public static final String ARCHITECTURE = "tvae3d";

	/** Which encoder-decoder: SVG-LP's DCGAN pair (no skips) or a U-Net (skips at every level). */
	public enum Style {
		/**
		 * SVG-LP's {@code dcgan} encoder and decoder with no skip connections:
		 * every forecast voxel comes through the {@code g_dim} bottleneck and the
		 * frame predictor (only the output parametrisation may use the last
		 * observed week, see {@link FrameOutput}).
		 */
		DCGAN,
		/** The same blocks with the last observed week's encoder features concatenated at every decoder level. */
		UNET;

		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Style parse(final String s) {
			try {
				return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
			}
			catch (final IllegalArgumentException e) {
				throw new IllegalArgumentException("unknown style '" + s + "' (choose dcgan or unet)");
			}
		}
	}

	public final int depth;
	public final Style style;

	private Tvae3dConfig(final Builder b) {
		super(b);
		depth = b.depth;
		style = b.style;
		levels(imageSize); // validates the image size
		if (depth < 1) throw new IllegalArgumentException("depth must be at least 1 slice, not " + depth);
		checkSizes();
		if (nPast < 1) throw new IllegalArgumentException("n_past must be at least 1, not " + nPast);
		if (lambda < 0 || sigma <= 0 || beta < 0 || freeBits < 0) throw new IllegalArgumentException(
			"need lambda >= 0, sigma > 0, beta >= 0, free bits >= 0");
	}

	@Override
	public String architecture() {
		return ARCHITECTURE;
	}

	@Override
	public int depth() {
		return depth;
	}

	/** Depth the network works at: {@code depth} padded to a multiple of {@code 2^levels} ({@link Conv3dDepthPad}). */
	public int paddedDepth() {
		return Conv3dDepthPad.paddedDepth(depth, levels());
	}

	/** Depth of the coarsest feature map (3 for the paper's 48 slices). */
	public int coarseDepth() {
		return paddedDepth() >> levels();
	}

	public boolean skips() {
		return style == Style.UNET;
	}

	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		return new Builder().from(this).optDepth(depth).optStyle(style);
	}

	/** As JSON (snake_case keys) for model.json. */
	@Override
	public JsonObject toJson() {
		final JsonObject o = new JsonObject();
		o.addProperty("image_size", imageSize);
		o.addProperty("depth", depth);
		o.addProperty("n_past", nPast);
		o.addProperty("style", style.label());
		putLatent(o);
		putObjective(o);
		return o;
	}

	/** Reads {@link #toJson()}'s form; missing keys keep their defaults, unknown keys are ignored. */
	public static Tvae3dConfig fromJson(final JsonObject o) {
		final Builder b = builder().read(o);
		if (o.has("depth")) b.optDepth(o.get("depth").getAsInt());
		if (o.has("style")) b.optStyle(Style.parse(o.get("style").getAsString()));
		return b.build();
	}

	/** Builder; every setting is optional ({@code opt*}) with the default above (nf 16, 48 slices, U-Net). */
	public static final class Builder extends AbstractTvaeConfig.Builder<Builder> {
		private int depth = 48;
		private Style style = Style.UNET;

		// output as the 2-D T-VAE's default: the decoder predicts the change from the last observed week
		Builder() {
			super(16, FrameOutput.RESIDUAL_LOGIT);
		}

		@Override
		protected Builder self() {
			return this;
		}

		public Builder optDepth(final int v) {
			depth = v;
			return this;
		}

		public Builder optStyle(final Style v) {
			style = v;
			return this;
		}

		public Tvae3dConfig build() {
			return new Tvae3dConfig(this);
		}
	}
}
