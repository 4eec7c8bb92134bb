#!/usr/bin/env bash
# A BoneMet-sized phantom in a 4 GB heap: one mouse, two weeks, at the given voxel size (default 5 um,
# 480 x 480 x 640 voxels per scan), under /usr/bin/time -v (wall time, peak resident memory), with
# uptime before and after. Raw output into OUT/phantom_<um>um.txt.
#   bench/scale/phantom_heap.sh WORK OUT [VOXEL_UM]
set -euo pipefail
work=$1
out=$2
um=${3:-5}
osteocast=${OSTEOCAST:-./osteocast}
mkdir -p "$out"
f="$out/phantom_${um}um.txt"
{
	echo "date: $(date -Is)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) ($(nproc) cores visible)"
	echo "java: $(java -version 2>&1 | head -1)"
	echo "command: OSTEOCAST_XMX=4g osteocast phantom --out WORK/phantom --mice 1 --weeks 2 --voxel-um $um --seed 3"
	echo "uptime before: $(uptime)"
} > "$f"
rm -rf "$work/phantom"
OSTEOCAST_XMX=4g /usr/bin/time -v $osteocast phantom --out "$work/phantom" --mice 1 --weeks 2 --voxel-um "$um" \
	--seed 3 2>&1 | tr '\r' '\n' | grep -v '^phantom: .*\[' | sed "s#$work#WORK#g" \
	| grep -E 'phantom:|Elapsed|Maximum resident|Exit status|User time|System time' >> "$f" || true
echo "uptime after: $(uptime)" >> "$f"
ls -l "$work/phantom/M001" | sed "s#$work#WORK#g" >> "$f"
rm -rf "$work/phantom"
