#!/usr/bin/env bash
# Fracture risk on the demo cohort: does the forecast beat persistence in the relative error of the
# minimum bending rigidity (EI_min over the VOI) at week 4 on the tumour test mice?
# Runs the demo once (./osteocast demo: phantom, register, slice, train for a wall-clock budget,
# predict, evaluate, report), then scores its forecasts with evaluate and rigidity, keeping raw output:
#
#   bench/rigidity/demo_risk.sh DEMO_DIR [RESULTS_DIR]
#   bench/rigidity/demo_risk.sh --reuse DEMO_DIR [RESULTS_DIR]   # score a finished demo, do not run it
#
# DEMO_DIR: where the demo writes (outside the repository; an earlier demo there is replaced).
# RESULTS_DIR (default bench/rigidity/results/<UTC date>) receives
#   environment.txt          date, CPU, cores, load, Java, Maven, commit, command, wall time, and whether
#                            evaluate's CSV here equals the demo's own
#   demo_console.txt         the demo's console output (paths shortened to DEMO/ and REPO/)
#   evaluate_console.txt     osteocast evaluate on the demo's test mice (deterministic: the same numbers
#                            as the demo's own evaluate step); its last rigidity line holds the risk
#                            AUROC per method and the mean |relative error| of min EI_min on the
#                            tumour mice per method
#   evaluation_rigidity.csv  evaluate's rigidity columns per test mouse and method, and the mean rows
#   rigidity_summary.csv     osteocast rigidity of the test mice: min EA/EI_min/GJ of every true week, the
#                            forecast of week 4, its samples' 5-95 % range and P(drop > 35 %) (the numbers
#                            behind the report's "Fracture risk" section)
# One run, not a median: training runs for a wall-clock budget, so the numbers move with the machine's load.
set -euo pipefail

main() {
	local reuse=0
	if [ "${1:-}" = "--reuse" ]; then reuse=1; shift; fi
	[ $# -ge 1 ] || { echo "usage: $0 [--reuse] DEMO_DIR [RESULTS_DIR]" >&2; exit 2; }
	local here demo res tmp start
	here=$(cd "$(dirname "$0")/../.." && pwd)
	mkdir -p "$1"
	demo=$(cd "$1" && pwd)
	res=${2:-$here/bench/rigidity/results/$(date -u +%Y-%m-%d)}
	mkdir -p "$res"
	short() { sed -e "s#$demo#DEMO#g" -e "s#$here#REPO#g"; }
	{
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)"
		echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "java: $(java -version 2>&1 | head -1)"
		echo "maven: $(mvn -v -B 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
		echo "osteocast commit: $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- src pom.xml || echo ' (with uncommitted changes)')"
	} > "$res/environment.txt"
	if [ $reuse = 0 ]; then
		echo "command: bench/rigidity/demo_risk.sh DEMO   (runs ./osteocast demo --out DEMO --overwrite)" >> "$res/environment.txt"
		start=$(date +%s)
		"$here/osteocast" demo --out "$demo" --overwrite 2>&1 | short > "$res/demo_console.txt"
		echo "demo wall seconds: $(( $(date +%s) - start ))" >> "$res/environment.txt"
	else
		[ -f "$demo/index.html" ] || { echo "$demo holds no finished demo (index.html)" >&2; exit 2; }
		echo "command: bench/rigidity/demo_risk.sh --reuse DEMO   (scores the finished demo in DEMO, made $(date -u -r "$demo/index.html" +%Y-%m-%dT%H:%M:%SZ))" >> "$res/environment.txt"
	fi
	tmp=$(mktemp -d)
	trap "rm -rf '$tmp'" EXIT
	"$here/osteocast" evaluate --pred "$demo/predictions" --data "$demo/slices" --out "$tmp/evaluation.csv" 2>&1 |
		short | sed "s#$tmp#TMP#g" > "$res/evaluate_console.txt"
	if cmp -s "$tmp/evaluation.csv" "$demo/evaluation.csv"; then
		echo "evaluation.csv: identical to the demo's own (DEMO/evaluation.csv)" >> "$res/environment.txt"
	else
		echo "evaluation.csv: DIFFERS from the demo's own (DEMO/evaluation.csv)" >> "$res/environment.txt"
	fi
	awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i; n=split("mouse,method,ea_min_rel_err,ei_min_rel_err,gj_min_rel_err,rigidity_drop_forecast,rigidity_drop_truth,risk_probability,risk_agrees,risk_auroc",k,",")}
		{s=$c[k[1]]; for(j=2;j<=n;j++) s=s","$c[k[j]]; print s}' "$tmp/evaluation.csv" > "$res/evaluation_rigidity.csv"
	# rigidity of every mouse and week, kept for the test mice (those the report's Fracture risk section scores)
	"$here/osteocast" rigidity --data "$demo/slices" --pred "$demo/predictions" --out "$tmp/rig" > "$tmp/rig.log" 2>&1 || {
		short < "$tmp/rig.log" >&2; exit 1; }
	awk -F, 'NR==FNR{if(FNR==1){for(i=1;i<=NF;i++)c[$i]=i} else if($c["split"]=="test") t[$c["mouse"]]=1; next}
		FNR==1||($1 in t)' "$demo/slices/cohort.csv" "$tmp/rig/rigidity_summary.csv" > "$res/rigidity_summary.csv"
	echo "== $res"
	grep -E '^rigidity' "$res/evaluate_console.txt"
}

# the whole script is read before it runs, so editing it meanwhile cannot change a running instance
main "$@"
exit
