#!/usr/bin/env bash
# HTTP load test of @Atomic (issue #6): builds and starts the sample app on loopback, runs wrk
# against GET /api/ping (plain), GET /api/ping/atomic (same body, run as a job) and
# GET /api/ping/handoff (same body, submitted to Spring Boot's applicationTaskExecutor and
# awaited: the hand-rolled way), then the pair GET /api/ping/wait and /api/ping/wait/atomic
# (the same after a 2 ms wait, as for a database query), interleaved; prints requests/s and
# p50/p99 latency with the ratios, and stops the app. The app runs with the scheduler's limit
# set to the number of connections, so that no @Atomic request waits for a slot: the test
# measures what running a handler as a job costs, not the limit.
#
# Environment (all optional):
#   JAVA_HOME     JDK to run the app with (by default the `java` on the PATH)
#   PORT          port on 127.0.0.1 (18080)
#   DURATION      wrk duration per round and endpoint (6s); WARMUP per ping endpoint (20s: the
#                 JIT is still busy for most of the first 10 s of load on 2 cores), WAIT_WARMUP
#                 per wait endpoint (5s: they share the pings' code but for the wait)
#   ROUNDS        measured rounds, each endpoint in turn (5); the table shows the median of the
#                 rounds, which a burst of other work on the machine moves less
#   CONNECTIONS   open connections (32); WRK_THREADS (2)
#   SKIP_BUILD=1  use the jar already built
#   APP_CMD       command that starts the app instead of the sample jar (for testing the script)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${PORT:-18080}
DURATION=${DURATION:-6s}
WARMUP=${WARMUP:-20s}
WAIT_WARMUP=${WAIT_WARMUP:-5s}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR=$ROOT/sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

if [[ -z "${APP_CMD:-}" && "${SKIP_BUILD:-}" != 1 ]]; then
    echo "Building the sample app..."
    (cd "$ROOT" && mvn -B -q -o -pl sample-app -am -DskipTests package)
fi
APP_CMD=${APP_CMD:-"$JAVA -Xms256m -Xmx512m -jar $JAR --server.address=127.0.0.1 --server.port=$PORT --aiojobs.scheduler.limit=$CONNECTIONS"}

echo "Starting: $APP_CMD"
setsid bash -c "exec $APP_CMD" >"$WORK/app.log" 2>&1 &
APP_PID=$!
stop_app() {
    if kill -0 "$APP_PID" 2>/dev/null; then
        kill -TERM "$APP_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$APP_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap stop_app EXIT

ready=
for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$BASE/api/ping" 2>/dev/null && curl -fsS -o /dev/null "$BASE/api/ping/atomic" 2>/dev/null \
            && curl -fsS -o /dev/null "$BASE/api/ping/handoff" 2>/dev/null \
            && curl -fsS -o /dev/null "$BASE/api/ping/wait/atomic" 2>/dev/null; then
        ready=1
        break
    fi
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.5
done
if [[ -z "$ready" ]]; then
    echo "The app did not become ready on $BASE; its log:" >&2
    tail -50 "$WORK/app.log" >&2
    exit 1
fi
echo "Ready. plain: $(curl -fsS "$BASE/api/ping") | atomic: $(curl -fsS "$BASE/api/ping/atomic") | handoff: $(curl -fsS "$BASE/api/ping/handoff") | wait: $(curl -fsS "$BASE/api/ping/wait") | wait-atomic: $(curl -fsS "$BASE/api/ping/wait/atomic")"

# wrk prints latencies as 812.00us, 1.23ms or 1.02s: normalise to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else { sub(/s$/, "", v); printf "%.3f", v * 1000 } }'
}

# run_wrk NAME PATH DURATION: appends "rps p50 p99" to $WORK/NAME.
run_wrk() {
    local out
    out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$3" --timeout 5s --latency "$BASE$2")
    if grep -q "Non-2xx" <<<"$out"; then
        echo "$2 answered errors:" >&2
        echo "$out" >&2
        exit 1
    fi
    local rps p50 p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    echo "$rps $p50 $p99" >>"$WORK/$1"
    printf '  %-11s %10s req/s  p50 %8s ms  p99 %8s ms\n' "$1" "$rps" "$p50" "$p99"
}

