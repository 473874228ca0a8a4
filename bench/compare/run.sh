#!/usr/bin/env bash
# Vireo vs Postfix on the same machine, in the same run: the same SMTP load (bin/bench load) goes
# through a private Postfix instance and through Vireo (spool.sync: group), alternating, for several
# rounds; both relay to the same counting sink (bin/bench sink). Also measures the direct ceilings:
# bin/bench load -> bin/bench sink, and Postfix's smtp-source -> smtp-sink.
#
#   bench/compare/run.sh [--rounds N] [--messages M] [--workloads LIST] [--smoke] [--out DIR]
#                        [--port-base P] [--session-warmup N] [--mail-messages N] [--idle-sessions N]
#                        [--vireo-tree DIR]
#
#   --rounds N        rounds; each runs every workload through both relays (default 3)
#   --messages M      measured messages per run (default 5000); each run first sends M/5 (at most
#                     1000) warm-up messages that are not counted
#   --workloads LIST  comma-separated, from: c1 c10 c50 c500 (4 KB, that many connections, 1
#                     recipient), r5 (50 connections, 5 recipients), mix (50 connections, 1% of
#                     messages 1 MB), c50new (50 connections, a new connection per message),
#                     c50-tls and c50new-tls (c50 and c50new with STARTTLS, TLS 1.3, into both
#                     relays; no ceilings) (default c1,c10,c50,c500,r5,mix); mailbox workloads,
#                     Vireo against a private Dovecot on the same Maildir: imap-envelopes,
#                     imap-bodies, imap-search, imap-search-body, pop3-retr, imap-c50, imap-idle, or
#                     "mailbox" for all seven (see bench/compare/mailbox/mailbox.sh)
#   --smoke           tiny run for CI: 1 round, 200 messages, c1,c10,c50-tls and the mailbox
#                     workloads on a 200-message Maildir (options given too still apply)
#   --out DIR         where everything goes (default /var/tmp/vireo-compare/DATE-TIME)
#   --port-base P     loopback ports used: Vireo P, its sink P+1, Postfix P+10, its sink P+11, the
#                     direct sinks P+21 and P+22, Vireo's admin P+30 (default 2535)
#   --session-warmup N  messages (50 connections) through each relay before the first round, not
#                     recorded: Vireo's JIT compiles for the first ~50,000 messages (default 20000;
#                     smoke: 100)
#   --mail-messages N messages in the generated Maildir (default 10000; smoke: 200)
#   --idle-sessions N idle IMAP sessions held for the memory figure (default 1000; smoke: 20)
#   --vireo-tree DIR  the Vireo checkout the SMTP workloads run (built there if needed; default: this
#                     one), so bench/compare/before-after.sh measures an older commit with this harness
#
# Needs root (Postfix's master runs as root) and Debian's apt for what is missing: postfix (with
# smtp-source and smtp-sink), gnuplot-nox, python3, openssl. Both relays offer STARTTLS in every
# workload, with one self-signed certificate made for the run. Only loopback addresses are used; the system
# Postfix instance is never touched. Exit status: 0 when every run worked, 1 if any failed outright
# (a tool error, nothing accepted), 2 for bad options. No performance assertions.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

usage() { sed -n '2,42s/^# \{0,1\}//p' "$HERE/run.sh"; }

ROUNDS="" MESSAGES="" WORKLOADS="" SMOKE=0 OUT="" PORT_BASE=2535 SESSION_WARMUP="" MAIL_MESSAGES="" MAIL_IDLE_SESSIONS="" VIREO_TREE=$ROOT
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=${2:?--rounds needs a value}; shift 2 ;;
    --messages) MESSAGES=${2:?--messages needs a value}; shift 2 ;;
    --workloads) WORKLOADS=${2:?--workloads needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --port-base) PORT_BASE=${2:?--port-base needs a value}; shift 2 ;;
    --session-warmup) SESSION_WARMUP=${2:?--session-warmup needs a value}; shift 2 ;;
    --mail-messages) MAIL_MESSAGES=${2:?--mail-messages needs a value}; shift 2 ;;
    --idle-sessions) MAIL_IDLE_SESSIONS=${2:?--idle-sessions needs a value}; shift 2 ;;
    --vireo-tree) VIREO_TREE=$(cd "${2:?--vireo-tree needs a value}" && pwd); shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if [ "$SMOKE" = 1 ]; then
  ROUNDS=${ROUNDS:-1} MESSAGES=${MESSAGES:-200} WORKLOADS=${WORKLOADS:-c1,c10,c50-tls,mailbox}
  SESSION_WARMUP=${SESSION_WARMUP:-100} MAIL_MESSAGES=${MAIL_MESSAGES:-200} MAIL_IDLE_SESSIONS=${MAIL_IDLE_SESSIONS:-20}
