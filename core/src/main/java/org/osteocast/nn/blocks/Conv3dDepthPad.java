package org.osteocast.nn.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Makes any slice count fit a 3-D encoder that halves the depth at every
 * level: the volume is padded along the depth axis up to the next multiple
 * of {@code 2^levels} by replicating its first and last slices (half the
 * padding before, the rest after), and outputs are cropped back.
 * <p>
 * Why pad rather than drop levels: the paper's 48 slices need no padding at
 * 64 × 64 (48 → 24 → 12 → 6 → 3, 4 levels), and keeping the level count
 * fixed keeps the in-plane architecture (and its parameter shapes) the same
 * for every cohort; a cohort with another slice count costs at most
 * {@code 2^levels − 1} replicated slices. Edge replication (not zeros) keeps
 * the padded slices inside the data's value range, so the network sees no
 * artificial edge. The padding is a concatenation of broadcast copies, not
 * {@code NDArray.pad} (whose backward gave sporadic NaN gradients, see the
 * package notes), so gradients pass through it where needed (the GAN's
 * discriminator on forecasts).
 */
public final class Conv3dDepthPad {

	private Conv3dDepthPad() {}

	/** The smallest multiple of {@code 2^levels} that is at least {@code depth} (and at least {@code 2^levels}). */
	public static int paddedDepth(final int depth, final int levels) {
		if (depth < 1) throw new IllegalArgumentException("depth must be at least 1 slice, not " + depth);
		final int m = 1 << levels;
		return (depth + m - 1) / m * m;
	}

	/** Slices added before the volume when padding {@code depth} to {@code padded}. */
	public static int before(final int depth, final int padded) {
		return (padded - depth) / 2;
	}

	/**
	 * Pads axis {@code axis} of {@code x} (size {@code depth}) to
	 * {@code padded} by edge replication; returns {@code x} itself when nothing
	 * is to be added.
	 */
	public static NDArray pad(final NDArray x, final int axis, final int padded) {
		final Shape s = x.getShape();
		final int depth = (int) s.get(axis);
		if (padded < depth) throw new IllegalArgumentException("cannot pad " + depth + " slices to " + padded);
		if (padded == depth) return x;
		final int lo = before(depth, padded), hi = padded - depth - lo;
		final NDList parts = new NDList(3);
		if (lo > 0) parts.add(x.get(new NDIndex().addAllDim(axis).addSliceDim(0, 1)).broadcast(withAxis(s, axis, lo)));
		parts.add(x);
		if (hi > 0) parts.add(x.get(new NDIndex().addAllDim(axis).addSliceDim(depth - 1, depth)).broadcast(withAxis(s,
			axis, hi)));
		return NDArrays.concat(parts, axis);
	}

	/** Undoes {@link #pad}: the {@code depth} original slices of axis {@code axis}. */
	public static NDArray crop(final NDArray x, final int axis, final int depth) {
		final int padded = (int) x.getShape().get(axis);
		if (padded == depth) return x;
		final int lo = before(depth, padded);
		return x.get(new NDIndex().addAllDim(axis).addSliceDim(lo, lo + depth));
	}

	private static Shape withAxis(final Shape s, final int axis, final long size) {
		final long[] d = s.getShape().clone(); // getShape() is the shape's own array
		d[axis] = size;
		return new Shape(d);
	}
}
