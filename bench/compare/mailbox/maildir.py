#!/usr/bin/env python3
"""Writes a deterministic Maildir for the mailbox workloads of bench/compare/run.sh (standard library only).

  maildir.py --out DIR [--messages 10000] [--seed 11]

DIR/cur gets MESSAGES messages (DIR/new and DIR/tmp stay empty), the same octets for the same seed and
count on every machine, so Dovecot and Vireo serve identical copies and two runs serve identical mail.
The mix, chosen to look like a working inbox rather than a synthetic one:

  plain          55%  text/plain, 1-10 KB, quoted-printable now and then
  alternative    25%  multipart/alternative: text/plain + text/html, 3-25 KB
  attachment     18%  multipart/mixed: text (or an alternative) + 1-2 base64 attachments, 7-170 KB
  large           2%  multipart/mixed with one base64 attachment, 200-680 KB

Header fields are what a delivered message carries (Return-Path, Received, Date, From, To, Cc now and
then, Subject, Message-ID, In-Reply-To on replies, MIME-Version, Content-Type). Lines end in LF, as
in any Maildir; file names follow Dovecot's delivery (`TIME.MUSECPPID.HOST,S=SIZE,W=VSIZE:2,FLAGS`, S
the file size, W the size with CRLF line ends), and each file's mtime is its delivery time, which
servers report as INTERNALDATE. About 70% are seen (`S`), 5% flagged, 10% answered.

Search targets, for the SEARCH workload (counts are printed as JSON on stdout and kept in
DIR/../maildir.json):
  FROM "quill.ortega"      the sender of ~1% of messages
  SUBJECT "tidewater"      in ~2% of subjects
  BODY "zephyrine"         in the text of ~0.5% of messages
"""

import argparse
import base64
import json
import os
import random

WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his from at which but have an they "
    "you were her she there one all we their been has when who will more if out so up said what its about than "
    "into them can only other new some could time these two may then do first any my now such like our over man "
    "me even most made after also did many before must through back years where much your way well down should "
    "because each just those people how too little state good very make world still own see men work long get "
    "here between both life being under never day same another know while last might us great old year off come "
    "since against go came right used take three budget meeting report release deploy server invoice schedule "
    "review draft quarter customer ticket backlog design roadmap travel lunch contract payment migration"
).split()
FIRST = "ana ben carla dmitri elena farid grace hiro ines jonas kai lena marco nadia omar petra quinn rosa sven tara".split()
LAST = "silva keller novak tanaka moreau okafor lindqvist rossi horvat brennan dubois fischer ortiz sato weber".split()
DOMAINS = "example.com example.org example.net mail.example corp.example lists.example".split()
USER = "bench@vireo-bench.test"
SEARCH_FROM = "quill.ortega"
SEARCH_SUBJECT = "tidewater"
SEARCH_BODY = "zephyrine"
HOST = "bench.vireo.test"
START = 1_700_000_000  # delivery time of the first message (November 2023), one every ~47 min after it
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def rfc5322_date(t):
    import time

    g = time.gmtime(t)
    return f"{DAYS[g.tm_wday]}, {g.tm_mday:02d} {MONTHS[g.tm_mon - 1]} {g.tm_year} {g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d} +0000"


