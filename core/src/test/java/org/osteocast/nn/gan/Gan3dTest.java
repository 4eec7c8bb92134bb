package org.osteocast.nn.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import com.google.gson.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.FreedHeap;
import org.osteocast.nn.TestVolumes;
import org.osteocast.nn.blocks.FrameOutput;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Torch;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.train.Adam;
import org.osteocast.train.NativeHeap;

/**
 * The 3-D GAN on tiny volumes: shapes, that each phase's gradient reaches
 * only its own network and its optimiser moves only that network, roll-out
 * and save/load.
 */
class Gan3dTest {

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	static Gan3dConfig tiny(final int depth) {
		return Gan3dConfig.builder().optImageSize(16).optDepth(depth).optNPast(3).optNf(4).build();
	}

	@Test
	void lossesAndForecastShapes() {
		for (final int depth : new int[] { 8, 5 }) {
			Engine.getInstance().setRandomSeed(1);
			try (NDManager m = NDManager.newBaseManager()) {
				final Gan3d net = (Gan3d) ForecastNets.create("gan3d", tiny(depth).toJson());
				net.initialize(m);
				assertEquals(3, net.spatialDims());
				assertEquals(depth, net.depth());
				assertFalse(net.stochastic());
				assertEquals(0, net.trainNoise());
				assertEquals(0, net.forecastNoise(3));
				assertEquals(2, net.parameterGroups().size());
				final ParameterStore ps = new ParameterStore(m, false);
				final NDArray seq = m.create(TestVolumes.growingSphere(2, 4, depth, 16, 2), new Shape(2, 4, 1, depth, 16, 16));
				final ForecastNet.Loss d = net.loss(0, ps, seq, null, 0);
				assertEquals(new Shape(), d.total.getShape());
				// untrained: the discriminator's cross-entropy is near log 2
				assertEquals(Math.log(2), d.total.getFloat(), 0.3);
				final ForecastNet.Loss g = net.loss(1, ps, seq, null, 0);
				assertTrue(g.recon.getFloat() > 0 && g.kl.getFloat() > 0);
				assertEquals(g.recon.getFloat() + 0.01f * g.kl.getFloat(), g.total.getFloat(), 1e-5);
				assertNull(g.klPerDim);
				final NDArray f = net.forecast(ps, seq.get(":, :3"), null, 3, false);
				assertEquals(new Shape(2, 3, 1, depth, 16, 16), f.getShape());
				assertTrue(f.min().getFloat() >= 0 && f.max().getFloat() <= 1);
				// rolling forward: week 2 of the forecast is the one-week forecast from (obs 2, obs 3, forecast 1)
				final NDArray next = net.forecast(ps, seq.get(":, 1:3").concat(f.get(":, :1"), 1), null, 1, false);
				assertArrayEquals(next.toFloatArray(), f.get(":, 1:2").toFloatArray(), 1e-6f);
			}
		}
	}

