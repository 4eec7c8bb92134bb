package org.osteocast.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** Registrations that run side by side in one executor share its heap. */
class TaskHeapTest {

	private static SparkConf master(final String m) {
		return new SparkConf(false).set("spark.master", m);
	}

	@Test
	void executorCoresFromTheConfigurationOrTheLocalMaster() {
		assertEquals(1, SparkPipeline.executorCores(master("local")));
		assertEquals(2, SparkPipeline.executorCores(master("local[2]")));
		assertEquals(4, SparkPipeline.executorCores(master("local[4,3]")));
		assertEquals(Runtime.getRuntime().availableProcessors(), SparkPipeline.executorCores(master("local[*]")));
		assertEquals(3, SparkPipeline.executorCores(master("local-cluster[2, 3, 1024]")));
		assertEquals(8, SparkPipeline.executorCores(master("spark://head:7077").set("spark.executor.cores", "8")));
		assertNull(SparkPipeline.executorCores(master("spark://head:7077")));
	}

	@Test
	void eachConcurrentTaskGetsItsShareOfTheHeap() {
		final long gb = 1L << 30;
		assertEquals(8 * gb, SparkPipeline.taskHeapBytes(8 * gb, 1, 1));
		assertEquals(4 * gb, SparkPipeline.taskHeapBytes(8 * gb, 2, 1));
		assertEquals(2 * gb, SparkPipeline.taskHeapBytes(8 * gb, 8, 2)); // 4 tasks of 2 cores
		assertEquals(8 * gb, SparkPipeline.taskHeapBytes(8 * gb, 2, 4)); // fewer cores than a task asks for: one task
		assertEquals(8 * gb / Runtime.getRuntime().availableProcessors(), SparkPipeline.taskHeapBytes(8 * gb, null, 1));
		assertEquals(64L << 20, SparkPipeline.taskHeapBytes(256L << 20, 16, 1)); // never below a registration's minimum
	}

	@Test
	void aTaskOutOfHeapSaysWhatToGiveIt() {
		final String m = SparkPipeline.outOfHeap();
		assertTrue(m.startsWith("out of Java heap (the executor's heap is "), m);
		assertTrue(m.contains("4 GB or more (--executor-memory"), m);
	}
}
