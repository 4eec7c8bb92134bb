#!/usr/bin/env bash
# Trains, forecasts and scores model variants on the validation (or test) mice of one slice data set,
# each for the same number of EPOCHS (not minutes: the machine is shared, so epochs keep the comparison fair).
#   bench/quality/run_variants.sh DATA OUT EPOCHS SPLIT "SEEDS" VARIANT...
# SPLIT is the split scored (val to choose); with ALSO_SPLIT=test the same models are also scored on the
# test mice (files *_test.*), which must not take part in the choice.
# A VARIANT is NAME=ARGS, ARGS the train options (with --arch), e.g. 'simvp=--arch simvp --hid-s 16'.
# Per run OUT/<name>-s<seed>/ holds train.log, model.zip, the forecasts, eval.csv and latent.txt
# (latent_auroc.py); OUT/environment.txt records the machine, its load and the versions.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="$1" out="$2" epochs="$3" split="$4" seeds="$5"
shift 5
mkdir -p "$out"
{
	echo "date: $(date -u +%FT%TZ)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "java: $(java -version 2>&1 | head -1)"
	echo "osteocast: $(git -C "$root" rev-parse --short HEAD)"
	echo "threads: ${OSTEOCAST_THREADS:-all}"
	echo "data: $(basename "$data"), epochs $epochs, split $split${ALSO_SPLIT:+ (also $ALSO_SPLIT)}, seeds $seeds"
} >>"$out/environment.txt"
for v in "$@"; do
	name="${v%%=*}" args="${v#*=}"
	for seed in $seeds; do
		d="$out/$name-s$seed"
		mkdir -p "$d"
		echo "== $name seed $seed ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$out/environment.txt"
		# shellcheck disable=SC2086
		"$root/osteocast" train $args --data "$data" --model "$d/model.zip" --epochs "$epochs" --patience "$epochs" \
			--seed "$seed" --overwrite >"$d/train.log" 2>"$d/train.err"
		for sp in "$split" ${ALSO_SPLIT:-}; do
			sfx=""
			[ "$sp" = "$split" ] || sfx="_$sp"
			"$root/osteocast" predict --model "$d/model.zip" --data "$data" --out "$d/pred$sfx" --split "$sp" --samples 8 \
				--overwrite >"$d/predict$sfx.log" 2>&1
			"$root/osteocast" evaluate --pred "$d/pred$sfx" --data "$data" --split "$sp" --out "$d/eval$sfx.csv" \
				--overwrite >"$d/evaluate$sfx.log" 2>&1
			/usr/bin/python3 "$here/latent_auroc.py" "$d/pred$sfx" "$data" "$sp" >"$d/latent$sfx.txt"
			rm -rf "$d/pred$sfx"
		done
		# forecasts and weights are large and reproducible: keep model.json (settings, training summary) and the scores
		unzip -p "$d/model.zip" model.json >"$d/model.json"
		rm -rf "$d/model.zip" "$d/model.zip.ckpt" "$d/train.err"
	done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)" >>"$out/environment.txt"
