#!/usr/bin/env bash
# Local delivery rate: bin/bench load (50 connections, 4 KB) into bin/vireo serve with a local
# domain whose catch-all is one mailbox, timed until every message is a file in the Maildir's new/.
# Prints the load tool's accepted/s and the end-to-end delivered/s (warm-up included in neither).
#   bench/local-delivery.sh [MESSAGES] [WARMUP]
set -euo pipefail
VIREO_HOME=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
MESSAGES=${1:-20000}
WARMUP=${2:-2000}
WORK=$(mktemp -d /tmp/vireo-local-bench.XXXXXX)
cat >"$WORK/vireo.yaml" <<YAML
hostname: bench.local
listen:
  smtp: 127.0.0.1:2545
  admin: 127.0.0.1:8445
spool:
  dir: $WORK/spool
  sync: group
delivery:
  routes:
    - { domains: ["*"], via: "127.0.0.1:1", tls: none }
local:
  domains: [example.test]
  catch-all: { example.test: bench }
  quota: off
mailbox:
  dir: $WORK/mailboxes
log:
  level: warn
YAML
"$VIREO_HOME/bin/vireo" serve --config "$WORK/vireo.yaml" >"$WORK/vireo.log" 2>&1 &
VIREO=$!
trap 'kill $VIREO 2>/dev/null; wait $VIREO 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do
  grep -q "vireo ready" "$WORK/vireo.log" && break
  sleep 0.5
done
NEW="$WORK/mailboxes/bench/Maildir/new"
count() { find "$NEW" -type f 2>/dev/null | wc -l; }
# The warm-up's messages are delivered before the timed part starts.
"$VIREO_HOME/bin/bench" load --port 2545 --connections 50 --messages "$WARMUP" --size 4096 >/dev/null
until [ "$(count)" -ge "$WARMUP" ]; do sleep 0.2; done
START=$(date +%s.%N)
"$VIREO_HOME/bin/bench" load --port 2545 --connections 50 --messages "$MESSAGES" --size 4096 | tee "$WORK/load.txt"
TOTAL=$((WARMUP + MESSAGES))
until [ "$(count)" -ge "$TOTAL" ]; do sleep 0.2; done
END=$(date +%s.%N)
echo "delivered into the Maildir: $MESSAGES in $(echo "$END - $START" | bc) s = $(echo "$MESSAGES / ($END - $START)" | bc) messages/s"
