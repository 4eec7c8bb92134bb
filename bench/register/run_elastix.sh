#!/usr/bin/env bash
# Runs elastix on one benchmark pair kept by `osteocast bench register --keep --work DIR`:
#   bench/register/run_elastix.sh DIR/<pair> [threads]
set -euo pipefail
pair="$1"; threads="${2:-$(nproc)}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$pair/elastix"
/usr/bin/time -f "elastix wall %e s" elastix -f "$pair/fixed.mhd" -m "$pair/moving.mhd" \
	-p "$here/elastix_rigid.txt" -out "$pair/elastix" -threads "$threads" >/dev/null
grep -E "^\((TransformParameters|CenterOfRotationPoint)" "$pair/elastix/TransformParameters.0.txt"
