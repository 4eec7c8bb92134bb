package org.osteocast.train;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Makes the C heap keep freed memory for reuse, so that a training step's
 * large tensors land in pages the process already owns.
 * <p>
 * Why: libtorch's CPU allocator has no cache; every activation and gradient
 * is {@code malloc}ed and freed each step. glibc serves large requests with
 * {@code mmap} and gives them back on {@code free}, so each step first-touches
 * hundreds of MB afresh (measured 300–470 MB per step at nf 32, batch 48) and
 * pays a page fault per 4 KiB: about 3.5 ms per MB on the benchmark VM, half
 * of the whole step. With {@code mmap} off and trimming off, the freed blocks
 * stay in the heap and the next step reuses them (about 40 MB first-touched
 * per step; the step took half the time). The cost: the process keeps its
 * peak heap while the setting is in force, which a training run reaches in its
 * first step anyway.
 * <p>
 * The setting is scoped ({@link #keepFreedMemory()} returns a {@link Scope}):
 * when the last open scope closes, glibc's defaults are restored and the kept
 * memory is returned to the system ({@code malloc_trim}), so that a Fiji
 * session does not hold a training's peak for the rest of its life.
 * <p>
 * Only glibc (Linux) has {@code mallopt}; elsewhere, or if the call fails,
 * nothing changes. Setting {@code MALLOC_MMAP_MAX_=0} and a large
 * {@code MALLOC_TRIM_THRESHOLD_} in the environment has the same effect.
 */
public final class NativeHeap {

	private NativeHeap() {}

	// glibc <malloc.h>
	private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_MAX = -4;
	// glibc's documented defaults (mallopt(3)), restored when the last scope closes
	private static final int DEFAULT_MMAP_MAX = 65536, DEFAULT_TRIM_THRESHOLD = 128 * 1024,
		DEFAULT_TOP_PAD = 128 * 1024;

	private static int open;
	private static boolean applied;

	/** An open setting; closing the last one restores the C heap's defaults. */
	public static final class Scope implements AutoCloseable {
		private final boolean inForce;
		private boolean closed;

		private Scope(final boolean inForce) {
			this.inForce = inForce;
		}

		/** Whether freed memory is kept while this scope is open. */
		public boolean inForce() {
			return inForce;
		}

		@Override
		public void close() {
			synchronized (NativeHeap.class) {
				if (closed) return;
				closed = true;
				if (--open == 0 && applied) {
					restoreDefaults();
					applied = false;
				}
			}
		}
	}

	/**
	 * Turns off {@code mmap} for large blocks and heap trimming until the
	 * returned scope (and every other open one) is closed; the system property
	 * {@code osteocast.keepFreedMemory=false} leaves the heap alone.
	 */
	public static synchronized Scope keepFreedMemory() {
		if (open++ == 0) applied = apply();
		return new Scope(applied);
	}

	/** Whether the setting is in force now (for tests). */
	public static synchronized boolean inForce() {
		return applied;
	}

	private static boolean apply() {
		if (!Boolean.parseBoolean(System.getProperty("osteocast.keepFreedMemory", "true")) || !Platform.isLinux() ||
			Platform.isAndroid()) return false;
		try {
			final Function mallopt = mallopt();
			// mallopt returns 1 on success; each setting is independent
			final boolean mmap = mallopt.invokeInt(new Object[] { M_MMAP_MAX, 0 }) == 1;
			final boolean trim = mallopt.invokeInt(new Object[] { M_TRIM_THRESHOLD, Integer.MAX_VALUE }) == 1;
			mallopt.invokeInt(new Object[] { M_TOP_PAD, 64 << 20 });
			return mmap && trim;
		}
		catch (final UnsatisfiedLinkError | RuntimeException e) {
			return false; // not glibc (musl has no mallopt): keep the default heap
		}
	}

	private static void restoreDefaults() {
		try {
			final Function mallopt = mallopt();
			mallopt.invokeInt(new Object[] { M_MMAP_MAX, DEFAULT_MMAP_MAX });
			mallopt.invokeInt(new Object[] { M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD });
			mallopt.invokeInt(new Object[] { M_TOP_PAD, DEFAULT_TOP_PAD });
			NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("malloc_trim").invokeInt(new Object[] { 0 });
		}
		catch (final UnsatisfiedLinkError | RuntimeException e) {
			// applied, so glibc: nothing sensible to do if it fails now
		}
	}

	private static Function mallopt() {
		return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
	}
}
