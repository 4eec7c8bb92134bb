#!/usr/bin/env bash
# Builds the OsteoCast Fiji update site into update-site/site/ (or $1) and verifies it.
# The site holds the fiji module's plugin jar (OsteoCast_) and its runtime class path (osteocast-core,
# DJL, ...), never the Spark module: the verifier fails on any Spark or Scala jar.
# The profile update-site-natives fetches the CPU libtorch of Windows, Apple-silicon macOS and
# Linux ARM from Maven Central into fiji/target/natives (180 MiB, kept in the local Maven repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/update-site/site}"
cd "$here"
mvn -q -B -DskipTests -Pupdate-site-natives -pl fiji -am package \
	dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib \
	dependency:list -DincludeScope=runtime -DoutputFile=target/runtime-deps.txt
repo="$(mvn -q -B help:evaluate -Dstyle.color=never -Dexpression=settings.localRepository -DforceStdout | sed "s/\x1b\[[0-9;]*m//g")"
parent="$(mvn -q -B help:evaluate -Dstyle.color=never -Dexpression=project.parent.version -DforceStdout | sed "s/\x1b\[[0-9;]*m//g")"
bom="$repo/org/scijava/pom-scijava/$parent/pom-scijava-$parent.pom"
t=fiji/target
jar="$(ls $t/OsteoCast_-*.jar | grep -v -e sources -e javadoc -e tests | head -1)"
rm -rf "$out"
java -cp "$t/classes:$t/lib/*" org.osteocast.updatesite.UpdateSiteTool \
	build "$jar" $t/runtime-deps.txt $t/lib "$bom" macros "$out" $t/natives
