/**
 * Scan formats: ImageJ TIFF stacks and folders of slices
 * ({@link org.osteocast.io.formats.TiffIO}, {@link org.osteocast.io.formats.SliceStack}),
 * NIfTI-1 ({@link org.osteocast.io.formats.NiftiIO}), Bruker SkyScan/NRecon
 * reconstructions ({@link org.osteocast.io.formats.SkyScanReader},
 * {@link org.osteocast.io.formats.SkyScanWriter}, {@link org.osteocast.io.formats.NReconLog}),
 * the plane-wise lazy reader for scans larger than the heap
 * ({@link org.osteocast.io.formats.LazyVolume}), the ImageJ stack adapter
 * ({@link org.osteocast.io.formats.ImagePlusVolumes},
 * {@link org.osteocast.io.formats.VolumeVirtualStack}), and
 * {@link org.osteocast.io.formats.VolumeIO}, the one entry point that detects
 * the format of a path and reads, opens or writes it.
 */
package org.osteocast.io.formats;
