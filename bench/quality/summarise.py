#!/usr/bin/env python3
"""One table of every run under a results folder of run_variants.sh: per variant, the median and range
over seeds of the forecast's cohort-mean scores (eval.csv), the changed-pixel MSE over persistence's,
ECE of P(bone), the ROC AUC of the predictive SD (eval.csv's unc_auc) and of the latent samples' SD
alone (latent.txt), the changed-pixel MSE on emergence slices (eval.csv's CLASS rows), the training
time and whether the log warns that the latent is hardly used.

usage: summarise.py RESULTS_DIR [SUFFIX] > table.md   (SUFFIX _test: the scores of ALSO_SPLIT=test)
"""
import csv
import glob
import os
import re
import statistics
import sys


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return float('nan')


def run_scores(d, sfx=''):
    rows = list(csv.DictReader(open(os.path.join(d, f'eval{sfx}.csv'))))
    mean = {r['method']: r for r in rows if r['mouse'] == 'ALL(mean)'}
    f, p = mean['forecast'], mean['persistence']
    s = {
        'psnr_db': num(f['psnr_db']), 'ssim': num(f['ssim']), 'changed_mse': num(f['changed_mse']),
        'vs_persistence': num(f['changed_mse']) / num(p['changed_mse']), 'ece': num(f['ece']),
        'sd_auc': num(f['unc_auc']), 'persistence_psnr': num(p['psnr_db']),
    }
    for r in rows:
        m = re.match(r'CLASS\((\w+):(\d+)\)', r['mouse'])
        if m and r['method'] in ('forecast', 'persistence'):
            s[f"{m.group(1)}_{r['method']}"] = num(r['changed_mse'])
            s[f"{m.group(1)}_slices"] = int(m.group(2))
    lat = open(os.path.join(d, f'latent{sfx}.txt')).read()
    m = re.search(r'latent_sample_sd_auc (\S+)', lat)
    s['latent_auc'] = num(m.group(1)) if m else float('nan')
    log = open(os.path.join(d, 'train.log')).read()
    s['hardly_used'] = 'latent is hardly used' in log
    m = re.findall(r'epoch (\d+)/\d+ .* (\d+\.\d)s RSS', log)
    s['epochs'] = len(m)
    s['seconds'] = sum(float(x[1]) for x in m)
    return s


def fmt(vals, digits):
    v = [x for x in vals if x == x]
    if not v:
        return 'nan'
    med = statistics.median(v)
    if len(v) == 1:
        return f'{med:.{digits}f}'
    return f'{med:.{digits}f} ({min(v):.{digits}f}–{max(v):.{digits}f})'


def main():
    root = sys.argv[1]
    sfx = sys.argv[2] if len(sys.argv) > 2 else ''
    runs = {}
    for d in sorted(glob.glob(os.path.join(root, '*-s*'))):
        if not os.path.exists(os.path.join(d, f'latent{sfx}.txt')):
            continue
        name = re.sub(r'-s\d+$', '', os.path.basename(d))
        runs.setdefault(name, []).append(run_scores(d, sfx))
    cols = [('psnr_db', 'PSNR dB', 2), ('ssim', 'SSIM', 4), ('changed_mse', 'changed MSE', 5),
            ('vs_persistence', '× persistence', 3), ('ece', 'ECE', 4), ('sd_auc', 'AUC pred. SD', 3),
            ('latent_auc', 'AUC latent SD', 3), ('emergence_forecast', 'changed MSE, emergence', 5),
            ('seconds', 'train s', 0)]
    print('| variant | seeds | ' + ' | '.join(c[1] for c in cols) + ' | "hardly used" warning |')
    print('|---' * (len(cols) + 3) + '|')
    for name, rs in runs.items():
        cells = [fmt([r.get(k, float('nan')) for r in rs], dg) for k, _, dg in cols]
        warn = sum(r['hardly_used'] for r in rs)
        print(f'| {name} | {len(rs)} | ' + ' | '.join(cells) + f' | {warn}/{len(rs)} |')
    any_run = next(iter(runs.values()))[0] if runs else {}
    print()
    print('Persistence on these mice: PSNR {:.2f} dB, changed MSE (all slices) and on emergence slices: see eval.csv; '
          'slices per class: {}.'.format(any_run.get('persistence_psnr', float('nan')), ', '.join(
              f"{k} {any_run.get(k + '_slices', 0)}" for k in ('emergence', 'progression', 'stable', 'control'))))
    if any_run:
        print('Persistence changed MSE on emergence slices: {:.5f}.'.format(any_run.get('emergence_persistence', float('nan'))))


if __name__ == '__main__':
    main()
