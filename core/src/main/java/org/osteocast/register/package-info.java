/**
 * Rigid 3-D registration of longitudinal micro-CT scans.
 * <ul>
 * <li>{@link org.osteocast.register.RigidRegistration#register} — one pair:
 * pyramid, principal-axes start, robust masked SSD, Gauss-Newton; returns a
 * {@link org.osteocast.register.RegistrationResult} with the transform and a
 * reliability verdict.</li>
 * <li>{@link org.osteocast.register.Resampler#resample} — a scan onto another
 * scan's grid (trilinear, same pixel type).</li>
 * <li>{@link org.osteocast.register.CohortRegistration#run} — a whole cohort:
 * week k → week 1 (→ reference), registered volumes, transform files, QC
 * pictures, the summary CSV and the registered manifest.</li>
 * <li>{@link org.osteocast.register.QualityControl} — magenta/green overlay.</li>
 * <li>{@link org.osteocast.register.bench.SyntheticBone},
 * {@link org.osteocast.register.RegistrationAccuracy} and
 * {@link org.osteocast.register.bench.RegistrationBenchmark} (in the {@code bench} subpackage, with the other fixtures of the benchmarks) — test pairs with known
 * motion, the displacement error, and the comparison with elastix.</li>
 * </ul>
 */
package org.osteocast.register;
