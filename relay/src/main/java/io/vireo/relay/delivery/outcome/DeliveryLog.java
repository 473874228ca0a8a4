package io.vireo.relay.delivery.outcome;

import io.vireo.queue.MessageId;
import io.vireo.relay.protocol.SmtpReply;
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
 * {@code relay=none} when no server was reached; {@code delay} is seconds since arrival. A message
 * whose last recipient is final gets {@code ID: removed}. Recipients deferred without an attempt
 * because their destination is suspended get one summary line per destination and pass instead of
 * a line each (a down destination with a 1,000,000-message backlog wrote 260,000 lines in 30 s):
 * {@code destination mx:... suspended until ...: deferred 1000 recipients of 1000 messages (...)}.
 * Each outbound TLS session gets a line from the SMTP client ({@code Untrusted TLS connection
 * established to mx[ip]:25: TLSv1.3 with cipher ...}).
 */
public final class DeliveryLog {
  private static final Logger LOG = LoggerFactory.getLogger("delivery");

  private DeliveryLog() {}

  static void attempt(
      MessageId id,
      String recipient,
      String relay,
      Instant arrival,
      Instant now,
      String dsn,
      String status,
      SmtpReply reply) {
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

  /** Every recipient of {@code id} is final: it leaves the queue (Postfix's {@code removed}). */
  public static void removed(MessageId id) {
    LOG.info("{}: removed", id);
  }

  /** One suspended destination's pass: how many recipients were deferred without connecting. */
  public static void deferredWhileSuspended(
      String destination, Instant until, int recipients, int messages, String reason) {
    LOG.info(
        "destination {} suspended until {}: deferred {} recipients of {} messages ({})",
        destination,
        until,
        recipients,
        messages,
        reason);
  }

  /** The operator suspended {@code destination} ({@code vireo destination suspend}). */
  public static void suspendedByOperator(String destination) {
    LOG.info("destination {} suspended by the operator", destination);
  }

  public static void resumedByOperator(String destination) {
    LOG.info("destination {} resumed by the operator", destination);
  }

  /** A destination in trouble is left alone for {@code pause}. */
  public static void suspended(String destination, String pause, String reason) {
    LOG.info("destination {} suspended for {}: {}", destination, pause, reason);
  }

  /** The first job after a suspension goes out. */
  public static void resumedAfterSuspension(String destination) {
    LOG.info("destination {} resumed after its suspension", destination);
  }

  /** A delivery worked after a suspension: the destination's backoff is forgotten. */
  public static void acceptingAgain(String destination) {
    LOG.info("destination {} is accepting mail again", destination);
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
