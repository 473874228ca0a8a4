package io.vireo.relay.delivery.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reply from a remote SMTP server (RFC 5321 section 4.2), possibly spanning several lines, or a
 * reply the client made up locally for a recipient it never offered to the server.
 *
 * @param code the three-digit reply code
 * @param enhancedStatus the RFC 3463 enhanced status code such as {@code 5.1.1}, or null when the
 *     server sent none
 * @param lines the text of each line, without the code, the separator and the enhanced status
 */
public record SmtpResponse(int code, String enhancedStatus, List<String> lines) {

  // RFC 3463 section 2: class "." subject "." detail, subject and detail 1-3 digits.
  private static final Pattern ENHANCED =
      Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?: +|$)");

  public SmtpResponse {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    lines = List.copyOf(lines);
  }

  /** A single-line reply, e.g. {@code of(552, "5.3.4", "Message too big")}. */
  public static SmtpResponse of(int code, String enhancedStatus, String text) {
    return new SmtpResponse(code, enhancedStatus, List.of(text));
  }

  /**
   * Builds a reply from its raw lines, each still starting with the code ({@code
   * "250-PIPELINING"}). The enhanced status is taken from the first line only when its class
   * matches the reply code's first digit (RFC 3463 section 2); it is then stripped from every line
   * that repeats it.
   */
  static SmtpResponse fromRawLines(int code, List<String> rawLines) {
    String enhanced = null;
    List<String> texts = new ArrayList<>(rawLines.size());
    for (String raw : rawLines) {
      texts.add(raw.length() > 4 ? raw.substring(4) : "");
    }
    if (!texts.isEmpty()) {
      Matcher m = ENHANCED.matcher(texts.getFirst());
      if (m.find() && m.group(1).charAt(0) == Character.forDigit(code / 100, 10)) {
        enhanced = m.group(1) + "." + m.group(2) + "." + m.group(3);
        for (int i = 0; i < texts.size(); i++) {
          String text = texts.get(i);
          if (text.startsWith(enhanced)
              && (text.length() == enhanced.length() || text.charAt(enhanced.length()) == ' ')) {
            texts.set(i, text.substring(enhanced.length()).stripLeading());
          }
        }
      }
    }
    return new SmtpResponse(code, enhanced, texts);
  }

  /** 2xx or 3xx: completed, or accepted so far (354 after DATA). */
  public boolean isPositive() {
    return code < 400;
  }

  /** 2xx: the command completed. */
  public boolean isCompletion() {
    return code >= 200 && code < 300;
  }

  /** 4xx: try again later. */
  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  /** 5xx: do not repeat the same request. */
  public boolean isPermanent() {
    return code >= 500;
  }

  /** The reply on one line, e.g. {@code 550 5.1.1 No such user}, for logs and delivery reports. */
  public String text() {
    StringBuilder out = new StringBuilder().append(code);
    if (enhancedStatus != null) {
      out.append(' ').append(enhancedStatus);
    }
    for (String line : lines) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty()) {
        out.append(' ').append(trimmed);
      }
    }
    return out.toString();
  }

  /** The enhanced status if the server gave one, else {@code fallback}. */
  public String enhancedStatusOr(String fallback) {
    return Objects.requireNonNullElse(enhancedStatus, fallback);
  }

  @Override
  public String toString() {
    return text();
  }
}
