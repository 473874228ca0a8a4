package io.vireo.relay.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * How {@code vireo queue list} and {@code vireo queue summary} print the admin API's JSON (or the
 * same JSON written from the spool): list as JSON lines or a mailq-like table, summary as a
 * qshape-like table.
 */
final class QueueListingOutput {
  private QueueListingOutput() {}

  /** Where the listing's JSON lines go: printed as they are, or as a table. */
  interface LineSink {
    void line(String json) throws IOException;

    void end();

    /** A stream that splits what is written into lines for {@link #line}. */
    default OutputStream asStream() {
      LineSink sink = this;
      return new OutputStream() {
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
          if (b == '\n') {
            sink.line(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else {
            line.write(b);
          }
        }
      };
    }
  }

  /** The JSON lines as they came. */
  record JsonLines(PrintStream out) implements LineSink {
    @Override
    public void line(String json) {
      out.println(json);
    }

    @Override
    public void end() {
      out.flush();
    }
  }

  /** A mailq-like table, a count at the end, and the cursor for the next page when cut. */
  static final class Table implements LineSink {
    private final PrintStream out;
    private final long limit;
    private long count;
    private String last;

    Table(PrintStream out, long limit) {
      this.out = out;
      this.limit = limit;
      out.printf("%-20s %10s  %-20s  %-30s  %s%n", "ID", "SIZE", "ARRIVAL", "SENDER", "RECIPIENTS");
    }

    @Override
    public void line(String json) throws IOException {
      Map<?, ?> message = (Map<?, ?>) JsonValues.parse(json);
      StringBuilder recipients = new StringBuilder();
      for (Object item : (List<?>) message.get("recipients")) {
        Map<?, ?> r = (Map<?, ?>) item;
        if (!recipients.isEmpty()) {
          recipients.append(", ");
        }
        recipients.append(r.get("address")).append(" (").append(r.get("state")).append(')');
      }
      last = (String) message.get("queue_id");
      out.printf(
          "%-20s %10d  %-20s  %-30s  %s%n",
          last,
          (Long) message.get("message_size"),
          java.time.Instant.parse((String) message.get("arrival"))
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
          "<" + message.get("sender") + ">",
          recipients);
      count++;
    }

    @Override
    public void end() {
      out.printf("-- %d message%s%n", count, count == 1 ? "" : "s");
      if (limit > 0 && count == limit) {
        out.printf("-- more may follow: --after %s%n", last);
      }
      out.flush();
    }
  }

  /** The summary as a qshape-like table: the total, then a row per domain; a column per age. */
  static void printShape(Map<?, ?> summary) {
    StringBuilder header = new StringBuilder(String.format("%-30s %7s", "", "T"));
    for (Object minutes : (List<?>) summary.get("bucket_minutes")) {
      header.append(String.format(" %6s", minutes));
    }
    List<?> buckets = (List<?>) summary.get("bucket_minutes");
    header.append(String.format(" %6s", buckets.getLast() + "+"));
    System.out.println(header);
    row("TOTAL", (Map<?, ?>) summary.get("total"));
    for (Object destination : (List<?>) summary.get("destinations")) {
      Map<?, ?> d = (Map<?, ?>) destination;
      row((String) d.get("domain"), d);
    }
  }

  private static void row(String name, Map<?, ?> counts) {
    StringBuilder line = new StringBuilder(String.format("%-30s %7s", name, counts.get("total")));
    for (Object count : (List<?>) counts.get("counts")) {
      line.append(String.format(" %6s", count));
    }
    System.out.println(line);
  }
}
