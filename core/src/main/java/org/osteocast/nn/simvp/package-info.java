/**
 * SimVP (Gao et al. 2022) with the gSTA translator of SimVP-v2 as a
 * {@link org.osteocast.nn.ForecastNet}, deterministic ({@code simvp}) or with
 * a learned prior and posterior over a latent on the translator's grid and a
 * per-pixel variance ({@code simvp-vae}): {@link org.osteocast.nn.simvp.SimVp},
 * its settings {@link org.osteocast.nn.simvp.SimVpConfig}, and its blocks
 * ({@link org.osteocast.nn.simvp.ConvSc}, {@link org.osteocast.nn.simvp.GstaBlock},
 * {@link org.osteocast.nn.simvp.GroupNorm}). Channel counts are multiples of
 * 16, which the CPU convolution computes correctly (see the notes of
 * {@link org.osteocast.nn}).
 */
package org.osteocast.nn.simvp;
