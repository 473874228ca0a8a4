package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code GET /v1/queue} and {@code vireo queue list} show: messages matching every given
 * criterion, in queue id order (ids grow with arrival), after a cursor, up to a limit.
 *
 * @param sender part of the sender address, case-insensitive; null for any
 * @param recipient part of a recipient address, case-insensitive; null for any
 * @param domain a recipient domain, exactly; null for any
 * @param state a recipient state ({@code pending}, {@code deferred}, {@code failed}, {@code held});
 *     null for any
 * @param olderThan only messages that arrived at least this long ago; null for any
 * @param limit at most this many messages; 0 for no limit
 * @param after only ids greater than this one (the last id of the previous page); null from the
 *     start
 */
public record QueueFilter(
    String sender,
    String recipient,
    String domain,
    RecipientState state,
    Duration olderThan,
    long limit,
    MessageId after) {
  private static final Pattern AGE = Pattern.compile("(\\d{1,9})(s|m|h|d)");

  public static final QueueFilter ALL = new QueueFilter(null, null, null, null, null, 0, null);

  /** Whether {@code message} passes every criterion but the limit. */
  public boolean matches(QueuedMessage message, Instant now) {
    if (after != null && message.id().compareTo(after) <= 0) {
      return false;
    }
    if (olderThan != null && message.envelope().arrival().plus(olderThan).isAfter(now)) {
      return false;
    }
    if (sender != null
        && !message.envelope().sender().toLowerCase(Locale.ROOT).contains(sender)) {
      return false;
    }
    if (recipient == null && domain == null && state == null) {
      return true;
    }
    for (RecipientStatus status : message.recipients()) {
      if ((recipient == null
              || status.recipient().address().toLowerCase(Locale.ROOT).contains(recipient))
          && (domain == null || status.recipient().domain().equalsIgnoreCase(domain))
          && (state == null ? !status.state().isFinal() : status.state() == state)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The filter a query string asks for ({@code sender, recipient, domain, state, older-than, limit,
   * after}).
   *
   * @throws IllegalArgumentException naming the parameter that is wrong
   */
  public static QueueFilter parse(Map<String, String> query) {
    for (String key : query.keySet()) {
      if (!java.util.Set.of("sender", "recipient", "domain", "state", "older-than", "limit", "after")
          .contains(key)) {
        throw new IllegalArgumentException("unknown parameter: " + key);
      }
    }
    RecipientState state = null;
    String stateText = query.get("state");
    if (stateText != null) {
      state =
          switch (stateText.toLowerCase(Locale.ROOT)) {
            case "pending" -> RecipientState.PENDING;
            case "deferred" -> RecipientState.DEFERRED;
            case "failed" -> RecipientState.FAILED;
            case "held" -> RecipientState.HELD;
            default ->
                throw new IllegalArgumentException(
                    "state must be pending, deferred, failed or held: " + stateText);
          };
    }
    Duration olderThan = Optional.ofNullable(query.get("older-than")).map(QueueFilter::age).orElse(null);
    long limit = 0;
    if (query.get("limit") != null) {
      try {
        limit = Long.parseLong(query.get("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit <= 0) {
        throw new IllegalArgumentException("limit must be a whole number above 0: " + query.get("limit"));
      }
    }
    MessageId after = null;
    if (query.get("after") != null) {
      if (!MessageId.isValid(query.get("after"))) {
        throw new IllegalArgumentException("after must be a queue id: " + query.get("after"));
      }
      after = new MessageId(query.get("after"));
    }
    return new QueueFilter(
        lower(query.get("sender")),
        lower(query.get("recipient")),
        lower(query.get("domain")),
        state,
        olderThan,
        limit,
        after);
  }

  private static String lower(String text) {
    return text == null || text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
  }

  /** {@code 30s}, {@code 10m}, {@code 2h}, {@code 5d}. */
  static Duration age(String text) {
    Matcher matcher = AGE.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "older-than must be a number and a unit (s, m, h, d), such as 30m: " + text);
    }
    long n = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
