package org.osteocast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The code version that benchmark runs and outputs record. */
class OsteoCastTest {

	@Test
	void commitIsRecordedAtBuildTimeOrUnknown() {
		assertEquals("unknown", OsteoCast.commit(null));
		assertEquals("unknown", OsteoCast.commit("${buildNumber}"), "an unfiltered resource");
		assertEquals("unknown", OsteoCast.commit("UNKNOWN"), "the build was not made in a git checkout");
		assertEquals("0123abc", OsteoCast.commit(" 0123abc\n"));
		assertTrue(OsteoCast.COMMIT.equals("unknown") || OsteoCast.COMMIT.matches("[0-9a-f]{7,40}"), OsteoCast.COMMIT);
		assertEquals(OsteoCast.COMMIT.equals("unknown") ? OsteoCast.VERSION : OsteoCast.VERSION + "+" + OsteoCast.COMMIT,
			OsteoCast.codeVersion());
		assertTrue(!OsteoCast.VERSION.equals("unknown") && !OsteoCast.VERSION.startsWith("${"), OsteoCast.VERSION);
	}
}
