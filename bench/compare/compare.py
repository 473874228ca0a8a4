#!/usr/bin/env python3
"""Measuring helpers for bench/compare/run.sh (Python 3 standard library only).

  compare.py sample --pid PID [--children] --out FILE [--interval 0.2]
      Samples CPU time and memory of a process (with --children: it and its direct children, as for
      Postfix's master) until SIGTERM, then writes one JSON object to FILE.
  compare.py record --run-dir DIR --target T --workload W --round N ...
      Turns one run's raw files (load JSON, time-stamped sink output, sampler JSON) into one result
      line appended to results.jsonl.
  compare.py summarize --out DIR
      Reads results.jsonl and prints the tables, writes results.csv, summary.json and throughput.dat
      (the chart's data); mailbox rows (Vireo vs Dovecot) get their own tables and results-mailbox.csv.
  compare.py memory --pid PID [--children]
      Prints the summed PSS/RSS of a process (tree) now, as JSON: the idle-session snapshots.
  compare.py record-mail --run-dir DIR --target T --workload W --round N ...
      Turns one mailbox run (bin/bench mail's JSON, sampler, memory snapshots) into a result line.

Definitions (the README repeats them):
  accept/s  messages accepted in the load tool's measured phase / that phase's wall time.
  e2e/s     measured messages / (time from the start of the measured phase until the sink holds every
            message of the run, warm-up ones included). n/a when the sink did not get them all.
  CPU       user + system seconds of the relay's processes between the sampler's start (before the
            load tool is launched) and its stop (once the sink holds everything, or the wait for it
            ended). For a process tree, children that exited and were reaped during the window are
            counted through the parent's cutime/cstime.
  memory    the peak of the processes' summed proportional set size (PSS, /proc/PID/smaps_rollup;
            shared pages split between the processes that map them), sampled as often as the cost
            allows (see sample); summed RSS, which counts shared pages once per process, and summed
            anonymous RSS are sampled every --interval and recorded alongside.
"""

import argparse
import csv
import json
import math
import os
import signal
import statistics
import sys
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# A PSS pass may take at most 1/PSS_SPACING of the sampler's time (see sample).
PSS_SPACING = 40
# Likewise for the cheap RSS pass, so a tree of 1,000 processes is not read every 200 ms.
RSS_SPACING = 20


# ---------------------------------------------------------------------------------------------- sample


