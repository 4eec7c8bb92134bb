/**
 * DJL blocks of the 2-D T-VAE (Xiong et al. 2022, after SVG-LP) and its loss;
 * engine set-up.
 * <p>
 * Engine notes that shaped the design (DJL 0.36, libtorch 2.7.1 CPU):
 * <ul>
 * <li>{@code Conv2dTranspose} throws "Not implemented": the decoder up-samples
 * with a padded 2×2 convolution + depth-to-space, an exact transposed
 * convolution ({@link org.osteocast.nn.PixelShuffle}).</li>
 * <li>DJL has whole-sequence LSTMs only; {@link org.osteocast.nn.LstmCell}
 * steps one time point. On this machine the no-grad (oneDNN inference) path
 * of {@code torch::lstm} ignores some input features; the cells (plain
 * linear algebra) are unaffected, and the test compares them with DJL's LSTM
 * in grad mode.</li>
 * <li>The backward pass of DJL's {@code NDArray.pad} produced sporadic NaN
 * gradients; padding is done inside the convolution instead.</li>
 * <li>The CPU convolution backward returns non-finite input gradients in
 * about 2 % of calls for 4 or 8 output channels (the decoder's last layer):
 * that layer computes 16 filters and drops the extra ones; the optimiser also
 * skips any step with a non-finite gradient.</li>
 * <li>{@code NDScope} closes arrays that batch norm and parameter loading hand
 * back to the model's manager: steps use sub-managers instead.</li>
 * <li>{@code Block.loadParameters} accepts parameters of any shape and returns
 * arrays without gradients: the archive checks shapes, the trainer re-attaches
 * gradients on resume.</li>
 * </ul>
 */
package org.osteocast.nn;
