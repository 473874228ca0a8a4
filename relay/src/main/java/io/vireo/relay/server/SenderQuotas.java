package io.vireo.relay.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vireo.config.SenderLimits;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpReply;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The abuse limits that follow a sender across sessions ({@link SenderLimits}): messages and
 * recipients per minute per client address (an IPv6 client by its /64, as the login throttle
 * counts it) and per authenticated user, and concurrent sessions per user. Every refusal is a reply
 * (450, 452 or 421 with X.7.x), never a silent drop.
 *
 * <p>Each rate is a token bucket holding up to N tokens that refills at N per minute, so a sender
 * may take N at once and then one every 60/N seconds. A bucket untouched for a minute is full
 * again, so forgetting it then (the cache does) changes nothing; at most {@value #MAX_KEYS} keys
 * are kept, so a flood of addresses cannot fill the heap. Time comes from the injected clock.
 * Thread-safe.
 *
 * <p>A reload keeps the counts ({@link #withLimits}): otherwise any reload would give a sender at
 * its quota a fresh minute.
 */
final class SenderQuotas {
  private static final long MAX_KEYS = 100_000;
  private static final double MINUTE_MILLIS = 60_000;

  /** The tokens left at {@code atMillis} in a bucket of {@code capacity} (the rate then). */
  private record Bucket(double tokens, long atMillis, int capacity) {}

  private final SenderLimits limits;
  private final Clock clock;
  // Shared with the quotas a reload derives (withLimits), as is sessionsByUser.
  private final Cache<String, Bucket> buckets;
  private final ConcurrentHashMap<String, Integer> sessionsByUser;

  SenderQuotas(SenderLimits limits, Clock clock) {
    this(limits, clock, buckets(clock), new ConcurrentHashMap<>());
  }

  private SenderQuotas(
      SenderLimits limits,
      Clock clock,
      Cache<String, Bucket> buckets,
      ConcurrentHashMap<String, Integer> sessionsByUser) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.buckets = buckets;
    this.sessionsByUser = sessionsByUser;
  }

  private static Cache<String, Bucket> buckets(Clock clock) {
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    return Caffeine.newBuilder()
        .ticker(ticker)
        .executor(Runnable::run)
        .expireAfterAccess(Duration.ofMinutes(1))
        .maximumSize(MAX_KEYS)
        .build();
  }

  /**
   * These quotas under the limits of a reload: this very object when {@code next} is the same, else
   * quotas with the new limits over the same counts. A changed limit applies to what each sender
   * has used so far, not to a fresh start: a bucket keeps what was taken from it (lowering a rate
   * below what a sender has just used leaves it no token until the new rate refills one; raising
   * it gives the difference at once), and a user's sessions are counted against the new maximum.
   * Sessions that started before the reload keep their own limits to their end, over the same
   * counts.
   */
  SenderQuotas withLimits(SenderLimits next) {
    if (limits.equals(next)) {
      return this;
    }
    return new SenderQuotas(next, clock, buckets, sessionsByUser);
  }

  /** MAIL FROM: one message for the client address and, when authenticated, for the user. */
  Optional<SmtpReply> takeMessage(InetAddress client, String user) {
    return take(
        "messages " + LoginThrottle.addressKey(client),
        limits.messagesPerMinutePerIp(),
        Replies.TOO_MANY_MESSAGES_FROM_ADDRESS,
        user == null ? null : "messages " + LoginThrottle.userKey(user),
        limits.messagesPerMinutePerUser(),
        Replies.TOO_MANY_MESSAGES_FOR_USER);
  }

  /** An accepted RCPT: one recipient for the client address and, when authenticated, the user. */
  Optional<SmtpReply> takeRecipient(InetAddress client, String user) {
    return take(
        "recipients " + LoginThrottle.addressKey(client),
        limits.recipientsPerMinutePerIp(),
        Replies.TOO_MANY_RECIPIENTS_FROM_ADDRESS,
        user == null ? null : "recipients " + LoginThrottle.userKey(user),
        limits.recipientsPerMinutePerUser(),
        Replies.TOO_MANY_RECIPIENTS_FOR_USER);
  }

  /**
   * A session has authenticated as {@code user}: its place among the user's sessions, to be closed
   * when the session ends or forgets the login; empty when the user has all the sessions allowed.
   */
  Optional<UserSession> enter(String user) {
    AtomicBoolean admitted = new AtomicBoolean();
    sessionsByUser.compute(
        user,
        (name, count) -> {
          int current = count == null ? 0 : count;
          if (current >= limits.maxConnectionsPerUser()) {
            return count;
          }
          admitted.set(true);
          return current + 1;
        });
    return admitted.get() ? Optional.of(new UserSession(user)) : Optional.empty();
  }

  /** Sessions authenticated as {@code user} now. */
  int sessionsOf(String user) {
    return sessionsByUser.getOrDefault(user, 0);
  }

  /** Takes from the address bucket, then the user's; a refusal by the second refunds the first. */
  private Optional<SmtpReply> take(
      String addressKey,
      OptionalInt addressRate,
      SmtpReply addressRefusal,
      String userKey,
      OptionalInt userRate,
      SmtpReply userRefusal) {
    long now = clock.millis();
    if (!take(addressKey, addressRate, now)) {
      return Optional.of(addressRefusal);
    }
    if (userKey != null && !take(userKey, userRate, now)) {
      refund(addressKey, addressRate);
      return Optional.of(userRefusal);
    }
    return Optional.empty();
  }

  private boolean take(String key, OptionalInt rate, long now) {
    if (rate.isEmpty()) {
      return true;
    }
    int capacity = rate.getAsInt();
    AtomicBoolean taken = new AtomicBoolean();
    buckets
        .asMap()
        .compute(
            key,
            (k, bucket) -> {
              double tokens = bucket == null ? capacity : refilled(bucket, capacity, now);
              if (tokens >= 1) {
                taken.set(true);
                tokens -= 1;
              }
              return new Bucket(tokens, now, capacity);
            });
    return taken.get();
  }

  /**
   * The tokens in {@code bucket} now at a rate of {@code capacity} per minute. A bucket filled at
   * another rate (a reload changed it) keeps what was used from it, and is never below empty.
   */
  private static double refilled(Bucket bucket, int capacity, long now) {
    double used = bucket.capacity() - bucket.tokens();
    double left = Math.max(0, capacity - used);
    return Math.min(
        capacity, left + Math.max(0, now - bucket.atMillis()) * capacity / MINUTE_MILLIS);
  }

  private void refund(String key, OptionalInt rate) {
    if (rate.isPresent()) {
      buckets
          .asMap()
          .computeIfPresent(
              key,
              (k, bucket) ->
                  new Bucket(
                      Math.min(bucket.capacity(), bucket.tokens() + 1),
                      bucket.atMillis(),
                      bucket.capacity()));
    }
  }

  /** One session's place among its user's sessions; closing it (idempotently) frees the place. */
  final class UserSession implements AutoCloseable {
    private final String user;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UserSession(String user) {
      this.user = user;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        sessionsByUser.computeIfPresent(user, (name, count) -> count <= 1 ? null : count - 1);
      }
    }
  }
}
