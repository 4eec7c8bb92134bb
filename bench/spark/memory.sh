#!/usr/bin/env bash
# Memory of one Spark registration task per scan size: a one-mouse cohort (two weeks, 16-bit TIFF
# stacks made by `osteocast bench scale`, which also times the single-machine `register` on the same
# pair with the same heap) registered by `osteocast spark register --master local[1]` (Spark embedded:
# the driver and the one executor share the process, so its peak resident set is an upper bound of
# what an executor needs for one task). Each run records the wall time and the kernel's peak resident
# set (`/usr/bin/time -v`), and the load average before it.
#
#   bench/spark/memory.sh WORK [RESULTS_DIR]
#     SIZES (default 195M,0.42G,1.1G), RUNS (default 3), XMX (default 4g), THREADS (default 2)
#
# WORK: scratch space outside the repository (about 13 bytes per voxel of the largest size).
# RESULTS_DIR (default bench/spark/results/<UTC date>-memory) receives environment.txt,
# scale/ (bench scale's raw output: the single-machine runs), spark.tsv (one line per Spark run) and
# summary.tsv (median, min and max per size and tool), and the console of the last Spark run per size.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: $0 WORK [RESULTS_DIR]}"
res="${2:-$here/bench/spark/results/$(date -u +%F)-memory}"
sizes="${SIZES:-195M,0.42G,1.1G}" runs="${RUNS:-3}" xmx="${XMX:-4g}" threads="${THREADS:-2}"
oc="$here/osteocast"
. "$here/bench/spark/time_v.sh"
mkdir -p "$work" "$res"
"$oc" spark --help >/dev/null # builds both modules before any timing
{
	echo "date: $(date -u +%FT%TZ)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
	echo "memory: $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
	echo "java: $(java -version 2>&1 | head -1)"
	echo "spark: spark-core_2.13 3.5.3 (embedded, local[1]: driver and executor in one process)"
	echo "commit: $(git -C "$here" rev-parse --short HEAD)"
	echo "sizes: $sizes; runs per size: $runs; heap (-Xmx, OSTEOCAST_XMX): $xmx; threads per task: $threads"
	echo "pairs: bench scale's 16-bit TIFF pairs (one mouse, weeks 1 and 2)"
} >"$res/environment.txt"

# the pairs, and the single-machine register on each (its own process, same heap and threads)
"$oc" bench scale --sizes "$sizes" --runs "$runs" --big-runs "$runs" --no-slice --elastix none --xmx "$xmx" \
	--threads "$threads" --keep --work "$work" --out "$res/scale"

printf 'size\trun\twall_s\tpeak_rss_mb\tstatus\tload_avg_1_5_15\n' >"$res/spark.tsv"
IFS=, read -r -a list <<<"$sizes"
for size in "${list[@]}"; do
	for r in $(seq 1 "$runs"); do
		out="$work/$size/spark-$r"
		rm -rf "$out" "$out-spark-work"
		load="$(uptime | sed 's/.*load average: //')"
		status=ok
		OSTEOCAST_XMX="$xmx" OSTEOCAST_THREADS="$threads" /usr/bin/time -v -o "$work/time.txt" \
			"$oc" spark register --cohort "$work/$size/cohort" --out "$out" --master 'local[1]' --threads "$threads" \
			>"$res/console_$size.txt" 2>&1 || status=failed
		read -r wall peak < <(time_v "$work/time.txt")
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$r" "$wall" "$peak" "$status" "$load" >>"$res/spark.tsv"
		rm -rf "$out" "$out-spark-work"
	done
done
sed -i "s#$work#WORK#g; s#$here#REPO#g; s#$(dirname "$(mktemp -u)")/#TMP/#g" "$res"/console_*.txt "$res"/scale/logs/*.txt

median() { sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	printf "%.1f\t%.1f\t%.1f", m, v[1], v[NR] }'; }
{
	printf 'size\ttool\truns\twall_median_s\twall_min_s\twall_max_s\tpeak_median_mb\tpeak_min_mb\tpeak_max_mb\n'
	for size in "${list[@]}"; do
		sel() { awk -F'\t' -v s="$size" -v c="$1" '$1 == s && $5 == "ok" { print $c }' "$res/spark.tsv"; }
		printf '%s\tspark local[1]\t%s\t%s\t%s\n' "$size" "$(sel 3 | wc -l)" "$(sel 3 | median)" "$(sel 4 | median)"
		# bench scale's rows: size,...,tool,step,run,wall_s,peak_rss_mb,...,status
		one() { awk -F, -v s="$size" -v c="$1" 'NR > 1 && $1 == s && $6 == "osteocast" && $16 == "ok" { print $c }' \
			"$res/scale/results.csv"; }
		printf '%s\tregister (one machine)\t%s\t%s\t%s\n' "$size" "$(one 9 | wc -l)" "$(one 9 | median)" "$(one 10 | median)"
	done
} >"$res/summary.tsv"
cat "$res/summary.tsv"
