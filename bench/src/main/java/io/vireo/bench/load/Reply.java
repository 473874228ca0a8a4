package io.vireo.bench.load;

import java.util.List;
import java.util.Locale;

/** An SMTP reply as the load client reads it: the code and, when asked for, the text lines. */
record Reply(int code, List<String> lines) {

  Reply {
    lines = List.copyOf(lines);
  }

  /** 2yz: positive completion (RFC 5321 section 4.2.1). */
  static boolean isPositive(int code) {
    return code >= 200 && code < 300;
  }

  /**
   * Whether an EHLO reply lists {@code keyword} as an extension: any line after the first whose first
   * word matches, ignoring case (RFC 5321 section 4.1.1.1).
   */
  boolean advertises(String keyword) {
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      int space = line.indexOf(' ');
      String first = space < 0 ? line : line.substring(0, space);
      if (first.toUpperCase(Locale.ROOT).equals(keyword.toUpperCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
