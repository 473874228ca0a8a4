package io.vireo.relay.admin;

import io.vireo.relay.webhooks.WebhookStats;
import java.util.List;

/**
 * The event log's, webhooks' and suppression list's counters, as the metrics read them.
 *
 * @param eventsWritten events appended to the log since start
 * @param webhooks one entry per {@code webhooks} entry, in config order
 * @param suppressions entries on the suppression list
 */
public record NotificationStats(long eventsWritten, List<WebhookStats> webhooks, int suppressions) {
  public NotificationStats {
    webhooks = List.copyOf(webhooks);
  }
}
