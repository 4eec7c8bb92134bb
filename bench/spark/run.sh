#!/usr/bin/env bash
# Wall time of register -> slice -> predict on the demo's quick cohort (12 mice, 4 weeks, as
# `osteocast demo --quick` makes it): the single-machine command line, and `osteocast spark all`
# with 1, 2 and 4 local executor threads (--master local[N]). The load average (`uptime`) is recorded
# with each timing: the machine may be shared.
#
#   bench/spark/run.sh WORK_DIR [REPEATS] [RESULTS_DIR]
#
# WORK_DIR: scratch space outside the repository (replaced). REPEATS (default 3): runs per setting.
# RESULTS_DIR (default bench/spark/results/<UTC date>) receives environment.txt, timings.tsv (one line
# per run: setting, repeat, wall seconds, load average before the run) and summary.tsv (median, min,
# max per setting), and the console output of the last run of each setting.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: $0 WORK_DIR [REPEATS] [RESULTS_DIR]}"
reps="${2:-3}"
mice="${SPARK_BENCH_MICE:-12}" # fewer only for smoke runs (bench/reproduce.sh --quick)
res="${3:-$here/bench/spark/results/$(date -u +%F)}"
oc="$here/osteocast"
rm -rf "$work"; mkdir -p "$work" "$res"

# the cohort and a small model (not timed)
"$oc" phantom --out "$work/cohort" --mice "$mice" --weeks 4 --seed 1 --missing-week-prob 0.1 >/dev/null
"$oc" register --cohort "$work/cohort" --out "$work/prep/registered" >/dev/null
"$oc" slice --cohort "$work/prep/registered" --out "$work/prep/slices" --seed 1 >/dev/null
"$oc" train --data "$work/prep/slices" --model "$work/model.zip" --nf 8 --epochs 2 --seed 1 >/dev/null
"$oc" spark --help >/dev/null # builds the spark module before any timing

{
	echo "date: $(date -u +%FT%TZ)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "cores: $(nproc)"
	echo "java: $(java -version 2>&1 | head -1)"
	echo "maven: $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
	echo "spark: spark-core_2.13 3.5.3 (embedded, local mode)"
	echo "commit: $(git -C "$here" rev-parse --short HEAD)"
	echo "cohort: phantom --mice $mice --weeks 4 --seed 1 --missing-week-prob 0.1 (the demo's quick cohort)"
	echo "single: register, slice --seed 1, predict --samples 8 (threads: all cores)"
	echo "spark: spark all --master local[N] --slice-seed 1 --samples 8 (one thread per task)"
	echo "repeats: $reps"
} >"$res/environment.txt"

printf 'setting\trepeat\twall_s\tload_avg_1_5_15\n' >"$res/timings.tsv"
summary() { # timings.tsv -> setting, runs, median, min, max
	printf 'setting\truns\tmedian_s\tmin_s\tmax_s\n'
	for s in $(tail -n +2 "$1" | cut -f1 | sort -u); do
		tail -n +2 "$1" | awk -F'\t' -v s="$s" '$1 == s { print $3 }' | sort -g | awk -v s="$s" '{ v[NR] = $1 } END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%s\t%d\t%.1f\t%.1f\t%.1f\n", s, NR, m, v[1], v[NR] }'
	done
}
timed() { # setting repeat command...
	local setting="$1" rep="$2"; shift 2
	local load start end
	load="$(uptime | sed 's/.*load average: //')"
	start=$(date +%s.%N)
	"$@" >"$res/console_$setting.txt" 2>&1
	end=$(date +%s.%N)
	printf '%s\t%s\t%.1f\t%s\n' "$setting" "$rep" "$(echo "$end - $start" | bc)" "$load" >>"$res/timings.tsv"
}
single() {
	local d="$1"
	"$oc" register --cohort "$work/cohort" --out "$d/registered" &&
		"$oc" slice --cohort "$d/registered" --out "$d/slices" --seed 1 &&
		"$oc" predict --model "$work/model.zip" --data "$d/slices" --out "$d/predictions" --samples 8
}
for rep in $(seq 1 "$reps"); do
	timed single "$rep" single "$work/single-$rep"
	for n in 1 2 4; do
		timed "spark_local$n" "$rep" "$oc" spark all --cohort "$work/cohort" --model "$work/model.zip" \
			--out "$work/spark$n-$rep" --master "local[$n]" --slice-seed 1 --samples 8
	done
done
sed -i "s#$work#WORK#g; s#$here#REPO#g; s#$(dirname "$(mktemp -u)")/#TMP/#g" "$res"/console_*.txt
summary "$res/timings.tsv" >"$res/summary.tsv"
cat "$res/summary.tsv"
