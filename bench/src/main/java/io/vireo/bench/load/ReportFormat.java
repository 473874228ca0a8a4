package io.vireo.bench.load;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link LoadReport} for people (aligned text) or for scripts (one JSON object). */
final class ReportFormat {
  private ReportFormat() {}

  static String text(LoadOptions options, LoadReport report) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "target      %s:%d, %d connections on %s threads, %s, pipelining %s%s%n",
            options.host(),
            options.port(),
            options.connections(),
            options.threads().name().toLowerCase(Locale.ROOT),
            options.reuseConnections() ? "connections reused" : "new connection per message",
            options.pipelining() ? "on" : "off",
            options.starttls() ? ", STARTTLS (" + BenchTls.PROTOCOL + ")" : ""));
    out.append(
        String.format(
            Locale.ROOT,
            "messages    %d bytes x %d recipient(s)%s, %d warm-up%n",
            options.size(),
            options.recipients(),
            options.mix().map(m -> ", mix " + m).orElse(""),
            options.warmup()));
    out.append(
        String.format(
            Locale.ROOT,
            "sent        %d, ok %d, failed %d%s%n",
            report.attempted(),
            report.accepted(),
            report.failed(),
            report.failures().isEmpty() ? "" : " (" + failures(report.failures()) + ")"));
    if (report.recipientsRefused() > 0) {
      out.append(String.format(Locale.ROOT, "refused     %d recipient(s)%n", report.recipientsRefused()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "elapsed     %.3f s%s%n",
            report.elapsed().toNanos() / 1e9,
            report.stoppedByDeadline() ? " (stopped by --duration-limit)" : ""));
    out.append(String.format(Locale.ROOT, "rate        %.1f messages/s%n", report.messagesPerSecond()));
    out.append(latencyLine("end-of-data", report.endOfData()));
    out.append(latencyLine("per-message", report.total()));
    out.append(String.format(Locale.ROOT, "connections %d opened%n", report.connectionsOpened()));
    return out.toString();
  }

  static String json(LoadOptions options, LoadReport report) {
    StringBuilder out = new StringBuilder("{");
    field(out, "host", quote(options.host()));
    field(out, "port", options.port());
    field(out, "connections", options.connections());
    field(out, "threads", quote(options.threads().name().toLowerCase(Locale.ROOT)));
    field(out, "reuse", options.reuseConnections());
    field(out, "pipelining", options.pipelining());
    field(out, "starttls", options.starttls());
    field(out, "size", options.size());
    field(out, "recipients", options.recipients());
    field(out, "mix", options.mix().map(m -> quote(m.toString())).orElse("null"));
    field(out, "warmup", options.warmup());
    field(out, "sent", report.attempted());
    field(out, "ok", report.accepted());
    field(out, "failed", report.failed());
    field(
        out,
        "failures",
        report.failures().entrySet().stream()
            .map(e -> quote(e.getKey()) + ":" + e.getValue())
            .collect(Collectors.joining(",", "{", "}")));
    field(out, "recipients_refused", report.recipientsRefused());
    field(out, "elapsed_s", String.format(Locale.ROOT, "%.6f", report.elapsed().toNanos() / 1e9));
    field(out, "messages_per_s", String.format(Locale.ROOT, "%.1f", report.messagesPerSecond()));
    field(out, "end_of_data_us", latencyJson(report.endOfData()));
    field(out, "per_message_us", latencyJson(report.total()));
    field(out, "connections_opened", report.connectionsOpened());
    field(out, "stopped_by_deadline", report.stoppedByDeadline());
    out.setLength(out.length() - 1);
    return out.append('}').toString();
  }

  private static String latencyLine(String name, LatencySummary latency) {
    if (latency.count() == 0) {
      return String.format(Locale.ROOT, "%-11s no accepted messages%n", name);
    }
    return String.format(
        Locale.ROOT,
        "%-11s ms p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
        name,
        latency.p50() / 1e3,
        latency.p90() / 1e3,
        latency.p99() / 1e3,
        latency.p999() / 1e3,
        latency.max() / 1e3);
  }

  private static String latencyJson(LatencySummary latency) {
    return String.format(
        Locale.ROOT,
        "{\"count\":%d,\"p50\":%d,\"p90\":%d,\"p99\":%d,\"p99_9\":%d,\"max\":%d,\"mean\":%.1f}",
        latency.count(),
        latency.p50(),
        latency.p90(),
        latency.p99(),
        latency.p999(),
        latency.max(),
        latency.mean());
  }

  private static String failures(Map<String, Long> failures) {
    return failures.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static void field(StringBuilder out, String name, Object value) {
    out.append('"').append(name).append("\":").append(value).append(',');
  }

  /** JSON string literal; the values here are host names, addresses and digits, but escape anyway. */
  private static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"', '\\' -> quoted.append('\\').append(c);
        default -> {
          if (c < 0x20) {
            quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
