/**
 * Every forecaster behind one interface ({@link org.osteocast.nn.ForecastNet},
 * registry {@link org.osteocast.nn.model.ForecastNets}): the 2-D T-VAE (Xiong et al.
 * 2022, after SVG-LP) and its loss, the 3-D T-VAE (DCGAN- and U-Net-style),
 * ConvLSTM, PredRNN, the 3-D GAN and the untrained references; engine set-up.
 * <p>
 * Engine notes that shaped the design (DJL 0.36, libtorch 2.7.1 CPU):
 * <ul>
 * <li>{@code Conv2dTranspose} throws "Not implemented": the decoder up-samples
 * with a padded 2×2 convolution + depth-to-space, an exact transposed
 * convolution ({@link org.osteocast.nn.blocks.PixelShuffle}).</li>
 * <li>DJL has whole-sequence LSTMs only; {@link org.osteocast.nn.blocks.LstmCell}
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
 * <li>The CPU 2-D convolution (kernels 3 and 5) returns wrong outputs when the
 * input has more than 16 channels and the count is not a multiple of 16 (e.g.
 * 17–29, 33–47), and wrong input gradients for 8 output channels; 1×1
 * convolutions and weight gradients are right. The recurrent baselines pad
 * channels to safe counts ({@link org.osteocast.nn.blocks.ConvRnnConv}); the T-VAE's
 * channel counts (multiples of 16 for nf ≥ 16) avoid it. Stride-1
 * {@code Conv3d} backward returns non-finite input gradients unless the
 * output channels are 1 or a multiple of 16: the 3-D blocks round their
 * filter counts up and drop the extra outputs.</li>
 * <li>{@code NDScope} closes arrays that batch norm and parameter loading hand
 * back to the model's manager: steps use sub-managers instead.</li>
 * <li>{@code Block.loadParameters} accepts parameters of any shape and returns
 * arrays without gradients: the archive checks shapes, the trainer re-attaches
 * gradients on resume.</li>
 * </ul>
 */
package org.osteocast.nn;
