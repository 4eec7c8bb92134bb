package org.osteocast.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

/**
 * bfloat16 convolutions and matmuls with fp32 in and out, computed by the
 * TorchScript module {@code bf16_ops.pt} (a resource beside this class,
 * written by {@code bench/bf16/make_bf16_ops.py}) inside libtorch, since
 * DJL cannot hold a bf16 tensor (see package-info). Every argument and
 * result is an fp32 {@code NDArray}; weights are the caller's fp32
 * parameters. Calls follow the thread's grad mode: inside a gradient
 * collector autograd records them (gradients reach the fp32 weights), outside
 * they run without gradients.
 * <p>
 * The module is loaded once per process, on first use; thread-safe.
 */
public final class Bf16Kernels {

	private Bf16Kernels() {}

	/** The resource holding the scripted kernels. */
	static final String RESOURCE = "bf16_ops.pt";

	private static volatile PtSymbolBlock module;
	private static volatile String gate;

	private static PtSymbolBlock module() {
		PtSymbolBlock m = module;
		if (m == null) {
			synchronized (Bf16Kernels.class) {
				m = module;
				if (m == null) {
					EngineSetup.engine();
					final NDManager owner = NDManager.newBaseManager();
					try (InputStream in = Bf16Kernels.class.getResourceAsStream(RESOURCE)) {
						if (in == null) throw new IllegalStateException("the resource " + RESOURCE + " is missing from the jar");
						m = JniUtils.loadModule((PtNDManager) owner, in, true, false);
					}
					catch (final IOException e) {
						throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
					}
					module = m;
				}
			}
		}
		return m;
	}

	/** {@code [stride_h, stride_w, pad_h, pad_w]} as the int64 tensor the scripted functions take. */
	private static NDArray strides(final NDManager m, final Shape stride, final Shape padding) {
		return m.create(new long[] { stride.get(0), stride.get(1), padding.get(0), padding.get(1) });
	}

	/**
	 * Runs a scripted method on fp32 tensors. DJL selects a module's method
	 * by an input array named {@code module_method:NAME} and reads other
	 * names as list or dictionary keys, so the inputs' own names are set
	 * aside for the call and restored after it.
	 */
	private static NDArray run(final String method, final NDArray... in) {
		final NDManager m = in[0].getManager();
		final NDList args = new NDList(in.length + 1);
		final String[] names = new String[in.length];
		for (int i = 0; i < in.length; i++) {
			names[i] = in[i].getName();
			if (names[i] != null) in[i].setName(null);
			args.add(in[i]);
		}
		final NDArray selector = m.create(0f);
		selector.setName("module_method:" + method);
		args.add(selector);
		// the profiling graph executor specialises a method for the shapes it first sees and profiles it again for
		// others; these methods are one cast-op-cast each (nothing to optimise) and see a dozen shapes per training
		// step, and a training step measured slower with it: they run in the plain interpreter (the setting is
		// libtorch's per thread; its default, on, is restored)
		JniUtils.setGraphExecutorOptimize(false);
		try {
			return IValueUtils.forward(module(), args, true).singletonOrThrow();
		}
		finally {
			JniUtils.setGraphExecutorOptimize(true);
			for (int i = 0; i < in.length; i++)
				if (names[i] != null) in[i].setName(names[i]);
			selector.close();
		}
	}

	/** 2-D convolution in bf16 (groups 1, dilation 1); {@code b} may be null. */
	public static NDArray conv2d(final NDArray x, final NDArray w, final NDArray b, final Shape stride,
		final Shape padding)
	{
		final NDArray sp = strides(x.getManager(), stride, padding);
		return b == null ? run("conv2d_nobias", x, w, sp) : run("conv2d", x, w, b, sp);
	}

	/** 2-D transposed convolution in bf16 ({@code w}: (in, out, kh, kw)). */
	public static NDArray convTranspose2d(final NDArray x, final NDArray w, final NDArray b, final Shape stride,
		final Shape padding)
	{
		return run("conv_transpose2d", x, w, b, strides(x.getManager(), stride, padding));
	}

	/** {@code x·wᵀ + b} in bf16 ({@code w}: (out, in)), over the last axis of {@code x}. */
	public static NDArray linear(final NDArray x, final NDArray w, final NDArray b) {
		return run("linear", x, w, b);
	}

