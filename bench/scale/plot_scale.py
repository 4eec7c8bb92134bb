#!/usr/bin/env python3
"""Plot of `osteocast bench scale` results: wall time and peak memory against pair size.

Usage: python3 bench/scale/plot_scale.py bench/scale/results/<date>/results.csv docs/scale.svg [summary.md]

Reads the raw results.csv written by `osteocast bench scale` and draws two log-log
panels (wall time in seconds, peak resident memory in GB) with one line per tool
and step; each point is the median of the runs of that size, with a bar from the
fastest to the slowest run. Plain SVG, no plotting library needed.
"""
import csv
import math
import statistics
import sys
from collections import defaultdict


def fmt(r):
    """The pair format as a label suffix: none for TIFF (and for results written before the column existed)."""
    f = r.get("format") or "tiff"
    return "" if f == "tiff" else f" ({f})"


def load(path):
    rows = defaultdict(lambda: defaultdict(list))
    for r in csv.DictReader(open(path)):
        if r["status"] != "ok":
            continue
        key = r["tool"] + " " + r["step"] + fmt(r)
        rows[key][int(r["voxels"])].append((float(r["wall_s"]), float(r["peak_rss_mb"]) / 1024))
    return rows


def panel(x0, y0, w, h, series, index, ylabel, xs_all):
    out = []
    ys = [v[index] for s in series.values() for runs in s.values() for v in runs]
    lo_y, hi_y = min(ys) / 1.5, max(ys) * 1.5
    lo_x, hi_x = min(xs_all) / 1.5, max(xs_all) * 1.5

    def px(x):
        return x0 + w * (math.log10(x) - math.log10(lo_x)) / (math.log10(hi_x) - math.log10(lo_x))

    def py(y):
        return y0 + h - h * (math.log10(y) - math.log10(lo_y)) / (math.log10(hi_y) - math.log10(lo_y))

    out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#444"/>')
    for e in range(math.floor(math.log10(lo_y)), math.ceil(math.log10(hi_y)) + 1):
        for m in (1, 2, 5):
            v = m * 10 ** e
            if lo_y <= v <= hi_y:
                out.append(f'<line x1="{x0}" x2="{x0 + w}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#ddd"/>')
                out.append(f'<text x="{x0 - 6}" y="{py(v) + 4:.1f}" text-anchor="end" font-size="11">{v:g}</text>')
    for v in sorted(set(xs_all)):
        out.append(f'<line x1="{px(v):.1f}" x2="{px(v):.1f}" y1="{y0}" y2="{y0 + h}" stroke="#eee"/>')
        out.append(f'<text x="{px(v):.1f}" y="{y0 + h + 16}" text-anchor="middle" font-size="11">{v / 1e6:.0f} M</text>')
    out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" text-anchor="middle" font-size="12">voxels per scan (pair of two)</text>')
    out.append(f'<text x="{x0 - 44}" y="{y0 + h / 2}" text-anchor="middle" font-size="12" '
               f'transform="rotate(-90 {x0 - 44} {y0 + h / 2})">{ylabel}</text>')
    colours = {"osteocast register": "#1f77b4", "osteocast slice": "#2ca02c", "elastix register": "#d62728"}
    for k, (name, s) in enumerate(sorted(series.items())):
        c = colours.get(name, colours["elastix register"] if name.startswith("elastix") else "#555")
        pts = []
        for x in sorted(s):
            vals = [v[index] for v in s[x]]
            med = statistics.median(vals)
            pts.append((px(x), py(med)))
            out.append(f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{py(min(vals)):.1f}" y2="{py(max(vals)):.1f}" '
                       f'stroke="{c}" stroke-width="2"/>')
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(med):.1f}" r="3.5" fill="{c}"/>')
        out.append('<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"/>'
                   % (c, " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)))
        out.append(f'<text x="{x0 + 10}" y="{y0 + 18 + 16 * k}" font-size="12" fill="{c}">{name}</text>')
    return out


def summary(path):
    """Markdown table: per size, tool and step, the median and range of the runs (and how many)."""
    groups = defaultdict(list)
    order = []
    skipped = []
    for r in csv.DictReader(open(path)):
        key = (int(r["voxels"]), r["size"], r["tool"] + fmt(r), r["step"])
        if r["status"] != "ok":
            skipped.append(f"{r['size']} {r['tool']} {r['step']} run {r['run']}: {r['status']}")
            continue
        if key not in groups:
            order.append(key)
        groups[key].append(r)
    lines = ["| size | tool | step | runs | wall time (s), median [range] | peak memory (GB), median [range] "
             "| error (voxel), median | load (1 min) during the runs |",
             "|---|---|---|---|---|---|---|---|"]
    for key in sorted(order):
        rs = groups[key]
        wall = [float(r["wall_s"]) for r in rs]
        mem = [float(r["peak_rss_mb"]) / 1024 for r in rs]
        err = [float(r["error_vox"]) for r in rs if r["error_vox"] != "NaN"]
        load = [float(r["load1_before"]) for r in rs] + [float(r["load1_after"]) for r in rs]
        e = f"{statistics.median(err):.4f}" if err else "-"
        lines.append(f"| {key[1]} | {key[2]} | {key[3]} | {len(rs)} | {statistics.median(wall):.1f} "
                     f"[{min(wall):.1f}-{max(wall):.1f}] | {statistics.median(mem):.2f} [{min(mem):.2f}-{max(mem):.2f}] "
                     f"| {e} | {min(load):.1f}-{max(load):.1f} |")
    for s in skipped:
        lines.append("")
        lines.append(f"Not run: {s}.")
    return "\n".join(lines) + "\n"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        open(sys.argv[3], "w").write(summary(src))
    series = load(src)
    xs = [x for s in series.values() for x in s]
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" width="900" height="380" font-family="sans-serif">',
           '<rect width="900" height="380" fill="white"/>']
    svg += panel(80, 20, 340, 300, series, 0, "wall time (s)", xs)
    svg += panel(530, 20, 340, 300, series, 1, "peak resident memory (GB)", xs)
    svg.append("</svg>")
    open(dst, "w").write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
