package io.vireo.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds {@code events}, {@code webhooks} and {@code suppression}: what the relay tells
 * applications about their mail, and the addresses it stops mailing. Kept apart from {@link
 * ConfigLoader} so that file stays about the transport.
 */
final class NotificationsBinder {
  static final ValueType<URI> WEBHOOK_URL =
      new ValueType<>("an http or https URL such as https://hooks.example.com/vireo", NotificationsBinder::url);

  static final ValueType<String> EVENT_TYPE =
      new ValueType<>(
          "one of " + String.join(", ", WebhookConfig.EVENT_TYPES),
          text -> {
            String type = text.strip().toLowerCase(Locale.ROOT);
            if (!WebhookConfig.EVENT_TYPES.contains(type)) {
              throw new IllegalArgumentException();
            }
            return type;
          });

  static final ValueType<SuppressionAction> SUPPRESSION_ACTION =
      new ValueType<>(
          "one of refuse, hold",
          text ->
              switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "refuse" -> SuppressionAction.REFUSE;
                case "hold" -> SuppressionAction.HOLD;
                default -> throw new IllegalArgumentException();
              });

  /** A count where 0 or {@code off} switches the rule off. */
  static final ValueType<Integer> COUNT_OR_OFF =
      new ValueType<>(
          "a whole number, or 0/off",
          text -> {
            String t = text.strip();
            if (t.equalsIgnoreCase("off") || t.equals("0")) {
              return 0;
            }
            return ValueType.COUNT.parse(t);
          });

  private NotificationsBinder() {}

  static EventsConfig events(YamlSection s, EventsConfig d) {
    boolean enabled = s.get("enabled", ValueType.BOOLEAN, d.enabled());
    Optional<Path> dir = s.get("dir", ValueType.OPTIONAL_PATH, d.dir());
    long segmentSize = s.get("segment-size", ValueType.SIZE, d.segmentSize());
    long maxSize = s.get("max-size", ValueType.SIZE, d.maxSize());
    return s.build(() -> new EventsConfig(enabled, dir, segmentSize, maxSize), d);
  }

  static List<WebhookConfig> webhooks(YamlSection root) {
    List<WebhookConfig> webhooks = new ArrayList<>();
    for (YamlSection entry : root.sectionList("webhooks")) {
      webhook(entry).ifPresent(webhooks::add);
    }
    return webhooks;
  }

  private static Optional<WebhookConfig> webhook(YamlSection s) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    URI url = s.require("url", WEBHOOK_URL);
    Path secretFile = s.require("secret-file", ValueType.PATH);
    List<String> events = s.list("events", EVENT_TYPE, WebhookConfig.EVENT_TYPES, true);
    if (events.isEmpty()) {
      s.problem("events", "a webhook needs at least one event type; omit the key for all of them");
      return Optional.empty();
    }
    int batch = s.get("batch", ValueType.COUNT, WebhookConfig.DEFAULT_BATCH);
    if (batch > WebhookConfig.MAX_BATCH) {
      s.problem("batch", "at most " + WebhookConfig.MAX_BATCH + " events per POST");
      return Optional.empty();
    }
    Duration timeout = s.get("timeout", ValueType.DURATION, WebhookConfig.DEFAULT_TIMEOUT);
    if (url == null || secretFile == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        s.build(() -> new WebhookConfig(url, secretFile, events, batch, timeout), null));
  }

  static SuppressionConfig suppression(YamlSection s, SuppressionConfig d) {
    boolean enabled = s.get("enabled", ValueType.BOOLEAN, d.enabled());
    Optional<Path> file = s.get("file", ValueType.OPTIONAL_PATH, d.file());
    SuppressionAction action = s.get("action", SUPPRESSION_ACTION, d.action());
    Duration expireAfter = s.get("expire-after", ValueType.DURATION_OR_OFF, d.expireAfter());
    int softBounces = s.get("soft-bounces", COUNT_OR_OFF, d.softBounces());
    Duration window = s.get("soft-bounce-window", ValueType.DURATION, d.softBounceWindow());
    return s.build(
        () -> new SuppressionConfig(enabled, file, action, expireAfter, softBounces, window), d);
  }

  /** The three sections with their relative paths resolved against {@code base}. */
  static VireoConfig resolvePaths(VireoConfig config, Path base) {
    EventsConfig e = config.events();
    SuppressionConfig s = config.suppression();
    return config.withNotifications(
        new EventsConfig(
            e.enabled(), e.dir().map(dir -> base.resolve(dir).normalize()), e.segmentSize(), e.maxSize()),
        config.webhooks().stream()
            .map(
                w ->
                    new WebhookConfig(
                        w.url(), base.resolve(w.secretFile()).normalize(), w.events(), w.batch(), w.timeout()))
            .toList(),
        new SuppressionConfig(
            s.enabled(),
            s.file().map(file -> base.resolve(file).normalize()),
            s.action(),
            s.expireAfter(),
            s.softBounces(),
            s.softBounceWindow()));
  }

  private static URI url(String text) {
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getReason());
    }
  }
}
