package org.osteocast.nn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The scripted bf16 kernels against DJL's fp32 operations (bf16 keeps 8
 * significant bits: deviations of about 2⁻⁸ of the values' scale), their
 * gradients, the gate and {@link Precision#resolve}'s rules.
 */
class Bf16KernelsTest {

	private static float maxDev(final NDArray a, final NDArray b) {
		return a.sub(b).abs().max().getFloat();
	}

	private static float maxAbs(final NDArray a) {
		return a.abs().max().getFloat();
	}

	@Test
	void convolutionAndLinearMatchFp32WithinBf16Rounding() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(3);
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray x = m.randomNormal(new Shape(3, 6, 12, 12)), w = m.randomNormal(new Shape(32, 6, 4, 4)).mul(0.2f),
				b = m.randomNormal(new Shape(32)).mul(0.1f);
			final Shape two = new Shape(2, 2), one = new Shape(1, 1);
			final NDArray ref = Conv2d.conv2d(x, w, b, two, one).head(), y = Bf16Kernels.conv2d(x, w, b, two, one);
			assertEquals(DataType.FLOAT32, y.getDataType());
			assertEquals(ref.getShape(), y.getShape());
			final float dev = maxDev(y, ref), top = maxAbs(ref);
			assertTrue(dev < top / 64, "conv2d deviation " + dev + " on values up to " + top);
			// bf16 really was used: fp32 would agree to about 1e-6
			assertTrue(dev > top * 1e-5, "conv2d deviation " + dev + ": not computed in bf16?");
			final NDArray refNoBias = Conv2d.conv2d(x, w, null, one, new Shape(0, 0)).head();
			assertTrue(maxDev(Bf16Kernels.conv2d(x, w, null, one, new Shape(0, 0)), refNoBias) < maxAbs(refNoBias) / 64);

			final NDArray a = m.randomNormal(new Shape(5, 7)), lw = m.randomNormal(new Shape(4, 7)), lb = m.randomNormal(
				new Shape(4));
			final NDArray lref = a.matMul(lw.transpose()).add(lb), ly = Bf16Kernels.linear(a, lw, lb);
			assertEquals(new Shape(5, 4), ly.getShape());
			assertTrue(maxDev(ly, lref) < maxAbs(lref) / 64);
		}
	}

	@Test
	void gradientsReachTheFp32WeightsAndMatchFp32() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(5);
		try (NDManager m = NDManager.newBaseManager()) {
			final NDArray x = m.randomNormal(new Shape(2, 4, 8, 8));
			final NDArray w1 = m.randomNormal(new Shape(16, 4, 4, 4)).mul(0.2f), w2 = w1.duplicate();
			final NDArray b1 = m.zeros(new Shape(16)), b2 = m.zeros(new Shape(16));
			for (final NDArray p : new NDArray[] { w1, w2, b1, b2 })
				p.setRequiresGradient(true);
			final Shape two = new Shape(2, 2), one = new Shape(1, 1);
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(Conv2d.conv2d(x, w1, b1, two, one).head().square().sum());
			}
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(Bf16Kernels.conv2d(x, w2, b2, two, one).square().sum());
			}
			final NDArray g1 = w1.getGradient(), g2 = w2.getGradient();
			assertEquals(DataType.FLOAT32, g2.getDataType());
			assertTrue(g2.isInfinite().logicalOr(g2.isNaN()).any().getBoolean() == false, "finite gradients");
			assertTrue(maxAbs(g2) > 0, "a gradient arrived");
			assertTrue(maxDev(g1, g2) < maxAbs(g1) / 32, "weight gradient " + maxDev(g1, g2) + " vs " + maxAbs(g1));
			assertTrue(maxDev(b1.getGradient(), b2.getGradient()) < maxAbs(b1.getGradient()) / 32);
		}
	}

	@Test
	void onlyChannelCountsTheEngineHandlesAreSupported() {
		assertTrue(Bf16Kernels.convSupported(1, 16));
		assertTrue(Bf16Kernels.convSupported(6, 32));
		assertTrue(Bf16Kernels.convSupported(128, 64));
		assertFalse(Bf16Kernels.convSupported(16, 8), "8 outputs deviate by half the values");
		assertFalse(Bf16Kernels.convSupported(24, 64), "24 inputs give NaN");
	}

	@Test
	void gatePassesWhereTheEngineComputesBf16() {
		// the engine bundled with the build computes bf16 convolutions on any x86-64 CPU (slowly without the
		// instructions), so the check passes here; a failing check is what autoResolvesToFp32WhenTheGateFails covers
		assertNull(Bf16Kernels.gate());
	}

	@Test
	void autoFollowsTheCpuFlagsWithOneLogLineOnFallback() {
		final List<String> log = new ArrayList<>();
		assertEquals(Precision.FP32, Precision.resolve("auto", () -> "flags : fpu sse2 avx2 avx512f", log::add));
		assertEquals(List.of(Precision.FALLBACK_NO_CPU), log);
		log.clear();
		assertEquals(Precision.BF16, Precision.resolve(null, () -> "flags : fpu avx512f avx512_bf16", log::add));
		assertEquals(Precision.BF16, Precision.resolve("AUTO", () -> "flags : amx_bf16 amx_tile", log::add));
		assertTrue(log.isEmpty(), "no line when bf16 is used: " + log);
		// explicit choices do not look at the CPU
		assertEquals(Precision.FP32, Precision.resolve("fp32", () -> "avx512_bf16", log::add));
		assertEquals(Precision.BF16, Precision.resolve("bf16", () -> "", log::add));
		assertTrue(log.isEmpty());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.resolve("fp16",
			() -> "", log::add));
		assertTrue(e.getMessage().contains("auto, fp32 or bf16"), e.getMessage());
		assertFalse(Precision.cpuHasBf16("avx512bw avx512_bf16x"));
	}

	@Test
	void autoOnAGpuIsFp32WithOneLine() {
		final List<String> log = new ArrayList<>();
		assertEquals("fp32", Precision.onDevice("auto", ai.djl.Device.gpu(), log::add));
		assertEquals(List.of("precision auto: fp32 (bf16 mixed precision is for CPUs)"), log);
		assertEquals("fp32", Precision.onDevice(null, ai.djl.Device.gpu(), null));
		assertEquals("bf16", Precision.onDevice("bf16", ai.djl.Device.gpu(), log::add));
		assertEquals("auto", Precision.onDevice("auto", ai.djl.Device.cpu(), log::add));
		assertEquals(1, log.size());
	}

	@Test
	void scopeIsPerThreadAndRestores() throws InterruptedException {
		assertEquals(Precision.FP32, Precision.active());
		try (Precision.Scope s = Precision.scope(Precision.BF16)) {
			assertEquals(Precision.BF16, Precision.active());
			final Precision[] other = new Precision[1];
			final Thread t = new Thread(() -> other[0] = Precision.active());
			t.start();
			t.join();
			assertEquals(Precision.FP32, other[0]);
			try (Precision.Scope inner = Precision.scope(Precision.FP32)) {
				assertNotEquals(Precision.BF16, Precision.active());
			}
			assertEquals(Precision.BF16, Precision.active());
		}
		assertEquals(Precision.FP32, Precision.active());
	}
}
