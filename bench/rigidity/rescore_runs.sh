#!/usr/bin/env bash
# Scores the rigidity columns of finished forecasts again with this code, without remaking them.
#
#   bench/rigidity/rescore_runs.sh DATA RUNS_DIR OUT_DIR
#
# DATA: the slice data set the forecasts were made from. RUNS_DIR: a benchmark's runs/ folder
# (runs/<model>/seed<k>/pred, as `osteocast benchmark --work W` leaves it in W/runs). For every run,
# `osteocast evaluate --split test` of its forecasts; OUT_DIR receives
#   environment.txt            date, CPU, cores, load, Java, this code's commit, the command, and the
#                              code version that made each run (its run.json)
#   <model>-seed<k>.csv        evaluate's rigidity columns per test mouse and method, and the mean rows
#   rigidity_lines.txt         per run, evaluate's closing rigidity line (mice that truly drop, risk
#                              AUROC per method, mean |rel. error| of min EI_min on tumour mice)
#   summary.csv                model, seed, the forecast's mean |rel. error| of min EI_min over the test
#                              mice (the benchmark tables' column) and over the tumour mice, its risk
#                              AUROC, and the true drops of the test mice
#   summary.md                 per model, the median (min-max) over seeds of the two errors
# Only the rigidity columns change with the code that scores them (here: the proximal margin of
# docs/rigidity.md); the images are the runs' own, so PSNR, SSIM and the rest are those of the runs.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 DATA RUNS_DIR OUT_DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")/../.." && pwd)
data=$(cd "$1" && pwd)
runs=$(cd "$2" && pwd)
mkdir -p "$3"
out=$(cd "$3" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	echo "date: $(date -u +%FT%TZ)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores available)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "java: $(java -version 2>&1 | head -1)"
	echo "osteocast (scoring): commit $(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD -- core cli 2>/dev/null || echo ' (with uncommitted changes)')"
	echo "command: bench/rigidity/rescore_runs.sh DATA RUNS OUT"
} > "$out/environment.txt"
echo "model,seed,ei_min_rel_err,ei_min_rel_err_tumour,risk_auroc,true_drops" > "$out/summary.csv"
: > "$out/rigidity_lines.txt"
cols="mouse,method,ea_min_rel_err,ei_min_rel_err,gj_min_rel_err,rigidity_drop_forecast,rigidity_drop_truth,risk_probability,risk_agrees,risk_auroc"
for pred in "$runs"/*/seed*/pred; do
	run=$(dirname "$pred")
	model=$(basename "$(dirname "$run")") seed=$(basename "$run")
	made=$(sed -n 's/.*"code_version": *"\([^"]*\)".*/\1/p' "$run/run.json" 2>/dev/null || true)
	echo "$model $seed: made by ${made:-unknown}" >> "$out/environment.txt"
	"$here/osteocast" evaluate --pred "$pred" --data "$data" --split test --out "$tmp/e.csv" --overwrite > "$tmp/console.txt" 2>&1
	awk -F, -v want="$cols" 'NR==1{for(i=1;i<=NF;i++)c[$i]=i; n=split(want,k,",")}
		{s=$c[k[1]]; for(j=2;j<=n;j++) s=s","$c[k[j]]; print s}' "$tmp/e.csv" > "$out/$model-$seed.csv"
	line=$(grep '^rigidity: .* truly drop' "$tmp/console.txt" | tail -1)
	echo "$model $seed: $line" >> "$out/rigidity_lines.txt"
	# the forecast's row of each test mouse: its true drop; the tumour-mouse mean error from the closing line
	drops=$(awk -F, 'NR>1 && $2=="forecast" && $1 !~ /\(/ {printf "%s%s", (n++ ? " " : ""), $7}' "$out/$model-$seed.csv")
	all=$(awk -F, '$1=="ALL(mean)" && $2=="forecast" {print $4}' "$out/$model-$seed.csv")
	err=$(sed -n 's/.*tumour mice: forecast \([^ ]*\).*/\1/p' <<< "$line")
	auc=$(sed -n 's/.*risk AUROC forecast \([^ ]*\).*/\1/p' <<< "$line")
	echo "$model,$seed,${all:-nan},${err:-nan},${auc:-nan},$drops" >> "$out/summary.csv"
done
/usr/bin/python3 - "$out/summary.csv" > "$out/summary.md" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def cell(v):
    v = [float(x) for x in v if x not in ('', 'nan')]
    if not v:
        return 'nan'
    m = statistics.median(v)
    return f'{100 * m:.1f} %' if len(v) == 1 else f'{100 * m:.1f} % ({100 * min(v):.1f}-{100 * max(v):.1f})'
print('| model | seeds | mean rel. error of min EI_min, test mice | tumour mice | true drops of the test mice |')
print('|---|---|---|---|---|')
for model in dict.fromkeys(r['model'] for r in rows):
    rs = [r for r in rows if r['model'] == model]
    print(f"| {model} | {len(rs)} | {cell(r['ei_min_rel_err'] for r in rs)} | "
          f"{cell(r['ei_min_rel_err_tumour'] for r in rs)} | {rs[0]['true_drops']} |")
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)" >> "$out/environment.txt"
