#!/usr/bin/env bash
# Two registration tasks side by side in one executor: a two-mouse cohort (bench scale's 16-bit TIFF
# pair of SIZE, the same two scans under m1 and m2) registered by
# `osteocast spark register --master local[2] --threads 1` in one heap of XMX. Each task sizes its
# working copies, samples and resampling window from half the heap (its share; the status table
# says it). Records per run the wall time, the process's peak resident set (`/usr/bin/time -v`),
# the load average before it, and whether both mice gave the same transform.
#
#   bench/spark/memory_shared.sh WORK [RESULTS_DIR]
#     SIZE (default 0.42G), RUNS (default 3), XMX (default 4g)
#
# RESULTS_DIR (default bench/spark/results/<UTC date>-memory-shared) receives environment.txt,
# shared.tsv and the console (status table) of the last run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: $0 WORK [RESULTS_DIR]}"
res="${2:-$here/bench/spark/results/$(date -u +%F)-memory-shared}"
size="${SIZE:-0.42G}" runs="${RUNS:-3}" xmx="${XMX:-4g}"
oc="$here/osteocast"
. "$here/bench/spark/time_v.sh"
mkdir -p "$work" "$res"
"$oc" spark --help >/dev/null # builds both modules before any timing
{
	echo "date: $(date -u +%FT%TZ)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
	echo "java: $(java -version 2>&1 | head -1)"
	echo "spark: spark-core_2.13 3.5.3 (embedded, local[2]: two tasks in one process)"
	echo "commit: $(git -C "$here" rev-parse --short HEAD)"
	echo "size: $size (two mice, the same pair); runs: $runs; heap: $xmx; threads per task: 1"
} >"$res/environment.txt"
# the pair (bench scale writes it; its own register run is not part of this measurement)
"$oc" bench scale --sizes "$size" --runs 1 --big-runs 1 --no-slice --elastix none --xmx "$xmx" --threads 1 --keep \
	--work "$work/pair" --out "$work/pair-results" >/dev/null
mkdir -p "$work/two"
for m in m1 m2; do
	mkdir -p "$work/two/$m"
	ln -f "$work/pair/$size/cohort/m1/"week*.tif "$work/two/$m/"
done
printf 'run\twall_s\tpeak_rss_mb\tstatus\tsame_transform\tload_avg_1_5_15\n' >"$res/shared.tsv"
for r in $(seq 1 "$runs"); do
	out="$work/out-$r"
	rm -rf "$out" "$out-spark-work"
	load="$(uptime | sed 's/.*load average: //')"
	status=ok
	OSTEOCAST_XMX="$xmx" /usr/bin/time -v -o "$work/time.txt" "$oc" spark register --cohort "$work/two" --out "$out" \
		--master 'local[2]' --threads 1 >"$res/console.txt" 2>&1 || status=failed
	read -r wall peak < <(time_v "$work/time.txt")
	same=no
	if [ "$status" = ok ] && cmp -s "$out/m1/week2.transform.json" <(sed 's/m2/m1/g' "$out/m2/week2.transform.json"); then same=yes; fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$wall" "$peak" "$status" "$same" "$load" >>"$res/shared.tsv"
	rm -rf "$out" "$out-spark-work"
done
sed -i "s#$work#WORK#g; s#$here#REPO#g; s#$(dirname "$(mktemp -u)")/#TMP/#g" "$res/console.txt"
cat "$res/shared.tsv"
