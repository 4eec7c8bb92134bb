package org.osteocast.nn.tvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import com.google.gson.JsonObject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.FreedHeap;
import org.osteocast.nn.TestVolumes;
import org.osteocast.nn.blocks.EdgeWeights;
import org.osteocast.nn.blocks.FrameOutput;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Torch;
import org.osteocast.nn.model.ForecastNets;
import org.osteocast.train.Adam;
import org.osteocast.train.NativeHeap;

/**
 * The 3-D T-VAE on tiny volumes (16 × 16 slices, nf 4): shapes for both
 * styles and for slice counts that do and do not fit the encoder's halvings,
 * that the U-Net style really uses its skips, overfitting one sequence, and
 * parameter save/load.
 */
class Tvae3dTest {

	@BeforeAll
	static void oneThread() {
		EngineSetup.intraOpThreads(1);
	}

	static Tvae3dConfig tiny(final Tvae3dConfig.Style style, final int depth) {
		return Tvae3dConfig.builder().optImageSize(16).optDepth(depth).optNPast(3).optNf(4).optGDim(16).optZDim(4)
			.optRnnSize(16).optStyle(style).optOutput(FrameOutput.SIGMOID).build(); // residual starts as persistence
	}

	static NDArray noise(final NDManager m, final int b, final int n, final long seed) {
		return m.create(org.osteocast.core.Gaussians.sample(new SplittableRandom(seed), b * n), new Shape(b, n));
	}

	@Test
	void lossAndForecastShapesForBothStylesAndPaddedDepths() {
		EngineSetup.engine();
		for (final Tvae3dConfig.Style style : Tvae3dConfig.Style.values())
			for (final int depth : new int[] { 8, 5 }) {
				final Tvae3dConfig cfg = tiny(style, depth);
				assertEquals(8, cfg.paddedDepth());
				Engine.getInstance().setRandomSeed(1);
				try (NDManager m = NDManager.newBaseManager()) {
					final Tvae3d net = new Tvae3d(cfg);
					net.initialize(m);
					assertEquals(3, net.spatialDims());
					assertEquals(depth, net.depth());
					final ParameterStore ps = new ParameterStore(m, false);
					final NDArray seq = m.create(TestVolumes.growingSphere(2, 4, depth, 16, 3), new Shape(2, 4, 1, depth, 16, 16));
					final ForecastNet.Loss l = net.loss(0, ps, seq, noise(m, 2, net.trainNoise(), 4), 1e-4);
					assertEquals(new Shape(), l.total.getShape());
					assertTrue(Float.isFinite(l.total.getFloat()) && l.recon.getFloat() > 0, style + " " + depth);
					assertEquals(new Shape(4), l.klPerDim.getShape());
					assertEquals(new Shape(3, 2, 4), l.posteriorMean.getShape());
					assertEquals(3 * 4, net.trainNoise());
					assertEquals((2 + 2) * 4, net.forecastNoise(2));
					final NDArray f = net.forecast(ps, seq.get(":, 0:3"), noise(m, 2, net.forecastNoise(2), 5), 2, false);
					assertEquals(new Shape(2, 2, 1, depth, 16, 16), f.getShape());
					assertTrue(f.min().getFloat() >= 0 && f.max().getFloat() <= 1);
					// null noise = latent at its mean: deterministic
					assertArrayEquals(net.forecast(ps, seq.get(":, 0:3"), null, 1, false).toFloatArray(), net.forecast(ps, seq
						.get(":, 0:3"), null, 1, false).toFloatArray(), 0f);
				}
			}
	}

