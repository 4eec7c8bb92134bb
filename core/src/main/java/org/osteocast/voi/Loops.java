package org.osteocast.voi;

import java.util.function.IntConsumer;

import org.osteocast.core.Parallel;

/** A parallel for-loop over indices with {@link Parallel#threads()} threads; exceptions propagate. */
final class Loops {

	private Loops() {}

	static void forEach(final int n, final IntConsumer body) {
		Parallel.forEach("voi", n, Parallel.threads(), body);
	}
}
