import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.pytorch.jni.JniUtils;

import java.util.SplittableRandom;

import org.osteocast.nn.ForecastNet;
import org.osteocast.nn.engine.EngineSetup;
import org.osteocast.nn.tvae.Tvae;
import org.osteocast.nn.tvae.TvaeConfig;
import org.osteocast.train.Adam;
import org.osteocast.train.ForecastTrainer;

/**
 * Developer tool: times the phases of one T-VAE training step (forward, backward, Adam) and writes a libtorch
 * profiler trace (chrome JSON) of one step. Run from the repository root after a build:
 * java -cp "target/classes:target/lib/*" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 bench/train/ProfileStep.java NF STEPS [trace.json]
 */
public class ProfileStep {
	public static void main(String[] a) throws Exception {
		final int nf = Integer.parseInt(a[0]), steps = Integer.parseInt(a[1]), b = 48, s = 64, t = 4;
		EngineSetup.engine();
		System.out.println("keep freed memory: " + org.osteocast.train.NativeHeap.keepFreedMemory().inForce()); // kept for the whole run
		Engine.getInstance().setRandomSeed(1);
		final TvaeConfig cfg = TvaeConfig.builder().optNf(nf).build();
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			final Tvae net = new Tvae(cfg);
			net.initialize(m);
			final Adam adam = new Adam(net.getParameters(), m, 2e-3, 0.9, 0.999);
			final ParameterStore ps = new ParameterStore(m, false);
			final SplittableRandom r = new SplittableRandom(1);
			final float[] data = new float[b * t * s * s];
			for (int i = 0; i < data.length; i++) data[i] = (float) r.nextDouble();
			double tf = 0, tb = 0, ta = 0;
			long flt0 = 0;
			for (int k = 0; k <= steps; k++) {
				final boolean prof = a.length > 2 && k == steps;
				if (k == 1) flt0 = minorFaults();
				if (prof) JniUtils.startProfile(false, true, false);
				try (NDManager sub = m.newSubManager()) {
					final NDArray seq = sub.create(data, new Shape(b, t, 1, s, s));
					final NDArray e = sub.create(org.osteocast.core.Gaussians.sample(r, b * net.trainNoise()), new Shape(b, net.trainNoise()));
					final long t0 = System.nanoTime();
					long t1, t2;
					try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
						final ForecastNet.Loss l = net.loss(0, ps, seq, e, 1);
						l.total.getFloat();
						t1 = System.nanoTime();
						gc.backward(l.total);
					}
					t2 = System.nanoTime();
					adam.step();
					final long t3 = System.nanoTime();
					if (k > 0 && !prof) { tf += (t1 - t0) / 1e6; tb += (t2 - t1) / 1e6; ta += (t3 - t2) / 1e6; }
				}
				if (prof) JniUtils.stopProfile(a[2]);
			}
			final int n = Math.max(1, a.length > 2 ? steps - 1 : steps);
			System.out.printf("nf %d: forward %.0f ms, backward %.0f ms, adam %.0f ms, total %.0f ms/step, %.0f MB first-touched/step%n", nf, tf / n, tb / n, ta / n, (tf + tb + ta) / n, (minorFaults() - flt0) * 4096.0 / 1e6 / (steps));
		}
	}

	/** Minor page faults of this process so far (/proc/self/stat field 10). */
	static long minorFaults() throws java.io.IOException {
		final String st = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
		return Long.parseLong(st.substring(st.lastIndexOf(')') + 2).split(" ")[7]);
	}
}
