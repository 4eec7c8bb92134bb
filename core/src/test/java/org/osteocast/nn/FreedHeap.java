package org.osteocast.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.osteocast.train.NativeHeap;

/**
 * Leaves NaN in the C heap's free memory, so that a native computation that
 * reads memory it never wrote meets NaN (deterministically) instead of
 * whatever earlier work in the process left there: arrays of many sizes are
 * filled with NaN and freed. Call it while a {@link NativeHeap} scope is
 * open, so that the freed blocks stay in the heap instead of going back to
 * the system.
 */
public final class FreedHeap {

	private FreedHeap() {}

	/** Fills and frees NaN arrays from 1 KiB to 2.5 MiB, in a sub-manager of {@code m}. */
	public static void fillWithNaN(final NDManager m) {
		if (!NativeHeap.inForce()) throw new IllegalStateException("open a NativeHeap scope first");
		for (int round = 0; round < 4; round++)
			try (NDManager s = m.newSubManager()) {
				for (int i = 1; i < 200; i++)
					s.full(new Shape(i * 257), Float.NaN);
				for (int i = 1; i < 20; i++)
					s.full(new Shape(i * 32749), Float.NaN);
			}
	}
}
