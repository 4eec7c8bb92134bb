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
 * peak heap until it exits, which a training run reaches in its first step
 * anyway.
 * <p>
 * Only glibc (Linux) has {@code mallopt}; elsewhere, or if the call fails,
 * nothing changes. Setting {@code MALLOC_MMAP_MAX_=0} and a large
 * {@code MALLOC_TRIM_THRESHOLD_} in the environment has the same effect.
 */
public final class NativeHeap {

	private NativeHeap() {}

	// glibc <malloc.h>
	private static final int M_TRIM_THRESHOLD = -1, M_TOP_PAD = -2, M_MMAP_MAX = -4;

	private static Boolean applied;

	/**
	 * Turns off {@code mmap} for large blocks and heap trimming, once per
	 * process; the system property {@code osteocast.keepFreedMemory=false}
	 * leaves the heap alone.
	 *
	 * @return whether the settings are in force
	 */
	public static synchronized boolean keepFreedMemory() {
		if (applied != null) return applied;
		applied = false;
		if (!Boolean.parseBoolean(System.getProperty("osteocast.keepFreedMemory", "true")) || !Platform.isLinux() ||
			Platform.isAndroid()) return false;
		try {
			final Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
			// mallopt returns 1 on success; each setting is independent
			final boolean mmap = mallopt.invokeInt(new Object[] { M_MMAP_MAX, 0 }) == 1;
			final boolean trim = mallopt.invokeInt(new Object[] { M_TRIM_THRESHOLD, Integer.MAX_VALUE }) == 1;
			mallopt.invokeInt(new Object[] { M_TOP_PAD, 64 << 20 });
			applied = mmap && trim;
		}
		catch (final UnsatisfiedLinkError | RuntimeException e) {
			// not glibc (musl has no mallopt): keep the default heap
		}
		return applied;
	}
}
