package org.osteocast.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.osteocast.core.Cancellation;
import org.osteocast.core.Progress;
import org.osteocast.nn.engine.Bf16Kernels;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.engine.Precision;
import org.osteocast.nn.engine.Torch;
import org.osteocast.nn.tvae.TvaeConfig;

/**
 * Speed of the training step, measured through the real training loop
 * ({@link ForecastTrainer}, augmentation and optimiser included) on random
 * sequences, and the engine's matrix-multiply throughput on the same threads
 * as the reference for "achieved FLOP/s".
 */
public final class StepBenchmark {

	private StepBenchmark() {}

	/**
	 * Milliseconds per training step: the median over {@code epochs} timed
	 * epochs of {@code steps} steps each (the mean of the middle two for an even
	 * count), after one untimed epoch of the same model (warm-up: first-touch
	 * of the C heap, oneDNN's kernel choice), all in one training run.
	 */
	public static double msPerStep(final TvaeConfig cfg, final int batch, final int steps, final int epochs,
		final Device device) throws java.io.IOException
	{
		return msPerStep(cfg, batch, steps, epochs, device, Precision.FP32);
	}

	/** {@link #msPerStep(TvaeConfig, int, int, int, Device)} in a given precision. */
	public static double msPerStep(final TvaeConfig cfg, final int batch, final int steps, final int epochs,
		final Device device, final Precision precision) throws java.io.IOException
	{
		final int t = cfg.nPast + 1, px = cfg.imageSize * cfg.imageSize;
		final SplittableRandom r = new SplittableRandom(1);
		final List<SequenceSet.Sequence> seqs = new ArrayList<>();
		for (int i = 0; i < batch * steps; i++) {
			final float[][] f = new float[t][px];
			for (final float[] a : f)
				for (int j = 0; j < px; j++)
					a[j] = (float) r.nextDouble();
			seqs.add(new SequenceSet.Sequence("bench", i, f));
		}
		final SequenceSet set = new SequenceSet(cfg.imageSize, t, seqs);
		final SequenceSet none = new SequenceSet(cfg.imageSize, t, List.of());
		final ForecastTrainer.Result res = ForecastTrainer.train(set, none, new org.osteocast.nn.tvae.Tvae(cfg), TrainConfig
			.builder().optBatch(batch).optEpochs(epochs + 1).optMaxBatches(steps).optPrecision(precision).build(), device, null,
			false,
			Progress.NONE, Cancellation.NEVER, null, null);
		final double[] s = res.log.rows().stream().skip(1).mapToDouble(row -> row.seconds).sorted().toArray();
		final int n = s.length;
		final double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
		return 1000 * median / steps;
	}

	/**
	 * Floating-point operations of one training step (forward multiply-adds of
	 * every convolution and linear layer × 2 FLOPs × 3 for forward + backward),
	 * for {@code batch} sequences of {@code n_past + 1} weeks.
	 */
	public static double flopsPerStep(final TvaeConfig cfg, final int batch) {
		final int t = cfg.nPast + 1, s = cfg.imageSize, levels = cfg.levels();
		double enc = 0;
		for (int l = 1; l <= levels; l++) {
			final double cin = l == 1 ? 1 : cfg.channels(l - 1), side = s >> l;
			enc += cfg.channels(l) * cin * 16 * side * side;
		}
		enc += cfg.gDim * (double) cfg.channels(levels) * 16;
		double dec = cfg.gDim * (double) cfg.channels(levels) * 16;
		for (int l = levels; l >= 1; l--) {
			final double cin = cfg.channels(l) * (cfg.skip(l) ? 2 : 1), outC = l > 1 ? cfg.channels(l - 1) : 1, side =
				s >> l;
			dec += cfg.upsample == TvaeConfig.Upsample.SUBPIXEL ? 4 * outC * cin * 4 * (side + 1) * (side + 1)
				: 4 * outC * cin * 9 * side * side; // resize_conv: outC·cin·9·(2·side)², the same
		}
		final double h = cfg.rnnSize;
		final double lstm = (cfg.gDim + cfg.zDim) * h + cfg.predictorLayers * 8 * h * h + h * cfg.gDim + 2 * (cfg.gDim * h +
			8 * h * h + 2 * h * cfg.zDim);
		final double macs = batch * (t * enc + (t - 1) * (dec + lstm));
		return 2 * 3 * macs;
	}

	/**
	 * bfloat16 matrix-multiply throughput (FLOP/s) through DJL and the
	 * scripted kernels ({@link Bf16Kernels#linear}: fp32 in, casts to bf16,
	 * product, fp32 out, as the model's layers pay them), measured as
	 * {@link #matmulFlops}.
	 */
	public static double bf16MatmulFlops(final int n, final int reps, final Device device) {
		EngineSetup.engine();
		try (NativeHeap.Scope heap = NativeHeap.keepFreedMemory(); NDManager m = NDManager.newBaseManager(device);
			Torch.GradMode g = Torch.gradMode(false))
		{
			final NDArray a = m.randomUniform(0, 1, new Shape(n, n)), b = m.randomUniform(0, 1, new Shape(n, n)), z = m
				.zeros(new Shape(n));
			Bf16Kernels.linear(a, b, z).close();
			Bf16Kernels.linear(a, b, z).close();
			final double[] ts = new double[reps];
			for (int i = 0; i < reps; i++) {
				final long t0 = System.nanoTime();
				try (NDArray c = Bf16Kernels.linear(a, b, z)) {
					c.getFloat(0, 0);
				}
				ts[i] = (System.nanoTime() - t0) / 1e9;
			}
			java.util.Arrays.sort(ts);
			return 2.0 * n * n * n / ts[0];
		}
	}

	/**
	 * Engine matrix-multiply throughput (FLOP/s) for {@code n × n} float
	 * matrices: the best of {@code reps} products after two warm-ups, with the
	 * C heap set up as for training ({@link NativeHeap}) so that neither side
	 * of the comparison pays page faults for its output.
	 */
	public static double matmulFlops(final int n, final int reps, final Device device) {
		EngineSetup.engine();
		try (NativeHeap.Scope heap = NativeHeap.keepFreedMemory(); NDManager m = NDManager.newBaseManager(device)) {
			final NDArray a = m.randomUniform(0, 1, new Shape(n, n)), b = m.randomUniform(0, 1, new Shape(n, n));
			a.matMul(b).close();
			a.matMul(b).close();
			final double[] ts = new double[reps];
			for (int i = 0; i < reps; i++) {
				final long t0 = System.nanoTime();
				try (NDArray c = a.matMul(b)) {
					c.getFloat(0, 0); // waits for the result
				}
				ts[i] = (System.nanoTime() - t0) / 1e9;
			}
			java.util.Arrays.sort(ts);
			return 2.0 * n * n * n / ts[0];
		}
	}
}