def read_stat(pid):
    """(utime, stime, cutime, cstime) in clock ticks, or None if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read()
    except OSError:
        return None
    # The command name sits in parentheses and may itself contain spaces or parentheses.
    fields = text[text.rindex(b")") + 2 :].split()
    return int(fields[11]), int(fields[12]), int(fields[13]), int(fields[14])


def read_children(pid):
    pids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids.extend(int(p) for p in f.read().split())
    except OSError:
        pass
    return pids


def read_pss_kb(pid):
    """Proportional set size in kB (0 if the process is gone). Costly: the kernel walks every mapping."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def read_statm_kb(pid):
    """(resident, resident anonymous) in kB from /proc/PID/statm, which is cheap to read."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            fields = f.read().split()
    except OSError:
        return 0, 0
    resident, shared = int(fields[1]), int(fields[2])
    return resident * PAGE_KB, (resident - shared) * PAGE_KB


def cpu_ticks(root, with_children):
    """(user, system) ticks of root, plus with_children: its live direct children and, through its
    cutime/cstime, the children it reaped. None if root is gone."""
    stat = read_stat(root)
    if stat is None:
        return None
    utime, stime, cutime, cstime = stat
    user, system = utime, stime
    if with_children:
        user += cutime
        system += cstime
        for child in read_children(root):
            child_stat = read_stat(child)
            if child_stat is not None:
                user += child_stat[0]
                system += child_stat[1]
    return user, system


def sample(args):
    """CPU is read at the start and at the end only; memory every --interval. RSS comes from statm
    (microseconds per process); PSS needs smaps_rollup (about half a millisecond per process), so a
    PSS pass is spaced to take at most 1/PSS_SPACING of the time: with 1,000 Postfix processes that
    is one PSS pass every 10-20 s, plus one at the start and one at the end, which still sees the
    steady state of a run (Postfix's process count settles within a second of the load starting).
    The sampler's own CPU time is recorded too (sampler_cpu_s): it shares the machine."""
    # SIGTERM/SIGINT are blocked and waited for, so a stop request ends the wait between passes at
    # once (a Python handler would not cut a time.sleep short).
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    start_wall = time.monotonic()
    start_cpu = time.process_time()
    first = cpu_ticks(args.pid, args.children)
    if first is None:
        sys.exit(f"sample: process {args.pid} not found")
    last = first
    peak = {"pss": 0, "rss": 0, "anon": 0, "processes": 0}
    samples = pss_samples = 0
    next_pss = 0.0
    stop = False
    while True:
        began = time.monotonic()
        if read_stat(args.pid) is None:
            break
        pids = [args.pid] + (read_children(args.pid) if args.children else [])
        rss = anon = 0
        for pid in pids:
            r, a = read_statm_kb(pid)
            rss += r
            anon += a
        peak["rss"] = max(peak["rss"], rss)
        peak["anon"] = max(peak["anon"], anon)
        peak["processes"] = max(peak["processes"], len(pids))
        samples += 1
        rss_took = time.monotonic() - began
        if began >= next_pss or stop:
            pss_began = time.monotonic()
            peak["pss"] = max(peak["pss"], sum(read_pss_kb(pid) for pid in pids))
            pss_took = time.monotonic() - pss_began
            next_pss = pss_began + PSS_SPACING * pss_took
            pss_samples += 1
        if stop:
            ticks = cpu_ticks(args.pid, args.children)
            last = ticks if ticks is not None else last
            break
        wait = max(args.interval, RSS_SPACING * rss_took) - (time.monotonic() - began)
        # A stop request ends the wait; the loop then takes one last sample, PSS included.
        if wait <= 0:
            stop = signal.sigpending() & stop_signals != set()
        else:
            stop = signal.sigtimedwait(stop_signals, wait) is not None
    result = {
        "cpu_user_s": (last[0] - first[0]) / CLOCK_TICKS,
        "cpu_sys_s": (last[1] - first[1]) / CLOCK_TICKS,
        "peak_pss_mb": peak["pss"] / 1024,
        "peak_rss_mb": peak["rss"] / 1024,
        "peak_anon_mb": peak["anon"] / 1024,
        "peak_processes": peak["processes"],
        "samples": samples,
        "pss_samples": pss_samples,
        "window_s": time.monotonic() - start_wall,
        "sampler_cpu_s": time.process_time() - start_cpu,
    }
    result["cpu_s"] = result["cpu_user_s"] + result["cpu_sys_s"]
    with open(args.out, "w") as f:
        json.dump(result, f)
        f.write("\n")


# ---------------------------------------------------------------------------------------------- record


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def sink_lines(path):
    """The time-stamped sink output as (epoch seconds, words) pairs."""
    lines = []
    try:
        with open(path) as f:
            for raw in f:
                parts = raw.split()
                if len(parts) >= 2:
                    try:
                        lines.append((float(parts[0]), parts[1:]))
                    except ValueError:
                        pass
    except OSError:
        pass
    return lines


def fields_of(words):
    out = {}
    for word in words:
        if "=" in word:
            key, value = word.split("=", 1)
            out[key] = value
    return out


def record(args):
    load = read_json(os.path.join(args.run_dir, "load.json"))
    proc = read_json(os.path.join(args.run_dir, "proc.json")) or {}
    row = {
        "round": args.round,
        "workload": args.workload,
        "target": args.target,
        "connections": args.connections,
        "recipients": args.recipients,
        "messages": args.messages,
        "warmup": args.warmup,
        "drain": args.drain,
        "error": None,
    }
    if args.target == "smtp-source":
        row["accepted"] = args.messages if args.tool_rc == 0 else 0
        row["accept_rate"] = args.messages / args.elapsed if args.tool_rc == 0 and args.elapsed > 0 else None
        row["e2e_rate"] = row["accept_rate"]
        if args.tool_rc != 0:
            row["error"] = f"smtp-source exit {args.tool_rc}"
    elif load is None:
        row["accepted"] = 0
        row["error"] = f"load tool exit {args.tool_rc}, no report"
    else:
        row["accepted"] = load["ok"]
        row["failed"] = load["failed"]
        row["failures"] = load["failures"]
        row["accept_rate"] = load["messages_per_s"]
        row["elapsed_s"] = load["elapsed_s"]
        for key in ("p50", "p90", "p99", "p99_9", "max"):
            row[f"eod_{key}_ms"] = load["end_of_data_us"][key] / 1000
        if load["ok"] == 0:
            row["error"] = "nothing accepted"
        # The measured phase ended about when the load tool exited (it only sends QUIT after it).
        measure_start = args.load_end - load["elapsed_s"]
        expected = args.warmup + args.messages
        done = [(t, fields_of(w)) for t, w in sink_lines(os.path.join(args.run_dir, "sink.out")) if w[0] == "done"]
        statuses = [(t, fields_of(w)) for t, w in sink_lines(os.path.join(args.run_dir, "sink.out")) if w[0] == "status"]
        delivered = int(statuses[-1][1].get("messages", 0)) if statuses else 0
        recipients = int(statuses[-1][1].get("recipients", 0)) if statuses else 0
        row["sink_messages"] = delivered
        row["sink_recipients"] = recipients
        row["e2e_rate"] = None
        if done and delivered >= expected and recipients >= expected * args.recipients:
            e2e_seconds = max(load["elapsed_s"], done[0][0] - measure_start)
            row["e2e_s"] = e2e_seconds
            row["e2e_rate"] = load["ok"] / e2e_seconds if e2e_seconds > 0 else None
        elif done:
            row["drain"] = "split"  # more transactions than messages: per-recipient delivery
    for key in ("cpu_s", "cpu_user_s", "cpu_sys_s", "peak_pss_mb", "peak_rss_mb", "peak_anon_mb",
                "peak_processes", "pss_samples", "sampler_cpu_s"):
        if key in proc:
            row[key] = proc[key]
    if "cpu_s" in row and row.get("accepted"):
        row["cpu_ms_per_msg"] = 1000 * row["cpu_s"] / (row["accepted"] + args.warmup)
    with open(os.path.join(args.out, "results.jsonl"), "a") as f:
        f.write(json.dumps(row, sort_keys=True) + "\n")
    print(one_line(row))
    if row["error"]:
        sys.exit(1)


def fmt(value, digits=0):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def one_line(row):
    parts = [f"round {row['round']} {row['workload']:<10} {row['target']:<11}"]
    parts.append(f"accept {fmt(row.get('accept_rate'))}/s")
    parts.append(f"e2e {fmt(row.get('e2e_rate'))}/s ({row['drain']})")
    if "eod_p50_ms" in row:
        parts.append(f"250 p50/p99 {fmt(row['eod_p50_ms'], 1)}/{fmt(row['eod_p99_ms'], 1)} ms")
    if "cpu_s" in row:
        parts.append(f"cpu {fmt(row['cpu_s'], 1)} s")
        parts.append(f"pss {fmt(row.get('peak_pss_mb'))} MB")
    if row.get("error"):
        parts.append(f"ERROR: {row['error']}")
    return "  ".join(parts)


# ------------------------------------------------------------------------------------ mailbox workloads


def memory(args):
    """Prints one JSON object: the summed PSS, RSS and anonymous RSS (MB) of a process (with --children:
    and its direct children, as for Dovecot's master and its imap processes) right now."""
    pids = [args.pid] + (read_children(args.pid) if args.children else [])
    rss = anon = 0
    for pid in pids:
        r, a = read_statm_kb(pid)
        rss += r
        anon += a
    pss = sum(read_pss_kb(pid) for pid in pids)
    print(json.dumps({"pss_mb": pss / 1024, "rss_mb": rss / 1024, "anon_mb": anon / 1024, "processes": len(pids)}))


def read_number(path):
    """The number a file holds (a jcmd reading), or None when it is missing or empty."""
    try:
        with open(path) as f:
            text = f.read().strip()
        return float(text) if text else None
    except OSError:
        return None


def record_mail(args):
    """One mailbox run (bin/bench mail's JSON, the sampler's and, for idle sessions, the memory
    snapshots) as one line of results.jsonl, with kind "mailbox"."""
    report = read_json(os.path.join(args.run_dir, "mail.json"))
    proc = read_json(os.path.join(args.run_dir, "proc.json")) or {}
    row = {"kind": "mailbox", "round": args.round, "workload": args.workload, "target": args.target, "error": None}
    if report is None:
        row["error"] = f"bench mail exit {args.tool_rc}, no report"
    elif "error" in report:
        row["error"] = report["error"]
    else:
        for key in ("messages", "median_ms", "first_ms", "min_ms", "messages_per_s", "octets", "hits",
                    "client_cpu_ms", "operations_per_s", "p50_ms", "p90_ms", "p99_ms", "p99_9_ms", "max_ms",
                    "errors", "client_cpu_ms_per_s", "open", "failed", "open_s"):
            if key in report:
                row[key] = report[key]
        if args.tool_rc != 0:
            row["error"] = f"bench mail exit {args.tool_rc}: {report.get('error_samples')}"
    before = read_json(os.path.join(args.run_dir, "memory-before.json"))
    held = read_json(os.path.join(args.run_dir, "memory-held.json"))
    if before and held and row.get("open"):
        for key in ("pss", "rss", "anon"):
            row[f"idle_{key}_kb_per_session"] = 1024 * (held[f"{key}_mb"] - before[f"{key}_mb"]) / row["open"]
        row["idle_pss_mb_held"] = held["pss_mb"]
        row["idle_pss_mb_before"] = before["pss_mb"]
        row["idle_processes_held"] = held["processes"]
        heap_before = read_number(os.path.join(args.run_dir, "heap-before.txt"))
        heap_held = read_number(os.path.join(args.run_dir, "heap-held.txt"))
        if heap_before is not None and heap_held is not None:
            row["idle_heap_kb_per_session"] = (heap_held - heap_before) / row["open"]
    elif args.workload == "imap-idle" and not row["error"]:
        row["error"] = "no memory snapshot with the sessions held"
    for key in ("cpu_s", "peak_pss_mb", "peak_rss_mb", "peak_processes"):
        if key in proc:
            row[f"server_{key}"] = proc[key]
    with open(os.path.join(args.out, "results.jsonl"), "a") as f:
        f.write(json.dumps(row, sort_keys=True) + "\n")
    parts = [f"round {row['round']} {row['workload']:<16} {row['target']:<8}"]
    for key, label in (("median_ms", "median ms"), ("messages_per_s", "msg/s"), ("hits", "hits"),
                       ("operations_per_s", "ops/s"), ("p99_ms", "p99 ms"),
                       ("idle_pss_kb_per_session", "PSS KB/session"), ("server_cpu_s", "server CPU s"),
                       ("client_cpu_ms", "client CPU ms/repeat"), ("client_cpu_ms_per_s", "client CPU ms/s")):
        if row.get(key) is not None:
            value = row[key]
            parts.append(f"{label} {value if isinstance(value, list) else fmt(value, 1)}")
    if row["error"]:
        parts.append(f"ERROR: {row['error']}")
    print("  ".join(parts))
    if row["error"]:
        sys.exit(1)


# (key, label, decimals) per mailbox workload; the ratio column is Vireo / Dovecot of the same figure.
MAIL_METRICS = {
    "imap-envelopes": [("median_ms", "time ms (lower is better)", 0), ("messages_per_s", "messages/s", 0)],
    "imap-bodies": [("median_ms", "time ms (lower is better)", 0), ("messages_per_s", "messages/s", 0)],
    "imap-search": [("median_ms", "time ms, FROM + SUBJECT (lower is better)", 1)],
    "imap-search-body": [("median_ms", "time ms, BODY (lower is better)", 0)],
    "pop3-retr": [("median_ms", "time ms (lower is better)", 0), ("messages_per_s", "messages/s", 0)],
    "imap-c50": [("operations_per_s", "operations/s (SELECT + FETCH 100)", 1), ("p50_ms", "p50 ms", 1),
                 ("p90_ms", "p90 ms", 1), ("p99_ms", "p99 ms", 1), ("p99_9_ms", "p99.9 ms", 1)],
    "imap-idle": [("idle_pss_kb_per_session", "PSS KB per idle session", 1),
                  ("idle_rss_kb_per_session", "RSS KB per idle session", 1),
                  ("idle_heap_kb_per_session", "JVM heap KB per idle session, after a full GC (Vireo)", 1),
                  ("idle_pss_mb_held", "PSS MB with the sessions held", 0), ("open_s", "s to open them", 1)],
}
MAIL_COMMON = [("server_cpu_s", "server CPU s (run)", 2), ("client_cpu_ms", "client CPU ms per repeat", 0),
               ("client_cpu_ms_per_s", "client CPU ms per s", 0), ("server_peak_pss_mb", "server peak PSS MB", 0)]


def summarize_mail(rows, out):
    summary = {}
    for workload in [w for w in MAIL_METRICS if any(r["workload"] == w for r in rows)]:
        of = [r for r in rows if r["workload"] == workload]
        dovecot = [r for r in of if r["target"] == "dovecot"]
        vireo = [r for r in of if r["target"] == "vireo"]
        first = of[0]
        out.append("")
        hits = ""
        if any("hits" in r for r in of):
            hits = "; hits " + ", ".join(f"{r['target']} {r['hits']}" for r in of if r["round"] == first["round"])
        what = {"imap-c50": "50 sessions, SELECT + FETCH of 100 messages each time",
                "imap-idle": f"{first.get('open', '?')} idle sessions held"}.get(workload)
        out.append(f"### {workload}: {what or str(first.get('messages', '?')) + ' messages'}{hits}")
        out.append("")
        out.append("| metric | Dovecot median (min–max) | Vireo median (min–max) | Vireo / Dovecot median (min–max) |")
        out.append("|---|---|---|---|")
        entry = {}
        for key, label, digits in MAIL_METRICS[workload] + MAIL_COMMON:
            d = spread([r.get(key) for r in dovecot])
            v = spread([r.get(key) for r in vireo])
            ratios = [vr[key] / dr[key] for vr in vireo for dr in dovecot
                      if dr["round"] == vr["round"] and vr.get(key) is not None and dr.get(key)]
            ratio = spread(ratios)
            entry[key] = {"dovecot": d, "vireo": v, "ratio": ratio}
            if d is None and v is None:
                continue
            out.append(f"| {label} | {cell(d, digits)} | {cell(v, digits)} | {cell(ratio, 2)} |")
        if not vireo:
            out.append("| Vireo | not run (see environment: vireo mailbox side) | | |")
        for r in of:
            if r.get("error"):
                out.append(f"| FAILED: round {r['round']} {r['target']} | {r['error']} | | |")
        summary[workload] = entry
    return summary


# ------------------------------------------------------------------------------------------- summarize

# (key, label, decimals, lower_is_better)
METRICS = [
    ("accept_rate", "accept msg/s", 0, False),
    ("e2e_rate", "end-to-end msg/s", 0, False),
    ("eod_p50_ms", "250 p50 ms", 1, True),
    ("eod_p90_ms", "250 p90 ms", 1, True),
    ("eod_p99_ms", "250 p99 ms", 1, True),
    ("eod_p99_9_ms", "250 p99.9 ms", 1, True),
    ("cpu_s", "CPU s (run)", 1, True),
    ("cpu_ms_per_msg", "CPU ms/msg", 2, True),
    ("peak_pss_mb", "peak PSS MB", 0, True),
    ("peak_rss_mb", "peak RSS MB", 0, True),
]

WORKLOAD_ORDER = ["c1", "c10", "c50", "c500", "r5", "mix", "c50new", "c50-tls", "c50new-tls"]


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values), "max": max(values), "n": len(values)}