	/**
	 * Whether a convolution from {@code in} to {@code out} channels is one
	 * the engine computes right in bf16: {@code out} a multiple of 16 and
	 * {@code in} at most 16 or a multiple of 16. Measured with the libtorch
	 * 2.7.1 CPU build bundled with DJL 0.36 (AVX-512 BF16): a 4×4 stride-2
	 * convolution with 4, 8, 10, 12, 20 or 24 output channels deviates from
	 * fp32 by about half its largest output (any input channels), and one
	 * from 24 input channels to 48, 64, 128 or 256 gives wrong or NaN outputs;
	 * 1, 3, 4, 6, 8, 16, 32 inputs to 16, 32, 48, 64, 128, 256 outputs agree
	 * within bf16 rounding. Other convolutions run in fp32.
	 */
	public static boolean convSupported(final long in, final long out) {
		return out % 16 == 0 && (in <= 16 || in % 16 == 0);
	}

	/** Largest deviation the check allows, relative to the largest output: 2⁻⁶ (bf16 keeps 8 significant bits). */
	static final double GATE_TOLERANCE = 1.0 / 64;

	/**
	 * Whether the engine computes bf16 convolutions correctly, checked once
	 * per process: fixed inputs convolved in bf16 and in fp32 (DJL) for the
	 * shapes of {@link #convSupported} (1 → 16 and 16 → 32 channels, 4×4
	 * stride 2; 32 → 16 and 48 → 64, 2×2 padding 1) and a linear layer of 10
	 * outputs; the largest deviation must stay within
	 * {@link #GATE_TOLERANCE} of the largest value and every value be finite.
	 *
	 * @return null when it does, else why not
	 */
	public static String gate() {
		String g = gate;
		if (g == null) {
			synchronized (Bf16Kernels.class) {
				g = gate;
				if (g == null) {
					g = check();
					gate = g;
				}
			}
		}
		return g.isEmpty() ? null : g;
	}

	private static NDArray normal(final NDManager m, final Random r, final double scale, final long... shape) {
		final Shape s = new Shape(shape);
		final float[] v = new float[(int) s.size()];
		for (int i = 0; i < v.length; i++)
			v[i] = (float) (scale * r.nextGaussian());
		return m.create(v, s);
	}

	private static String compare(final String what, final NDArray y, final NDArray ref) {
		if (y.getDataType() != DataType.FLOAT32 || !y.getShape().equals(ref.getShape())) return what + " returned " + y
			.getDataType() + " " + y.getShape() + " for fp32 " + ref.getShape();
		final float dev = y.sub(ref).abs().max().getFloat(), top = ref.abs().max().getFloat();
		if (!Float.isFinite(dev) || dev > GATE_TOLERANCE * top) return what + ": largest deviation " + dev +
			" from fp32 on outputs up to " + top + ", allowed " + (float) (GATE_TOLERANCE * top);
		return "";
	}

	private static String check() {
		try (NDManager m = NDManager.newBaseManager(); Torch.GradMode gm = Torch.gradMode(false)) {
			final Random r = new Random(20261207);
			final long[][] convs = { { 1, 16, 4, 2, 1 }, { 16, 32, 4, 2, 1 }, { 32, 16, 2, 1, 1 }, { 48, 64, 2, 1, 1 } };
			for (final long[] c : convs) {
				final NDArray x = normal(m, r, 1, 2, c[0], 16, 16), w = normal(m, r, 1 / Math.sqrt(c[0] * c[2] * c[2]), c[1],
					c[0], c[2], c[2]), b = normal(m, r, 0.1, c[1]);
				final Shape stride = new Shape(c[3], c[3]), pad = new Shape(c[4], c[4]);
				final String why = compare("conv2d " + c[0] + " -> " + c[1] + " channels", conv2d(x, w, b, stride, pad),
					Conv2d.conv2d(x, w, b, stride, pad).head());
				if (!why.isEmpty()) return why;
			}
			final NDArray a = normal(m, r, 1, 6, 24), lw = normal(m, r, 0.2, 10, 24), lb = normal(m, r, 0.1, 10);
			return compare("linear 24 -> 10", linear(a, lw, lb), a.matMul(lw.transpose()).add(lb));
		}
		catch (final RuntimeException | LinkageError e) {
			return e.getClass().getSimpleName() + ": " + e.getMessage();
		}
	}
}
