package org.osteocast.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.osteocast.core.Cancellation;
import org.osteocast.io.contracts.Hyperstack;
import org.osteocast.io.contracts.SliceDataset;
import org.osteocast.io.VolumeIOException;

/**
 * The training sequences of one split, in memory: every slice position of
 * every mouse is one sequence of {@code weeks} frames (the first
 * {@code weeks} frames of the mouse's hyperstack), each {@code size × size}
 * float in [0, 1]. At the paper's sizes (48 slices, 64 × 64, 4 weeks) a mouse
 * is 3 MB.
 */
public final class SequenceSet {

	/** One sequence: {@code frames[t]} is week {@code t+1}'s slice, row-major. */
	public static final class Sequence {
		public final String mouse;
		public final int slice;
		public final float[][] frames;

		public Sequence(final String mouse, final int slice, final float[][] frames) {
			this.mouse = mouse;
			this.slice = slice;
			this.frames = frames;
		}
	}

	private final int size, weeks;
	private final List<Sequence> sequences;

	public SequenceSet(final int size, final int weeks, final List<Sequence> sequences) {
		this.size = size;
		this.weeks = weeks;
		this.sequences = Collections.unmodifiableList(new ArrayList<>(sequences));
	}

	public int size() {
		return size;
	}

	public int weeks() {
		return weeks;
	}

	public List<Sequence> sequences() {
		return sequences;
	}

	public int count() {
		return sequences.size();
	}

	/**
	 * Loads the mice of one split.
	 *
	 * @throws VolumeIOException naming the file when a hyperstack has the wrong
	 *           size, too few weeks, or values outside [0, 1]
	 */
	public static SequenceSet load(final SliceDataset data, final SliceDataset.Split split, final int size,
		final int weeks, final Cancellation cancel) throws VolumeIOException
	{
		final List<Sequence> out = new ArrayList<>();
		for (final SliceDataset.Entry e : data.entries(split)) {
			cancel.check();
			final Hyperstack h = e.read();
			check(h, e, size, weeks);
			for (int z = 0; z < h.slices(); z++) {
				final float[][] f = new float[weeks][];
				for (int t = 0; t < weeks; t++)
					f[t] = h.plane(z, t).clone();
				out.add(new Sequence(e.mouse, z, f));
			}
		}
		return new SequenceSet(size, weeks, out);
	}

	static void check(final Hyperstack h, final SliceDataset.Entry e, final int size, final int weeks)
		throws VolumeIOException
	{
		if (h.width() != size || h.height() != size) throw new VolumeIOException(e.image, "slices are " + h.width() +
			" x " + h.height() + ", the model expects " + size + " x " + size);
		if (h.frames() < weeks) throw new VolumeIOException(e.image, "has " + h.frames() + " weeks (frames), need " +
			weeks);
		for (int t = 0; t < weeks; t++)
			for (int z = 0; z < h.slices(); z++)
				for (final float v : h.plane(z, t))
					if (!(v >= -1e-3f && v <= 1 + 1e-3f)) throw new VolumeIOException(e.image, "value " + v + " at week " +
						(t + 1) + " slice " + (z + 1) + " is outside [0, 1]: slice sequences must be normalised");
	}
}
