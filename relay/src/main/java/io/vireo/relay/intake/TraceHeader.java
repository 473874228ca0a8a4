package io.vireo.relay.intake;

import io.vireo.queue.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Received:} trace header (RFC 5321 section 4.4) for a message submitted whole, such as
 * through the HTTP API: {@code from} names the submitter and its IP literal, {@code with} the
 * protocol. The SMTP session writes its own, richer one while it streams ({@code ReceivedHeader}).
 */
final class TraceHeader {
  /** RFC 5322 section 3.3 date-time with a numeric zone. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

  private TraceHeader() {}

  static byte[] render(Submission submission, String hostname, MessageId id, ZonedDateTime when) {
    String client = submission.clientAddress();
    String literal = client.indexOf(':') >= 0 ? "[IPv6:" + client + "]" : "[" + client + "]";
    String header =
        "Received: from "
            + atom(submission.clientName())
            + " ("
            + literal
            + ")\r\n\tby "
            + hostname
            + " (Vireo) with "
            + submission.protocol()
            + " id "
            + id
            + ";\r\n\t"
            + DATE.format(when)
            + "\r\n";
    return header.getBytes(StandardCharsets.US_ASCII);
  }

  /** Keeps the name a header-safe token: anything but letters, digits, '.', '-' and '_' becomes '-'. */
  private static String atom(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length() && i < 64; i++) {
      char c = name.charAt(i);
      boolean safe =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
              || c == '-' || c == '_';
      out.append(safe ? c : '-');
    }
    return out.isEmpty() ? "unknown" : out.toString();
  }
}
