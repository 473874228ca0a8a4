package io.vireo.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of {@code webhooks}: where events are POSTed, signed with the secret in {@code
 * secretFile} ({@code Vireo-Signature: t=..,v1=HMAC-SHA256}).
 *
 * @param url an absolute http or https URL
 * @param secretFile the file holding the signing secret (its text, stripped of surrounding white
 *     space); read at start and at a reload
 * @param events the event types sent to this URL, each one of {@link #EVENT_TYPES}
 * @param batch at most this many events in one POST (a JSON array); 1 sends each event alone as an
 *     object
 * @param timeout how long one POST may take, connecting included
 */
public record WebhookConfig(
    URI url, Path secretFile, List<String> events, int batch, Duration timeout) {
  /** Every event type, in the order a message meets them. */
  public static final List<String> EVENT_TYPES =
      List.of("received", "delivered", "deferred", "bounced", "expired", "suppressed");

  public static final int DEFAULT_BATCH = 100;
  public static final int MAX_BATCH = 1000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public WebhookConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secretFile, "secretFile");
    Objects.requireNonNull(timeout, "timeout");
    events = List.copyOf(events);
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("a webhook url must be an absolute http or https URL: " + url);
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a webhook needs at least one event type");
    }
    for (String type : events) {
      if (!EVENT_TYPES.contains(type)) {
        throw new IllegalArgumentException(
            "unknown event type \"" + type + "\"; expected one of " + String.join(", ", EVENT_TYPES));
      }
    }
    if (batch < 1 || batch > MAX_BATCH) {
      throw new IllegalArgumentException("a webhook batch must be 1.." + MAX_BATCH + ": " + batch);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a webhook timeout must be positive");
    }
  }

  /** Every event type, one event per POST up to the default batch, the default timeout. */
  public WebhookConfig(URI url, Path secretFile) {
    this(url, secretFile, EVENT_TYPES, DEFAULT_BATCH, DEFAULT_TIMEOUT);
  }
}
