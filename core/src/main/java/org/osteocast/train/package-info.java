/**
 * Training of the T-VAE: the loop ({@link org.osteocast.train.ForecastTrainer}),
 * optimiser with checkpointable state ({@link org.osteocast.train.Adam}),
 * augmentation, checkpoints, the per-epoch log and loss curve and the step
 * benchmark. The model archive it writes lives in the model layer that
 * {@code predict} shares ({@link org.osteocast.nn.model.ModelArchive}).
 * <p>
 * Determinism: all randomness after initialisation comes from Java
 * generators seeded from (seed, epoch); the engine's generator is used only
 * to initialise parameters ({@code Engine.setRandomSeed}). PyTorch CPU kernels
 * are deterministic for a fixed intra-op thread count; a different thread
 * count may change reduction order and hence the last bits.
 * <p>
 * Threads: OpenMP workers spin at barriers, so on an oversubscribed machine
 * one intra-op thread can be several times faster than two (measured 5× at
 * nf 16 with a load average of 9 on 2 cores); set {@code OSTEOCAST_THREADS}
 * accordingly.
 */
package org.osteocast.train;
