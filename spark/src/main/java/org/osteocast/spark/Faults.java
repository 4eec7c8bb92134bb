package org.osteocast.spark;

import java.io.Serializable;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;

/**
 * Faults injected on purpose, for the tests of retries and restarts: with
 * {@code spark.osteocast.test.failFirstAttempt=<mouse>} the first attempt of
 * that mouse's task dies after writing part of its output (Spark runs it
 * again); with {@code spark.osteocast.test.failAlways=<mouse>} every attempt
 * dies, so the job is interrupted; with
 * {@code spark.osteocast.test.outOfHeap=<mouse>} that mouse's task runs out of
 * heap. Unset, nothing happens.
 */
final class Faults implements Serializable {

	private static final long serialVersionUID = 1L;

	/** An executor dying mid-task: an {@link Error}, so that the per-mouse error handling does not catch it. */
	static final class TaskKilled extends Error {
		private static final long serialVersionUID = 1L;

		TaskKilled(final String message) {
			super(message);
		}
	}

	private final String failFirstAttempt, failAlways, outOfHeap;

	private Faults(final String failFirstAttempt, final String failAlways, final String outOfHeap) {
		this.failFirstAttempt = failFirstAttempt;
		this.failAlways = failAlways;
		this.outOfHeap = outOfHeap;
	}

	static Faults from(final SparkConf conf) {
		return new Faults(conf.get("spark.osteocast.test.failFirstAttempt", null), conf.get(
			"spark.osteocast.test.failAlways", null), conf.get("spark.osteocast.test.outOfHeap", null));
	}

	/** Called by a task after it wrote part of a mouse's output, before the output is put in place. */
	void midTask(final String mouse) {
		final TaskContext t = TaskContext.get();
		if (mouse.equals(outOfHeap)) throw new OutOfMemoryError("Java heap space (injected for mouse " + mouse + ")");
		if (mouse.equals(failAlways)) throw new TaskKilled("injected failure of every attempt for mouse " + mouse);
		if (mouse.equals(failFirstAttempt) && t != null && t.attemptNumber() == 0) throw new TaskKilled(
			"injected failure of the first attempt for mouse " + mouse);
	}
}