else
  ROUNDS=${ROUNDS:-3} MESSAGES=${MESSAGES:-5000} WORKLOADS=${WORKLOADS:-c1,c10,c50,c500,r5,mix}
  SESSION_WARMUP=${SESSION_WARMUP:-20000} MAIL_MESSAGES=${MAIL_MESSAGES:-10000} MAIL_IDLE_SESSIONS=${MAIL_IDLE_SESSIONS:-1000}
fi
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --rounds must be a positive number" >&2; exit 2; }
[[ "$MESSAGES" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --messages must be a positive number" >&2; exit 2; }
[[ "$SESSION_WARMUP" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --session-warmup must be a positive number" >&2; exit 2; }
[[ "$MAIL_MESSAGES" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --mail-messages must be a positive number" >&2; exit 2; }
[[ "$MAIL_IDLE_SESSIONS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --idle-sessions must be a positive number" >&2; exit 2; }
[[ "$PORT_BASE" =~ ^[1-9][0-9]*$ ]] && ((PORT_BASE >= 1024 && PORT_BASE <= 65000)) \
  || { echo "run.sh: --port-base must be in 1024..65000" >&2; exit 2; }
# The mailbox side (Vireo against Dovecot) lives in its own file; its workloads run after the SMTP ones.
. "$HERE/mailbox/mailbox.sh"
IFS=, read -r -a REQUESTED <<< "$WORKLOADS"
WORKLOAD_LIST=() MAILBOX_LIST=()
for w in "${REQUESTED[@]}"; do
  case "$w" in
    c1 | c10 | c50 | c500 | r5 | mix | c50new | c50-tls | c50new-tls) WORKLOAD_LIST+=("$w") ;;
    mailbox) MAILBOX_LIST+=("${MAILBOX_WORKLOADS[@]}") ;;
    imap-envelopes | imap-bodies | imap-search | imap-search-body | pop3-retr | imap-c50 | imap-idle) MAILBOX_LIST+=("$w") ;;
    *) echo "run.sh: unknown workload '$w'" >&2; exit 2 ;;
  esac
done
WARMUP=$((MESSAGES / 5 > 1000 ? 1000 : MESSAGES / 5))

# Loopback endpoints. Postfix and Vireo each get their own sink port, so a late delivery from one can
# never be counted for the other.
IP=127.0.0.1
V_SMTP=$PORT_BASE V_SINK=$((PORT_BASE + 1)) V_ADMIN=$((PORT_BASE + 30))
PF_SMTP=$((PORT_BASE + 10)) PF_SINK=$((PORT_BASE + 11))
DIRECT_SINK=$((PORT_BASE + 21)) SMTP_SINK=$((PORT_BASE + 22))
# Bounds, in seconds.
if [ "$SMOKE" = 1 ]; then LOAD_LIMIT=120; else LOAD_LIMIT=600; fi
DRAIN_LIMIT=300  # after the load tool is done, the longest wait for the sink to hold everything
STALL_LIMIT=20   # ... or for the sink's count to move at all
NONE_LIMIT=15    # ... or for a first delivery; shortened once a relay is seen not to deliver

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ------------------------------------------------------------------------------ processes and cleanup

STARTED=()          # every background process this script started, ended by cleanup
POLICY_CREATED=0    # whether /usr/sbin/policy-rc.d is ours to remove
PF_ETC=""           # set once the private Postfix instance is started
PF_MASTER=""

track() { STARTED+=("$1"); }
# Forgets a process once it is reaped, so cleanup never signals a recycled pid.
untrack() {
  local p kept=()
  for p in "${STARTED[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  STARTED=("${kept[@]}")
}

# Whether a process runs (an exited child stays a zombie until reaped; that counts as ended).
alive() {
  local stat
  { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
  [[ $stat =~ \)\ ([A-Za-z]) ]] && [ "${BASH_REMATCH[1]}" != Z ]
}

# Ends one process we started: TERM, up to $2 seconds (default 10), then KILL.
stop_pid() {
  local pid=$1 limit=${2:-10} i
  [ -n "$pid" ] || return 0
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < limit * 10; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  untrack "$pid"
}

# Waits up to $2 seconds for a process to end by itself; returns 1 if it is still running.
await_exit() {
  local pid=$1 limit=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    alive "$pid" || { wait "$pid" 2>/dev/null || true; untrack "$pid"; return 0; }
    sleep 0.1
  done
  return 1
}

stop_postfix() {
  [ -n "$PF_ETC" ] || return 0
  postfix -c "$PF_ETC" stop >/dev/null 2>&1 || true
  local i
  for ((i = 0; i < 200; i++)); do
    [ -n "$PF_MASTER" ] && alive "$PF_MASTER" || break
    sleep 0.1
  done
  if [ -n "$PF_MASTER" ] && alive "$PF_MASTER"; then
    postfix -c "$PF_ETC" abort >/dev/null 2>&1 || true
    sleep 1
    kill -KILL "$PF_MASTER" 2>/dev/null || true
  fi
  PF_ETC=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local i
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    stop_pid "${STARTED[i]}" 5
  done
  stop_postfix
  if [ "$POLICY_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Microseconds since the epoch, without a fork: sets NOW.
now_us() { NOW=${EPOCHREALTIME/./}; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Waits up to $3 seconds for host $1 port $2 to accept connections while process $4 lives.
await_port() {
  local host=$1 port=$2 limit=$3 pid=${4:-} i
  for ((i = 0; i < limit * 5; i++)); do
    port_open "$host" "$port" && return 0
    if [ -n "$pid" ] && ! alive "$pid"; then return 1; fi
    sleep 0.2
  done
  return 1
}

# Prefixes each line of stdin with the time it was read (seconds since the epoch, microseconds).
stamp_lines() {
  local line
  while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done
}

# ------------------------------------------------------------------------------------------- set-up

install_packages() {
  local need=()
  dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q 'install ok installed' || need+=(postfix)
  command -v gnuplot >/dev/null || need+=(gnuplot-nox)
  command -v python3 >/dev/null || need+=(python3)
  command -v openssl >/dev/null || need+=(openssl)
  if ((${#MAILBOX_LIST[@]} > 0)); then
    # shellcheck disable=SC2207 # package names have no spaces
    need+=($(mailbox_packages))
  fi
  [ ${#need[@]} -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "missing ${need[*]} and no apt-get to install them"
  log "installing from Debian: ${need[*]}"
  # Keep the system Postfix (and Dovecot) from starting when its package is installed (invoke-rc.d
  # honours 101).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    POLICY_CREATED=1
  fi
  timeout 600 apt-get update -q >"$OUT/apt.log" 2>&1 || die "apt-get update failed (see $OUT/apt.log)"
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q --no-install-recommends "${need[@]}" \
    >>"$OUT/apt.log" 2>&1 || die "apt-get install failed (see $OUT/apt.log)"
  if [ "$POLICY_CREATED" = 1 ]; then rm -f /usr/sbin/policy-rc.d; POLICY_CREATED=0; fi
}

# One self-signed EC (P-256) certificate for the run, presented by both relays for STARTTLS. The
# key stays root's (mode 0600): Postfix's smtpd reads it before dropping privileges, Vireo runs as root.
TLS_CERT="" TLS_KEY=""
make_certificate() {
  local dir=$OUT/tls
  mkdir -p "$dir"
  TLS_CERT=$dir/cert.pem TLS_KEY=$dir/key.pem
  timeout 60 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=relay.bench.local -addext subjectAltName=DNS:relay.bench.local,IP:$IP \
    -keyout "$TLS_KEY" -out "$TLS_CERT" > "$dir/openssl.log" 2>&1 \
    || die "openssl could not make the certificate (see $dir/openssl.log)"
  chmod 600 "$TLS_KEY"
  log "certificate for STARTTLS: $TLS_CERT ($(openssl x509 -noout -fingerprint -sha256 -in "$TLS_CERT" | cut -d= -f2))"
}

start_postfix() {
  local dir=$OUT/postfix
  mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
  local subst=(-e "s|@DIR@|$dir|g" -e "s|@SMTP@|$IP:$PF_SMTP|g" -e "s|@SINK_HOST@|$IP|g" -e "s|@SINK_PORT@|$PF_SINK|g"
    -e "s|@TLS_CERT@|$TLS_CERT|g" -e "s|@TLS_KEY@|$TLS_KEY|g")
  sed "${subst[@]}" "$HERE/postfix/main.cf.in" > "$dir/etc/main.cf"
  sed "${subst[@]}" "$HERE/postfix/master.cf.in" > "$dir/etc/master.cf"
  chown postfix "$dir/data"
  PF_ETC=$dir/etc
  # Postfix reports problems in its log (it is not on a terminal): show the log when it fails.
  if ! timeout 60 postfix -c "$PF_ETC" check >/dev/null 2>&1 || ! timeout 60 postfix -c "$PF_ETC" start >/dev/null 2>&1; then
    tail -n 20 "$dir/maillog" >&2 2>/dev/null || true
    die "the private Postfix instance did not start"
  fi
  local i
  for ((i = 0; i < 100; i++)); do
    [ -s "$dir/queue/pid/master.pid" ] && break
    sleep 0.1
  done
  PF_MASTER=$(tr -d ' \n' < "$dir/queue/pid/master.pid")
  [[ "$PF_MASTER" =~ ^[0-9]+$ ]] || die "no pid in $dir/queue/pid/master.pid"
  await_port "$IP" "$PF_SMTP" 30 "$PF_MASTER" || die "Postfix does not listen on $IP:$PF_SMTP"
  postconf -c "$PF_ETC" -n > "$OUT/postfix-postconf-n.txt" 2>/dev/null || true
  log "Postfix $(postconf -c "$PF_ETC" -h mail_version 2>/dev/null) started (master $PF_MASTER) on $IP:$PF_SMTP -> sink $IP:$PF_SINK"
}

VIREO_PID="" VIREO_GEN=0
start_vireo() {
  VIREO_GEN=$((VIREO_GEN + 1))
  local dir=$OUT/vireo
  mkdir -p "$dir"
  sed -e "s|@SMTP@|$IP:$V_SMTP|g" -e "s|@ADMIN@|$IP:$V_ADMIN|g" -e "s|@SINK@|$IP:$V_SINK|g" \
    -e "s|@SPOOL@|$dir/spool-$VIREO_GEN|g" -e "s|@TLS_CERT@|$TLS_CERT|g" -e "s|@TLS_KEY@|$TLS_KEY|g" \
    "$HERE/vireo.yaml.in" > "$dir/vireo.yaml"
  (cd "$dir" && exec "$VIREO_TREE/bin/vireo" serve --config "$dir/vireo.yaml") > "$dir/vireo-$VIREO_GEN.log" 2>&1 &
  VIREO_PID=$!
  track "$VIREO_PID"
  if ! await_port "$IP" "$V_SMTP" 90 "$VIREO_PID"; then
    tail -n 20 "$dir/vireo-$VIREO_GEN.log" >&2 || true
    die "Vireo does not listen on $IP:$V_SMTP"
  fi
  log "Vireo started (pid $VIREO_PID, spool $dir/spool-$VIREO_GEN) on $IP:$V_SMTP -> sink $IP:$V_SINK"
}

# Lets Postfix shed the idle smtpd and cleanup processes an earlier run left (they would otherwise
# linger for max_idle = 100 s and be counted in this run's memory): a reload makes idle processes exit.
shed_postfix_processes() {
  local children i
  timeout 30 postfix -c "$PF_ETC" reload >/dev/null 2>&1 || true
  for ((i = 0; i < 100; i++)); do
    children=$(wc -w < "/proc/$PF_MASTER/task/$PF_MASTER/children" 2>/dev/null || echo 0)
    ((children <= 12)) && return 0
    sleep 0.1
  done
  log "warning: Postfix still has $children processes after a reload"
}

restart_vireo() {
  stop_pid "$VIREO_PID" 30
  start_vireo
}

write_environment() {
  {
    echo "command: bench/compare/run.sh --rounds $ROUNDS --messages $MESSAGES --workloads $WORKLOADS --port-base $PORT_BASE$(((${#MAILBOX_LIST[@]} == 0)) || echo " --mail-messages $MAIL_MESSAGES --idle-sessions $MAIL_IDLE_SESSIONS")"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpus: $(nproc) x $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "kernel: $(uname -r)"
    echo "filesystem of $OUT: $(stat -f -c %T "$OUT")"
    echo "postfix: $(postconf -d -h mail_version 2>/dev/null)"
    ((${#MAILBOX_LIST[@]} == 0)) || echo "dovecot: $(dovecot --version 2>/dev/null)"
    echo "java: $(. "$ROOT/bin/jdk.sh" && vireo_find_java && "$VIREO_JAVA" -version 2>&1 | head -1)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$OUT/environment.txt"
}

# ---------------------------------------------------------------------------------------------- runs

# Sets CONNECTIONS, RECIPIENTS and LOAD_ARGS for workload $1.
workload() {
  LOAD_ARGS=() RECIPIENTS=1
  case "$1" in
    c1) CONNECTIONS=1 ;;
    c10) CONNECTIONS=10 ;;
    c50) CONNECTIONS=50 ;;
    c500) CONNECTIONS=500 ;;
    r5) CONNECTIONS=50 RECIPIENTS=5 ;;
    mix) CONNECTIONS=50 LOAD_ARGS=(--mix 1MB:1%) ;;
    c50new) CONNECTIONS=50 LOAD_ARGS=(--new-connection-per-message) ;;
    c50-tls) CONNECTIONS=50 LOAD_ARGS=(--starttls) ;;
    c50new-tls) CONNECTIONS=50 LOAD_ARGS=(--new-connection-per-message --starttls) ;;
  esac
}

# Whether workload $1 speaks STARTTLS: the sinks behind the ceilings offer no TLS, so it has none.
is_tls() { [[ $1 == *-tls ]]; }

SINK_PID="" STAMP_PID=""
# Starts a counting sink on port $1 expecting $2 messages, writing to run directory $3.
start_sink() {
  local port=$1 expect=$2 dir=$3
  port_open "$IP" "$port" && die "port $IP:$port is already in use"
  mkfifo "$dir/sink.fifo"
  stamp_lines < "$dir/sink.fifo" > "$dir/sink.out" &
  STAMP_PID=$!
  track "$STAMP_PID"
  "$ROOT/bin/bench" sink --listen "$IP:$port" --expect "$expect" --report-interval 500ms \
    --max-duration "$((LOAD_LIMIT + DRAIN_LIMIT + 120))s" > "$dir/sink.fifo" 2> "$dir/sink.err" &
  SINK_PID=$!
  track "$SINK_PID"
  local i
  for ((i = 0; i < 300; i++)); do
    grep -q 'sink listening' "$dir/sink.out" 2>/dev/null && return 0
    alive "$SINK_PID" || break
    sleep 0.2
  done
  cat "$dir/sink.err" >&2 || true
  die "the sink on $IP:$port did not start"
}

stop_sink() {
  stop_pid "$SINK_PID" 10
  # The stamping reader ends when the sink's output closes; it must have written the last line.
  await_exit "$STAMP_PID" 5 || stop_pid "$STAMP_PID" 1
  SINK_PID="" STAMP_PID=""
}

sink_count() {
  awk '$2 == "status" { for (i = 3; i <= NF; i++) if ($i ~ /^messages=/) { sub(/^messages=/, "", $i); c = $i } }
       END { print c + 0 }' "$1"
}

# After the load tool is done: waits until the sink holds everything (it prints "done"), or until a
# bound is hit. Sets DRAIN to complete, none (nothing ever arrived), stalled, timeout or sink-exited.
await_drain() {
  local dir=$1 none_limit=$2 start last=-1 changed count
  now_us; start=$NOW; changed=$NOW
  while true; do
    if grep -q '^[0-9.]* done ' "$dir/sink.out"; then DRAIN=complete; return; fi
    if ! alive "$SINK_PID"; then DRAIN="sink-exited"; return; fi
    count=$(sink_count "$dir/sink.out")
    now_us
    if [ "$count" != "$last" ]; then last=$count; changed=$NOW; fi
    if [ "$count" = 0 ] && ((NOW - start >= none_limit * 1000000)); then DRAIN=none; return; fi
    if ((NOW - changed >= STALL_LIMIT * 1000000)); then DRAIN=stalled; return; fi
    if ((NOW - start >= DRAIN_LIMIT * 1000000)); then DRAIN=timeout; return; fi
    sleep 0.2
  done
}

FAILURES=0 RUNS=0
VIREO_NONE_LIMIT=$NONE_LIMIT

# One run of workload $2 through target $1 (postfix, vireo or direct) in round $3 ("warm" for the
# session warm-up, which is not recorded; $4 then gives its message count).
run_relay() {
  local target=$1 name=$2 round=$3 messages=${4:-$MESSAGES} warmup=$WARMUP port sink_port pid="" children=""
  local dir=$OUT/runs/$round-$name-$target
  [ "$round" = warm ] && warmup=0
  mkdir -p "$dir"
  workload "$name"
  case "$target" in
    postfix) port=$PF_SMTP sink_port=$PF_SINK pid=$PF_MASTER children=--children ;;
    vireo) port=$V_SMTP sink_port=$V_SINK pid=$VIREO_PID ;;
    direct) port=$DIRECT_SINK sink_port=$DIRECT_SINK ;;
  esac
  [ "$target" = postfix ] && shed_postfix_processes
  start_sink "$sink_port" "$((warmup + messages))" "$dir"
  local sampler=""
  if [ -n "$pid" ]; then
    python3 "$HERE/compare.py" sample --pid "$pid" $children --out "$dir/proc.json" &
    sampler=$!
    track "$sampler"
  fi
  local load_pid load_rc=0
  timeout --kill-after=10 "$((LOAD_LIMIT + 120))" "$ROOT/bin/bench" load --host "$IP" --port "$port" \
    --connections "$CONNECTIONS" --recipients "$RECIPIENTS" "${LOAD_ARGS[@]}" --size 4096 \
    --messages "$messages" --warmup "$warmup" --threads platform --timeout 30s \
    --duration-limit "${LOAD_LIMIT}s" --json > "$dir/load.json" 2> "$dir/load.err" &
  load_pid=$!
  track "$load_pid"
  wait "$load_pid" || load_rc=$?
  untrack "$load_pid"
  local load_end=$EPOCHREALTIME
  local none_limit=$NONE_LIMIT
  [ "$target" = vireo ] && none_limit=$VIREO_NONE_LIMIT
  DRAIN=n/a
  if [ -s "$dir/load.json" ]; then await_drain "$dir" "$none_limit"; fi
  [ -n "$sampler" ] && stop_pid "$sampler" 10
  stop_sink
  if [ "$round" = warm ]; then
    log "warm-up of $target: load exit $load_rc, delivery $DRAIN"
    if [ "$target" = vireo ] && [ "$DRAIN" = none ]; then
      # Nothing reaches the sink: Vireo accepts but does not deliver (yet). Later runs say so sooner.
      VIREO_NONE_LIMIT=3
      log "Vireo delivered nothing to the sink: its runs report accept figures only, end-to-end n/a"
    fi
  else
    RUNS=$((RUNS + 1))
    python3 "$HERE/compare.py" record --out "$OUT" --run-dir "$dir" --target "$target" --workload "$name" \
      --round "$round" --connections "$CONNECTIONS" --recipients "$RECIPIENTS" --messages "$messages" \
      --warmup "$warmup" --tool-rc "$load_rc" --load-end "$load_end" --drain "$DRAIN" >&2 \
      || FAILURES=$((FAILURES + 1))
  fi
  # A backlog left in a relay would be counted in its next run: drop it.
  case "$DRAIN" in
    complete | none | n/a) ;;
    *)
      if [ "$target" = postfix ]; then
        log "Postfix did not deliver everything ($DRAIN): deleting its queue"
        postsuper -c "$PF_ETC" -d ALL >/dev/null 2>&1 || true
      elif [ "$target" = vireo ]; then
        log "Vireo did not deliver everything ($DRAIN): restarting it on an empty spool"
        restart_vireo
      fi
      ;;
  esac
}

# Postfix's own tools, smtp-source -> smtp-sink, for workload $1 in round $2 (not for mixed sizes).
run_smtp_source() {
  local name=$1 round=$2 dir=$OUT/runs/$2-$1-smtp-source
  workload "$name"
  [ "$name" = mix ] && return 0
  is_tls "$name" && return 0
  mkdir -p "$dir"
  port_open "$IP" "$SMTP_SINK" && die "port $IP:$SMTP_SINK is already in use"
  smtp-sink -u postfix "$IP:$SMTP_SINK" 1024 > "$dir/smtp-sink.out" 2>&1 &
  local sink=$!
  track "$sink"
  await_port "$IP" "$SMTP_SINK" 10 "$sink" || die "smtp-sink did not start"
  local reuse=-d rc=0
  [ "$name" = c50new ] && reuse=""
  local start=$EPOCHREALTIME
  timeout --kill-after=5 "$LOAD_LIMIT" smtp-source $reuse -s "$CONNECTIONS" -m "$MESSAGES" -l 4096 \
    -r "$RECIPIENTS" -f bench@vireo-bench.test -t u@example.test -M client.vireo-bench.test \
    "$IP:$SMTP_SINK" > "$dir/smtp-source.out" 2>&1 || rc=$?
  local end=$EPOCHREALTIME
  stop_pid "$sink" 5
  RUNS=$((RUNS + 1))
  python3 "$HERE/compare.py" record --out "$OUT" --run-dir "$dir" --target smtp-source --workload "$name" \
    --round "$round" --connections "$CONNECTIONS" --recipients "$RECIPIENTS" --messages "$MESSAGES" \
    --tool-rc "$rc" --elapsed "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" >&2 \
    || FAILURES=$((FAILURES + 1))
}

# ---------------------------------------------------------------------------------------------- main

[ "$(id -u)" = 0 ] || die "run as root: Postfix's master process runs as root"
OUT=${OUT:-/var/tmp/vireo-compare/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
OUT=$(readlink -f "$OUT")
[ -z "$(ls -A "$OUT")" ] || die "$OUT is not empty"
install_packages
if ((${#WORKLOAD_LIST[@]} > 0)); then
  runuser -u postfix -- test -x "$OUT" || die "user postfix cannot reach $OUT (choose --out under /var/tmp)"
fi
if ((${#MAILBOX_LIST[@]} > 0)); then
  runuser -u nobody -- test -x "$OUT" || die "Dovecot's mail user (nobody) cannot reach $OUT (choose --out under /var/tmp)"
fi
[ "$(stat -f -c %T "$OUT")" != tmpfs ] || log "warning: $OUT is on tmpfs, where fsync costs nothing"
for port in $PF_SMTP $PF_SINK $V_SMTP $V_SINK $V_ADMIN $DIRECT_SINK $SMTP_SINK $DC_IMAP $DC_POP3 $VM_IMAP $VM_POP3 $VM_SMTP $VM_ADMIN; do
  port_open "$IP" "$port" && die "port $IP:$port is already in use"
done

log "building the bench tools and Vireo if needed"
timeout 1200 "$ROOT/bin/bench" load --help >/dev/null 2>"$OUT/build.log" || die "bench build failed (see $OUT/build.log)"
timeout 1200 "$VIREO_TREE/bin/vireo" --version >/dev/null 2>>"$OUT/build.log" || die "relay build failed (see $OUT/build.log)"
write_environment
if ((${#WORKLOAD_LIST[@]} > 0)); then
  log "output in $OUT; rounds $ROUNDS, $MESSAGES messages (+$WARMUP warm-up) per SMTP run, workloads $WORKLOADS"
else
  log "output in $OUT; rounds $ROUNDS, a $MAIL_MESSAGES-message Maildir, workloads $WORKLOADS"
fi

if ((${#WORKLOAD_LIST[@]} > 0)); then
  make_certificate
  start_postfix
  start_vireo
  # Session warm-up: a first run through each relay (not recorded) so that neither is measured cold.
  # A JVM keeps compiling hot code at C2 for tens of seconds of load (a JFR profile of Vireo at 50
  # connections: ~1,100 C2 compilations and ~20 s of compiler CPU over the first 50,000 messages), which
  # would otherwise be billed to the first rounds; Postfix gets the same run.
  run_relay postfix c50 warm "$SESSION_WARMUP"
  run_relay vireo c50 warm "$SESSION_WARMUP"
  # The TLS workloads run code the plaintext warm-up never reached (the handshake, record encryption):
  # warm that up the same way when any of them is measured.
  for name in "${WORKLOAD_LIST[@]}"; do
    if is_tls "$name"; then
      run_relay postfix c50-tls warm "$SESSION_WARMUP"
      run_relay vireo c50-tls warm "$SESSION_WARMUP"
      break
    fi
  done
fi
((${#MAILBOX_LIST[@]} == 0)) || mailbox_session

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2 == 1)); then order=(postfix vireo); else order=(vireo postfix); fi
  for name in "${WORKLOAD_LIST[@]}"; do
    targets=("${order[@]}")
    is_tls "$name" || targets+=(direct)
    for target in "${targets[@]}"; do
      run_relay "$target" "$name" "$round"
    done
    run_smtp_source "$name" "$round"
  done
  ((${#MAILBOX_LIST[@]} == 0)) || mailbox_round "$round"
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/environment.txt"
stop_pid "$VIREO_PID" 30
stop_postfix
((${#MAILBOX_LIST[@]} == 0)) || mailbox_stop

summary_rc=0
{
  cat "$OUT/environment.txt"
  echo
  python3 "$HERE/compare.py" summarize --out "$OUT" || summary_rc=$?
} > "$OUT/summary.md"
cat "$OUT/summary.md"
if [ -s "$OUT/throughput.dat" ]; then
  # Column 11 is Vireo's end-to-end median: without a number there, the key says why the line is missing.
  vireo_e2e=$(awk '!/^#/ && $11 != "NaN" { found = 1 } END { print found + 0 }' "$OUT/throughput.dat")
  subtitle="$(date -u +%Y-%m-%d), $(nproc) CPUs, $ROUNDS round(s) x $MESSAGES messages"
  gnuplot -e "datafile='$OUT/throughput.dat'; outfile='$OUT/throughput.png'; subtitle='$subtitle'; vireo_e2e=$vireo_e2e" \
    "$HERE/throughput.gp" 2> "$OUT/gnuplot.log" || die "gnuplot failed (see $OUT/gnuplot.log)"
  log "chart: $OUT/throughput.png"
fi
log "results: $OUT/summary.md, $OUT/results.jsonl$([ ! -e "$OUT/results.csv" ] || echo ", $OUT/results.csv")$([ ! -e "$OUT/results-mailbox.csv" ] || echo ", $OUT/results-mailbox.csv")"
# One plain closing line, counting each recorded run as a check that it worked (not a performance check).
echo "compare: $((RUNS - FAILURES)) passed, $FAILURES failed"
if [ "$FAILURES" -gt 0 ] || [ "$summary_rc" -ne 0 ]; then
  exit 1
fi
