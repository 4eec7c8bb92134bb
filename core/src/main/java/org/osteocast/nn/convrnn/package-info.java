/**
 * The recurrent video-prediction baselines, ConvLSTM (Shi et al. 2015) and
 * PredRNN (Wang et al. 2017), their shared base and their cells.
 */
package org.osteocast.nn.convrnn;
