package org.osteocast;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The core module never touches a UI, by construction: SciJava, picocli and
 * Spark are not on its class path, so core code that imported them would not
 * compile.
 */
class CoreBoundaryTest {

	@Test
	void noSciJavaPicocliOrSparkOnTheCoreClassPath() {
		for (final String c : new String[] { "org.scijava.Context", "org.scijava.command.Command", "picocli.CommandLine",
			"org.apache.spark.SparkConf" })
			assertThrows(ClassNotFoundException.class, () -> Class.forName(c), c + " is on the core's class path");
	}
}
