#!/usr/bin/env python3
"""Ranks changed pixels by the spread of a forecast's latent samples alone.

For each mouse of the split: the changed pixels of the target week (|truth - last observed| above
3 x 1.4826 x the median absolute deviation of the non-zero week-to-week differences, as OsteoCast's
LesionMetrics.defaultChangeThreshold), and each pixel's standard deviation over the samples in
<mouse>_samples.tif (no per-pixel variance: only what the latent makes differ). Prints the pooled
ROC AUC (Mann-Whitney, ties counted half) of that SD for changed pixels, and, when the uncertainty
file exists, the same for <mouse>_uncertainty.tif (the predictive SD).

usage: latent_auroc.py PRED_DIR DATA_DIR [SPLIT]
"""
import csv
import os
import sys

import numpy as np
import tifffile


def stack(path):
    """An ImageJ hyperstack as (frames, slices, y, x)."""
    with tifffile.TiffFile(path) as t:
        s = t.series[0]
        a = s.asarray().astype(np.float64)
        axes = s.axes
    if axes == 'YX':
        return a[None, None]
    if axes in ('ZYX', 'IYX', 'QYX'):
        meta = t.imagej_metadata or {}
        if meta.get('frames', 1) > 1 and meta.get('slices', 1) == 1:
            return a[:, None]
        return a[None]
    if axes == 'TZYX':
        return a
    if axes == 'TYX':
        return a[:, None]
    raise ValueError(f'{path}: axes {axes}')


def threshold(last, target):
    d = (target - last).ravel()
    d = d[d != 0]
    if d.size == 0:
        return 0.0
    med = np.median(d)
    return 3 * 1.4826 * np.median(np.abs(d - med))


def auc(scores, labels):
    order = np.argsort(scores, kind='mergesort')
    s = scores[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = labels.sum()
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        return float('nan')
    return (ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg)


def main():
    pred, data = sys.argv[1], sys.argv[2]
    split = sys.argv[3] if len(sys.argv) > 3 else 'test'
    sd_all, unc_all, lab_all = [], [], []
    with open(os.path.join(data, 'cohort.csv')) as f:
        rows = [r for r in csv.DictReader(f) if split == 'all' or r.get('split') == split]
    for r in rows:
        h = stack(os.path.join(data, r['image']))
        n = h.shape[0] - 1
        last, truth = h[n - 1], h[n]
        changed = np.abs(truth - last) > threshold(last, truth)
        samples = stack(os.path.join(pred, r['mouse'] + '_samples.tif'))
        sd_all.append(samples.std(axis=0).ravel())
        lab_all.append(changed.ravel())
        u = os.path.join(pred, r['mouse'] + '_uncertainty.tif')
        if os.path.exists(u):
            unc_all.append(stack(u)[1].ravel())  # frames: P(bone), SD
    lab = np.concatenate(lab_all)
    print(f'mice {len(rows)} pixels {lab.size} changed {int(lab.sum())}')
    print(f'latent_sample_sd_auc {auc(np.concatenate(sd_all), lab):.4f}')
    if len(unc_all) == len(rows):
        print(f'predictive_sd_auc {auc(np.concatenate(unc_all), lab):.4f}')


if __name__ == '__main__':
    main()
