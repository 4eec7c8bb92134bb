#!/usr/bin/env python3
"""bf16 against fp32 training, seed by seed, from a results folder of bench/bf16/quality.sh.

For each seed and each scored split (val: the validation mice; test: the test mice, which take no
part in any choice), the forecast's cohort means from `osteocast evaluate` (PSNR averaged per slice,
SSIM, MSE on changed pixels, ECE of P(bone)) in fp32 and in bf16, the difference bf16 - fp32 (for the
changed-pixel MSE relative to fp32) and whether it lies within the tolerance; then the training time
and the steps skipped for non-finite gradients (model.json).

usage: compare.py RESULTS_DIR > comparison.md
"""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'quality'))
from summarise import run_scores  # noqa: E402

# (key, label, digits, tolerance, relative)
METRICS = [('psnr_db', 'PSNR dB', 3, 0.1, False), ('ssim', 'SSIM', 4, 0.002, False),
           ('changed_mse', 'changed MSE', 5, 0.03, True), ('ece', 'ECE', 4, 0.002, False)]


def training(d):
    m = json.load(open(os.path.join(d, 'model.json')))
    t = m['training']
    return t.get('skipped_steps_non_finite', 'n/a'), t['settings'].get('precision', 'not recorded')


def main():
    root = sys.argv[1]
    seeds = sorted({int(re.search(r'-s(\d+)$', d).group(1)) for d in glob.glob(os.path.join(root, 'fp32-s*'))})
    failures = 0
    for sfx, what in (('', 'validation mice'), ('_test', 'test mice')):
        print(f'### {what}\n')
        print('| seed | metric | fp32 | bf16 | bf16 − fp32 | tolerance | within |')
        print('|---|---|---|---|---|---|---|')
        for seed in seeds:
            a, b = (os.path.join(root, f'{p}-s{seed}') for p in ('fp32', 'bf16'))
            if not (os.path.exists(os.path.join(a, f'eval{sfx}.csv')) and os.path.exists(os.path.join(b, f'eval{sfx}.csv'))):
                continue
            sa, sb = run_scores(a, sfx), run_scores(b, sfx)
            for key, label, dg, tol, rel in METRICS:
                d = sb[key] - sa[key]
                if rel:
                    d /= sa[key]
                ok = abs(d) <= tol
                if sfx == '':
                    failures += not ok
                diff = f'{100 * d:+.1f} %' if rel else f'{d:+.{dg}f}'
                tols = f'{100 * tol:.0f} %' if rel else f'{tol}'
                print(f'| {seed} | {label} | {sa[key]:.{dg}f} | {sb[key]:.{dg}f} | {diff} | {tols} | {"yes" if ok else "**no**"} |')
        print()
    print('| seed | precision | training s | epochs | skipped steps (non-finite) |')
    print('|---|---|---|---|---|')
    for seed in seeds:
        for p in ('fp32', 'bf16'):
            d = os.path.join(root, f'{p}-s{seed}')
            if not os.path.exists(os.path.join(d, 'model.json')):
                continue
            s = run_scores(d)
            skipped, recorded = training(d)
            print(f'| {seed} | {p} (model.json: {recorded}) | {s["seconds"]:.0f} | {s["epochs"]} | {skipped} |')
    print()
    print(f'Outside a tolerance on the validation mice: {failures} of {len(seeds) * len(METRICS)} comparisons.')


if __name__ == '__main__':
    main()
