#!/usr/bin/env bash
# Golden values for RegistrationBenchmarkTest: how elastix's EulerTransform (ComputeZYX false) maps fixed
# points to moving points, computed by elastix itself (transformix, Debian's elastix package), so that the
# test checks OsteoCast's conversion of elastix's parameters against the tool and not against a formula
# re-derived in the test.
#
#   apt-get install -y elastix
#   bench/golden/elastix_euler/run.sh        # writes outputpoints.txt beside this script
#
# Inputs: TransformParameters.0.txt (rotation 0.05, -0.03, 0.08 rad about (0.32, 0.4, 0.5) mm, then a
# translation of (0.02, -0.01, 0.03) mm; spacing 0.01 x 0.01 x 0.02 mm) and fixed_points_mm.txt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
transformix -def "$here/fixed_points_mm.txt" -tp "$here/TransformParameters.0.txt" -out "$out" >/dev/null
{ echo "# bench/golden/elastix_euler/run.sh: $(transformix --version 2>&1 | head -1)"; cat "$out/outputpoints.txt"; } \
	> "$here/outputpoints.txt"
