/**
 * The 3-D conditional GAN baseline: U-Net generator, PatchGAN discriminator.
 */
package org.osteocast.nn.gan;
