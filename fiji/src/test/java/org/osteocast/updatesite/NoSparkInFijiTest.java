package org.osteocast.updatesite;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The update-site verifier refuses Spark and Scala jars: they belong to the Spark module, never to Fiji. */
class NoSparkInFijiTest {

	@Test
	void sparkAndScalaJarsAreProblems() {
		for (final String f : new String[] { "jars/spark-core_2.13-3.5.3.jar", "jars/scala-library-2.13.8.jar",
			"jars/osteocast-spark-0.1.0.jar", "plugins/spark-network-common_2.13-3.5.3.jar" })
		{
			final String p = UpdateSiteVerifier.notForFiji(f);
			assertNotNull(p, f);
			assertTrue(p.startsWith(f + ": Spark and Scala have no place in Fiji"), p);
		}
	}

	@Test
	void theCoreAndOtherJarsAreFine() {
		for (final String f : new String[] { "jars/osteocast-core-0.1.0.jar", "plugins/OsteoCast_-0.1.0.jar",
			"jars/pytorch-engine-0.36.0.jar", "jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar",
			"macros/OsteoCast/pipeline.ijm" })
			assertNull(UpdateSiteVerifier.notForFiji(f), f);
	}

	@Test
	void theFijiModuleHasNoSparkOnItsClassPath() {
		boolean found;
		try {
			Class.forName("org.apache.spark.SparkConf");
			found = true;
		}
		catch (final ClassNotFoundException e) {
			found = false;
		}
		assertTrue(!found, "Spark is on the Fiji module's class path");
	}
}
