#!/usr/bin/env bash
# Runs every benchmark of issue #6 in a few minutes and prints tables of ratios against the
# baselines measured in the same run: on JDK 17 (platform threads) and, when installed, on
# JDK 25 (virtual threads). Add --http to also run the HTTP load test of @Atomic
# (benchmarks/http/run-http.sh, which needs the sample app). Other arguments go to BenchMain,
# e.g. --suites=spawn,memory or --iterations=5.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=$ROOT/benchmarks/target
HTTP=
ARGS=()
for arg in "$@"; do
    if [[ "$arg" == --http ]]; then HTTP=1; else ARGS+=("$arg"); fi
done

echo "Building the benchmarks..."
(cd "$ROOT" && mvn -B -q -o -pl benchmarks -am -DskipTests package)
JAR=$OUT/benchmarks.jar

run() {
    local jdk=$1 name=$2
    echo
    echo "=============== $name ==============="
    local flags=()
    # JMH 1.37 uses sun.misc.Unsafe, which Java 23+ warns about.
    if "$jdk/bin/java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
        flags+=(--sun-misc-unsafe-memory-access=allow)
    fi
    "$jdk/bin/java" "${flags[@]}" -cp "$JAR" io.aiojobs.benchmarks.BenchMain "${ARGS[@]}" \
        | tee "$OUT/results-$name.txt"
}

start=$(date +%s)
run "$JDK17" jdk17-platform
if [[ -x "$JDK25/bin/java" ]]; then
    run "$JDK25" jdk25-virtual
else
    echo "JDK 25 not found at $JDK25 (set JDK25=...): virtual threads not measured."
fi
if [[ -n "$HTTP" ]]; then
    echo
    echo "=============== HTTP: @Atomic vs plain ==============="
    "$ROOT/benchmarks/http/run-http.sh" | tee "$OUT/results-http.txt"
fi
echo
echo "Done in $(( $(date +%s) - start )) s; results in $OUT/results-*.txt"
