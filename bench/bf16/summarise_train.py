#!/usr/bin/python3
"""Medians and ranges over the invocations of `osteocast bench train --precision fp32,bf16` in a raw output file.

Each invocation in the file (a block starting with "# date:") gives OsteoCast's ms per step in fp32 and bf16 and
the PyTorch peer's in fp32, under autocast and (where present) with OsteoCast's per-layer casts; this prints, over the invocations chosen, the median and range of
each time and of the ratios the README quotes (bf16 gain, OsteoCast over the peer), and the timing mode the
invocations used (fresh JVM per configuration or one shared JVM).

    bench/bf16/summarise_train.py bench/bf16/results/DATE/bench_train.txt [--last N] [--mode fresh|shared]
                                  [--nf 64] [--threads T]
"""
import argparse
import re
import statistics
import sys

OWN = re.compile(r"^DJL nf (\d+) (\S+) (fp32|bf16): (\d+) ms/step")
PEER = re.compile(r"^PyTorch peer nf (\d+) (\S+) (fp32|autocast bf16), heap kept: (\d+) ms/step")
PER_LAYER = re.compile(r"^PyTorch peer nf (\d+) (\S+) bf16 cast per layer as OsteoCast's kernels, heap kept: (\d+) ms/step")


THREADS = re.compile(r"intra-op threads (\d+)")


def invocations(text, nf=64, threads=None):
    """One dict per invocation that measured width nf (subpixel) at the given intra-op threads (any if None): mode,
    own fp32/bf16 and peer fp32/bf16/per-layer ms per step."""
    out = []
    want = str(nf)
    for block in text.split("# date:")[1:]:
        inv = {"date": block.split("\n", 1)[0].strip(), "mode": "shared"}
        if "in a fresh JVM per configuration" in block:
            inv["mode"] = "fresh"
        t = THREADS.search(block)
        if threads is not None and (t is None or int(t.group(1)) != threads):
            continue
        for line in block.splitlines():
            m = OWN.match(line)
            if m and m.group(1) == want:
                inv["own " + m.group(3)] = float(m.group(4))
            m = PEER.match(line)
            if m and m.group(1) == want:
                inv["peer " + ("bf16" if "bf16" in m.group(3) else "fp32")] = float(m.group(4))
            m = PER_LAYER.match(line)
            if m and m.group(1) == want:
                inv["peer per-layer"] = float(m.group(3))
        if all(k in inv for k in ("own fp32", "own bf16")):
            out.append(inv)
    return out


def stat(values, fmt):
    return "%s (%s-%s)" % (fmt % statistics.median(values), fmt % min(values), fmt % max(values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--last", type=int, default=0, help="only the last N invocations")
    ap.add_argument("--mode", choices=["fresh", "shared"], help="only invocations that timed OsteoCast this way")
    ap.add_argument("--nf", type=int, default=64, help="the width (default 64)")
    ap.add_argument("--threads", type=int, help="only invocations at this many intra-op threads")
    a = ap.parse_args()
    inv = invocations(open(a.file, encoding="utf-8").read(), a.nf, a.threads)
    if a.mode:
        inv = [i for i in inv if i["mode"] == a.mode]
    if a.last:
        inv = inv[-a.last:]
    if not inv:
        sys.exit("%s: no invocation at nf %d with both precisions" % (a.file, a.nf))
    print("nf %d%s: %d invocations (%s), OsteoCast timed: %s" % (
        a.nf, "" if a.threads is None else ", %d threads" % a.threads, len(inv), ", ".join(i["date"] for i in inv),
        ", ".join(sorted({i["mode"] for i in inv}))))
    rows = [("OsteoCast fp32 ms", [i["own fp32"] for i in inv], "%.0f"),
            ("OsteoCast bf16 ms", [i["own bf16"] for i in inv], "%.0f"),
            ("OsteoCast bf16 gain", [i["own fp32"] / i["own bf16"] for i in inv], "%.2f")]
    if all("peer fp32" in i and "peer bf16" in i for i in inv):
        rows += [("peer fp32 ms", [i["peer fp32"] for i in inv], "%.0f"),
                 ("peer autocast bf16 ms", [i["peer bf16"] for i in inv], "%.0f"),
                 ("peer bf16 gain", [i["peer fp32"] / i["peer bf16"] for i in inv], "%.2f"),
                 ("OsteoCast/peer fp32 throughput", [i["peer fp32"] / i["own fp32"] for i in inv], "%.2f"),
                 ("OsteoCast/peer bf16 throughput", [i["peer bf16"] / i["own bf16"] for i in inv], "%.2f")]
    if all("peer per-layer" in i and "peer bf16" in i for i in inv):
        rows += [("peer bf16 per-layer casts ms", [i["peer per-layer"] for i in inv], "%.0f"),
                 ("autocast/per-layer throughput", [i["peer per-layer"] / i["peer bf16"] for i in inv], "%.2f"),
                 ("OsteoCast/per-layer peer bf16", [i["peer per-layer"] / i["own bf16"] for i in inv], "%.2f")]
    for name, values, fmt in rows:
        print("%-32s %s" % (name, stat(values, fmt)))


if __name__ == "__main__":
    main()
