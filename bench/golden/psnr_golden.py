#!/usr/bin/python3
"""Golden values for org.osteocast.metrics.Psnr, both ways (PsnrGoldenTest):

  psnr_db         the mean over slices of each slice's PSNR (as video-prediction papers report it)
  psnr_volume_db  the PSNR of the squared error pooled over every voxel (scikit-image on the 3-D array)

Run with Debian's scikit-image, from the repository root:
    /usr/bin/python3 bench/golden/psnr_golden.py > bench/golden/psnr_golden.txt

Inputs are deterministic and replicated in Java (no numpy RNG), as in ssim_golden.py: a 32-bit LCG
(s = (1664525 s + 1013904223) mod 2^32, value = (s >> 16) / 65536, seeded per slice), so every value has
16 fractional bits; derived slices add dyadic fractions only, so Java's float[] and the float64 arrays
here hold the very same numbers.
"""
import numpy as np
import skimage
from skimage.metrics import peak_signal_noise_ratio


def lcg(seed, n):
    s = seed & 0xFFFFFFFF
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        s = (1664525 * s + 1013904223) & 0xFFFFFFFF
        out[i] = (s >> 16) / 65536.0
    return out


def image(seed, h, w):
    """Row-major h x w (x fastest), as the Java planes."""
    return lcg(seed, h * w).reshape(h, w)


def volume_pair(seed, slices, h, w):
    """Truth: LCG slices; test: the truth plus centred noise halved from slice to slice, so the slices'
    errors differ by orders of magnitude and the two PSNRs differ."""
    t = np.stack([image(seed + z, h, w) for z in range(slices)])
    p = np.stack([t[z] + (image(seed + 100 + z, h, w) - 0.5) / 2 ** (z + 1) for z in range(slices)])
    return t, p


def both(t, p, r):
    per_slice = float(np.mean([peak_signal_noise_ratio(t[z], p[z], data_range=r) for z in range(t.shape[0])]))
    return per_slice, float(peak_signal_noise_ratio(t, p, data_range=r))


def cases():
    t, p = volume_pair(30, 4, 32, 32)
    yield ("graded_4x32x32", 30, 4, 32, 32, 1.0) + both(t, p, 1.0)
    yield ("graded_4x32x32_range2", 30, 4, 32, 32, 2.0) + both(t, p, 2.0)
    t, p = volume_pair(50, 3, 23, 40)
    p[1, 5:15, 10:30] = 0.0  # a "lesion" in the middle slice
    yield ("lesion_3x23x40", 50, 3, 23, 40, 1.0) + both(t, p, 1.0)
    t, p = volume_pair(70, 1, 16, 16)
    yield ("one_slice_16x16", 70, 1, 16, 16, 1.0) + both(t, p, 1.0)


if __name__ == "__main__":
    print("# /usr/bin/python3 bench/golden/psnr_golden.py > bench/golden/psnr_golden.txt")
    print("# scikit-image", skimage.__version__, "numpy", np.__version__)
    print("# name seed slices height width data_range psnr_db psnr_volume_db")
    for name, seed, n, h, w, r, a, b in cases():
        print("%s %d %d %d %d %.1f %.17g %.17g" % (name, seed, n, h, w, r, a, b))
