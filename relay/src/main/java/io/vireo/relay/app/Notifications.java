package io.vireo.relay.app;

import io.vireo.config.SuppressionAction;
import io.vireo.config.SuppressionConfig;
import io.vireo.config.VireoConfig;
import io.vireo.config.WebhookConfig;
import io.vireo.queue.Envelope;
import io.vireo.relay.delivery.DeliveryHooks;
import io.vireo.relay.events.EventHistory;
import io.vireo.relay.events.EventHub;
import io.vireo.relay.events.EventLog;
import io.vireo.relay.events.EventSink;
import io.vireo.relay.events.LabelLookup;
import io.vireo.relay.server.RecipientCheck;
import io.vireo.relay.suppression.BounceRules;
import io.vireo.relay.suppression.Suppression;
import io.vireo.relay.suppression.SuppressionGate;
import io.vireo.relay.suppression.SuppressionList;
import io.vireo.relay.admin.NotificationStats;
import io.vireo.relay.webhooks.Webhooks;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The relay's events, webhooks and suppression list, built from {@code events}, {@code webhooks}
 * and {@code suppression}: what the listener and delivery report to ({@link #hub}), what RCPT
 * asks ({@link #recipientCheck}), what delivery holds ({@link #deliveryHooks}). Opened before the
 * delivery engine and closed after it, so no outcome finds the log closed.
 */
final class Notifications implements AutoCloseable {
  private final EventLog eventLog; // null: events.enabled is false
  private final SuppressionList suppressions; // null: suppression.enabled is false
  private final BounceRules bounceRules; // null with suppressions
  private final EventHub hub;
  // The action in force: RCPT, delivery and the API read it per recipient, so a reload moves it.
  private volatile SuppressionConfig suppression;
  private final Clock clock;
  private volatile Webhooks webhooks;

  private Notifications(
      EventLog eventLog,
      SuppressionList suppressions,
      BounceRules bounceRules,
      EventHub hub,
      SuppressionConfig suppression,
      Clock clock) {
    this.eventLog = eventLog;
    this.suppressions = suppressions;
    this.bounceRules = bounceRules;
    this.hub = hub;
    this.suppression = suppression;
    this.clock = clock;
  }

  static Notifications open(VireoConfig config, LabelLookup labels, Clock clock) throws IOException {
    EventLog eventLog = null;
    SuppressionList suppressions = null;
    try {
      if (config.events().enabled()) {
        eventLog =
            EventLog.open(
                config.events().dirFor(config.spool().dir()),
                config.events().segmentSize(),
                config.events().maxSize());
      }
      SuppressionConfig s = config.suppression();
      List<EventSink> listeners = List.of();
      BounceRules rules = null;
      if (s.enabled()) {
        suppressions = SuppressionList.open(s.fileFor(config.spool().dir()), s.expireAfter(), clock);
        rules = new BounceRules(suppressions, s.softBounces(), s.softBounceWindow());
        listeners = List.of(rules);
      }
      return new Notifications(
          eventLog, suppressions, rules, new EventHub(eventLog, labels, listeners), s, clock);
    } catch (IOException | RuntimeException e) {
      if (eventLog != null) {
        eventLog.close();
      }
      if (suppressions != null) {
        suppressions.close();
      }
      throw e;
    }
  }

  /** Starts sending to {@code webhooks}; call once the relay is up. */
  synchronized void startWebhooks(VireoConfig config) throws IOException {
    if (eventLog != null && !config.webhooks().isEmpty()) {
      webhooks = Webhooks.start(config.webhooks(), eventLog, clock);
    }
  }

  /**
   * A reload's {@code webhooks}, with their secrets as read by {@link Webhooks#secrets}: when the
   * entries or a secret differ from those running, the running dispatchers stop (a POST in flight
   * is sent again, at least once as ever) and the new ones start, each from its own cursor, so a
   * webhook kept across the reload goes on where it was and a new one starts at the log's end.
   * Stopped before started: two dispatchers must never share a cursor.
   *
   * @return whether the webhooks changed
   */
  synchronized boolean reloadWebhooks(List<WebhookConfig> configs, List<byte[]> secrets) {
    if (eventLog == null) {
      return false;
    }
    Webhooks running = webhooks;
    if (running == null ? configs.isEmpty() : running.sameAs(configs, secrets)) {
      return false;
    }
    if (running != null) {
      running.close();
    }
    webhooks = configs.isEmpty() ? null : Webhooks.start(configs, secrets, eventLog, clock);
    return true;
  }

  EventSink hub() {
    return hub;
  }

  /** The accept hook: the {@code received} events, then {@code next} (delivery). */
  Consumer<Envelope> onAccepted(Consumer<Envelope> next) {
    return envelope -> {
      hub.received(envelope, clock.instant());
      next.accept(envelope);
    };
  }

  RecipientCheck recipientCheck() {
    if (suppressions == null) {
      return RecipientCheck.NONE;
    }
    SuppressionGate gate = new SuppressionGate(suppressions, hub, clock);
    return (sender, recipient) ->
        refusing() ? gate.check(sender, recipient) : Optional.empty();
  }

  /**
   * A reload's {@code suppression}: the action, the expiry of new entries and the soft-bounce rule
   * take effect at once; {@code enabled} and {@code file} are restart-only (ConfigChanges).
   */
  void reconfigureSuppression(SuppressionConfig next) {
    if (suppressions == null) {
      return;
    }
    suppressions.expireAfter(next.expireAfter());
    bounceRules.reconfigure(next.softBounces(), next.softBounceWindow());
    suppression = next;
  }

  private boolean refusing() {
    return suppression.action() == SuppressionAction.REFUSE;
  }

  /** Reports the relay composes (bounces, notices) get their {@code received} events too. */
  DeliveryHooks deliveryHooks() {
    Consumer<Envelope> reportQueued = report -> hub.received(report, clock.instant());
    if (suppressions != null) {
      return new DeliveryHooks(
          hub,
          address -> !refusing() && suppressions.isSuppressed(address),
          reportQueued,
          Optional.empty());
    }
    return new DeliveryHooks(hub, address -> false, reportQueued, Optional.empty());
  }

  /**
   * Why the HTTP API refuses mail to an address (422): its entry's reason, on the list under {@code
   * action: refuse}; under {@code hold} the API accepts it as SMTP does, and delivery holds it.
   */
  Function<String, Optional<String>> apiRefusal() {
    if (suppressions != null) {
      return address ->
          refusing() ? suppressions.find(address).map(Suppression::reason) : Optional.empty();
    }
    return address -> Optional.empty();
  }

  /** A message's events, for the API's {@code GET /v1/messages/{id}}; none when the log is off. */
  EventHistory history() {
    return eventLog == null ? EventHistory.NONE : eventLog;
  }

  /** The list, when {@code suppression.enabled}; the API's 422 check is {@code isSuppressed}. */
  Optional<SuppressionList> suppressions() {
    return Optional.ofNullable(suppressions);
  }

  /** Events written since start, and each webhook's counters. */
  NotificationStats stats() {
    Webhooks w = webhooks;
    return new NotificationStats(
        eventLog == null ? 0 : eventLog.written(),
        w == null ? List.of() : w.stats(),
        suppressions == null ? 0 : suppressions.size());
  }

  @Override
  public synchronized void close() {
    if (webhooks != null) {
      webhooks.close();
    }
    if (eventLog != null) {
      eventLog.close();
    }
    if (suppressions != null) {
      suppressions.close();
    }
  }
}
