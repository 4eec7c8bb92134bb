/**
 * Forecasting with a trained T-VAE ({@link org.osteocast.predict.Predictor}):
 * K samples from the learned prior per slice, point forecast, per-pixel bone
 * probability (Otsu threshold on the observed weeks) and standard deviation.
 */
package org.osteocast.predict;
