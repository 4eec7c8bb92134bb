/**
 * The synthetic longitudinal micro-CT cohort: weekly scans of mouse proximal
 * tibiae with osteolytic lesions, and the ground truth real data lacks (true
 * week-k → week-1 transforms, lesion labels, noise-free aligned volumes,
 * growth plate and tumour foci).
 * <p>
 * {@link org.osteocast.phantom.PhantomParameters} holds every setting;
 * {@link org.osteocast.phantom.PhantomGenerator} writes a cohort folder;
 * {@link org.osteocast.phantom.PhantomMontage} draws it;
 * {@link org.osteocast.phantom.RigidResampler} applies a transform file's
 * voxel matrix. Internally, {@code MouseModel} draws a mouse (anatomy, foci,
 * schedule, poses) from seed-derived streams, {@code AnatomyRenderer} renders
 * one week of it on a grid in the anatomy frame with analytic partial volume,
 * and the generator samples that grid through each scan's pose. See
 * {@code docs/phantom.md} for the model and what each parameter stands for.
 */
package org.osteocast.phantom;
