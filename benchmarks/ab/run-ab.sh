#!/usr/bin/env bash
# A/B: the core at a git revision against the working tree's core, in one JVM, alternating
# batches with a raw baseline (see AB.java). Steadier than separate JMH forks on a shared
# machine, since both builds see the same load. Usage:
#   benchmarks/ab/run-ab.sh [REV=main] [LIMIT=16] [ROUNDS=150] [platform|virtual] [-Dab.listener.all=true]
# With AB_LISTENER=1, the working tree's core is also measured with a listener that does
# nothing ("b+l"), in the same rounds: the listener path's cost against no listener.
# Virtual threads need JAVA_HOME pointing at JDK 21+. LIMIT must be at least 1.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
REV=${1:-main}; LIMIT=${2:-16}; ROUNDS=${3:-150}; THREADS=${4:-platform}; EXTRA=${5:-}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/a-src"
git -C "$ROOT" archive "$REV" aiojobs-spring-core/src/main/java | tar -x -C "$W/a-src"
"$JAVAC" --release 17 -nowarn -d "$W/core-a" $(find "$W/a-src" -name '*.java')
"$JAVAC" --release 17 -nowarn -d "$W/core-b" $(find "$ROOT/aiojobs-spring-core/src/main/java" -name '*.java')
for v in a b; do
    "$JAVAC" --release 17 -cp "$W/core-$v" -d "$W/adapter-$v" "$HERE/Adapter.java"
done
"$JAVAC" -d "$W" "$HERE/AB.java"
echo "a = $REV, b = working tree"
WITH_LISTENER=()
if [ "${AB_LISTENER:-}" = 1 ]; then WITH_LISTENER=(b+l="$W/core-b"); fi
"$JAVA" -Dab.dir="$W" $EXTRA -cp "$W" AB "$LIMIT" "$ROUNDS" "$THREADS" a="$W/core-a" b="$W/core-b" "${WITH_LISTENER[@]}" tpe=tpe
