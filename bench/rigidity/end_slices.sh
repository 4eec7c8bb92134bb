#!/usr/bin/env bash
# Is the weakest EI_min slice at the ends of the VOI a real effect or a bias of the cut?
# For the first mice of a phantom cohort, the rigidity (relative mode) of every slice of week 1's and of the
# last week's noise-free volume (truth/<mouse>/week<k>_ideal.tif), from 6 slices above the growth plate's
# centre to 30 slices beyond the end of the truth's VOI (truth/rigidity.csv), so that the slices on both
# sides of each VOI end can be compared:
#
#   bench/rigidity/end_slices.sh COHORT_DIR [RESULTS_DIR] [MICE]
#
# COHORT_DIR: a cohort written by osteocast phantom (e.g. WORK/cohort of risk_auroc.sh); MICE (default 8).
# RESULTS_DIR (default bench/rigidity/results/<UTC date>) receives
#   end_slices_environment.txt  date, CPU, load, Java, commit, command
#   end_slices.csv              mouse,group,week,plate_slice,voi_first,voi_last,slice,ei_min (slices 1-based,
#                               as in truth/rigidity.csv; plate_slice = the growth plate's centre + 1)
# Deterministic: the same cohort gives the same numbers.
set -euo pipefail

main() {
	[ $# -ge 1 ] || { echo "usage: $0 COHORT_DIR [RESULTS_DIR] [MICE]" >&2; exit 2; }
	local here cohort res mice tmp
	here=$(cd "$(dirname "$0")/../.." && pwd)
	cohort=$(cd "$1" && pwd)
	res=${2:-$here/bench/rigidity/results/$(date -u +%Y-%m-%d)}
	mice=${3:-8}
	mkdir -p "$res"
	[ -f "$cohort/truth/rigidity.csv" ] || { echo "$cohort/truth/rigidity.csv: not a phantom cohort" >&2; exit 2; }
	{
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)"
		echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "java: $(java -version 2>&1 | head -1)"
		echo "osteocast commit: $(git -C "$here" rev-parse --short HEAD)"
		echo "command: bench/rigidity/end_slices.sh COHORT $mice   (COHORT: $(grep -o '"mice" *: *[0-9]*\|"weeks" *: *[0-9]*\|"seed" *: *[0-9]*' "$cohort/phantom.json" | tr -d '"' | paste -sd, -))"
	} > "$res/end_slices_environment.txt"
	tmp=$(mktemp -d)
	trap "rm -rf '$tmp'" EXIT
	local last_week
	last_week=$(awk -F, 'NR>1 && $3>w{w=$3} END{print w}' "$cohort/truth/rigidity.csv")
	echo "mouse,group,week,plate_slice,voi_first,voi_last,slice,ei_min" > "$res/end_slices.csv"
	awk -F, 'NR>1 && $3==1{print $1, $2, $4}' "$cohort/truth/rigidity.csv" | head -n "$mice" |
	while read -r m g voi; do
		local plate first last a b depth
		plate=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['growth_plate']['slice'] + 1)" "$cohort/truth/$m/anatomy.json")
		first=${voi%-*}; last=${voi#*-}
		depth=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['scan_size_xyz'][2])" "$cohort/truth/$m/anatomy.json")
		a=$(( plate > 6 ? plate - 6 : 1 )); b=$(( last + 30 < depth ? last + 30 : depth ))
		for w in 1 "$last_week"; do
			"$here/osteocast" rigidity --scan "$cohort/truth/$m/week${w}_ideal.tif" --slices "$a-$b" --out "$tmp/$m-$w" \
				> "$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
			awk -F, -v m="$m" -v g="$g" -v w="$w" -v p="$plate" -v f="$first" -v l="$last" \
				'NR==1{for(i=1;i<=NF;i++)c[$i]=i; next} {print m","g","w","p","f","l","$c["slice"]","$c["ei_min"]}' \
				"$tmp/$m-$w/rigidity_slices.csv" >> "$res/end_slices.csv"
		done
	done
	echo "== $res/end_slices.csv"
}

main "$@"
exit
