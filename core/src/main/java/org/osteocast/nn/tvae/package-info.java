/**
 * The temporal VAE (Xiong et al. 2022, after SVG-LP) on slices (2-D) and on
 * whole volumes (3-D): configurations, the shared base, encoders and decoders,
 * latent dynamics and the loss.
 */
package org.osteocast.nn.tvae;
