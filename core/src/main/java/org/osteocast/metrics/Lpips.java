package org.osteocast.metrics;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osteocast.io.VolumeIOException;
import org.osteocast.nn.engine.EngineSetup;

/**
 * LPIPS (Zhang et al. 2018), computed by a network the user supplies: the
 * reference {@code lpips} package's {@code LPIPS(net='alex' or 'vgg')} module
 * exported to TorchScript ({@code torch.jit.trace(model, (x0, x1))}), since
 * pretrained weights cannot be downloaded here. Inputs are prepared as that
 * package expects with {@code normalize=False}: grey values in [0, 1] become
 * [-1, 1] ({@code 2x − 1}) and are replicated to three channels; the module
 * itself applies its scaling layer, feature normalisation, linear heads and
 * spatial average. Lower is more similar.
 * <p>
 * Not thread-safe; close it to free the network.
 */
public final class Lpips implements AutoCloseable {

	private final Model model;
	private final NDManager manager;
	private final Path file;

	private Lpips(final Model model, final NDManager manager, final Path file) {
		this.model = model;
		this.manager = manager;
		this.file = file;
	}

	/** Loads a TorchScript LPIPS network (a {@code .pt} file). */
	public static Lpips load(final Path torchScript) throws VolumeIOException {
		if (!Files.isRegularFile(torchScript)) throw new VolumeIOException(torchScript, "no such LPIPS network file");
		final Model model = EngineSetup.newCpuModel("lpips");
		try {
			model.load(torchScript);
		}
		catch (final IOException | MalformedModelException | RuntimeException e) {
			model.close();
			throw new VolumeIOException(torchScript, "not a TorchScript LPIPS network (" + e.getMessage() + ")", e);
		}
		return new Lpips(model, model.getNDManager().newSubManager(), torchScript);
	}

	/**
	 * LPIPS of pairs of grey slices (each {@code w × h}, values in [0, 1]).
	 *
	 * @return one distance per pair
	 */
	public float[] distance(final float[][] a, final float[][] b, final int w, final int h) throws VolumeIOException {
		if (a.length != b.length) throw new IllegalArgumentException("need as many slices on both sides");
		if (a.length == 0) return new float[0];
		try (NDManager step = manager.newSubManager()) {
			final NDArray x0 = batch(step, a, w, h), x1 = batch(step, b, w, h);
			final NDList out = model.getBlock().forward(new ParameterStore(step, false), new NDList(x0, x1), false);
			final float[] d = out.singletonOrThrow().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
			if (d.length != a.length) throw new VolumeIOException(file, "the network returned " + d.length +
				" values for " + a.length + " pairs; expected LPIPS's N x 1 x 1 x 1 output");
			return d;
		}
		catch (final RuntimeException e) {
			throw new VolumeIOException(file, "LPIPS network failed on " + w + "x" + h + " slices (" + e.getMessage() + ")",
				e);
		}
	}

	private static NDArray batch(final NDManager m, final float[][] slices, final int w, final int h) {
		final float[] data = new float[slices.length * 3 * w * h];
		for (int n = 0; n < slices.length; n++) {
			if (slices[n].length != w * h) throw new IllegalArgumentException("slice " + n + " has " + slices[n].length +
				" pixels, expected " + w * h);
			for (int c = 0; c < 3; c++)
				for (int i = 0; i < w * h; i++)
					data[(n * 3 + c) * w * h + i] = 2 * slices[n][i] - 1;
		}
		return m.create(data, new Shape(slices.length, 3, h, w));
	}

	@Override
	public void close() {
		manager.close();
		model.close();
	}
}
