package io.vireo.relay.delivery;

import io.vireo.queue.MessageId;
import io.vireo.relay.delivery.smtp.SmtpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery log (logger {@code delivery}), one line per recipient per attempt in the spirit of
 * Postfix, so that {@code grep <queue id>} follows a message from the accept line to its final
 * state:
 *
 * <pre>
 * 01JQ...: to=&lt;bob@example.com&gt;, relay=mx1.example.com[192.0.2.1]:25, delay=1.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X)
 * 01JQ...: sender non-delivery notification: 01JR...
 * </pre>
 *
 * {@code relay=none} when no server was reached; {@code delay} is seconds since arrival.
 */
final class DeliveryLog {
  static final Logger LOG = LoggerFactory.getLogger("delivery");

  private DeliveryLog() {}

  static void attempt(
      MessageId id,
      String recipient,
      String relay,
      Instant arrival,
      Instant now,
      String dsn,
      String status,
      SmtpResponse reply) {
    if (LOG.isInfoEnabled()) {
      LOG.info(
          "{}: to=<{}>, relay={}, delay={}, dsn={}, status={} ({})",
          id,
          recipient,
          relay == null ? "none" : relay,
          seconds(Duration.between(arrival, now)),
          dsn,
          status,
          reply.text());
    }
  }

  static void nonDeliveryNotice(MessageId id, MessageId bounceId) {
    LOG.info("{}: sender non-delivery notification: {}", id, bounceId);
  }

  static void delayNotice(MessageId id, MessageId noticeId) {
    LOG.info("{}: sender delay notification: {}", id, noticeId);
  }

  static void successNotice(MessageId id, MessageId noticeId) {
    LOG.info("{}: sender delivery status notification (relayed): {}", id, noticeId);
  }

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", Math.max(0, duration.toMillis()) / 1000.0);
  }
}
