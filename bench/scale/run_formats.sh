#!/usr/bin/env bash
# One run per pair format (TIFF stack, NRecon folder, NIfTI) of the 1.1 G-voxel pair with a 4 GB heap:
# register (reduced copies, then the full-resolution step on sampled voxels) and slice; elastix is not
# run at this size (about 15 GB). The machine's load is recorded with uptime before and after each format.
#   bench/scale/run_formats.sh WORK [OUT] [SIZE]
#   OSTEOCAST="java -cp ... org.osteocast.cli.Main" bench/scale/run_formats.sh ...   (another launcher)
set -euo pipefail
work=$1
out=${2:-bench/scale/results/$(date +%F)-formats}
size=${3:-1.1G}
osteocast=${OSTEOCAST:-./osteocast}
for f in tiff nrecon nifti; do
	mkdir -p "$out/$f"
	uptime > "$out/$f/uptime_before.txt"
	$osteocast bench scale --sizes "$size" --runs 1 --big-runs 1 --elastix none --xmx 4g --threads 2 \
		--format "$f" --work "$work" --out "$out/$f"
	uptime > "$out/$f/uptime_after.txt"
done