def cell(s, digits):
    if s is None:
        return "n/a"
    if s["n"] == 1:
        return fmt(s["median"], digits)
    return f"{fmt(s['median'], digits)} ({fmt(s['min'], digits)}–{fmt(s['max'], digits)})"


def summarize(args):
    rows = []
    with open(os.path.join(args.out, "results.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if not rows:
        sys.exit("summarize: no results")
    mail_rows = [r for r in rows if r.get("kind") == "mailbox"]
    rows = [r for r in rows if r.get("kind") != "mailbox"]
    columns = sorted({key for row in rows for key in row if key != "failures"})
    if rows:
        with open(os.path.join(args.out, "results.csv"), "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    if mail_rows:
        mail_columns = sorted({key for row in mail_rows for key in row})
        with open(os.path.join(args.out, "results-mailbox.csv"), "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=mail_columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows([{k: (json.dumps(v) if isinstance(v, list) else v) for k, v in r.items()} for r in mail_rows])
    workloads = sorted({r["workload"] for r in rows}, key=lambda w: (WORKLOAD_ORDER.index(w) if w in WORKLOAD_ORDER else 99, w))
    summary = {}
    out = []
    for workload in workloads:
        of = [r for r in rows if r["workload"] == workload]
        by_target = {t: [r for r in of if r["target"] == t] for t in ("postfix", "vireo", "direct", "smtp-source")}
        first = of[0]
        out.append("")
        out.append(
            f"### {workload}: {first['connections']} connection(s), {first['recipients']} recipient(s),"
            f" {first['messages']:,} messages per run{' + 1 MB mix' if workload == 'mix' else ''}{', STARTTLS (TLS 1.3)' if workload.endswith('-tls') else ''}"
        )
        out.append("")
        out.append("| metric | Postfix median (min–max) | Vireo median (min–max) | Vireo / Postfix median (min–max) |")
        out.append("|---|---|---|---|")
        entry = {}
        for key, label, digits, _ in METRICS:
            p = spread([r.get(key) for r in by_target["postfix"]])
            v = spread([r.get(key) for r in by_target["vireo"]])
            ratios = []
            for vr in by_target["vireo"]:
                for pr in by_target["postfix"]:
                    if pr["round"] == vr["round"] and vr.get(key) is not None and pr.get(key):
                        ratios.append(vr[key] / pr[key])
            ratio = spread(ratios)
            entry[key] = {"postfix": p, "vireo": v, "ratio": ratio}
            if p is None and v is None:
                continue
            out.append(f"| {label} | {cell(p, digits)} | {cell(v, digits)} | {cell(ratio, 2)} |")
        for target, label in (("direct", "bench load → bench sink"), ("smtp-source", "smtp-source → smtp-sink")):
            s = spread([r.get("accept_rate") for r in by_target[target]])
            entry[target] = s
            if s is not None:
                out.append(f"| ceiling: {label}, msg/s | {cell(s, 0)} | | |")
        failed = [r for r in of if r.get("error")]
        for r in failed:
            out.append(f"| FAILED: round {r['round']} {r['target']} | {r['error']} | | |")
        summary[workload] = entry
    if mail_rows:
        out.append("")
        out.append("## Mailbox: Vireo vs Dovecot")
        summary["mailbox"] = summarize_mail(mail_rows, out)
    print("\n".join(out).lstrip("\n"))
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    if rows:
        write_chart_data(rows, os.path.join(args.out, "throughput.dat"))
    if any(r.get("error") for r in rows + mail_rows):
        sys.exit(1)


def write_chart_data(rows, path):
    """Chart data: one line per concurrency level, median/min/max for each series."""
    series = [
        ("postfix", "accept_rate"),
        ("postfix", "e2e_rate"),
        ("vireo", "accept_rate"),
        ("vireo", "e2e_rate"),
        ("direct", "accept_rate"),
        ("smtp-source", "accept_rate"),
    ]
    with open(path, "w") as f:
        f.write("# connections " + " ".join(f"{t}:{k}:med {t}:{k}:min {t}:{k}:max" for t, k in series) + "\n")
        for workload in ("c1", "c10", "c50", "c500"):
            of = [r for r in rows if r["workload"] == workload]
            if not of:
                continue
            values = [str(of[0]["connections"])]
            for target, key in series:
                s = spread([r.get(key) for r in of if r["target"] == target])
                values += ["NaN"] * 3 if s is None else [f"{s['median']:.1f}", f"{s['min']:.1f}", f"{s['max']:.1f}"]
            f.write(" ".join(values) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sample")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--children", action="store_true")
    p.add_argument("--interval", type=float, default=0.2)
    p.add_argument("--out", required=True)
    p.set_defaults(func=sample)
    p = sub.add_parser("record")
    p.add_argument("--out", required=True)
    p.add_argument("--run-dir", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--connections", type=int, required=True)
    p.add_argument("--recipients", type=int, required=True)
    p.add_argument("--messages", type=int, required=True)
    p.add_argument("--warmup", type=int, default=0)
    p.add_argument("--tool-rc", type=int, default=0)
    p.add_argument("--load-end", type=float, default=0.0)
    p.add_argument("--elapsed", type=float, default=0.0)
    p.add_argument("--drain", default="n/a")
    p.set_defaults(func=record)
    p = sub.add_parser("memory")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--children", action="store_true")
    p.set_defaults(func=memory)
    p = sub.add_parser("record-mail")
    p.add_argument("--out", required=True)
    p.add_argument("--run-dir", required=True)
    p.add_argument("--target", required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--tool-rc", type=int, default=0)
    p.set_defaults(func=record_mail)
    p = sub.add_parser("summarize")
    p.add_argument("--out", required=True)
    p.set_defaults(func=summarize)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
