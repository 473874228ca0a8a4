package io.vireo.relay.delivery.outcome;

import io.vireo.relay.protocol.SmtpReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RFC 3463 enhanced status code that describes a reply, for logs and delivery reports: the
 * server's own code when it sent one of the right class, else the class default ({@code 2.0.0},
 * {@code 4.0.0}, {@code 5.0.0}).
 */
final class DsnStatus {
  private static final Pattern REPLY_TEXT =
      Pattern.compile("^(\\d)\\d\\d(?: ([245]\\.\\d{1,3}\\.\\d{1,3}))?(?: |$)");

  private DsnStatus() {}

  /** The status of {@code reply} as it stands, e.g. {@code 5.1.1} for {@code 550 5.1.1 ...}. */
  static String of(SmtpReply reply) {
    return ofClass(Character.forDigit(Math.min(5, Math.max(2, reply.code() / 100)), 10), reply);
  }

  /**
   * A status of class {@code statusClass} for {@code reply}: its enhanced status if that has the
   * class, else {@code <class>.0.0}. A delay report needs class 4 even for an odd reply.
   */
  static String ofClass(char statusClass, SmtpReply reply) {
    String enhanced = reply.enhancedStatus();
    if (enhanced != null && enhanced.charAt(0) == statusClass) {
      return enhanced;
    }
    return statusClass + ".0.0";
  }

  /**
   * The status of a failure recorded in the spool as reply text ({@link SmtpReply#text()}), read
   * back when a bounce owed before a restart is composed: the enhanced status if the text carries
   * one, else the class default; {@code 5.0.0} for text that is no reply at all.
   */
  static String ofRecordedFailure(String recorded) {
    if (recorded != null) {
      Matcher m = REPLY_TEXT.matcher(recorded);
      if (m.find()) {
        if (m.group(2) != null) {
          return m.group(2);
        }
        char statusClass = m.group(1).charAt(0);
        return (statusClass == '4' ? '4' : '5') + ".0.0";
      }
    }
    return "5.0.0";
  }
}
