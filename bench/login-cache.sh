#!/usr/bin/env bash
# IMAP logins with and without auth.cache-ttl: bin/vireo serve with IMAP on loopback and one user
# (vireo user add: Argon2id at the default cost), then bin/bench mail idle opening SESSIONS sessions
# (LOGIN + SELECT INBOX, 8 at a time, the bench/compare imap-idle workload) as that user. Runs
# ROUNDS rounds, each with the cache off (0) then on (5m), one fresh relay per run; prints the
# client's JSON line per run (open_s: seconds to open them all).
#   bench/login-cache.sh [SESSIONS] [ROUNDS] [PORT]
set -euo pipefail
VIREO_HOME=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
SESSIONS=${1:-300}
ROUNDS=${2:-3}
PORT=${3:-2555}
WORK=$(mktemp -d /tmp/vireo-login-bench.XXXXXX)
VIREO=""
CLIENT=""
stop() {
  [ -z "$CLIENT" ] || { kill "$CLIENT" 2>/dev/null; wait "$CLIENT" 2>/dev/null || true; }
  [ -z "$VIREO" ] || { kill "$VIREO" 2>/dev/null; wait "$VIREO" 2>/dev/null || true; }
  CLIENT="" VIREO=""
}
trap 'stop; rm -rf "$WORK"' EXIT

one_run() {
  local ttl=$1 run="$WORK/run-$2-$1"
  mkdir -p "$run/spool" "$run/mail"
  cat >"$run/vireo.yaml" <<YAML
hostname: bench.local
listen:
  smtp: 127.0.0.1:$((PORT + 1))
  admin: 127.0.0.1:$((PORT + 2))
  imap: 127.0.0.1:$PORT
spool:
  dir: $run/spool
auth:
  users-file: $run/users
  require-tls: false
  cache-ttl: $ttl
mailbox:
  dir: $run/mail
limits:
  max-connections: $((SESSIONS + 100))
  max-connections-per-ip: $((SESSIONS + 100))
log:
  level: warn
YAML
  printf '%s\n' 'bench pass' | "$VIREO_HOME/bin/vireo" user add bench --config "$run/vireo.yaml" >/dev/null
  "$VIREO_HOME/bin/vireo" serve --config "$run/vireo.yaml" >"$run/vireo.log" 2>&1 &
  VIREO=$!
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.5
  done
  # The client holds the sessions until its standard input closes.
  mkfifo "$run/hold"
  "$VIREO_HOME/bin/bench" mail idle --sessions "$SESSIONS" --parallel 8 --host 127.0.0.1 \
    --port "$PORT" --user bench --password 'bench pass' <"$run/hold" >"$run/mail.out" 2>"$run/mail.err" &
  CLIENT=$!
  exec 7>"$run/hold"
  for _ in $(seq 1 3000); do
    grep -q '^idle:' "$run/mail.out" 2>/dev/null && break
    kill -0 "$CLIENT" 2>/dev/null || break
    sleep 0.2
  done
  exec 7>&-
  wait "$CLIENT" || true
  CLIENT=""
  echo "auth.cache-ttl=$ttl $(grep -v '^idle:' "$run/mail.out" | tr -d '\n')"
  stop
}

for round in $(seq 1 "$ROUNDS"); do
  one_run 0 "$round"
  one_run 5m "$round"
done
