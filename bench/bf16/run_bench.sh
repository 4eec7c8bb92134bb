#!/bin/bash
# Measures bfloat16 mixed precision against fp32 on this machine and writes the raw outputs to
# bench/bf16/results/<date>/ (run from the repository root):
#   bench/bf16/run_bench.sh [train|predict|all] [extra bench train options, e.g. --nf 16,32 --threads 1]
# Each file starts with the date, CPU, load average and versions; timings are medians of >= 3 runs.
set -euo pipefail
what="${1:-all}"
shift || true
[ $# -gt 0 ] || set -- --nf 64 --threads 2
out="bench/bf16/results/$(date -u +%Y-%m-%d)"
mkdir -p "$out"
header() {
	echo "# date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; bf16 flags: $(grep -o -w 'avx512_bf16\|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
	echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# java: $(java -version 2>&1 | head -1); peer torch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo none)"
	echo "# command: $*"
}
run() {
	local file="$1"
	shift
	{
		header "$@"
		"$@"
		echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
	} 2>&1 | tee -a "$out/$file"
}
if [ "$what" = train ] || [ "$what" = all ]; then
	run bench_train.txt ./osteocast bench train --precision fp32,bf16 --peer-heap kept --steps 3 --repeats 3 "$@"
fi
if [ "$what" = predict ] || [ "$what" = all ]; then
	run bench_predict.txt ./osteocast bench predict --precision fp32,bf16 --threads 2 --repeats 5
fi
