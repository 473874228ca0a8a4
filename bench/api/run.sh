#!/usr/bin/env bash
# HTTP send API submissions beside SMTP accept at 50 clients (bench/README.md, "HTTP send API
# submissions"): one relay (bench/vireo-bench.yaml on a fresh spool) delivering to the counting
# sink; each round runs SMTP (bin/bench load), the API composing (POST /v1/messages) and the API
# with complete messages (POST /v1/messages/raw), 4 KB, in an order that rotates per round.
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
for _ in $(seq 1 600); do grep -q "vireo ready" "$WORK/vireo.log" && break; sleep 0.1; done
grep -q "vireo ready" "$WORK/vireo.log" || { echo "vireo did not start" >&2; cat "$WORK/vireo.log" >&2; exit 1; }

smtp() { "$ROOT/bin/bench" load --port 2535 --connections 50 --messages "$MESSAGES" --size 4096 --warmup 2000 2>&1; }
compose() { "$ROOT/bin/bench" api --key-file "$WORK/key" --clients 50 --messages "$MESSAGES" --size 4096 --warmup 2000 2>&1; }
raw() { "$ROOT/bin/bench" api --raw --key-file "$WORK/key" --clients 50 --messages "$MESSAGES" --size 4096 --warmup 2000 2>&1; }

orders=("smtp compose raw" "compose raw smtp" "raw smtp compose")
for round in $(seq 1 "$ROUNDS"); do
  for what in ${orders[$(((round - 1) % 3))]}; do
    echo "round $round $what: $($what | grep -iE "msg/s|messages/s|accepted|failed" | tr '\n' ' ')"
  done
done
kill -TERM %2 2>/dev/null || true
echo "runs in $WORK"
