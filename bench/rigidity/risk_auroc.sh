#!/usr/bin/env bash
# Fracture-risk AUROC on a phantom cohort where test mice cross the 35 % rigidity drop.
#
# The demo cohort (4 weeks) left no test mouse with a true drop above 35 %, so the risk AUROC was
# undefined there. This cohort differs from the demo only in its phantom settings (the phantom's
# defaults are unchanged): 32 mice, 5 weeks (forecast week 5 from weeks 1-4: lesions have grown
# longer), no missed scans, no "hard" tumour mice whose lesions appear only in the last week, and 40 %
# of the mice in the test split (about 13 test mice). The default model (T-VAE, --nf 8) is trained
# for a small budget (--minutes 6, at most 60 epochs) on the CPU, then predict and evaluate as usual.
#
#   bench/rigidity/risk_auroc.sh WORK_DIR [RESULTS_DIR]
#   bench/rigidity/risk_auroc.sh --reuse WORK_DIR [RESULTS_DIR]   # score a finished run, do not rerun it
#
# A finished phantom cohort of the same settings in WORK_DIR/cohort, and a registration newer than it, are
# reused (risk_environment.txt says so). --crop-mm 2.4: the field of view, since the default crop of some
# mice is wider than the phantom's 2.4 mm images.
# WORK_DIR: where the cohort, data set, model and forecasts go (outside the repository; replaced).
# RESULTS_DIR (default bench/rigidity/results/<UTC date>) receives
#   risk_environment.txt       date, CPU, cores, load, Java, Maven, commit, command, wall time per step
#   risk_console.txt           the console output of every step (paths shortened to WORK/ and REPO/)
#   risk_truth_rigidity.csv    the phantom's own truth (truth/rigidity.csv: full-resolution VOI, every week)
#   risk_evaluate_console.txt  osteocast evaluate of the test mice; its last rigidity line holds how many
#                              mice truly drop, the risk AUROC per method and the tumour-mouse mean
#                              |relative error| of min EI_min per method
#   risk_evaluation_rigidity.csv  evaluate's rigidity columns per test mouse and method, and the mean rows
# One run, not a median: training runs for a wall-clock budget, so the numbers move with the machine's load.
set -euo pipefail

main() {
	local reuse=0
	if [ "${1:-}" = "--reuse" ]; then reuse=1; shift; fi
	[ $# -ge 1 ] || { echo "usage: $0 [--reuse] WORK_DIR [RESULTS_DIR]" >&2; exit 2; }
	local here work res tmp start
	here=$(cd "$(dirname "$0")/../.." && pwd)
	mkdir -p "$1"
	work=$(cd "$1" && pwd)
	res=${2:-$here/bench/rigidity/results/$(date -u +%Y-%m-%d)}
	mkdir -p "$res"
	short() { sed -e "s#$work#WORK#g" -e "s#$here#REPO#g"; }
	local env=$res/risk_environment.txt con=$res/risk_console.txt
	{
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)"
		echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "java: $(java -version 2>&1 | head -1)"
		echo "maven: $(mvn -v -B 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
		echo "osteocast commit: $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- core cli pom.xml || echo ' (with uncommitted changes)')"
		echo "command: bench/rigidity/risk_auroc.sh $([ $reuse = 1 ] && echo '--reuse ')WORK"
	} > "$env"
	if [ $reuse = 0 ] && [ -f "$work/registered/cohort.csv" ] && [ "$work/registered/cohort.csv" -nt "$work/cohort/truth/rigidity.csv" ]; then
		local keep_registered=1
	else
		local keep_registered=0
	fi
	step() { # title, then the osteocast arguments
		local title=$1; shift
		start=$(date +%s)
		echo "== $title: osteocast $*" | short >> "$con"
		"$here/osteocast" "$@" 2>&1 | short >> "$con"
		echo "$title: $(( $(date +%s) - start )) s wall, load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$env"
	}
	if [ $reuse = 0 ]; then
		: > "$con"
		if [ -f "$work/cohort/truth/rigidity.csv" ] && grep -q '"mice" *: *32' "$work/cohort/phantom.json" &&
			grep -q '"weeks" *: *5' "$work/cohort/phantom.json" && grep -q '"seed" *: *7' "$work/cohort/phantom.json"; then
			echo "phantom: reused the finished cohort in WORK/cohort (made $(date -u -r "$work/cohort/truth/rigidity.csv" +%Y-%m-%dT%H:%M:%SZ), same settings)" >> "$env"
		else
			step phantom phantom --out "$work/cohort" --mice 32 --weeks 5 --seed 7 --missing-week-prob 0 \
				--hard-fraction 0 --overwrite
		fi
		if [ $keep_registered = 1 ]; then
			echo "register: reused the finished registration in WORK/registered (made $(date -u -r "$work/registered/cohort.csv" +%Y-%m-%dT%H:%M:%SZ), after the cohort)" >> "$env"
		else
			step register register --cohort "$work/cohort" --out "$work/registered" --overwrite
		fi
		step slice slice --cohort "$work/registered" --out "$work/slices" --weeks 5 --crop-mm 2.4 --split 0.6 --seed 7 --overwrite
		step train train --data "$work/slices" --model "$work/model.zip" --nf 8 --n-past 4 --epochs 60 --minutes 6 \
			--seed 7 --device cpu --overwrite
		step predict predict --model "$work/model.zip" --data "$work/slices" --out "$work/predictions" \
			--samples 8 --seed 7 --device cpu --overwrite
	else
		[ -d "$work/predictions" ] || { echo "$work holds no finished run (predictions/)" >&2; exit 2; }
	fi
	cp "$work/cohort/truth/rigidity.csv" "$res/risk_truth_rigidity.csv"
	tmp=$(mktemp -d)
	trap "rm -rf '$tmp'" EXIT
	"$here/osteocast" evaluate --pred "$work/predictions" --data "$work/slices" --out "$tmp/evaluation.csv" 2>&1 |
		short | sed "s#$tmp#TMP#g" > "$res/risk_evaluate_console.txt"
	awk -F, 'NR==1{for(i=1;i<=NF;i++)c[$i]=i; n=split("mouse,method,ea_min_rel_err,ei_min_rel_err,gj_min_rel_err,rigidity_drop_forecast,rigidity_drop_truth,risk_probability,risk_agrees,risk_auroc",k,",")}
		{s=$c[k[1]]; for(j=2;j<=n;j++) s=s","$c[k[j]]; print s}' "$tmp/evaluation.csv" > "$res/risk_evaluation_rigidity.csv"
	echo "== $res"
	grep -E '^rigidity' "$res/risk_evaluate_console.txt"
}

# the whole script is read before it runs, so editing it meanwhile cannot change a running instance
main "$@"
exit
