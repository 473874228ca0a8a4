package io.vireo.relay.delivery.schedule;

import io.vireo.relay.protocol.SmtpReply;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognises replies by which a server says "you are sending too much, too fast", so the whole
 * destination backs off rather than only the recipient at hand. Deliberately small:
 *
 * <ul>
 *   <li>{@code 421}: the server is closing the session (RFC 5321 section 3.8), typically because of
 *       too many connections or messages from this client.
 *   <li>A 4xx with enhanced status {@code 4.7.x} (RFC 3463: security or policy status), which large
 *       providers use for rate limits ({@code 421 4.7.0}, {@code 450 4.7.28}...).
 *   <li>A 4xx whose text speaks of a rate, of too many connections or messages, or of throttling.
 * </ul>
 *
 * A greylisting server answering {@code 4.7.1} is taken as throttling too; the cost is a short
 * pause of that destination, which greylisting asks for anyway. {@code 452 4.5.3} ("too many
 * recipients", RFC 5321 section 4.5.3.1.10) is not: it limits one transaction.
 */
final class Throttling {
  private static final Pattern WORDING = Pattern.compile("\\brate\\b|too many|throttl|slow down");

  private Throttling() {}

  static boolean signals(SmtpReply reply) {
    if (!reply.isTransient()) {
      return false;
    }
    if (reply.code() == 421) {
      return true;
    }
    String status = reply.enhancedStatus();
    if (status != null && status.startsWith("4.7.")) {
      return true;
    }
    if ("4.5.3".equals(status)) {
      return false; // "too many recipients" limits one transaction, not the sender's pace
    }
    return WORDING.matcher(reply.text().toLowerCase(Locale.ROOT)).find();
  }
}
