#!/usr/bin/env bash
# Reruns every figure that README.md and docs/ quote, each step with the command its area documents.
#
#   bench/reproduce.sh [--quick] [--only STEP[,STEP...]] [--list] WORK_DIR
#
# WORK_DIR: scratch space outside the repository (cohorts, scans, models; tens of GB in full mode).
# Full mode writes each step's raw output under bench/<area>/results/<UTC date>/ with the machine
# (CPU model, cores, load average), OsteoCast's commit and the versions of Java, libtorch, elastix and
# torch where used; timings are medians of 3 runs (each step passes its script's --runs / REPEATS).
# --quick: CI-sized smoke runs of every step (tiny sizes, 1 run, 1 epoch), written to WORK_DIR only
# (never into bench/*/results): it checks that every step's command line still works.
# A step whose peer is not installed (elastix; /usr/bin/python3 with torch or scikit-image) says
# "skipped: <why>" instead of failing the run. The summary at the end counts the steps run, skipped and
# failed; the exit status is 1 when any step failed.
#
# The steps, one per line, as `step NAME AREA` (--list prints them); ReproduceScriptTest reads the
# `osteocast` command lines of this script and of the scripts it runs, and checks every subcommand and
# option against the command line's own model.
#   step golden      golden       SSIM and PSNR against scikit-image (the committed golden files)
#   step reg-accuracy register    phantom (12 mice) -> register -> bench registration-accuracy
#   step reg-elastix register     OsteoCast vs elastix: configuration search, then 3 sizes x 3 runs
#   step scale       scale        bench scale: register and slice, 10 M to 1.1 G voxels (docs/scale.md)
#   step train       train        bench train: the training step against the PyTorch peer, 1 and 2 threads
#   step train-bf16  bf16         bf16 against fp32, training and prediction (bench/bf16/run_bench.sh)
#   step spark       spark        bench/spark/run.sh: single machine against Spark local[1|2|4]
#   step spark-memory spark       memory per Spark task, 195 M to 1.1 G voxels, and two tasks in one heap
#   step bf16-quality bf16        forecasts of bf16 against fp32 training, 2 seeds (bench/bf16/quality.sh)
#   step demo        rigidity     the demo's run time and scores, fracture risk (bench/rigidity/demo_risk.sh)
#   step risk        rigidity     risk AUROC on a 5-week cohort, 3 runs, and the weakest slice at the VOI ends (risk_auroc.sh, end_slices.sh)
#   step loss        loss         the lambda/sigma search of the edge-aware loss (bench/loss/lambda_sigma.sh)
#   step benchmark   benchmark    the paper's Tables 1-2, 3 seeds (osteocast benchmark)
#   step quality     quality      SimVP and its stochastic variants (bench/quality/run_variants.sh)
#
# Full mode on a 2-core machine (estimates from earlier runs at load 6-13): golden 1 min, reg-accuracy
# 3 min, reg-elastix 60 min, scale 35 min, train 20 min, train-bf16 35 min, spark 10 min, spark-memory 25 min,
# bf16-quality 20 min, demo 15 min, risk 40 min (3 runs), loss 15 min, benchmark 126 min (14 trained models x 3
# seeds x 3 minutes; idle machine), quality 60 min: about 7.1 hours in all,
# so run it in parts (--only) where 3 hours is the limit.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
oc="$here/osteocast"
quick=0 only="" list=0
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--only) only="$2"; shift ;;
	--list) list=1 ;;
	-h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "reproduce.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
