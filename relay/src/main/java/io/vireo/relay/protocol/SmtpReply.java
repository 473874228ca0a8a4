package io.vireo.relay.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply (RFC 5321 section 4.2): a three-digit code, an optional enhanced status code and
 * one or more lines of text. The one value for a reply on both sides of the wire: the server
 * renders it ({@link #render()}, the only place a reply is turned into bytes), the client reads it
 * back from a server's lines ({@link #parse}) or makes one up for a recipient it never offered.
 *
 * @param code the basic reply code (RFC 5321 section 4.2); 100 to 599, since a client reads what a
 *     server sends, though no SMTP command has a 1xx reply
 * @param status the enhanced status code, or null for replies that carry none: the greeting, the
 *     EHLO and HELO replies (RFC 2034 section 3), 3xx intermediate replies, and servers that send
 *     none
 * @param lines the text lines, at least one, without code, separator or enhanced status; no CR or
 *     LF inside
 */
public record SmtpReply(int code, EnhancedStatus status, List<String> lines) {
  // RFC 3463 section 2: class "." subject "." detail, subject and detail 1-3 digits.
  private static final Pattern LEADING_STATUS =
      Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: +|$)");

  public SmtpReply {
    if (code < 100 || code > 599) {
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

  /**
   * A single-line reply with the enhanced status written out, e.g. {@code of(552, "5.3.4", "Message
   * too big")}, as delivery makes them up for recipients it refuses itself. The text often carries
   * an exception's message, so a CR or LF in it becomes a space instead of failing the delivery.
   *
   * @param enhancedStatus {@code class.subject.detail}, or null for none
   */
  public static SmtpReply of(int code, String enhancedStatus, String text) {
    return new SmtpReply(
        code,
        enhancedStatus == null ? null : EnhancedStatus.parse(enhancedStatus),
        List.of(oneLine(text)));
  }

  /**
   * The reply a server sent as these lines, each still starting with the code ({@code
   * "250-PIPELINING"}); the caller has checked their syntax and which one is last. The enhanced
   * status is taken from the first line only when its class matches the code's first digit (RFC
   * 3463 section 2), and then stripped from every line that repeats it. A stray CR inside a line
   * (RFC 5321 section 2.3.8 forbids it, a few servers send it) becomes a space: the text is read,
   * logged and reported, never relayed, so it is kept rather than refused.
   */
  public static SmtpReply parse(int code, List<String> rawLines) {
    if (rawLines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line");
    }
    List<String> texts = new ArrayList<>(rawLines.size());
    for (String raw : rawLines) {
      String text = raw.length() > 4 ? raw.substring(4) : "";
      texts.add(oneLine(text));
    }
    EnhancedStatus status = null;
    Matcher m = LEADING_STATUS.matcher(texts.getFirst());
    if (m.find() && m.group(1).charAt(0) == Character.forDigit(code / 100, 10)) {
      status =
          EnhancedStatus.of(
              m.group(1).charAt(0) - '0',
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
      // Stripped as the server wrote it; a leading zero ("5.01.1") is dropped from the value only.
      String written = m.group(1) + "." + m.group(2) + "." + m.group(3);
      for (int i = 0; i < texts.size(); i++) {
        String text = texts.get(i);
        if (text.startsWith(written)
            && (text.length() == written.length() || text.charAt(written.length()) == ' ')) {
          texts.set(i, text.substring(written.length()).stripLeading());
        }
      }
    }
    return new SmtpReply(code, status, texts);
  }

  /** 2xx or 3xx: completed, or accepted so far (354 after DATA, 334 during AUTH). */
  public boolean isPositive() {
    return code < 400;
  }

  /** 2xx: the command completed. */
  public boolean isCompletion() {
    return code >= 200 && code < 300;
  }

  /** 4xx or 5xx. */
  public boolean isFailure() {
    return code >= 400;
  }

  /** 4xx: try again later. */
  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  /** 5xx: do not repeat the same request. */
  public boolean isPermanent() {
    return code >= 500;
  }

  /** The enhanced status as written ({@code 5.1.1}), or null when the reply has none. */
  public String enhancedStatus() {
    return status == null ? null : status.toString();
  }

  /**
   * The reply on one line, e.g. {@code 550 5.1.1 No such user}: code, enhanced status and every
   * non-blank line, trimmed. For logs, the spool's records and delivery reports.
   */
  public String text() {
    StringBuilder out = new StringBuilder().append(code);
    if (status != null) {
      out.append(' ').append(status);
    }
    for (String line : lines) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty()) {
        out.append(' ').append(trimmed);
      }
    }
    return out.toString();
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

  private static String oneLine(String text) {
    return text.replace('\r', ' ').replace('\n', ' ');
  }

  @Override
  public String toString() {
    return render().stripTrailing().replace("\r\n", " | ");
  }
}
