/**
 * The project's own files, as ARCHITECTURE's file contracts define them: the
 * cohort manifest ({@link org.osteocast.io.contracts.Cohort}, written from
 * folder names by {@link org.osteocast.io.contracts.CohortPattern}), the
 * slice data set ({@link org.osteocast.io.contracts.SliceDataset}) and its
 * hyperstacks ({@link org.osteocast.io.contracts.Hyperstack}), the rigid
 * transform ({@link org.osteocast.io.contracts.TransformFile}), identifiers
 * that become file names ({@link org.osteocast.io.contracts.Ids}) and the
 * output rule of every verb ({@link org.osteocast.io.contracts.Output}).
 */
package org.osteocast.io.contracts;
