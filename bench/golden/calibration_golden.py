#!/usr/bin/python3
"""Golden values for org.osteocast.metrics.Calibration and UncertaintyRanking (CalibrationGoldenTest).

Run with Debian's scikit-learn:  apt-get install -y python3-sklearn
    /usr/bin/python3 bench/golden/calibration_golden.py

Inputs are deterministic and replicated in Java: the 32-bit LCG of ssim_golden.py
(s = (1664525 s + 1013904223) mod 2^32, value = (s >> 16) / 65536, seeded per array), so every
value is exactly a float32. Probabilities j/K are float32 divisions, as the predictor writes them.

Binning (OsteoCast's rule): B equal-width bins [b/B, (b+1)/B), last closed at 1, bin =
min(floor((p + 1e-6) * B), B - 1), so j/K lands on its edge whatever its float rounding.
scikit-learn's calibration_curve uses right-closed bins, so it is used as a cross-check only on
a case with no value on an edge; Brier is sklearn's brier_score_loss; AUC is sklearn's
roc_auc_score (ties count 1/2, as the Mann-Whitney statistic).
"""
import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score

EDGE_TOL = 1e-6


def lcg(seed, n):
    s = seed & 0xFFFFFFFF
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        s = (1664525 * s + 1013904223) & 0xFFFFFFFF
        out[i] = (s >> 16) / 65536.0
    return out


def reliability(p, y, bins=10):
    b = np.minimum(np.floor((p + EDGE_TOL) * bins).astype(int), bins - 1)
    count = np.bincount(b, minlength=bins)
    sp = np.bincount(b, weights=p, minlength=bins)
    sy = np.bincount(b, weights=y, minlength=bins)
    nz = count > 0
    meanp = np.full(bins, np.nan)
    freq = np.full(bins, np.nan)
    meanp[nz] = sp[nz] / count[nz]
    freq[nz] = sy[nz] / count[nz]
    ece = float(np.sum(count[nz] * np.abs(freq[nz] - meanp[nz])) / len(p))
    brier = float(np.mean((p - y) ** 2))
    assert abs(brier - brier_score_loss(y, p)) < 1e-12
    return count, meanp, freq, ece, brier


def calibration_cases():
    n = 2000
    # fractions j/10 (float32), truth bone with probability p^2: overconfident forecaster
    j = np.floor(lcg(11, n) * 11)
    p = (np.float32(1) * j.astype(np.float32) / np.float32(10)).astype(np.float64)
    y = (lcg(12, n) < p * p).astype(np.float64)
    yield "fractions_k10", p, y
    # continuous p (odd multiples of 2^-17: never on an edge), truth with probability p^2/2 + p/4
    p = lcg(21, n) + 2.0 ** -17
    y = (lcg(22, n) < 0.5 * p * p + 0.25 * p).astype(np.float64)
    count, meanp, freq, _, _ = reliability(p, y)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    assert np.allclose(prob_true, freq[count > 0], atol=1e-12) and np.allclose(prob_pred, meanp[count > 0], atol=1e-12)
    yield "continuous", p, y
    # a deterministic forecaster: p in {0, 1}
    p = (lcg(31, n) > 0.5).astype(np.float64)
    y = (lcg(32, n) > 0.4).astype(np.float64)
    yield "deterministic", p, y


def auc_cases():
    n = 3000
    s = np.floor(lcg(41, n) * 8) / 8  # eight distinct scores: many ties
    lab = lcg(42, n) < 0.2 + 0.6 * s
    yield "ties8", s, lab
    s = lcg(51, n)
    lab = lcg(52, n) < s
    yield "continuous", s, lab


if __name__ == "__main__":
    print("# scikit-learn", sklearn.__version__, "numpy", np.__version__)
    for name, p, y in calibration_cases():
        count, meanp, freq, ece, brier = reliability(p, y)
        print("calibration %-14s ece=%.17g brier=%.17g" % (name, ece, brier))
        print("    counts=%s" % ",".join(str(c) for c in count))
        print("    freq=%s" % ",".join("%.17g" % f for f in freq))
    for name, s, lab in auc_cases():
        print("auc %-14s auc=%.17g positives=%d mean_pos=%.17g mean_neg=%.17g" % (
            name, roc_auc_score(lab, s), lab.sum(), s[lab].mean(), s[~lab].mean()))
