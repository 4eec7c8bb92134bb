#!/usr/bin/env bash
# Forecast quality of bfloat16 mixed-precision training against fp32: the demo's T-VAE (tvae2d, nf 16)
# trained for the same number of epochs in each precision from the same seeds, scored on the
# validation mice of the demo cohort (and, separately, on its test mice), then compare.py prints the
# differences bf16 - fp32 per seed beside the tolerances (PSNR 0.1 dB, SSIM 0.002, changed-pixel MSE
# 3 %, ECE 0.002).
#
#   bench/bf16/quality.sh WORK [RESULTS_DIR]
#     EPOCHS (default 15), SEEDS (default "1 2"), SLICES (default 48, the demo's), MICE (default 30, the
#     demo's; fewer only for smoke runs)
#
# WORK: scratch space outside the repository (the cohort, its registration and slices; kept, so a
# rerun reuses them). RESULTS_DIR (default bench/bf16/results/<UTC date>-quality) receives
# run_variants.sh's output (environment.txt; per run train.log, model.json, eval.csv, latent.txt)
# and comparison.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:?usage: $0 WORK [RESULTS_DIR]}"
res="${2:-$here/bench/bf16/results/$(date -u +%F)-quality}"
epochs="${EPOCHS:-15}" seeds="${SEEDS:-1 2}" slices="${SLICES:-48}" mice="${MICE:-30}"
oc="$here/osteocast"
mkdir -p "$work" "$res"
data="$work/slices$slices"
if [ ! -f "$data/cohort.csv" ]; then
	# the demo's cohort, exactly as `osteocast demo` makes it (30 mice, seed 1)
	[ -f "$work/cohort/cohort.csv" ] || "$oc" phantom --out "$work/cohort" --mice "$mice" --weeks 4 --seed 1 \
		--missing-week-prob 0.1 --overwrite >"$work/phantom.log"
	[ -f "$work/registered/cohort.csv" ] || "$oc" register --cohort "$work/cohort" --out "$work/registered" \
		--overwrite >"$work/register.log"
	"$oc" slice --cohort "$work/registered" --out "$data" --seed 1 --slices "$slices" --overwrite >"$work/slice.log"
fi
echo "cohort: the demo's (phantom --mice $mice --weeks 4 --seed 1 --missing-week-prob 0.1; register; slice --seed 1 --slices $slices)" \
	>>"$res/environment.txt"
ALSO_SPLIT=test "$here/bench/quality/run_variants.sh" "$data" "$res" "$epochs" val "$seeds" \
	"fp32=--nf 16 --precision fp32" "bf16=--nf 16 --precision bf16"
# the logs name this machine's folders: put placeholders in their place
find "$res" -type f \( -name '*.log' -o -name '*.txt' \) -exec sed -i "s#$res#RESULTS#g; s#$work#WORK#g; s#$here#REPO#g" {} +
/usr/bin/python3 "$here/bench/bf16/compare.py" "$res" | tee "$res/comparison.md"
