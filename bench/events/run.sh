#!/usr/bin/env bash
# The cost of the event log and whether webhooks keep up, at the 50-connection load of
# bench/README.md ("Events and webhooks"). Alternates Vireo with events.enabled false and true
# (ROUNDS times each), then runs once with a webhook to a local receiver (receiver.py), sampling
# vireo_webhook_pending_events every second.
#   bench/events/run.sh [ROUNDS] [MESSAGES]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${1:-3}
MESSAGES=${2:-20000}
WORK=$(mktemp -d /tmp/vireo-events-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT
echo "bench-secret" > "$WORK/secret"

config() { # $1 = extra yaml
  sed "s|dir: ../data/bench-spool|dir: $WORK/spool|" "$ROOT/bench/vireo-bench.yaml" > "$WORK/vireo.yaml"
  printf '%s\n' "$1" >> "$WORK/vireo.yaml"
}

serve() {
  rm -rf "$WORK/spool"
  "$ROOT/bin/vireo" serve --config "$WORK/vireo.yaml" > "$WORK/vireo.log" 2>&1 &
  VIREO=$!
  for _ in $(seq 1 600); do grep -q "vireo ready" "$WORK/vireo.log" && return; sleep 0.1; done
  echo "vireo did not start" >&2; cat "$WORK/vireo.log" >&2; exit 1
}

stop() { kill -TERM "$VIREO"; wait "$VIREO" || true; }

load() {
  "$ROOT/bin/bench" load --port 2535 --connections 50 --messages "$MESSAGES" --size 4096 --warmup 2000 2>&1 \
    | grep -E "accepted|msg/s|messages/s" | head -3
}

# Build both jars first, one after the other (two launchers building at once collide).
"$ROOT/bin/vireo" version > /dev/null
"$ROOT/bin/bench" load --help > /dev/null
"$ROOT/bin/bench" sink --listen 127.0.0.1:2536 --max-duration 60m > "$WORK/sink.log" 2>&1 &
sleep 2
for round in $(seq 1 "$ROUNDS"); do
  for mode in false true; do
    config "events: { enabled: $mode }"
    serve
    echo "round $round events.enabled=$mode: $(load | tr '\n' ' ')"
    stop
  done
done

/usr/bin/python3 "$ROOT/bench/events/receiver.py" 2537 bench-secret &
sleep 1
config "webhooks: [{ url: \"http://127.0.0.1:2537/hook\", secret-file: \"$WORK/secret\" }]"
serve
(while sleep 1; do
   curl -s 127.0.0.1:8035/metrics | awk '/^vireo_webhook_pending_events/ {p=$2} /^vireo_events_written_total/ {w=$2} /^vireo_webhook_events_sent_total/ {s=$2} END {print "pending", p, "written", w, "sent", s}'
 done) > "$WORK/pending.log" &
SAMPLER=$!
echo "webhook run: $(load | tr '\n' ' ')"
for _ in $(seq 1 120); do
  sleep 1
  last=$(tail -1 "$WORK/pending.log")
  [ "$(echo "$last" | awk '{print $2}')" = "0.0" ] && break
done
kill $SAMPLER
echo "pending samples (per second): $(awk '{print $2}' "$WORK/pending.log" | tr '\n' ' ')"
echo "max pending: $(awk '{print $2}' "$WORK/pending.log" | sort -g | tail -1); last: $(tail -1 "$WORK/pending.log")"
echo "receiver: $(curl -s 127.0.0.1:2537/)"
stop
