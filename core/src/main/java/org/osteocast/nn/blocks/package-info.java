/**
 * Reusable DJL blocks: each takes a few settings of its own and sizes its
 * layers from the input shapes it is initialised with (as DJL's {@code Linear}),
 * so every model family can use it. Also the edge weights of the
 * reconstruction losses and the output mappings of the decoders.
 */
package org.osteocast.nn.blocks;
