package org.osteocast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.osteocast.nn.engine.Torch;

/**
 * Adam (Kingma &amp; Ba 2015) over a block's trainable parameters, with its
 * moment estimates held here so that they can be written into a checkpoint
 * and read back: DJL's {@code Adam} keeps them in private maps, which would
 * make {@code --resume} differ from uninterrupted training. Temporaries of an
 * update are freed at once (an {@link NDScope}); the moments live in the
 * model's manager.
 * <p>
 * The moments of all parameters are one flat vector each, and a step copies
 * the gradients into one flat work vector: a handful of large in-place
 * element-wise operations on vectors kept from step to step, instead of about
 * nine small operations (each a call into the engine and a temporary) per
 * parameter and one host read per parameter for the finiteness check. Why in
 * place: temporaries the size of the model (50 MB at nf 64) were mapped
 * afresh every step, and page faults cost more than the arithmetic. The
 * arithmetic per element is the per-parameter form's.
 */
public final class Adam {

	private final double lr, beta1, beta2, eps = 1e-8, weightDecay;
	/** Factor on the learning rate of the next step (a schedule sets it; 1 = the base rate). */
	private double lrScale = 1;
	private final List<Parameter> params = new ArrayList<>();
	/** Each parameter's element count, and where its slice starts in the flat vectors. */
	private final long[] sizes, offsets;
	/** First and second moments of all parameters, flat, in parameter order. */
	private final NDArray m, v;
	/** Work vectors of the same length: the gradients (then the update), and a scratch vector. */
	private final NDArray g, work;
	private long t;

	/** Moments start at zero, in {@code manager}; parameters that need no gradient are skipped. */
	public Adam(final PairList<String, Parameter> parameters, final NDManager manager, final double lr,
		final double beta1, final double beta2)
	{
		this(parameters, manager, lr, beta1, beta2, 0);
	}

	/**
	 * With decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019): each
	 * step first shrinks every weight by {@code lr · scale · weightDecay} of
	 * itself, then applies the Adam update; 0 = plain Adam.
	 */
	public Adam(final PairList<String, Parameter> parameters, final NDManager manager, final double lr,
		final double beta1, final double beta2, final double weightDecay)
	{
		if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, not " + weightDecay);
		this.weightDecay = weightDecay;
		this.lr = lr;
		this.beta1 = beta1;
		this.beta2 = beta2;
		for (final Pair<String, Parameter> p : parameters)
			if (p.getValue().requiresGradient()) params.add(p.getValue());
		sizes = new long[params.size()];
		offsets = new long[params.size()];
		long total = 0;
		for (int i = 0; i < sizes.length; i++) {
			offsets[i] = total;
			sizes[i] = params.get(i).getArray().getShape().size();
			total += sizes[i];
		}
		final NDArray w0 = params.isEmpty() ? null : params.get(0).getArray();
		m = w0 == null ? manager.zeros(new Shape(0)) : manager.zeros(new Shape(total), w0.getDataType(), w0.getDevice());
		v = w0 == null ? manager.zeros(new Shape(0)) : manager.zeros(new Shape(total), w0.getDataType(), w0.getDevice());
		g = m.zerosLike();
		work = m.zerosLike();
	}

	private NDIndex slice(final int i) {
		return new NDIndex("{}:{}", offsets[i], offsets[i] + sizes[i]);
	}

	/** Sets the factor on the base learning rate for the following steps (a schedule). */
	public void lrScale(final double scale) {
		if (!(scale >= 0)) throw new IllegalArgumentException("learning-rate scale must be >= 0, not " + scale);
		lrScale = scale;
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
		if (params.isEmpty()) return true;
		try (Torch.GradMode off = Torch.gradMode(false); NDScope scope = new NDScope()) {
			final NDIndex all = new NDIndex("0:{}", m.size());
			for (int i = 0; i < params.size(); i++)
				g.set(slice(i), params.get(i).getArray().getGradient().reshape(-1));
			// a NaN or infinity anywhere makes the sum non-finite: one host read per step
			if (!Float.isFinite(g.sum().getFloat())) {
				for (final Parameter q : params)
					Torch.zeroGradient(q.getArray());
				return false;
			}
			t++;
			final double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
			final float stepSize = (float) (lr * lrScale * Math.sqrt(bc2) / bc1);
			final float decay = (float) (1 - lr * lrScale * weightDecay);
			// everything in place in the two work vectors: no temporaries the size of the model
			work.set(all, g);
			v.muli((float) beta2).addi(work.muli(g).muli((float) (1 - beta2)));
			m.muli((float) beta1).addi(g.muli((float) (1 - beta1)));
			work.set(all, v);
			work.powi(0.5f).addi((float) eps);
			g.set(all, m);
			g.divi(work).muli(stepSize);
			for (int i = 0; i < params.size(); i++) {
				final NDArray w = params.get(i).getArray();
				if (weightDecay > 0) w.muli(decay);
				w.subi(g.get(slice(i)).reshape(w.getShape()));
				Torch.zeroGradient(w);
			}
		}
		return true;
	}

	/** Writes the step count and moments (checkpoint): per parameter, its first then its second moment. */
	public void save(final DataOutputStream out) throws IOException {
		out.writeLong(t);
		out.writeInt(params.size());
		final float[] mf = m.toFloatArray(), vf = v.toFloatArray();
		for (int i = 0; i < params.size(); i++) {
			write(out, mf, offsets[i], sizes[i]);
			write(out, vf, offsets[i], sizes[i]);
		}
	}

	/** Reads {@link #save}'s form into this optimiser (same parameter list). */
	public void load(final DataInputStream in) throws IOException {
		t = in.readLong();
		final int n = in.readInt();
		if (n != params.size()) throw new IOException("optimiser state holds " + n + " parameters, the model has " +
			params.size());
		final float[] mf = new float[(int) m.size()], vf = new float[(int) v.size()];
		for (int i = 0; i < n; i++) {
			read(in, mf, offsets[i], params.get(i).getArray().getShape());
			read(in, vf, offsets[i], params.get(i).getArray().getShape());
		}
		m.set(mf);
		v.set(vf);
	}

	private static void write(final DataOutputStream out, final float[] f, final long off, final long n)
		throws IOException
	{
		out.writeInt((int) n);
		for (int k = 0; k < n; k++)
			out.writeFloat(f[(int) off + k]);
	}

	private static void read(final DataInputStream in, final float[] f, final long off, final Shape s)
		throws IOException
	{
		final int n = in.readInt();
		if (n != s.size()) throw new IOException("optimiser state of " + n + " values for a parameter of shape " + s);
		for (int k = 0; k < n; k++)
			f[(int) off + k] = in.readFloat();
	}
}