steps=$(sed -n 's/^#   step \([a-z0-9-]*\) .*/\1/p' "$0")
if [ "$list" = 1 ]; then echo "$steps"; exit 0; fi
[ $# -eq 1 ] || { echo "usage: bench/reproduce.sh [--quick] [--only STEP[,STEP...]] [--list] WORK_DIR" >&2; exit 2; }
mkdir -p "$1" || exit 2
work="$(cd "$1" && pwd)"
case "$work/" in "$here"/*) echo "reproduce.sh: WORK_DIR must be outside the repository" >&2; exit 2 ;; esac
date="$(date -u +%F)"

# where a step's raw output goes: bench/<area>/results/<date>/ (full), WORK_DIR/results/<area> (quick)
results() {
	if [ "$quick" = 1 ]; then echo "$work/results/$1"; else echo "$here/bench/$1/results/$date"; fi
}

has_torch() { /usr/bin/python3 -c 'import torch' 2>/dev/null; }
has_skimage() { /usr/bin/python3 -c 'import skimage' 2>/dev/null; }
has_elastix() { command -v elastix >/dev/null 2>&1; }

# machine, commit and versions, appended to DIR/environment.txt
environment() {
	local d="$1"
	mkdir -p "$d"
	{
		echo "date: $(date -u +%FT%TZ)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
		echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
		echo "osteocast: commit $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- . 2>/dev/null || echo ' (with uncommitted changes)')"
		echo "java: $(java -version 2>&1 | head -1)"
		echo "libtorch: $(ls "$here"/cli/target/runtime/lib/ 2>/dev/null | sed -n 's/^pytorch-native-cpu-\([0-9.]*\)-.*/\1/p' | head -1) (DJL's pytorch-native-cpu)"
		if has_elastix; then echo "elastix: $(elastix --version 2>&1 | head -1)"; else echo "elastix: not installed"; fi
		if has_torch; then echo "torch: $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (/usr/bin/python3)"; else echo "torch: not installed"; fi
		if has_skimage; then echo "scikit-image: $(/usr/bin/python3 -c 'import skimage; print(skimage.__version__)')"; fi
		echo "mode: $([ "$quick" = 1 ] && echo quick || echo full)"
	} >>"$d/environment.txt"
}

# paths of this machine out of a results folder: the work folder becomes WORK, the checkout REPO
scrub() {
	[ "$quick" = 1 ] && return 0
	grep -rlI -e "$work" -e "$here" "$1" 2>/dev/null | while read -r f; do
		sed -i -e "s#$work#WORK#g" -e "s#$here#REPO#g" "$f"
	done
	# elastix's banner names the kernel's build ("#1 SMP ..."), which reads as an issue number
	grep -rlIE ', #[0-9]+ SMP' "$1" 2>/dev/null | while read -r f; do sed -i -E 's/, #[0-9]+ SMP/, SMP/' "$f"; done
	return 0 # (with pipefail, a grep that finds nothing must not fail the step)
}

# the demo's cohort (30 mice, seed 1; --fibula separate as Tables 1-2 were made), registered and sliced
cohort() {
	local d="$work/cohort" mice=30
	[ "$quick" = 1 ] && mice=6
	[ -f "$d/slices/cohort.csv" ] && return 0
	"$oc" phantom --out "$d/cohort" --mice "$mice" --weeks 4 --seed 1 --missing-week-prob 0.1 --fibula separate \
		--overwrite >/dev/null &&
		"$oc" register --cohort "$d/cohort" --out "$d/registered" --overwrite >/dev/null &&
		"$oc" slice --cohort "$d/registered" --out "$d/slices" --seed 1 --overwrite >/dev/null
}

skip() { echo "skipped: $*"; return 3; }

step_golden() {
	has_skimage || skip "/usr/bin/python3 has no scikit-image (apt-get install -y python3-skimage)" || return
	local r; r="$(results golden)"
	environment "$r"
	/usr/bin/python3 "$here/bench/golden/ssim_golden.py" >"$r/ssim_golden.txt" &&
		/usr/bin/python3 "$here/bench/golden/psnr_golden.py" >"$r/psnr_golden.txt" || return 1
	# the committed files start with the command that made them (a # line)
	diff <(grep -v "^#" "$here/bench/golden/ssim_golden.txt") <(grep -v "^#" "$r/ssim_golden.txt") &&
		diff <(grep -v "^#" "$here/bench/golden/psnr_golden.txt") <(grep -v "^#" "$r/psnr_golden.txt") &&
		echo "golden values reproduced exactly (bench/golden/*_golden.txt)"
}

step_reg_accuracy() {
	local r d="$work/reg-accuracy" mice=12
	[ "$quick" = 1 ] && mice=3
	r="$(results register)/accuracy"
	environment "$r"
	echo "command: phantom --mice $mice --weeks 4 --seed 1 --missing-week-prob 0.1; register; bench registration-accuracy" >>"$r/environment.txt"
	"$oc" phantom --out "$d/cohort" --mice "$mice" --weeks 4 --seed 1 --missing-week-prob 0.1 --overwrite >/dev/null &&
		"$oc" register --cohort "$d/cohort" --out "$d/registered" --overwrite >"$r/register_console.txt" 2>&1 &&
		"$oc" bench registration-accuracy --registered "$d/registered" --truth "$d/cohort" --out "$r/accuracy.csv" \
			--overwrite 2>&1 | tee "$r/accuracy_console.txt"
	local rc=$?
	scrub "$r"
	return $rc
}

