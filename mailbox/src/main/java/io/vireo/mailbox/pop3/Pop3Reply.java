package io.vireo.mailbox.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One status line: {@code +OK text} or {@code -ERR [CODE] text} (RFC 1939 section 3), the
 * response code in brackets as RFC 2449 section 8 and RFC 3206 define them. Rendered only in
 * {@link #toBytes()}.
 *
 * @param code a response code such as {@code IN-USE}, {@code AUTH}, {@code SYS/TEMP}; only on -ERR
 */
public record Pop3Reply(boolean ok, Optional<String> code, String text) {
  public Pop3Reply {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(text, "text");
    if (text.chars().anyMatch(c -> c == '\r' || c == '\n')) {
      throw new IllegalArgumentException("a status line has no line break: " + text);
    }
    if (ok && code.isPresent()) {
      throw new IllegalArgumentException("response codes go on -ERR only");
    }
  }

  static Pop3Reply ok(String text) {
    return new Pop3Reply(true, Optional.empty(), text);
  }

  static Pop3Reply err(String text) {
    return new Pop3Reply(false, Optional.empty(), text);
  }

  static Pop3Reply err(String code, String text) {
    return new Pop3Reply(false, Optional.of(code), text);
  }

  /** The status line with its CRLF. */
  public byte[] toBytes() {
    return render().getBytes(StandardCharsets.UTF_8);
  }

  public String render() {
    StringBuilder line = new StringBuilder(ok ? "+OK" : "-ERR");
    code.ifPresent(c -> line.append(" [").append(c).append(']'));
    if (!text.isEmpty()) {
      line.append(' ').append(text);
    }
    return line.append("\r\n").toString();
  }

  @Override
  public String toString() {
    return render().strip();
  }
}