echo "Warming up ($WARMUP per ping endpoint, $WAIT_WARMUP per wait endpoint)..."
run_wrk warm /api/ping "$WARMUP" >/dev/null
run_wrk warm /api/ping/atomic "$WARMUP" >/dev/null
run_wrk warm /api/ping/handoff "$WARMUP" >/dev/null
run_wrk warm /api/ping/wait "$WAIT_WARMUP" >/dev/null
run_wrk warm /api/ping/wait/atomic "$WAIT_WARMUP" >/dev/null

echo "Measuring: $ROUNDS rounds of $DURATION per endpoint, $CONNECTIONS connections, $WRK_THREADS wrk threads"
for _ in $(seq 1 "$ROUNDS"); do
    run_wrk plain /api/ping "$DURATION"
    run_wrk atomic /api/ping/atomic "$DURATION"
    run_wrk handoff /api/ping/handoff "$DURATION"
    run_wrk wait /api/ping/wait "$DURATION"
    run_wrk wait-atomic /api/ping/wait/atomic "$DURATION"
done

# Medians over the rounds, then the table.
median() { awk -v c="$2" '{ print $c }' "$WORK/$1" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p_rps=$(median plain 1); p_50=$(median plain 2); p_99=$(median plain 3)
a_rps=$(median atomic 1); a_50=$(median atomic 2); a_99=$(median atomic 3)
h_rps=$(median handoff 1); h_50=$(median handoff 2); h_99=$(median handoff 3)
w_rps=$(median wait 1); w_50=$(median wait 2); w_99=$(median wait 3)
wa_rps=$(median wait-atomic 1); wa_50=$(median wait-atomic 2); wa_99=$(median wait-atomic 3)
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg); $($JAVA -version 2>&1 | head -1)"
awk -v pr="$p_rps" -v p5="$p_50" -v p9="$p_99" -v ar="$a_rps" -v a5="$a_50" -v a9="$a_99" \
    -v hr="$h_rps" -v h5="$h_50" -v h9="$h_99" -v wr="$w_rps" -v w5="$w_50" -v w9="$w_99" \
    -v xr="$wa_rps" -v x5="$wa_50" -v x9="$wa_99" 'BEGIN {
    printf "| endpoint           | requests/s | p50 ms  | p99 ms  |\n"
    printf "|--------------------|------------|---------|---------|\n"
    printf "| /api/ping          | %10.0f | %7.3f | %7.3f |\n", pr, p5, p9
    printf "| /api/ping/atomic   | %10.0f | %7.3f | %7.3f |\n", ar, a5, a9
    printf "| /api/ping/handoff  | %10.0f | %7.3f | %7.3f |\n", hr, h5, h9
    printf "| /api/ping/wait     | %10.0f | %7.3f | %7.3f |\n", wr, w5, w9
    printf "| /api/ping/wait/atomic | %7.0f | %7.3f | %7.3f |\n", xr, x5, x9
    printf "| atomic / plain     | %9.1f%% | %6.2fx | %6.2fx |\n", 100 * ar / pr, a5 / p5, a9 / p9
    printf "| atomic / handoff   | %9.1f%% | %6.2fx | %6.2fx |\n", 100 * ar / hr, a5 / h5, a9 / h9
    printf "| handoff / plain    | %9.1f%% | %6.2fx | %6.2fx |\n", 100 * hr / pr, h5 / p5, h9 / p9
    printf "| wait: atomic / plain | %7.1f%% | %6.2fx | %6.2fx |\n", 100 * xr / wr, x5 / w5, x9 / w9
    printf "Medians of the rounds. Targets: atomic requests/s >= 90%% of plain; p99 within 1.25x.\n"
    printf "Server time per request at saturation (1 / req/s): @Atomic adds %.1f us to a ping, a bare hand-off %.1f us.\n", \
        1e6 / ar - 1e6 / pr, 1e6 / hr - 1e6 / pr
}'
