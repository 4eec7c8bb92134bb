package org.osteocast.phantom;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from the master seed by hashing a path
 * of labels (mouse, purpose, week, slice). A stream depends only on its path,
 * never on the order in which threads ask for it, so a cohort's bytes do not
 * depend on the number of threads, and adding a new kind of draw does not
 * shift the draws of the others.
 */
final class Seeds {

	/** Purposes: one label per kind of draw. */
	static final long COHORT = 1, ANATOMY = 2, POSE = 3, NOISE = 4, RINGS = 5, TEXTURE_PLATES = 6,
			TEXTURE_PERFORATION = 7, SCHEDULE = 8, FOCI = 9;

	private Seeds() {}

	/** SplitMix64's finaliser: a bijective 64-bit mix with good avalanche. */
	static long mix(long z) {
		z += 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	/** A seed for the path {@code seed / parts[0] / parts[1] / …}. */
	static long derive(final long seed, final long... parts) {
		long h = mix(seed);
		for (final long p : parts)
			h = mix(h ^ mix(p + 0x632BE59BD9B4E019L));
		return h;
	}

	/** A random stream for the path. */
	static SplittableRandom stream(final long seed, final long... parts) {
		return new SplittableRandom(derive(seed, parts));
	}
}
