package org.osteocast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015) over a block's trainable parameters, with its
 * moment estimates held here so that they can be written into a checkpoint
 * and read back: DJL's {@code Adam} keeps them in private maps, which would
 * make {@code --resume} differ from uninterrupted training. Temporaries of an
 * update are freed at once (an {@link NDScope}); the moments live in the
 * model's manager.
 */
public final class Adam {

	private final double lr, beta1, beta2, eps = 1e-8;
	private final List<Parameter> params = new ArrayList<>();
	private final List<NDArray> m = new ArrayList<>(), v = new ArrayList<>();
	private long t;

	/** Moments start at zero, in {@code manager}; parameters that need no gradient are skipped. */
	public Adam(final PairList<String, Parameter> parameters, final NDManager manager, final double lr,
		final double beta1, final double beta2)
	{
		this.lr = lr;
		this.beta1 = beta1;
		this.beta2 = beta2;
		for (final Pair<String, Parameter> p : parameters) {
			if (!p.getValue().requiresGradient()) continue;
			params.add(p.getValue());
			final NDArray w = p.getValue().getArray();
			m.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
			v.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
		}
	}

	/** Steps taken. */
	public long steps() {
		return t;
	}

	/**
	 * One update from the gradients the last backward pass left, then zeroes
	 * them. If any gradient is not finite the update is skipped (and the step
	 * not counted) so that one bad batch cannot poison the weights.
	 *
	 * @return whether the update was applied
	 */
	public boolean step() {
		final boolean grad0 = JniUtils.isGradMode();
		JniUtils.setGradMode(false);
		try (NDScope scope = new NDScope()) {
			// one sum of the per-parameter sums, read once: a NaN or infinity anywhere makes it non-finite (one
			// device-to-host read per step instead of one per parameter)
			final NDList sums = new NDList(params.size());
			for (final Parameter p : params)
				sums.add(p.getArray().getGradient().sum().reshape(1));
			if (!sums.isEmpty() && !Float.isFinite(NDArrays.concat(sums).sum().getFloat())) {
				for (final Parameter q : params)
					JniUtils.zeroGrad((PtNDArray) q.getArray());
				return false;
			}
		}
		finally {
			JniUtils.setGradMode(grad0);
		}
		t++;
		final double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
		final float stepSize = (float) (lr * Math.sqrt(bc2) / bc1);
		final boolean grad = JniUtils.isGradMode();
		JniUtils.setGradMode(false);
		try (NDScope scope = new NDScope()) {
			for (int i = 0; i < params.size(); i++) {
				final NDArray w = params.get(i).getArray();
				final NDArray g = w.getGradient();
				m.get(i).muli((float) beta1).addi(g.mul((float) (1 - beta1)));
				v.get(i).muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
				w.subi(m.get(i).div(v.get(i).sqrt().addi((float) eps)).muli(stepSize));
				JniUtils.zeroGrad((PtNDArray) w);
			}
		}
		finally {
			JniUtils.setGradMode(grad);
		}
		return true;
	}

	/** Writes the step count and moments (checkpoint). */
	public void save(final DataOutputStream out) throws IOException {
		out.writeLong(t);
		out.writeInt(params.size());
		for (int i = 0; i < params.size(); i++) {
			write(out, m.get(i));
			write(out, v.get(i));
		}
	}

	/** Reads {@link #save}'s form into this optimiser (same parameter list). */
	public void load(final DataInputStream in) throws IOException {
		t = in.readLong();
		final int n = in.readInt();
		if (n != params.size()) throw new IOException("optimiser state holds " + n + " parameters, the model has " +
			params.size());
		for (int i = 0; i < n; i++) {
			read(in, m.get(i));
			read(in, v.get(i));
		}
	}

	private static void write(final DataOutputStream out, final NDArray a) throws IOException {
		final float[] f = a.toFloatArray();
		out.writeInt(f.length);
		for (final float x : f)
			out.writeFloat(x);
	}

	private static void read(final DataInputStream in, final NDArray a) throws IOException {
		final int n = in.readInt();
		final Shape s = a.getShape();
		if (n != s.size()) throw new IOException("optimiser state of " + n + " values for a parameter of shape " + s);
		final float[] f = new float[n];
		for (int i = 0; i < n; i++)
			f[i] = in.readFloat();
		a.set(f);
	}
}
