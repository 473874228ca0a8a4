#!/usr/bin/env bash
# Is a change free? The c50 workload (50 connections, 4 KB, one recipient) through the Vireo of
# another checkout (BEFORE, e.g. a worktree of the commit before a change) and through this one
# (AFTER), alternating BEFORE/AFTER then AFTER/BEFORE per round, each run a whole
# bench/compare/run.sh --rounds 1 with its own Postfix beside it as the yardstick. Prints each run's
# Vireo and Postfix end-to-end and accepted rates, then the medians and the after/before ratios.
#
#   bench/compare/before-after.sh BEFORE_TREE [--rounds N] [--messages M] [--session-warmup N]
#
# Needs what run.sh needs (root, Postfix). Output under /var/tmp/vireo-before-after/DATE-TIME.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BEFORE=$(cd "${1:?usage: before-after.sh BEFORE_TREE [--rounds N] [--messages M] [--session-warmup N]}" && pwd)
shift
ROUNDS=3 MESSAGES=5000 SESSION_WARMUP=20000
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --session-warmup) SESSION_WARMUP=$2; shift 2 ;;
    *) echo "before-after.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
OUT=/var/tmp/vireo-before-after/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

# rates DIR TARGET: "e2e accepted" of TARGET's c50 run in run.sh's results, or "n/a n/a".
rates() {
  python3 - "$1/results.jsonl" "$2" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
row = next((r for r in rows if r.get("target") == sys.argv[2] and r.get("workload") == "c50"
            and str(r.get("round")) == "1"), None)
fmt = lambda v: "n/a" if v is None else "%.0f" % v
print(fmt(row and row.get("e2e_rate")), fmt(row and row.get("accept_rate")))
PY
}

declare -A e2e accepted pf_e2e
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then order="before after"; else order="after before"; fi
  for who in $order; do
    tree=$ROOT
    [ "$who" = before ] && tree=$BEFORE
    dir=$OUT/$who-$round
    "$HERE/run.sh" --vireo-tree "$tree" --rounds 1 --workloads c50 --messages "$MESSAGES" \
      --session-warmup "$SESSION_WARMUP" --out "$dir" > "$dir.log" 2>&1 || echo "round $round $who: run.sh failed (see $dir.log)"
    read -r v_e2e v_acc < <(rates "$dir" vireo)
    read -r p_e2e _ < <(rates "$dir" postfix)
    e2e[$who]+="$v_e2e " accepted[$who]+="$v_acc " pf_e2e[$who]+="$p_e2e "
    echo "round $round $who: vireo e2e $v_e2e/s accepted $v_acc/s; postfix e2e $p_e2e/s"
  done
done
median() { printf '%s\n' $1 | grep -v n/a | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a/b}'; }
for what in e2e accepted pf_e2e; do
  declare -n values=$what
  b=$(median "${values[before]}") a=$(median "${values[after]}")
  echo "median $what/s: before $b, after $a, after/before $(ratio "$a" "$b")"
done
echo "runs in $OUT"