	@Test
	void eachPhaseTrainsOnlyItsOwnNetwork() {
		Engine.getInstance().setRandomSeed(3);
		try (NDManager m = NDManager.newBaseManager()) {
			final Gan3d net = new Gan3d(tiny(6));
			net.initialize(m);
			final PairList<String, Parameter> disc = net.parameterGroups().get(0), gen = net.parameterGroups().get(1);
			assertEquals(net.getParameters().size(), disc.size() + gen.size());
			final Adam adamD = new Adam(disc, m, 1e-3, 0.5, 0.999), adamG = new Adam(gen, m, 1e-3, 0.5, 0.999);
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray seq = m.create(TestVolumes.growingSphere(2, 4, 6, 16, 4), new Shape(2, 4, 1, 6, 16, 16));

			// phase 0: gradient on the discriminator only
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(net.loss(0, ps, seq, null, 0).total);
			}
			assertTrue(gradNorm(disc) > 0);
			assertEquals(0, gradNorm(gen));
			List<float[]> d0 = values(disc), g0 = values(gen);
			assertTrue(adamD.step());
			assertTrue(changed(d0, values(disc)));
			assertFalse(changed(g0, values(gen)));

			// phase 1: gradient on the generator only; its optimiser moves the generator
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(net.loss(1, ps, seq, null, 0).total);
			}
			assertTrue(gradNorm(gen) > 0);
			assertEquals(0, gradNorm(disc));
			d0 = values(disc);
			g0 = values(gen);
			assertTrue(adamG.step());
			assertTrue(changed(g0, values(gen)));
			assertFalse(changed(d0, values(disc)));
			// and the discriminator's parameters are trainable again afterwards
			for (final Pair<String, Parameter> p : disc)
				if (p.getValue().requiresGradient()) assertTrue(p.getValue().getArray().hasGradient(), p.getKey());
		}
	}

	@Test
	void alternatingTrainingFitsOneSequence() {
		Engine.getInstance().setRandomSeed(8);
		try (NDManager m = NDManager.newBaseManager()) {
			final Gan3d net = new Gan3d(tiny(6));
			net.initialize(m);
			final List<Adam> opt = new ArrayList<>();
			for (final PairList<String, Parameter> g : net.parameterGroups())
				opt.add(new Adam(g, m, 1e-2, 0.5, 0.999));
			final ParameterStore ps = new ParameterStore(m, false);
			final float[] data = TestVolumes.growingSphere(2, 4, 6, 16, 9);
			double first = 0, last = 0;
			for (int step = 0; step < 25; step++)
				try (NDManager sub = m.newSubManager()) {
					final NDArray seq = sub.create(data, new Shape(2, 4, 1, 6, 16, 16));
					for (int phase = 0; phase < 2; phase++) {
						final ForecastNet.Loss l;
						try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
							l = net.loss(phase, ps, seq, null, 0);
							gc.backward(l.total);
						}
						assertTrue(opt.get(phase).step(), "non-finite gradient in phase " + phase + " at step " + step);
						if (phase == 1 && step == 0) first = l.recon.getFloat();
						if (phase == 1) last = l.recon.getFloat();
					}
				}
			assertTrue(last < first / 10, "generator recon " + first + " -> " + last);
		}
	}

	/**
	 * Regression: the tiny GAN's 4- and 8-filter convolutions and its one-filter
	 * logit made libtorch read uninitialised memory in the backward pass, so a
	 * gradient was non-finite whenever the C heap happened to hold a NaN
	 * pattern there (the test order decided; with the heap filled with NaN,
	 * nearly every step). The convolutions now run with their filters padded.
	 */
	@Test
	void gradientsStayFiniteWhateverTheFreedHeapHolds() {
		Engine.getInstance().setRandomSeed(8);
		try (NativeHeap.Scope heap = NativeHeap.keepFreedMemory(); NDManager m = NDManager.newBaseManager()) {
			assumeTrue(heap.inForce(), "needs glibc's mallopt to keep freed memory");
			final Gan3d net = new Gan3d(tiny(6));
			net.initialize(m);
			final ParameterStore ps = new ParameterStore(m, false);
			final float[] data = TestVolumes.growingSphere(2, 4, 6, 16, 9);
			for (int step = 0; step < 2; step++)
				for (int phase = 0; phase < 2; phase++) {
					FreedHeap.fillWithNaN(m);
					try (NDManager sub = m.newSubManager()) {
						final NDArray seq = sub.create(data, new Shape(2, 4, 1, 6, 16, 16));
						try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
							gc.backward(net.loss(phase, ps, seq, null, 0).total);
						}
						for (final Pair<String, Parameter> p : net.parameterGroups().get(phase))
							if (p.getValue().requiresGradient()) {
								final NDArray w = p.getValue().getArray();
								assertTrue(Float.isFinite(w.getGradient().sum().getFloat()), p.getKey() + " in phase " + phase);
								Torch.zeroGradient(w);
							}
					}
				}
		}
	}

	private static double gradNorm(final PairList<String, Parameter> ps) {
		double s = 0;
		for (final Pair<String, Parameter> p : ps)
			if (p.getValue().requiresGradient()) s += p.getValue().getArray().getGradient().abs().sum().getFloat();
		return s;
	}

	private static List<float[]> values(final PairList<String, Parameter> ps) {
		final List<float[]> v = new ArrayList<>();
		for (final Pair<String, Parameter> p : ps)
			if (p.getValue().requiresGradient()) v.add(p.getValue().getArray().toFloatArray());
		return v;
	}

	private static boolean changed(final List<float[]> a, final List<float[]> b) {
		for (int i = 0; i < a.size(); i++)
			if (!Arrays.equals(a.get(i), b.get(i))) return true;
		return false;
	}

	@Test
	void savedParametersGiveIdenticalForecasts() throws Exception {
		final Gan3dConfig cfg = tiny(5).toBuilder().optOutput(FrameOutput.RESIDUAL_LOGIT).build();
		try (NDManager m = NDManager.newBaseManager()) {
			final ParameterStore ps = new ParameterStore(m, false);
			Engine.getInstance().setRandomSeed(5);
			final Gan3d a = new Gan3d(cfg);
			a.initialize(m);
			final Adam adam = new Adam(a.parameterGroups().get(1), m, 1e-2, 0.5, 0.999);
			final NDArray seq = m.create(TestVolumes.growingSphere(2, 4, 5, 16, 6), new Shape(2, 4, 1, 5, 16, 16));
			try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
				gc.backward(a.loss(1, ps, seq, null, 0).total);
			}
			adam.step();
			final NDArray obs = seq.get(":, 1:");
			final float[] fa = a.forecast(ps, obs, null, 2, false).toFloatArray();
			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (DataOutputStream out = new DataOutputStream(bytes)) {
				a.saveParameters(out);
			}
			Engine.getInstance().setRandomSeed(6);
			final Gan3d b = new Gan3d(Gan3dConfig.fromJson(a.hyperParameters()));
			b.initialize(m);
			assertFalse(Arrays.equals(fa, b.forecast(ps, obs, null, 2, false).toFloatArray()));
			try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
				b.loadParameters(m, in);
			}
			assertArrayEquals(fa, b.forecast(new ParameterStore(m, false), obs, null, 2, false).toFloatArray(), 0f);
		}
	}

	@Test
	void presetAndHyperParameters() {
		final JsonObject common = new JsonObject();
		common.addProperty("image_size", 32);
		common.addProperty("depth", 20);
		final Gan3d g = (Gan3d) ForecastNets.preset("gan3d").create(common);
		assertEquals(20, g.depth());
		assertEquals(24, g.config().paddedDepth()); // 3 levels at 32 px: multiples of 8
		assertEquals(0.01, g.config().advWeight);
		assertEquals(1.0, g.config().lambda);
		assertEquals(16, g.config().nf);
		assertEquals(g.hyperParameters(), Gan3dConfig.fromJson(g.hyperParameters()).toJson());
		try (NDManager m = NDManager.newBaseManager()) {
			final float[] x = { -30f, -1f, 0f, 2f, 30f };
			final float[] y = Gan3d.softplus(m.create(x)).toFloatArray();
			for (int i = 0; i < x.length; i++)
				assertEquals(Math.log1p(Math.exp(x[i])), y[i], 1e-5 * Math.max(1, Math.abs(x[i])));
		}
	}
}
