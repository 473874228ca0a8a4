# The mailbox side of bench/compare/run.sh: Vireo against Dovecot serving the same Maildir over IMAP
# and POP3. Sourced by run.sh, whose helpers (log, die, track, stop_pid, await_port, alive, ...) and
# settings (OUT, HERE, ROOT, IP, PORT_BASE, ROUNDS, SMOKE) it uses.
#
# One Maildir is generated per run (maildir.py, fixed seed) and copied for each server. Dovecot runs
# privately (dovecot -F -c OUT/dovecot/dovecot.conf, loopback ports, passwd-file user); Vireo runs as a
# second instance of its own (bin/vireo serve with mailbox/vireo.yaml.in). Every round times each
# workload on both servers, alternating which goes first; bin/bench mail is the client.

MAIL_USER=bench
MAIL_PASSWORD=bench-password-0
# Loopback ports: Dovecot IMAP P+40 and POP3 P+41; Vireo IMAP P+42, POP3 P+43, SMTP P+44, admin P+45.
DC_IMAP=$((PORT_BASE + 40)) DC_POP3=$((PORT_BASE + 41))
VM_IMAP=$((PORT_BASE + 42)) VM_POP3=$((PORT_BASE + 43)) VM_SMTP=$((PORT_BASE + 44)) VM_ADMIN=$((PORT_BASE + 45))
DOVECOT_PID="" VIREO_MAIL_PID="" VIREO_MAIL_MISSING="" MAIL_SEARCH_FROM="" MAIL_SEARCH_SUBJECT="" MAIL_SEARCH_BODY=""

# Mailbox workload names, in the order they run in a round.
MAILBOX_WORKLOADS=(imap-envelopes imap-bodies imap-search imap-search-body pop3-retr imap-c50 imap-idle)
is_mailbox_workload() { [[ $1 == imap-* || $1 == pop3-* ]]; }

mailbox_packages() {
  dpkg-query -W -f='${Status}' dovecot-imapd 2>/dev/null | grep -q 'install ok installed' || echo dovecot-imapd
  dpkg-query -W -f='${Status}' dovecot-pop3d 2>/dev/null | grep -q 'install ok installed' || echo dovecot-pop3d
}

# Generates the Maildir once (OUT/maildir/pristine), then one copy per server.
mailbox_generate() {
  local dir=$OUT/maildir
  mkdir -p "$dir"
  log "generating a $MAIL_MESSAGES-message Maildir (seed 11)"
  timeout 1200 python3 "$HERE/mailbox/maildir.py" --out "$dir/pristine" --messages "$MAIL_MESSAGES" \
    > "$dir/maildir.json" || die "maildir.py failed"
  read -r MAIL_SEARCH_FROM MAIL_SEARCH_SUBJECT MAIL_SEARCH_BODY < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["search"]
print(s["from"]["key"], s["subject"]["key"], s["body"]["key"])' "$dir/maildir.json")
  log "Maildir: $(du -sh "$dir/pristine" | cut -f1), $(cat "$dir/maildir.json")"
  local server
  for server in dovecot vireo; do
    mkdir -p "$OUT/mail-$server/$MAIL_USER"
    cp -a "$dir/pristine" "$OUT/mail-$server/$MAIL_USER/Maildir"
  done
  # Dovecot's mail processes run as nobody (the passwd-file user's uid): they must own their copy.
  chown -R 65534:65534 "$OUT/mail-dovecot"
}

start_dovecot() {
  local dir=$OUT/dovecot limit=$((MAIL_IDLE_SESSIONS + 100))
  mkdir -p "$dir/run" "$dir/state"
  sed -e "s|@DIR@|$dir|g" -e "s|@MAIL@|$OUT/mail-dovecot|g" -e "s|@IMAP_PORT@|$DC_IMAP|g" \
    -e "s|@POP3_PORT@|$DC_POP3|g" -e "s|@SESSIONS@|$limit|g" -e "s|@CLIENT_LIMIT@|$((3 * limit + 500))|g" \
    "$HERE/mailbox/dovecot.conf.in" > "$dir/dovecot.conf"
  echo "$MAIL_USER:{PLAIN}$MAIL_PASSWORD:65534:65534::$OUT/mail-dovecot/$MAIL_USER" > "$dir/users"
  # Read by Dovecot's auth process, which runs as the dovecot user.
  chgrp dovecot "$dir/users"
  chmod 640 "$dir/users"
  port_open "$IP" "$DC_IMAP" && die "port $IP:$DC_IMAP is already in use"
  dovecot -F -c "$dir/dovecot.conf" > "$dir/dovecot.out" 2>&1 &
  DOVECOT_PID=$!
  track "$DOVECOT_PID"
  if ! await_port "$IP" "$DC_IMAP" 30 "$DOVECOT_PID" || ! await_port "$IP" "$DC_POP3" 30 "$DOVECOT_PID"; then
    tail -n 20 "$dir/dovecot.out" "$dir/dovecot.log" >&2 2>/dev/null || true
    die "the private Dovecot did not start"
  fi
  log "Dovecot $(dovecot --version | cut -d' ' -f1) started (master $DOVECOT_PID): IMAP $IP:$DC_IMAP, POP3 $IP:$DC_POP3"
}

