#!/usr/bin/python3
"""Golden values for org.osteocast.metrics.Ssim / Psnr (SsimGoldenTest).

Run with Debian's scikit-image:  apt-get install -y python3-skimage
    /usr/bin/python3 bench/golden/ssim_golden.py > bench/golden/ssim_golden.txt

Inputs are deterministic and replicated in Java (no numpy RNG): a 32-bit LCG
(Numerical Recipes: s = (1664525 s + 1013904223) mod 2^32, value = (s >> 16) / 65536,
seeded per image), so every value has 16 fractional bits and is exactly a float32;
derived images use only dyadic arithmetic, so Java's float[] and the float64 arrays
here hold the very same numbers. SSIM/PSNR are computed on float64 arrays.
"""
import numpy as np
import skimage
from skimage.metrics import structural_similarity, peak_signal_noise_ratio


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


def blocks(seed, h, w, b):
    """Piecewise-constant b x b blocks (structure at a scale the window sees)."""
    cells = lcg(seed, ((h + b - 1) // b) * ((w + b - 1) // b)).reshape((h + b - 1) // b, (w + b - 1) // b)
    return np.repeat(np.repeat(cells, b, axis=0), b, axis=1)[:h, :w]


def ssim(x, y, r=1.0):
    return structural_similarity(x, y, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=r)


def cases():
    x = image(1, 64, 64)
    u = image(2, 64, 64)
    yield "noise_half", ssim(x, (x + u) / 2), peak_signal_noise_ratio(x, (x + u) / 2, data_range=1.0)
    yield "noise_half_range2", ssim(x, (x + u) / 2, 2.0), peak_signal_noise_ratio(x, (x + u) / 2, data_range=2.0)
    bx = blocks(3, 64, 64, 8)
    by = (3 * bx + image(4, 64, 64)) / 4
    by[20:36, 24:40] = 0.0  # a "lesion": a square of lost bone
    yield "blocks_lesion", ssim(bx, by), peak_signal_noise_ratio(bx, by, data_range=1.0)
    a = image(5, 23, 40)
    b = image(6, 23, 40)
    yield "independent_23x40", ssim(a, b), peak_signal_noise_ratio(a, b, data_range=1.0)
    yield "identical", ssim(x, x.copy()), float("inf")
    # a volume: mean of per-slice SSIM (3 slices of 32 x 32), PSNR over all voxels
    vx = np.stack([image(10 + z, 32, 32) for z in range(3)])
    vy = np.stack([(vx[z] + blocks(20 + z, 32, 32, 4)) / 2 for z in range(3)])
    yield ("volume_3x32x32", float(np.mean([ssim(vx[z], vy[z]) for z in range(3)])),
           peak_signal_noise_ratio(vx, vy, data_range=1.0))


if __name__ == "__main__":
    print("# scikit-image", skimage.__version__, "numpy", np.__version__)
    for name, s, p in cases():
        print("%-20s ssim=%.17g psnr=%.17g" % (name, s, p))
