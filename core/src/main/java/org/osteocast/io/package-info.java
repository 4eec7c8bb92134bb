/**
 * Scans on disk, in four layers (each imports only the ones before it):
 * <ul>
 * <li>{@code io.util}: general file utilities: atomic writes
 * ({@code AtomicFiles}), CSV tables, the natural order of numbered names,
 * file-error wording;</li>
 * <li>{@code io} (this package): what a scan is in memory ({@link org.osteocast.io.Volume}),
 * without its pixels ({@link org.osteocast.io.VolumeHeader}), and the bad-input
 * exception of a scan file ({@link org.osteocast.io.VolumeIOException});</li>
 * <li>{@code io.formats}: the scan formats (TIFF stacks and slice folders,
 * NIfTI, SkyScan/NRecon), the lazy plane-wise reader, the ImageJ stack
 * adapter, and {@code VolumeIO}, the one entry point that picks the format;</li>
 * <li>{@code io.contracts}: the project's own files: the cohort manifest, the
 * slice data set and its hyperstacks, the transform file, identifiers
 * ({@code Ids}) and the output rule ({@code Output}).</li>
 * </ul>
 */
package org.osteocast.io;
