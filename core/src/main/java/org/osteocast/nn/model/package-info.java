/**
 * The model layer that {@code train} and {@code predict} share: the registry of
 * architectures and presets, the model archive, and the untrained references
 * (persistence, linear extrapolation).
 */
package org.osteocast.nn.model;