def person(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return first.capitalize() + " " + last.capitalize(), f"{first}.{last}@{rng.choice(DOMAINS)}"


def sentence(rng, extra=None):
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    if extra:
        words.insert(rng.randrange(len(words)), extra)
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph_text(rng, size, extra=None):
    """Plain text of about size octets in lines of at most 76 characters."""
    lines, line, total = [], "", 0
    placed = extra is None
    while total < size:
        s = sentence(rng, None if placed else extra)
        placed = True
        for word in s.split(" "):
            if len(line) + len(word) + 1 > 72:
                lines.append(line)
                total += len(line) + 1
                line = word
            else:
                line = word if not line else line + " " + word
        if rng.random() < 0.2:
            lines.append(line)
            lines.append("")
            total += len(line) + 2
            line = ""
    if line:
        lines.append(line)
    return "\n".join(lines) + "\n"


def html_of(text):
    paras = [p.replace("\n", " ") for p in text.split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body>\n{body}\n</body></html>\n"


def base64_lines(data):
    encoded = base64.b64encode(data).decode("ascii")
    return "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76)) + "\n"


def quoted_printable_ish(rng, text):
    # A few soft line breaks and an encoded octet, as mail clients produce for accented text.
    out = []
    for line in text.split("\n"):
        if line and rng.random() < 0.1:
            line = line + " caf=C3=A9"
        out.append(line)
    return "\n".join(out)


def attachment(rng, size, boundary):
    kind = rng.choice([("application/pdf", "pdf"), ("image/png", "png"), ("application/zip", "zip"),
                       ("text/csv", "csv"), ("image/jpeg", "jpg")])
    name = f"{rng.choice(WORDS)}-{rng.randint(1, 999)}.{kind[1]}"
    raw = rng.randbytes(size)
    return (f"--{boundary}\nContent-Type: {kind[0]}; name=\"{name}\"\nContent-Transfer-Encoding: base64\n"
            f"Content-Disposition: attachment; filename=\"{name}\"\n\n{base64_lines(raw)}")


def alternative_part(rng, size, boundary, extra):
    text = paragraph_text(rng, size, extra)
    return (f"Content-Type: multipart/alternative; boundary=\"{boundary}\"\n\n"
            f"--{boundary}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{text}\n"
            f"--{boundary}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n{html_of(text)}\n"
            f"--{boundary}--\n")


def message(rng, index, when, targets):
    kind_roll = rng.random()
    kind = "plain" if kind_roll < 0.55 else "alternative" if kind_roll < 0.80 else "attachment" if kind_roll < 0.98 else "large"
    from_name, from_addr = person(rng)
    if rng.random() < 0.01:
        from_name, from_addr = "Quill Ortega", f"{SEARCH_FROM}@example.net"
        targets["from"] += 1
    subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))).capitalize()
    if rng.random() < 0.02:
        subject += " " + SEARCH_SUBJECT
        targets["subject"] += 1
    extra = None
    if rng.random() < 0.005:
        extra = SEARCH_BODY
        targets["body"] += 1
    reply = rng.random() < 0.3
    if reply:
        subject = "Re: " + subject
    headers = [
        f"Return-Path: <{from_addr}>",
        f"Received: from mx{rng.randint(1, 4)}.{from_addr.split('@')[1]} (mx.{from_addr.split('@')[1]} [192.0.2.{rng.randint(1, 254)}])",
        f"\tby {HOST} with ESMTPS id {index:08X}; {rfc5322_date(when)}",
        f"Date: {rfc5322_date(when - rng.randint(1, 90))}",
        f"From: {from_name} <{from_addr}>",
        f"To: Bench User <{USER}>",
    ]
    if rng.random() < 0.2:
        cc = [person(rng) for _ in range(rng.randint(1, 3))]
        headers.append("Cc: " + ", ".join(f"{n} <{a}>" for n, a in cc))
    headers.append(f"Subject: {subject}")
    headers.append(f"Message-ID: <{index}.{rng.getrandbits(40):x}@{from_addr.split('@')[1]}>")
    if reply:
        headers.append(f"In-Reply-To: <{rng.randint(0, 100000)}.{rng.getrandbits(40):x}@{rng.choice(DOMAINS)}>")
    headers.append("MIME-Version: 1.0")
    boundary = f"=_b{index}_{rng.getrandbits(48):012x}"
    if kind == "plain":
        text = paragraph_text(rng, rng.randint(1000, 10000), extra)
        if rng.random() < 0.3:
            headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
            body = quoted_printable_ish(rng, text)
        else:
            headers += ["Content-Type: text/plain; charset=utf-8; format=flowed", "Content-Transfer-Encoding: 7bit"]
            body = text
        return "\n".join(headers) + "\n\n" + body
    if kind == "alternative":
        part = alternative_part(rng, rng.randint(1500, 10000), boundary, extra)
        return "\n".join(headers) + "\n" + part
    # attachment or large: multipart/mixed with a text (or alternative) part first.
    outer = boundary + "_m"
    if rng.random() < 0.5:
        first = alternative_part(rng, rng.randint(500, 3000), boundary, extra)
    else:
        first = ("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n"
                 + paragraph_text(rng, rng.randint(300, 3000), extra))
    parts = [f"--{outer}\n{first}"]
    if kind == "large":
        parts.append(attachment(rng, rng.randint(150_000, 500_000), outer))
    else:
        for _ in range(rng.choice([1, 1, 1, 2])):
            parts.append(attachment(rng, rng.randint(5_000, 60_000), outer))
    body = "This is a multi-part message in MIME format.\n\n" + "\n".join(parts) + f"\n--{outer}--\n"
    headers.append(f"Content-Type: multipart/mixed; boundary=\"{outer}\"")
    return "\n".join(headers) + "\n\n" + body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the Maildir to create (must not exist)")
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.messages < 1:
        parser.error("--messages must be positive")
    os.makedirs(args.out)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(args.out, sub))
    rng = random.Random(args.seed)
    targets = {"from": 0, "subject": 0, "body": 0}
    total = vtotal = 0
    when = START
    for i in range(args.messages):
        when += rng.randint(60, 5600)
        data = message(rng, i, when, targets).encode("utf-8")
        size, vsize = len(data), len(data) + data.count(b"\n")
        roll = rng.random()
        flags = ("R" if roll < 0.10 else "") + ("F" if rng.random() < 0.05 else "") + ("S" if roll < 0.70 else "")
        name = f"{when}.M{rng.randint(0, 999999)}P{1000 + i}.{HOST},S={size},W={vsize}:2,{''.join(sorted(flags))}"
        path = os.path.join(args.out, "cur", name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (when, when))
        total += size
        vtotal += vsize
    summary = {
        "messages": args.messages,
        "seed": args.seed,
        "octets": total,
        "octets_crlf": vtotal,
        "search": {
            "from": {"key": SEARCH_FROM, "expected": targets["from"]},
            "subject": {"key": SEARCH_SUBJECT, "expected": targets["subject"]},
            "body": {"key": SEARCH_BODY, "expected": targets["body"]},
        },
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
