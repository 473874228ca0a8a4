package io.vireo.relay.suppression;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vireo.queue.MessageId;
import io.vireo.relay.events.EventSink;
import io.vireo.relay.events.EventType;
import io.vireo.relay.events.RecipientEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds addresses to the suppression list from what the remote servers answered, as an event
 * listener:
 *
 * <ul>
 *   <li>a hard bounce: a permanent failure (5xx) from the remote server whose status says the
 *       address or mailbox is bad (RFC 3463 subjects X.1.X addressing and X.2.X mailbox), or a
 *       550/551/553 without an enhanced status. Failures of policy (5.7.x), content, protocol or
 *       network, and verdicts made here (null MX, no route) are not the address's fault and do not
 *       count;
 *   <li>repeated soft bounces: {@code soft-bounces} temporary failures from the remote server, for
 *       different messages, within {@code soft-bounce-window} (one message retried many times,
 *       greylisting say, counts once).
 * </ul>
 *
 * The soft-bounce counts are kept in memory, for at most {@link #TRACKED} addresses: a restart
 * starts them afresh.
 */
public final class BounceRules implements EventSink {
  private static final Logger log = LoggerFactory.getLogger(BounceRules.class);
  static final int TRACKED = 100_000;
  private static final Set<Integer> PLAIN_HARD_CODES = Set.of(550, 551, 553);

  private record Bounce(MessageId id, Instant time) {}

  /** How many soft bounces, within how long, suppress an address; 0 bounces: never. */
  private record SoftRule(int bounces, Duration window) {}

  private final SuppressionList list;
  private final Cache<String, Deque<Bounce>> soft;
  private volatile SoftRule rule;

  public BounceRules(SuppressionList list, int softBounces, Duration window) {
    this.list = Objects.requireNonNull(list, "list");
    this.rule = new SoftRule(softBounces, window);
    this.soft = Caffeine.newBuilder().maximumSize(TRACKED).expireAfterAccess(window).build();
  }

  /**
   * A reload's soft-bounce rule: the bounces counted so far stay and are judged by the new rule at
   * the next soft bounce of their address.
   */
  public void reconfigure(int softBounces, Duration window) {
    rule = new SoftRule(softBounces, window);
    soft.policy().expireAfterAccess().ifPresent(expiry -> expiry.setExpiresAfter(window));
  }

  @Override
  public void publish(RecipientEvent event) {
    if (event.relay() == null) {
      return; // no remote server said anything about this address
    }
    if (event.type() == EventType.BOUNCED && isHard(event.replyCode(), event.dsn())) {
      suppress(event.recipient(), "hard bounce: " + event.reply());
    } else if (event.type() == EventType.DEFERRED && event.replyCode() / 100 == 4) {
      SoftRule now = rule;
      if (now.bounces() > 0) {
        countSoft(event, now);
      }
    }
  }

  static boolean isHard(int code, String dsn) {
    if (code / 100 != 5) {
      return false;
    }
    if (dsn != null && (dsn.startsWith("5.1.") || dsn.startsWith("5.2."))) {
      return true;
    }
    return (dsn == null || dsn.equals("5.0.0")) && PLAIN_HARD_CODES.contains(code);
  }

  private void countSoft(RecipientEvent event, SoftRule rule) {
    String address;
    try {
      address = Suppression.normalize(event.recipient());
    } catch (IllegalArgumentException e) {
      return;
    }
    Deque<Bounce> bounces = soft.get(address, a -> new ArrayDeque<>());
    int count;
    synchronized (bounces) {
      Instant since = event.time().minus(rule.window());
      bounces.removeIf(b -> b.time().isBefore(since));
      if (bounces.stream().anyMatch(b -> b.id() != null && b.id().equals(event.id()))) {
        return;
      }
      bounces.addLast(new Bounce(event.id(), event.time()));
      count = bounces.size();
    }
    if (count >= rule.bounces()) {
      soft.invalidate(address);
      suppress(
          address, count + " soft bounces within " + rule.window() + ", the last: " + event.reply());
    }
  }

  private void suppress(String address, String reason) {
    try {
      list.add(address, reason);
    } catch (IOException | IllegalArgumentException e) {
      log.error("cannot suppress <{}> ({}): {}", address, reason, e.toString());
    }
  }
}
