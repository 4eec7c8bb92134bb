#!/usr/bin/env bash
# The search behind the T-VAE's default edge-aware loss weight λ and blur σ.
# Trains the 2-D T-VAE for a fixed number of epochs (not a time budget: every setting gets the same
# number of updates, whatever else runs on the machine) for each (λ, σ), forecasts the VALIDATION mice
# and scores them; the choice is made on validation mice only, never on the test mice.
#
#   bench/loss/lambda_sigma.sh SLICES_DIR OUT_DIR [EPOCHS] [NF]
#
# SLICES_DIR: a slice data set with split=val mice (e.g. the demo's, made by
#   ./osteocast phantom --out D/cohort --mice 30 --weeks 4 --seed 1 --missing-week-prob 0.1
#   ./osteocast register --cohort D/cohort --out D/registered
#   ./osteocast slice --cohort D/registered --out D/slices --seed 1)
# Writes OUT_DIR/search.csv: lambda, sigma, val PSNR, SSIM, changed-pixel MSE, lesion Dice (mean over val mice).
set -euo pipefail
data=$1; out=$2; epochs=${3:-12}; nf=${4:-16}
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
echo "lambda,sigma,psnr_db,ssim,changed_mse,lesion_dice,persistence_changed_mse" > "$out/search.tmp"
for ls in "0 2" "1 1" "1 2" "1 4" "4 2"; do
  set -- $ls; l=$1; s=$2; tag="l${l}_s${s}"
  [ -f "$out/$tag.csv" ] || {
    "$here/osteocast" train --data "$data" --model "$out/$tag.zip" --nf "$nf" --epochs "$epochs" --patience "$epochs" \
      --lambda "$l" --sigma "$s" --seed 1 > "$out/$tag.log"
    "$here/osteocast" predict --model "$out/$tag.zip" --data "$data" --split val --out "$out/$tag.pred" --seed 1 >> "$out/$tag.log"
    "$here/osteocast" evaluate --pred "$out/$tag.pred" --data "$data" --split val --out "$out/$tag.csv" >> "$out/$tag.log"
  }
  awk -F, -v l="$l" -v s="$s" 'NR==1{for(i=1;i<=NF;i++)c[$i]=i}
    $1=="ALL(mean)"&&$2=="forecast"{f=$c["psnr_db"]","$c["ssim"]","$c["changed_mse"]","$c["lesion_dice"]}
    $1=="ALL(mean)"&&$2=="persistence"{p=$c["changed_mse"]}
    END{print l","s","f","p}' "$out/$tag.csv" >> "$out/search.tmp"
done
mv "$out/search.tmp" "$out/search.csv"
column -s, -t "$out/search.csv"
