#!/usr/bin/env python3
"""The risk table of docs/rigidity.md from several runs of risk_auroc.sh: per method, the median and
range over runs of the risk AUROC, the share of test mice whose risk class agrees, and the mean
|relative error| of the minimum EI_min on the tumour mice; and per run how many test mice truly drop.

usage: risk_median.py RESULTS_DIR... > table.md   (each RESULTS_DIR holds one run's risk_* files)
"""
import csv
import os
import re
import statistics
import sys


def cell(values, digits=3):
    v = [x for x in values if x == x]  # drop NaN
    if not v:
        return 'nan'
    m = statistics.median(v)
    return f'{m:.{digits}f}' if len(v) == 1 else f'{m:.{digits}f} ({min(v):.{digits}f}–{max(v):.{digits}f})'


def run(d):
    line = [l for l in open(os.path.join(d, 'risk_evaluate_console.txt')) if re.match(r'rigidity: \d+ of \d+', l)][-1]
    drop, total = map(int, re.match(r'rigidity: (\d+) of (\d+)', line).groups())
    err = dict(re.findall(r'(\w+) ([0-9.]+|nan)', line.split('tumour mice:')[1]))
    out = {'truly': drop, 'mice': total, 'methods': {}}
    for r in csv.DictReader(open(os.path.join(d, 'risk_evaluation_rigidity.csv'))):
        if r['mouse'] == 'ALL(mean)':
            out['methods'][r['method']] = {'auroc': float(r['risk_auroc']), 'agrees': float(r['risk_agrees']),
                                           'err': float(err.get(r['method'], 'nan'))}
    return out


def main():
    runs = [run(d) for d in sys.argv[1:]]
    print(f'{len(runs)} runs; test mice that truly drop: ' + ', '.join(f"{r['truly']} of {r['mice']}" for r in runs))
    print()
    print('| method | risk AUROC | risk class agrees (share of test mice) | mean \\|rel. error\\| of min EI_min, tumour mice |')
    print('|---|---|---|---|')
    for m in runs[0]['methods']:
        rs = [r['methods'][m] for r in runs if m in r['methods']]
        print(f"| {m} | {cell([x['auroc'] for x in rs])} | {cell([x['agrees'] for x in rs])} | "
              f"{cell([x['err'] for x in rs])} |")


if __name__ == '__main__':
    main()
