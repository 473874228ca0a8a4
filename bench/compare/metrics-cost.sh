#!/usr/bin/env bash
# What the admin server and its metrics cost on the message path: the same load (bin/bench load,
# 50 connections, 4 KB, connections reused) into this tree's relay with /metrics scraped every
# second, and into a baseline tree's relay (the commit before the admin server existed, built
# beside it), alternating A/B then B/A per round, in one run; medians over the rounds.
#
#   bench/compare/metrics-cost.sh BASELINE_TREE [--rounds N] [--messages M] [--port-base P]
#
# Each run gets a fresh relay on a fresh spool, a warm-up of 20,000 messages it does not count,
# and a fresh sink. Prints one line per run and the medians; the run directory is under
# ${TMPDIR:-/tmp}. Loopback only; bounded by timeouts.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BASE=${1:?usage: metrics-cost.sh BASELINE_TREE [--rounds N] [--messages M] [--port-base P]}
shift
ROUNDS=3 MESSAGES=5000 PORT_BASE=4835 WARMUP=20000
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
OUT=$(mktemp -d "${TMPDIR:-/tmp}/vireo-metrics-cost.XXXXXX")
SMTP=$PORT_BASE SINK=$((PORT_BASE + 1)) ADMIN=$((PORT_BASE + 2))
java=$(. "$ROOT/bin/jdk.sh"; vireo_find_java; echo "$VIREO_JAVA")

# run TREE NAME ROUND SCRAPE: one measured run; prints accepted/s.
run() {
  local tree=$1 name=$2 round=$3 scrape=$4 dir="$OUT/$2-$3"
  mkdir -p "$dir"
  cat > "$dir/vireo.yaml" <<YAML
hostname: vireo.bench.local
listen: { smtp: 127.0.0.1:$SMTP, admin: 127.0.0.1:$ADMIN }
spool: { dir: $dir/spool, sync: group }
limits: { max-connections-per-ip: 2000 }
delivery:
  routes:
    - { domains: ["*"], via: "127.0.0.1:$SINK", tls: none }
YAML
  # CURRENT_YAML: extra top-level YAML for this tree's relay only (keys the baseline lacks), e.g.
  # CURRENT_YAML=$'events:\n  enabled: false' to take the event log out of the comparison.
  if [ "$tree" = "$ROOT" ] && [ -n "${CURRENT_YAML:-}" ]; then printf '%s\n' "$CURRENT_YAML" >> "$dir/vireo.yaml"; fi
  "$ROOT/bin/bench" sink --listen "127.0.0.1:$SINK" --expect $((WARMUP + MESSAGES + MESSAGES / 5)) \
    --max-duration 900s > "$dir/sink.out" 2>&1 &
  local sink=$!
  "$java" @"$ROOT/bin/jvm.flags" -Xmx1g -cp "$tree/relay/target/vireo-relay.jar:$tree/relay/target/lib/*" \
    io.vireo.relay.app.VireoCommand serve --config "$dir/vireo.yaml" > "$dir/relay.log" 2>&1 &
  local relay=$! i
  for ((i = 0; i < 600; i++)); do grep -q "vireo ready" "$dir/relay.log" && break; sleep 0.5; done
  local scraper=""
  if [ "$scrape" = yes ]; then
    (for ((i = 0; i < 1800; i++)); do curl -s -o /dev/null "127.0.0.1:$ADMIN/metrics" || true; sleep 1; done) &
    scraper=$!
  fi
  timeout 600 "$ROOT/bin/bench" load --host 127.0.0.1 --port "$SMTP" --connections 50 --size 4096 \
    --messages "$WARMUP" --warmup 0 --threads platform --timeout 30s --json > "$dir/warmup.json" 2>&1 || true
  timeout 600 "$ROOT/bin/bench" load --host 127.0.0.1 --port "$SMTP" --connections 50 --size 4096 \
    --messages "$MESSAGES" --warmup $((MESSAGES / 5)) --threads platform --timeout 30s --json \
    > "$dir/load.json" 2> "$dir/load.err" || true
  [ -n "$scraper" ] && kill "$scraper" 2>/dev/null || true
  kill -TERM "$relay" 2>/dev/null || true
  wait "$relay" 2>/dev/null || true
  kill "$sink" 2>/dev/null || true
  wait "$sink" 2>/dev/null || true
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.0f" % float(d["messages_per_s"]))' \
    "$dir/load.json" 2>/dev/null || echo "n/a"
}

a=() b=()
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then order="A B"; else order="B A"; fi
  for who in $order; do
    if [ "$who" = A ]; then
      r=$(run "$ROOT" metrics "$round" yes); a+=("$r"); echo "round $round admin+metrics (scraped 1/s): $r accepted/s"
    else
      r=$(run "$BASE" baseline "$round" no); b+=("$r"); echo "round $round baseline (no admin server): $r accepted/s"
    fi
  done
done
median() { printf '%s\n' "$@" | grep -v n/a | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo "median accepted/s: admin+metrics $ma, baseline $mb, ratio $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", a/b}')"
echo "runs in $OUT"