# Starts Vireo's mailbox instance; when this Vireo cannot serve IMAP and POP3 yet (unknown config
# keys, no listener), records why in VIREO_MAIL_MISSING and lets Dovecot's runs go on alone.
start_vireo_mail() {
  local dir=$OUT/vireo-mail limit=$((MAIL_IDLE_SESSIONS + 100))
  mkdir -p "$dir"
  sed -e "s|@SMTP@|$IP:$VM_SMTP|g" -e "s|@ADMIN@|$IP:$VM_ADMIN|g" -e "s|@IMAP@|$IP:$VM_IMAP|g" \
    -e "s|@POP3@|$IP:$VM_POP3|g" -e "s|@SPOOL@|$dir/spool|g" -e "s|@USERS@|$dir/users|g" \
    -e "s|@MAIL@|$OUT/mail-vireo|g" -e "s|@SESSIONS@|$MAIL_IDLE_SESSIONS|g" -e "s|@LIMIT@|$limit|g" \
    "$HERE/mailbox/vireo.yaml.in" > "$dir/vireo.yaml"
  : > "$dir/users"
  if ! printf '%s\n' "$MAIL_PASSWORD" | timeout 120 "$ROOT/bin/vireo" user add "$MAIL_USER" --config "$dir/vireo.yaml" \
    > "$dir/user-add.log" 2>&1; then
    VIREO_MAIL_MISSING="bin/vireo user add failed: $(tail -n 1 "$dir/user-add.log")"
    log "Vireo's mailbox side is not available ($VIREO_MAIL_MISSING): Dovecot runs alone"
    return 0
  fi
  (cd "$dir" && exec "$ROOT/bin/vireo" serve --config "$dir/vireo.yaml") > "$dir/vireo.log" 2>&1 &
  VIREO_MAIL_PID=$!
  track "$VIREO_MAIL_PID"
  if ! await_port "$IP" "$VM_IMAP" 90 "$VIREO_MAIL_PID" || ! await_port "$IP" "$VM_POP3" 30 "$VIREO_MAIL_PID"; then
    VIREO_MAIL_MISSING="bin/vireo serve did not listen on IMAP $IP:$VM_IMAP and POP3 $IP:$VM_POP3: $(grep -m1 -iE 'error|unknown|invalid' "$dir/vireo.log" || tail -n 1 "$dir/vireo.log")"
    stop_pid "$VIREO_MAIL_PID" 10
    VIREO_MAIL_PID=""
    log "Vireo's mailbox side is not available ($VIREO_MAIL_MISSING): Dovecot runs alone"
    return 0
  fi
  log "Vireo mailbox instance started (pid $VIREO_MAIL_PID): IMAP $IP:$VM_IMAP, POP3 $IP:$VM_POP3"
}

# Arguments of bin/bench mail for workload $1 (repeats and durations depend on --smoke).
mail_args() {
  local repeat=3 duration=20s warmup=5s
  if [ "$SMOKE" = 1 ]; then repeat=1 duration=2s warmup=1s; fi
  case "$1" in
    imap-envelopes) MAIL_ARGS=(envelopes --repeat "$repeat") ;;
    imap-bodies) MAIL_ARGS=(bodies --repeat "$repeat") ;;
    imap-search) MAIL_ARGS=(search --repeat "$repeat" --search "FROM \"$MAIL_SEARCH_FROM\"" --search "SUBJECT \"$MAIL_SEARCH_SUBJECT\"") ;;
    imap-search-body) MAIL_ARGS=(search --repeat 1 --search "BODY \"$MAIL_SEARCH_BODY\"") ;;
    pop3-retr) MAIL_ARGS=(retr --repeat 1) ;;
    imap-c50) MAIL_ARGS=(clients --connections 50 --warmup "$warmup" --duration "$duration" --range 100) ;;
    imap-idle) MAIL_ARGS=(idle --sessions "$MAIL_IDLE_SESSIONS" --parallel 8) ;;
  esac
}