step_reg_elastix() {
	has_elastix || skip "elastix is not installed (apt-get install -y elastix)" || return
	local r e="$here/bench/register/elastix" sizes="10M,58M,195M" search="10M" runs=3 best
	local configs="$e/sparse20k.txt,$e/dense-coarse.txt,$e/sparse50k-1000.txt,$e/sparse20k-linear.txt,$here/bench/scale/elastix_rigid_scale.txt"
	if [ "$quick" = 1 ]; then sizes="64x64x48" search="64x64x48" runs=1 configs="$e/sparse20k-linear.txt"; fi
	r="$(results register)"
	# 1. every configuration once on the smallest pair (the error is what is compared; it does not depend on load)
	"$oc" bench scale --sizes "$search" --runs 1 --elastix-runs 1 --drift 0.03 --no-slice --keep --threads 2 \
		--xmx 4g --elastix-params "$configs" --work "$work/reg-elastix" --out "$r/config-search" || return 1
	environment "$r/config-search"
	best=$(awk -F, 'NR>1 && $6 ~ /^elastix:/ && $16 == "ok" && $11 != "NaN" && (b == "" || $11 + 0 < e) {e = $11 + 0; b = $6}
		END {sub(/^elastix:/, "", b); print b}' "$r/config-search/results.csv")
	[ -n "$best" ] || { echo "no elastix configuration finished"; return 1; }
	echo "elastix configuration with the lowest error: $best" | tee "$r/config-search/best.txt"
	# 2. the best configuration against OsteoCast: 3 sizes, 3 runs each, both as whole processes on the same files
	"$oc" bench scale --sizes "$sizes" --runs "$runs" --elastix-runs "$runs" --drift 0.03 --no-slice --keep \
		--threads 2 --xmx 4g --elastix-params "$e/$best.txt" --work "$work/reg-elastix" --out "$r/compare" || return 1
	environment "$r/compare"
	python3 "$here/bench/scale/plot_scale.py" "$r/compare/results.csv" "$r/compare/plot.svg" "$r/compare/summary.md" &&
		cat "$r/compare/summary.md"
	scrub "$r"
}

step_scale() {
	local r sizes="10M,58M,195M,1.1G" runs=3 el=()
	[ "$quick" = 1 ] && { sizes="64x64x48"; runs=1; }
	has_elastix || { echo "elastix not installed: OsteoCast alone"; el=(--elastix none); }
	r="$(results scale)"
	"$oc" bench scale --sizes "$sizes" --runs "$runs" --big-runs 1 --elastix-runs 1 --threads 2 --xmx 4g \
		--work "$work/scale" --out "$r" "${el[@]}" || return 1
	environment "$r"
	python3 "$here/bench/scale/plot_scale.py" "$r/results.csv" "$r/scale.svg" "$r/summary.md" && cat "$r/summary.md"
	scrub "$r"
}

step_train() {
	local r nf="16,32,64" steps=3 repeats=3 size=64 batch=48 py=/usr/bin/python3 t
	[ "$quick" = 1 ] && { nf=8; steps=1; repeats=1; size=32; batch=4; }
	has_torch || { echo "/usr/bin/python3 has no torch: OsteoCast alone, no peer"; py=none; }
	r="$(results train)"
	environment "$r"
	for t in 1 2; do
		"$oc" bench train --nf "$nf" --threads "$t" --steps "$steps" --repeats "$repeats" --size "$size" \
			--batch "$batch" --peer-heap default,kept --python "$py" 2>&1 | tee "$r/bench_train_threads$t.txt" || return 1
	done
	scrub "$r"
}

step_train_bf16() {
	"$oc" bench --help 2>/dev/null | grep -q '^ *predict ' ||
		skip "osteocast bench predict does not exist in this version" || return
	if [ "$quick" = 1 ]; then
		# bench/bf16/run_bench.sh writes into bench/bf16/results: the quick mode runs its commands at CI size
		"$oc" bench train --precision fp32,bf16 --nf 8 --size 32 --batch 4 --steps 1 --repeats 1 --threads 2 \
			--python none &&
			"$oc" bench predict --precision fp32,bf16 --threads 2 --repeats 1
	else
		# three invocations of every width at 1 and 2 threads (the README quotes medians over them), and of predict
		local i day nf t f
		for i in 1 2 3; do
			(cd "$here" && bench/bf16/run_bench.sh train --nf 16,32,64 --threads 1 &&
				bench/bf16/run_bench.sh train --nf 16,32,64 --threads 2) || return 1
		done
		for i in 1 2 3; do (cd "$here" && bench/bf16/run_bench.sh predict) || return 1; done
		# the medians and ranges the README quotes, from those invocations
		day="$(date -u +%Y-%m-%d)"
		f="bench/bf16/results/$day/bench_train.txt"
		(cd "$here" && /usr/bin/python3 bench/bf16/summarise_train.py "$f" --nf 64 --threads 2 --mode fresh --last 3 \
			>"bench/bf16/results/$day/summary_train.txt") || return 1
		for t in 1 2; do
			for nf in 16 32 64; do
				(cd "$here" && /usr/bin/python3 bench/bf16/summarise_train.py "$f" --nf "$nf" --threads "$t" --mode fresh \
					--last 3) || return 1
			done
		done >"$here/bench/bf16/results/$day/summary_widths.txt"
	fi
}

step_spark_memory() {
	local r
	r="$(results spark)"
	if [ "$quick" = 1 ]; then
		SIZES=64x64x48 RUNS=1 XMX=1g "$here/bench/spark/memory.sh" "$work/spark-memory" "$r-memory" &&
			SIZE=64x64x48 RUNS=1 XMX=1g "$here/bench/spark/memory_shared.sh" "$work/spark-shared" "$r-memory-shared" ||
			return 1
	else
		"$here/bench/spark/memory.sh" "$work/spark-memory" "$r-memory" &&
			"$here/bench/spark/memory_shared.sh" "$work/spark-shared" "$r-memory-shared" || return 1
	fi
	rm -rf "$work/spark-memory" "$work/spark-shared"
	scrub "$r-memory"
	scrub "$r-memory-shared"
}

step_bf16_quality() {
	local r
	r="$(results bf16)"
	if [ "$quick" = 1 ]; then
		MICE=12 EPOCHS=1 SEEDS=1 SLICES=8 "$here/bench/bf16/quality.sh" "$work/bf16-quality" "$r-quality" || return 1
	else
		"$here/bench/bf16/quality.sh" "$work/bf16-quality" "$r-quality" || return 1
	fi
	scrub "$r-quality"
}

step_spark() {
	local r reps=3
	[ "$quick" = 1 ] && reps=1
	r="$(results spark)"
	SPARK_BENCH_MICE=$([ "$quick" = 1 ] && echo 6 || echo 12) "$here/bench/spark/run.sh" "$work/spark" "$reps" "$r" ||
		return 1
	scrub "$r"
}

step_demo() {
	local r
	r="$(results rigidity)"
	if [ "$quick" = 1 ]; then
		"$oc" demo --quick --out "$work/demo" --overwrite >"$work/demo.log" 2>&1 || { tail -5 "$work/demo.log"; return 1; }
		"$here/bench/rigidity/demo_risk.sh" --reuse "$work/demo" "$r" || return 1
	else
		"$here/bench/rigidity/demo_risk.sh" "$work/demo" "$r" || return 1
	fi
	grep -h "wall seconds" "$r/environment.txt" || true # (--reuse records none)
}

step_risk() {
	local r
	r="$(results rigidity)"
	if [ "$quick" = 1 ]; then
		# risk_auroc.sh has one size (32 mice, a 6-minute training budget): only its syntax is checked here
		bash -n "$here/bench/rigidity/risk_auroc.sh" || return 1
		[ -f "$work/demo/cohort/truth/rigidity.csv" ] || skip "no quick demo cohort in WORK_DIR/demo (run the demo step first)" ||
			return
		"$here/bench/rigidity/end_slices.sh" "$work/demo/cohort" "$r" 1 || return 1
	else
		# 3 runs (the training has a wall-clock budget; the 2nd and 3rd reuse the cohort and its registration),
		# each into <results>-risk<k>, and the median table of docs/rigidity.md
		local k
		for k in 1 2 3; do
			"$here/bench/rigidity/risk_auroc.sh" "$work/risk" "$r-risk$k" || return 1
		done
		/usr/bin/python3 "$here/bench/rigidity/risk_median.py" "$r-risk1" "$r-risk2" "$r-risk3" >"$r-risk1/risk_median.md" ||
			return 1
		"$here/bench/rigidity/end_slices.sh" "$work/risk/cohort" "$r" || return 1
	fi
	ls "$r"
}

step_loss() {
	local r epochs=12 nf=16
	[ "$quick" = 1 ] && { epochs=1; nf=4; }
	cohort || return 1
	r="$(results loss)"
	environment "$r"
	"$here/bench/loss/lambda_sigma.sh" "$work/cohort/slices" "$work/loss" "$epochs" "$nf" | tee "$r/search_console.txt" ||
		return 1
	cp "$work/loss/search.csv" "$r/lambda_sigma_search.csv"
}

step_benchmark() {
	local r seeds=3 budget=3 models=()
	[ "$quick" = 1 ] && { seeds=1; budget=0.05; models=(--models persistence,linear,tvae2d); }
	cohort || return 1
	r="$(results benchmark)"
	environment "$r"
	OSTEOCAST_THREADS=2 "$oc" benchmark --data "$work/cohort/slices" --out "$work/benchmark" --seeds "$seeds" \
		--budget-minutes "$budget" "${models[@]}" 2>&1 | tee "$r/benchmark_console.txt" || return 1
	cp "$work"/benchmark/*.csv "$work"/benchmark/*.md "$r/" 2>/dev/null
	scrub "$r"
}

step_quality() {
	local r d="$work/quality" epochs=15 seeds="1 2 3" v
	[ "$quick" = 1 ] && { epochs=1; seeds=1; }
	r="$(results quality)/demo16-e$epochs"
	# demo16 (bench/quality/README.md): the demo's cohort as `osteocast demo` makes it (the fibula joined, unlike the
	# cohort of Tables 1-2), sliced at 16 slices per mouse
	if [ ! -f "$d/slices/cohort.csv" ]; then
		local mice=30
		[ "$quick" = 1 ] && mice=6
		"$oc" phantom --out "$d/cohort" --mice "$mice" --weeks 4 --seed 1 --missing-week-prob 0.1 --overwrite >/dev/null &&
			"$oc" register --cohort "$d/cohort" --out "$d/registered" --overwrite >/dev/null &&
			"$oc" slice --cohort "$d/registered" --out "$d/slices" --seed 1 --slices 16 --overwrite >/dev/null || return 1
	fi
	v=("simvp=--arch simvp --batch 16 --hid-s 16 --hid-t 64"
		"simvp-vae-b1e-2=--arch simvp-vae --batch 16 --hid-s 16 --hid-t 64 --beta 1e-2"
		"simvp-vae-fb=--arch simvp-vae --batch 16 --hid-s 16 --hid-t 64 --beta 1e-4 --free-bits 0.1 --variance-head separate"
		"tvae2d=--arch tvae2d --batch 16 --nf 16")
	[ "$quick" = 1 ] && v=("tvae2d=--arch tvae2d --batch 4 --nf 4")
	ALSO_SPLIT=test "$here/bench/quality/run_variants.sh" "$d/slices" "$r" "$epochs" val "$seeds" "${v[@]}" || return 1
	python3 "$here/bench/quality/summarise.py" "$r" || true
	scrub "$r"
}

# run the steps
ran=0 skipped=0 failed=0 summary=""
start_all=$(date +%s)
"$oc" --version >/dev/null || { echo "reproduce.sh: osteocast does not build or start" >&2; exit 1; }
for s in $steps; do
	if [ -n "$only" ] && ! [[ ",$only," == *",$s,"* ]]; then continue; fi
	echo "=== $s ($([ "$quick" = 1 ] && echo quick || echo full); $(date -u +%T); load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
	t0=$(date +%s)
	out="$work/logs/$s.txt"
	mkdir -p "$work/logs"
	"step_${s//-/_}" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	dt=$(($(date +%s) - t0))
	case $rc in
	0) ran=$((ran + 1)); verdict="ok" ;;
	3) skipped=$((skipped + 1)); verdict="$(grep -m1 '^skipped:' "$out" || echo skipped)" ;;
	*) failed=$((failed + 1)); verdict="FAILED (exit $rc; log $out)" ;;
	esac
	echo "=== $s: $verdict, wall time ${dt} s"
	summary+=$(printf '%-13s %6d s  %s' "$s" "$dt" "$verdict")$'\n'
done
echo
echo "=== summary ($([ "$quick" = 1 ] && echo quick || echo full), ${work}, $(( $(date +%s) - start_all )) s in all)"
printf '%s' "$summary"
echo "steps run: $ran, skipped: $skipped, failed: $failed"
[ "$failed" = 0 ]
