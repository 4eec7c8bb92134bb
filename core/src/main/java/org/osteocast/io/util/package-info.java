/**
 * General file utilities with no knowledge of scans: atomic writes
 * ({@link org.osteocast.io.util.AtomicFiles}), CSV tables
 * ({@link org.osteocast.io.util.Csv}), the natural order of numbered names
 * ({@link org.osteocast.io.util.NaturalOrder}) and the wording of file-system
 * errors ({@link org.osteocast.io.util.IoErrors}).
 */
package org.osteocast.io.util;
