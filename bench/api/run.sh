#!/usr/bin/env bash
# HTTP send API submissions beside SMTP accept at 50 clients (bench/README.md, "HTTP send API
# submissions"): one relay (bench/vireo-bench.yaml on a fresh spool) delivering to the counting
# sink; each round runs SMTP (bin/bench load), the API composing (POST /v1/messages) and the API
# with complete messages (POST /v1/messages/raw), 4 KB, in an order that rotates per round, after
# one unmeasured pass of each; each line also gives the relay's CPU time per 1,000 messages.
#   bench/api/run.sh [ROUNDS] [MESSAGES]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-3}
MESSAGES=${2:-20000}
WORK=$(mktemp -d /tmp/vireo-api-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT

sed -e "s|dir: ../data/bench-spool|dir: $WORK/spool|" -e "s|../data/bench-api.keys|$WORK/api.keys|" \
  -e "s|dir: ../data/bench-api|dir: $WORK/api|" "$ROOT/bench/vireo-bench.yaml" > "$WORK/vireo.yaml"
# Build both jars first, one after the other (two launchers building at once collide).
"$ROOT/bin/vireo" version > /dev/null
"$ROOT/bin/bench" load --help > /dev/null
"$ROOT/bin/vireo" apikey create bench --config "$WORK/vireo.yaml" | tail -1 > "$WORK/key"
"$ROOT/bin/bench" sink --listen 127.0.0.1:2536 --max-duration 60m > "$WORK/sink.log" 2>&1 &
"$ROOT/bin/vireo" serve --config "$WORK/vireo.yaml" > "$WORK/vireo.log" 2>&1 &
RELAY_PID=$! # bin/vireo execs java
for _ in $(seq 1 600); do grep -q "vireo ready" "$WORK/vireo.log" && break; sleep 0.1; done
grep -q "vireo ready" "$WORK/vireo.log" || { echo "vireo did not start" >&2; cat "$WORK/vireo.log" >&2; exit 1; }

# A failed request makes a load exit 1; its count and first cause are in the line printed.
smtp() { "$ROOT/bin/bench" load --port 2535 --connections 50 --messages "$MESSAGES" --size 4096 --warmup 2000 2>&1 || true; }
compose() { "$ROOT/bin/bench" api --key-file "$WORK/key" --clients 50 --messages "$MESSAGES" --size 4096 --warmup 2000 2>&1 || true; }
raw() { "$ROOT/bin/bench" api --raw --key-file "$WORK/key" --clients 50 --messages "$MESSAGES" --size 4096 --warmup 2000 2>&1 || true; }

# One unmeasured pass of each load first: otherwise round 1 measures whichever load comes first on
# a relay whose JIT has not compiled its paths yet (it ran 0.6-0.9 of the later rounds' rate).
WARM=$((MESSAGES / 4))
for what in smtp compose raw; do
  echo "warm-up $what: $(MESSAGES=$WARM $what | grep -iE "failed|failure" | tr '\n' ' ')"
done

# The relay's own CPU time (user + system, from /proc) over one load, per 1,000 messages sent
# (warm-up included): what a message costs the server, whatever the client spends.
relay_cpu_ticks() { awk '{print $14 + $15}' "/proc/$RELAY_PID/stat"; }
orders=("smtp compose raw" "compose raw smtp" "raw smtp compose")
for round in $(seq 1 "$ROUNDS"); do
  for what in ${orders[$(((round - 1) % 3))]}; do
    before=$(relay_cpu_ticks)
    line=$($what | grep -iE "msg/s|messages/s|accepted|failed|failure" | tr '\n' ' ')
    ms=$(( ($(relay_cpu_ticks) - before) * 1000 / $(getconf CLK_TCK) ))
    echo "round $round $what: $line| relay CPU $((ms * 1000 / (MESSAGES + 2000))) ms per 1000 messages"
  done
done
kill -TERM %2 2>/dev/null || true
echo "runs in $WORK"
