package io.vireo.relay.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an optional enhanced status code and one or more lines of
 * text. This is the only place a reply is turned into bytes.
 *
 * @param code the basic reply code (RFC 5321 section 4.2)
 * @param status the enhanced status code, or null for replies that carry none: the greeting, the
 *     EHLO and HELO replies (RFC 2034 section 3) and 3xx intermediate replies
 * @param lines the text lines, at least one; no CR or LF inside
 */
public record SmtpReply(int code, EnhancedStatus status, List<String> lines) {
  public SmtpReply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line");
    }
    for (String line : lines) {
      if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("reply text must not contain CR or LF: " + line);
      }
    }
    if (status != null && status.statusClass() != code / 100) {
      throw new IllegalArgumentException(
          "enhanced status " + status + " does not match code " + code);
    }
  }

  public static SmtpReply of(int code, EnhancedStatus status, String text) {
    return new SmtpReply(code, status, List.of(text));
  }

  public static SmtpReply of(int code, String text) {
    return new SmtpReply(code, null, List.of(text));
  }

  /** 2xx. */
  public boolean isPositive() {
    return code < 300;
  }

  /** 4xx or 5xx. */
  public boolean isFailure() {
    return code >= 400;
  }

  /** The first line's text, without code or status; handy in logs. */
  public String text() {
    return lines.getFirst();
  }

  /**
   * The reply as sent on the wire. Multi-line replies use {@code code-} on every line but the last
   * (RFC 5321 section 4.2.1); the enhanced status code is repeated on every line, as RFC 2034
   * clients expect.
   */
  public String render() {
    StringBuilder out = new StringBuilder(16 + 48 * lines.size());
    for (int i = 0; i < lines.size(); i++) {
      out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
      if (status != null) {
        out.append(status).append(' ');
      }
      out.append(lines.get(i)).append("\r\n");
    }
    return out.toString();
  }

  /**
   * {@link #render()} as UTF-8 bytes (RFC 6531 allows UTF-8 in reply text; ours is ASCII in
   * practice).
   */
  public byte[] toBytes() {
    return render().getBytes(StandardCharsets.UTF_8);
  }

  /** A reply with the same code and status but other text. */
  public SmtpReply withText(String text) {
    Objects.requireNonNull(text, "text");
    return new SmtpReply(code, status, List.of(text));
  }

  @Override
  public String toString() {
    return render().stripTrailing().replace("\r\n", " | ");
  }
}
