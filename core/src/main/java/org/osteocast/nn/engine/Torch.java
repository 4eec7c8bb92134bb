package org.osteocast.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Pair;

/**
 * The engine-specific calls OsteoCast makes, all in one place: the PyTorch
 * engine's grad mode, gradient zeroing, thread count and library details,
 * which DJL's engine-neutral API does not offer. Everything else talks to
 * DJL's {@code NDArray} and {@code Block} only.
 */
public final class Torch {

	private Torch() {}

	/**
	 * Autograd switched on or off for the current thread (grad mode is per
	 * thread) until {@link #close()}, which restores the mode it found:
	 * {@code try (Torch.GradMode g = Torch.gradMode(false)) { … }}.
	 */
	public static final class GradMode implements AutoCloseable {
		private final boolean before;

		private GradMode(final boolean on) {
			before = JniUtils.isGradMode();
			JniUtils.setGradMode(on);
		}

		@Override
		public void close() {
			JniUtils.setGradMode(before);
		}
	}

	/** Sets the current thread's grad mode until the returned scope closes. */
	public static GradMode gradMode(final boolean on) {
		return new GradMode(on);
	}

	/** Zeroes an array's gradient in place ({@code torch::Tensor::grad().zero_()}). */
	public static void zeroGradient(final NDArray a) {
		JniUtils.zeroGrad((PtNDArray) a);
	}

	/**
	 * Multiplies every parameter of a block by zero in place, outside autograd
	 * (in-place changes of parameters that require gradients are allowed only
	 * there): a residual output layer then starts as persistence.
	 */
	public static void zeroParameters(final Block b) {
		try (GradMode g = gradMode(false)) {
			for (final Pair<String, Parameter> p : b.getParameters())
				p.getValue().getArray().muli(0f);
		}
	}

	/** Sets the engine's intra-op thread count ({@code torch::set_num_threads}). */
	static void setNumThreads(final int n) {
		JniUtils.setNumThreads(n);
	}

	/** The engine's intra-op thread count. */
	static int getNumThreads() {
		return JniUtils.getNumThreads();
	}

	/** Where the native library was loaded from. */
	static String libraryPath() {
		return LibUtils.getLibtorchPath();
	}

	/** The native library's version. */
	static String libraryVersion() {
		return LibUtils.getVersion();
	}
}