	@Test
	void reconstructionIsTheEdgeWeightedMeanOverVoxelsSummedOverSteps() {
		EngineSetup.engine();
		final Tvae3dConfig cfg = tiny(Tvae3dConfig.Style.DCGAN, 5).toBuilder().optLambda(2).optBeta(0).build();
		Engine.getInstance().setRandomSeed(2);
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae3d net = new Tvae3d(cfg);
			net.initialize(m);
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray seq = m.create(TestVolumes.growingSphere(2, 4, 5, 16, 7), new Shape(2, 4, 1, 5, 16, 16));
			final NDArray eps = noise(m, 2, net.trainNoise(), 8);
			final ForecastNet.Loss l = net.loss(0, ps, seq, eps, 0);
			final NDArray xhat = net.forward(ps, new NDList(seq, eps.reshape(2, 3, 4).transpose(1, 0, 2)), true).get(0);
			// per-slice weights: slice z of week 1 blurred on its own, as the 2-D loss does
			final NDArray w = EdgeWeights.perSlice(seq.get(":, 0"), 2, cfg.sigma);
			final NDArray slice = EdgeWeights.of(seq.get(":, 0, :, 3"), 2, cfg.sigma);
			assertArrayEquals(slice.toFloatArray(), w.get(":, :, 3").toFloatArray(), 1e-6f);
			final float[] x = xhat.toFloatArray(), t = seq.get(":, 1:").toFloatArray(), ww = w.toFloatArray();
			final int vox = 5 * 16 * 16;
			double sum = 0;
			for (int b = 0; b < 2; b++)
				for (int st = 0; st < 3; st++)
					for (int v = 0; v < vox; v++) {
						final int i = (b * 3 + st) * vox + v;
						sum += ww[b * vox + v] * (x[i] - t[i]) * (x[i] - t[i]);
					}
			// batch norm in training mode: a second pass gives the same output for the same input
			assertEquals(sum / (2 * vox), l.recon.getFloat(), 1e-4 * l.recon.getFloat());
		}
	}

	@Test
	void unetUsesSkipsAndDcganHasNone() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(3);
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae3d dcgan = new Tvae3d(tiny(Tvae3dConfig.Style.DCGAN, 8)), unet = new Tvae3d(tiny(
				Tvae3dConfig.Style.UNET, 8));
			dcgan.initialize(m);
			unet.initialize(m);
			// the finest up-sampling convolution sees nf channels without skips, 2 nf with them
			assertEquals(new Shape(16, 4, 2, 2, 2), weight(dcgan, "up1_01conv_weight"));
			assertEquals(new Shape(16, 8, 2, 2, 2), weight(unet, "up1_01conv_weight"));
			assertEquals(new Shape(32, 16, 2, 2, 2), weight(unet, "up2_01conv_weight"));
			// and its output depends on the skip features: zeroing them changes the forecast
			final Tvae3dConfig cfg = unet.config();
			final Conv3dDecoder dec = unet.decoder();
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray g = noise(m, 2, cfg.gDim, 9);
			final NDArray f1 = m.randomUniform(0, 1, new Shape(2, 4, 4, 8, 8)), f2 = m.randomUniform(0, 1, new Shape(2, 8,
				2, 4, 4)), x = m.randomUniform(0, 1, new Shape(2, 1, 8, 16, 16));
			final float[] with = dec.forward(ps, new NDList(g, f1, f2, x), false).head().toFloatArray();
			final float[] without = dec.forward(ps, new NDList(g, f1.zerosLike(), f2, x), false).head().toFloatArray();
			assertEquals(2 * 8 * 16 * 16, with.length);
			double diff = 0;
			for (int i = 0; i < with.length; i++)
				diff = Math.max(diff, Math.abs(with[i] - without[i]));
			assertTrue(diff > 1e-4, "zeroing the finest skip changed nothing: " + diff);
			assertEquals(cfg.levels(), 2);
		}
	}

	private static Shape weight(final Tvae3d net, final String name) {
		for (final ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters())
			if (p.getKey().endsWith(name)) return p.getValue().getArray().getShape();
		throw new AssertionError("no parameter " + name + " in " + net.getParameters().keys());
	}

	@Test
	void overfitsOneSequence() {
		EngineSetup.engine();
		Engine.getInstance().setRandomSeed(5);
		try (NDManager m = NDManager.newBaseManager()) {
			final Tvae3d net = new Tvae3d(tiny(Tvae3dConfig.Style.UNET, 6));
			net.initialize(m);
			final Adam adam = new Adam(net.parameterGroups().get(0), m, 1e-2, 0.9, 0.999);
			final ParameterStore ps = new ParameterStore(m, false);
			final float[] data = TestVolumes.growingSphere(1, 4, 6, 16, 11);
			double first = 0, last = 0;
			for (int step = 0; step < 25; step++)
				try (NDManager sub = m.newSubManager()) {
					final NDArray seq = sub.create(data, new Shape(1, 4, 1, 6, 16, 16));
					final ForecastNet.Loss l;
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						l = net.loss(0, ps, seq, noise(sub, 1, net.trainNoise(), step), 1e-4);
						gc.backward(l.total);
					}
					adam.step();
					if (step == 0) first = l.recon.getFloat();
					last = l.recon.getFloat();
				}
			assertTrue(last < first / 10, "recon " + first + " -> " + last);
		}
	}

	@Test
	void savedParametersGiveIdenticalForecasts() throws Exception {
		EngineSetup.engine();
		final Tvae3dConfig cfg = tiny(Tvae3dConfig.Style.UNET, 5).toBuilder().optOutput(FrameOutput.RESIDUAL_LOGIT)
			.build();
		try (NDManager m = NDManager.newBaseManager()) {
			final ParameterStore ps = new ParameterStore(m, false);
			final NDArray obs = m.create(TestVolumes.growingSphere(2, 3, 5, 16, 13), new Shape(2, 3, 1, 5, 16, 16));
			final NDArray eps = noise(m, 2, 4 * 4, 14);
			Engine.getInstance().setRandomSeed(6);
			final Tvae3d a = new Tvae3d(cfg);
			a.initialize(m);
			// move the weights (and batch-norm statistics) away from their initial values
			final Adam adam = new Adam(a.parameterGroups().get(0), m, 1e-2, 0.9, 0.999);
			final NDArray seq = m.create(TestVolumes.growingSphere(2, 4, 5, 16, 15), new Shape(2, 4, 1, 5, 16, 16));
			for (int i = 0; i < 2; i++) {
				try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
					gc.backward(a.loss(0, ps, seq, noise(m, 2, a.trainNoise(), i), 1e-4).total);
				}
				adam.step();
			}
			final float[] fa = a.forecast(ps, obs, eps, 2, false).toFloatArray();
			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (DataOutputStream out = new DataOutputStream(bytes)) {
				a.saveParameters(out);
			}
			Engine.getInstance().setRandomSeed(7);
			final Tvae3d b = (Tvae3d) ForecastNets.create("tvae3d", a.hyperParameters());
			b.initialize(m);
			assertFalse(java.util.Arrays.equals(fa, b.forecast(ps, obs, eps, 2, false).toFloatArray()));
			try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
				b.loadParameters(m, in);
			}
			// a new store: a ParameterStore caches the arrays it handed out, and loading replaces them
			assertArrayEquals(fa, b.forecast(new ParameterStore(m, false), obs, eps, 2, false).toFloatArray(), 0f);
		}
	}

	@Test
	void presetsAndHyperParametersRoundTrip() {
		final JsonObject common = new JsonObject();
		common.addProperty("image_size", 16);
		common.addProperty("depth", 7);
		common.addProperty("nf", 4);
		final Tvae3d unet = (Tvae3d) ForecastNets.preset("tvae3d-unet").create(common);
		assertEquals(Tvae3dConfig.Style.UNET, unet.config().style);
		assertEquals(7, unet.depth());
		assertEquals(1.0, unet.config().lambda);
		final Tvae3d mse = (Tvae3d) ForecastNets.preset("tvae3d-dcgan-mse").create(common);
		assertEquals(Tvae3dConfig.Style.DCGAN, mse.config().style);
		assertEquals(0.0, mse.config().lambda);
		assertEquals(0.0, ((Tvae3d) ForecastNets.preset("tvae3d-unet-mse").create(common)).config().lambda);
		assertEquals(Tvae3dConfig.Style.DCGAN, ((Tvae3d) ForecastNets.preset("tvae3d-dcgan").create(common)).config()
			.style);
		assertEquals(unet.hyperParameters(), Tvae3dConfig.fromJson(unet.hyperParameters()).toJson());
		assertEquals(16, Tvae3dConfig.builder().build().nf);
		assertEquals(48, Tvae3dConfig.builder().build().paddedDepth());
		assertEquals(3, Tvae3dConfig.builder().build().coarseDepth());
		assertNotEquals(mse.hyperParameters(), unet.hyperParameters());
		final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
			IllegalArgumentException.class, () -> Tvae3dConfig.Style.parse("vnet"));
		assertTrue(e.getMessage().contains("vnet"));
	}

	/**
	 * With the C heap's free memory full of NaN (what an unlucky order of
	 * earlier work can leave), every gradient stays finite: the CPU
	 * convolution's backward reads uninitialised padding channels unless the
	 * filters are padded to 16 ({@link org.osteocast.nn.blocks.PaddedFilters}).
	 */
	@Test
	void gradientsStayFiniteWhateverTheFreedHeapHolds() {
		EngineSetup.engine();
		for (final Tvae3dConfig.Style style : Tvae3dConfig.Style.values()) {
			Engine.getInstance().setRandomSeed(9);
			try (NativeHeap.Scope heap = NativeHeap.keepFreedMemory(); NDManager m = NDManager.newBaseManager()) {
				assumeTrue(heap.inForce(), "needs glibc's mallopt to keep freed memory");
				final Tvae3d net = new Tvae3d(tiny(style, 8));
				net.initialize(m);
				final ParameterStore ps = new ParameterStore(m, false);
				final float[] data = TestVolumes.growingSphere(2, 4, 8, 16, 11);
				for (int step = 0; step < 5; step++) {
					FreedHeap.fillWithNaN(m);
					try (NDManager sub = m.newSubManager()) {
						final NDArray seq = sub.create(data, new Shape(2, 4, 1, 8, 16, 16));
						try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
							gc.backward(net.loss(0, ps, seq, noise(sub, 2, net.trainNoise(), step), 1e-4).total);
						}
						for (final Pair<String, Parameter> p : net.getParameters())
							if (p.getValue().requiresGradient()) {
								final NDArray w = p.getValue().getArray();
								assertTrue(Float.isFinite(w.getGradient().sum().getFloat()), style + " " + p.getKey() +
									" at step " + step);
								Torch.zeroGradient(w);
							}
					}
				}
			}
		}
	}
}
