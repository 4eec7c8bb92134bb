package org.osteocast.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;

/**
 * With the heap kept ({@link NativeHeap}), training steps after the first
 * reuse the memory the first one mapped: the T-VAE at nf 32 (activations of
 * 25–38 MB, above glibc's largest dynamic mmap threshold) first-touches a
 * small fraction of what its first step did. (Without the call, measured on
 * the development VM: the first step first-touched 975 MB, steps 3 and 4 308
 * and 444 MB, and four steps took 26 s instead of 4.5 s.)
 */
class NativeHeapTest {

	private static long minorFaults() throws Exception {
		final String st = Files.readString(Path.of("/proc/self/stat"));
		return Long.parseLong(st.substring(st.lastIndexOf(')') + 2).split(" ")[7]);
	}

	@Test
	void trainingStepsReuseTheFirstStepsMemory() throws Exception {
		assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
		EngineSetup.engine();
		try (NativeHeap.Scope heap = NativeHeap.keepFreedMemory(); NativeHeap.Scope nested = NativeHeap.keepFreedMemory()) {
			assertTrue(heap.inForce(), "mallopt should succeed on glibc");
			assertTrue(nested.inForce()); // nested scopes share the setting
			nested.close();
			assertTrue(NativeHeap.inForce(), "still in force while the outer scope is open");
			measure();
		}
		assertFalse(NativeHeap.inForce(), "the defaults are back once the last scope is closed");
	}

	private static void measure() throws Exception {
		Engine.getInstance().setRandomSeed(3);
		final TvaeConfig cfg = TvaeConfig.builder().optNf(32).build();
		final int b = 48, t = cfg.nPast + 1, s = cfg.imageSize;
		final long[] faults = new long[3];
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			final Tvae net = new Tvae(cfg);
			net.initialize(m);
			final Adam adam = new Adam(net.getParameters(), m, 1e-3, 0.9, 0.999);
			final ParameterStore ps = new ParameterStore(m, false);
			final SplittableRandom r = new SplittableRandom(1);
			final float[] data = new float[b * t * s * s];
			for (int i = 0; i < data.length; i++)
				data[i] = (float) r.nextDouble();
			for (int k = 0; k < faults.length; k++) {
				final long f0 = minorFaults();
				try (NDManager sub = m.newSubManager()) {
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						final ForecastNet.Loss l = net.loss(0, ps, sub.create(data, new Shape(b, t, 1, s, s)), sub.create(
							org.osteocast.core.Gaussians.sample(r, b * net.trainNoise()), new Shape(b, net.trainNoise())), 1);
						gc.backward(l.total);
					}
					adam.step();
				}
				faults[k] = minorFaults() - f0;
			}
		}
		assertTrue(faults[2] < faults[0] / 4, "first step first-touched " + faults[0] * 4 / 1024 + " MB, the third " +
			faults[2] * 4 / 1024 + " MB");
	}
}
