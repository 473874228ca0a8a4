package io.vireo.bench.mail;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One client session that times one request over the whole mailbox, repeated: the mailbox workloads
 * of the issue that a single user causes (a client syncing its message list, downloading everything,
 * searching, a POP3 client fetching every message). Login and SELECT are not timed; every repeat is
 * checked to have returned every message (or the same hits), so a server that answers less is not
 * counted as faster.
 */
final class SessionWorkload {
  /** What the session does, repeated. */
  enum Kind {
    /** {@code FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)}: a client building its message list. */
    ENVELOPES,
    /** {@code UID FETCH 1:* BODY.PEEK[]}: a client downloading every message. */
    BODIES,
    /** {@code SEARCH criteria}, once per given criteria, timed together. */
    SEARCH,
    /** POP3 {@code RETR} of every message (no DELE): a POP3 client's download. */
    RETR
  }

  private final MailTarget target;
  private final Kind kind;
  private final List<String> searches;
  private final int repeat;

  SessionWorkload(MailTarget target, Kind kind, List<String> searches, int repeat) {
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat must be at least 1");
    }
    if (kind == Kind.SEARCH && searches.isEmpty()) {
      throw new IllegalArgumentException("the search workload needs at least one --search");
    }
    this.target = target;
    this.kind = kind;
    this.searches = List.copyOf(searches);
    this.repeat = repeat;
  }

  /** Runs the repeats and returns the report (times in milliseconds). */
  Map<String, Object> run() throws IOException {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("workload", kind.name().toLowerCase(java.util.Locale.ROOT));
    List<Double> times = new ArrayList<>();
    long cpuBefore;
    long messages;
    long octets = 0;
    List<Integer> hits = new ArrayList<>();
    if (kind == Kind.RETR) {
      try (Pop3Client pop3 = target.pop3()) {
        messages = pop3.login(target.user(), target.password());
        cpuBefore = ClientCpu.nanos();
        for (int r = 0; r < repeat; r++) {
          long start = System.nanoTime();
          octets = 0;
          for (int n = 1; n <= messages; n++) {
            octets += pop3.retr(n);
          }
          times.add((System.nanoTime() - start) / 1e6);
        }
        pop3.quit();
      }
    } else {
      try (ImapClient imap = target.imap()) {
        messages = imap.loginAndSelect(target.user(), target.password(), target.mailbox());
        cpuBefore = ClientCpu.nanos();
        for (int r = 0; r < repeat; r++) {
          long start = System.nanoTime();
          hits.clear();
          octets = 0;
          switch (kind) {
            case ENVELOPES -> octets = fetchAll(imap, "FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)", messages).octets();
            case BODIES -> octets = fetchAll(imap, "UID FETCH 1:* BODY.PEEK[]", messages).literalOctets();
            default -> {
              for (String criteria : searches) {
                ImapResponse found = ImapClient.expectOk(imap.command("SEARCH " + criteria), "SEARCH");
                hits.add(found.searchHits());
                octets += found.octets();
              }
            }
          }
          times.add((System.nanoTime() - start) / 1e6);
        }
        imap.logout();
      }
    }
    long cpu = ClientCpu.nanos() - cpuBefore;
    List<Double> sorted = times.stream().sorted().toList();
    double median = sorted.size() % 2 == 1
        ? sorted.get(sorted.size() / 2)
        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    report.put("messages", messages);
    report.put("repeat", repeat);
    report.put("times_ms", times);
    report.put("first_ms", times.getFirst());
    report.put("median_ms", median);
    report.put("min_ms", sorted.getFirst());
    report.put("messages_per_s", kind == Kind.SEARCH ? null : messages / (median / 1000));
    report.put("octets", octets);
    if (kind == Kind.SEARCH) {
      report.put("searches", searches);
      report.put("hits", hits);
    }
    report.put("client_cpu_ms", cpu / 1e6 / repeat);
    return report;
  }

  private static ImapResponse fetchAll(ImapClient imap, String command, long messages) throws IOException {
    ImapResponse response = ImapClient.expectOk(imap.command(command), command);
    if (response.fetches() != messages) {
      throw new MailProtocolException(
          command + ": " + response.fetches() + " FETCH responses for " + messages + " messages");
    }
    return response;
  }
}