# One run of mailbox workload $2 against server $1 (dovecot or vireo) in round $3 ("warm": not recorded).
run_mail() {
  local server=$1 name=$2 round=$3 pid imap pop3 port children=""
  case "$server" in
    dovecot) pid=$DOVECOT_PID imap=$DC_IMAP pop3=$DC_POP3 children=--children ;;
    vireo) pid=$VIREO_MAIL_PID imap=$VM_IMAP pop3=$VM_POP3 ;;
  esac
  [ -n "$pid" ] || return 0
  port=$imap
  [ "$name" = pop3-retr ] && port=$pop3
  local dir=$OUT/runs/$round-$name-$server rc=0
  mkdir -p "$dir"
  mail_args "$name"
  python3 "$HERE/compare.py" sample --pid "$pid" $children --out "$dir/proc.json" &
  local sampler=$!
  track "$sampler"
  if [ "$name" = imap-idle ]; then
    run_idle "$pid" "$port" "$dir" "$children" || rc=$?
  else
    timeout --kill-after=10 "$((LOAD_LIMIT + 120))" "$ROOT/bin/bench" mail "${MAIL_ARGS[@]}" --host "$IP" --port "$port" \
      --user "$MAIL_USER" --password "$MAIL_PASSWORD" > "$dir/mail.json" 2> "$dir/mail.err" || rc=$?
  fi
  stop_pid "$sampler" 10
  if [ "$round" = warm ]; then
    log "warm-up of $server $name: exit $rc"
    return 0
  fi
  RUNS=$((RUNS + 1))
  python3 "$HERE/compare.py" record-mail --out "$OUT" --run-dir "$dir" --target "$server" --workload "$name" \
    --round "$round" --tool-rc "$rc" >&2 || FAILURES=$((FAILURES + 1))
}

# A JVM's (Vireo's) heap in use after a full GC, in KB, into file $2; nothing for Dovecot. The full
# GC also lets G1 give back heap it grew for garbage, so the PSS reading after it counts what is kept.
jvm_heap_used() {
  local pid=$1 file=$2
  command -v jcmd > /dev/null || return 0
  timeout 60 jcmd "$pid" GC.run > /dev/null 2>&1 || return 0
  timeout 60 jcmd "$pid" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -n 1 | tr -dc 0-9 > "$file" || true
}

# Idle sessions: memory of the server before, with MAIL_IDLE_SESSIONS sessions held, and after. For
# Vireo a full GC comes first (so the PSS baseline is not heap grown by earlier workloads' garbage)
# and again with the sessions held, giving the live heap per session beside the PSS growth.
run_idle() {
  local pid=$1 port=$2 dir=$3 children=$4 i rc=0
  [ -n "$children" ] || jvm_heap_used "$pid" "$dir/heap-before.txt"
  python3 "$HERE/compare.py" memory --pid "$pid" $children > "$dir/memory-before.json"
  mkfifo "$dir/hold.fifo"
  "$ROOT/bin/bench" mail "${MAIL_ARGS[@]}" --host "$IP" --port "$port" --user "$MAIL_USER" \
    --password "$MAIL_PASSWORD" < "$dir/hold.fifo" > "$dir/mail.out" 2> "$dir/mail.err" &
  local client=$!
  track "$client"
  exec 7> "$dir/hold.fifo"
  for ((i = 0; i < 3000; i++)); do
    grep -q '^idle:' "$dir/mail.out" 2>/dev/null && break
    alive "$client" || break
    sleep 0.2
  done
  if grep -q '^idle:' "$dir/mail.out"; then
    python3 "$HERE/compare.py" memory --pid "$pid" $children > "$dir/memory-held.json"
    [ -n "$children" ] || jvm_heap_used "$pid" "$dir/heap-held.txt"
  fi
  exec 7>&-
  await_exit "$client" 300 || { stop_pid "$client" 5; rc=1; }
  wait "$client" 2>/dev/null || rc=$?
  grep -v '^idle:' "$dir/mail.out" > "$dir/mail.json" || true
  python3 "$HERE/compare.py" memory --pid "$pid" $children > "$dir/memory-after.json"
  return "$rc"
}

mailbox_session() {
  mailbox_generate
  start_dovecot
  start_vireo_mail
  # One unrecorded pass of the single-session workloads through each server: Dovecot builds its
  # index and cache files on the first SELECT and FETCH; Vireo's JIT compiles its hot paths. The
  # smoke run skips it: it checks that the harness works, not what it measures.
  [ "$SMOKE" = 0 ] || return 0
  # Only what is measured is warmed up.
  local name
  for name in imap-envelopes imap-bodies imap-search pop3-retr; do
    [[ " ${MAILBOX_LIST[*]} " == *" $name "* ]] || continue
    run_mail dovecot "$name" warm
    run_mail vireo "$name" warm
  done
}

mailbox_round() {
  local round=$1 name server order
  if ((round % 2 == 1)); then order=(dovecot vireo); else order=(vireo dovecot); fi
  for name in "${MAILBOX_LIST[@]}"; do
    for server in "${order[@]}"; do
      run_mail "$server" "$name" "$round"
    done
  done
}

mailbox_stop() {
  stop_pid "$VIREO_MAIL_PID" 30
  stop_pid "$DOVECOT_PID" 30
  if [ -n "$VIREO_MAIL_MISSING" ]; then
    echo "vireo mailbox side: not available ($VIREO_MAIL_MISSING)" >> "$OUT/environment.txt"
  fi
}
