package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} of a real relay, parsed by Python's Prometheus client: it is valid text format,
 * names follow the conventions, and the counters move with the mail that goes through.
 */
class MetricsIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MESSAGES = 6;

  @RegisterExtension final RelayExtension relays = new RelayExtension();

  @Test
  void countersMoveWithTrafficAndThePageParses() throws Exception {
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      String delivery =
          """
          delivery:
            tls: none
            routes:
              - { domains: ["example.net"], via: "127.0.0.6:%d", tls: none }
              - { domains: ["parked.test"], via: "127.0.0.1:1", tls: none }
          """
              .formatted(nextHop.port());
      try (Relay relay = relays.start(delivery, "")) {
        AdminClient admin = new AdminClient(relay.adminAddress());
        PrometheusText before = PrometheusText.parse(admin.get("/metrics").body());

        try (SmtpTestClient client = relays.client()) {
          client.ehlo("app.test");
          for (int i = 0; i < MESSAGES; i++) {
            client.sendMessage(
                "app@example.com",
                List.of("a@example.net", "b@example.net"),
                "Subject: " + i + "\r\n\r\nbody\r\n");
          }
          client.sendMessage("app@example.com", List.of("c@parked.test"), "Subject: p\r\n\r\nx\r\n");
        }
        nextHop.awaitMessages(MESSAGES, WAIT);
        Await.until(
            "every recipient is delivered and the parked one deferred",
            WAIT,
            () ->
                relay.delivery().stats().delivered() == 2 * MESSAGES
                    && relay.delivery().stats().deferred() == 1);

        PrometheusText after = PrometheusText.parse(admin.get("/metrics").body());

        assertThat(after.types())
            .containsEntry("vireo_connections_accepted", "counter")
            .containsEntry("vireo_connections_refused", "counter")
            .containsEntry("vireo_messages_accepted", "counter")
            .containsEntry("vireo_recipients_delivered", "counter")
            .containsEntry("vireo_connections_open", "gauge")
            .containsEntry("vireo_spool_usable_bytes", "gauge")
            .containsEntry("vireo_spool_sync_duration_seconds", "histogram")
            .containsEntry("vireo_spool_sync_batch_size", "histogram")
            .containsEntry("vireo_delivery_accept_to_delivered_seconds", "histogram")
            .containsEntry("vireo_queue_depth", "gauge")
            .containsEntry("vireo_queue_oldest_age_seconds", "gauge")
            .containsEntry("vireo_dns_cache_hits", "counter")
            .containsEntry("jvm_memory_used_bytes", "gauge")
            .containsEntry("jvm_threads_live_threads", "gauge");
        assertThat(after.types().keySet())
            .as("no metric of the relay's own without the vireo_ prefix")
            .allMatch(
                name ->
                    name.startsWith("vireo_")
                        || name.startsWith("jvm_")
                        || name.startsWith("process_"));

        assertThat(delta(before, after, "vireo_connections_accepted_total")).isEqualTo(1);
        assertThat(delta(before, after, "vireo_messages_accepted_total")).isEqualTo(MESSAGES + 1);
        assertThat(delta(before, after, "vireo_recipients_accepted_total"))
            .isEqualTo(2 * MESSAGES + 1);
        assertThat(delta(before, after, "vireo_recipients_delivered_total"))
            .isEqualTo(2 * MESSAGES);
        assertThat(delta(before, after, "vireo_recipients_deferred_total")).isEqualTo(1);
        assertThat(after.value("vireo_recipients_bounced_total")).isZero();
        assertThat(after.value("vireo_recipients_expired_total")).isZero();
        assertThat(after.value("vireo_connections_refused_total", "reason=max_connections"))
            .isZero();
        assertThat(after.value("vireo_connections_refused_total", "reason=max_connections_per_ip"))
            .isZero();
        assertThat(after.value("vireo_outbound_connections_opened_total"))
            .isGreaterThanOrEqualTo(1);
        assertThat(
                after.value("vireo_outbound_connections_opened_total")
                    + after.value("vireo_outbound_connections_reused_total"))
            .isGreaterThanOrEqualTo(MESSAGES);

        // One observation per delivered recipient, all of them within the test's time.
        assertThat(after.value("vireo_delivery_accept_to_delivered_seconds_count"))
            .isEqualTo(2 * MESSAGES);
        assertThat(after.value("vireo_delivery_accept_to_delivered_seconds_bucket", "le=+Inf"))
            .isEqualTo(2 * MESSAGES);
        assertThat(after.value("vireo_delivery_accept_to_delivered_seconds_bucket", "le=60.0"))
            .isEqualTo(2 * MESSAGES);
        assertThat(after.value("vireo_delivery_accept_to_delivered_seconds_sum"))
            .isBetween(0.0, 2.0 * MESSAGES * WAIT.toSeconds());
        // Every stored message and outcome went through a sync: more syncs, and batches that
        // add up to at least the messages stored.
        assertThat(delta(before, after, "vireo_spool_sync_duration_seconds_count")).isPositive();
        assertThat(delta(before, after, "vireo_spool_sync_batch_size_sum"))
            .isGreaterThanOrEqualTo(MESSAGES + 1);
        assertThat(after.value("vireo_spool_sync_duration_seconds_bucket", "le=+Inf"))
            .isEqualTo(after.value("vireo_spool_sync_duration_seconds_count"));

        // The parked message's destination is backing off: it is known, with a bounded label.
        assertThat(after.keysStartingWith("vireo_queue_depth{"))
            .contains("vireo_queue_depth{destination=route:127.0.0.1:1}");
        assertThat(after.value("vireo_spool_messages")).isEqualTo(1);
        assertThat(after.value("vireo_spool_writable")).isEqualTo(1);
        assertThat(after.value("vireo_listener_accepting")).isEqualTo(1);
        assertThat(after.value("vireo_spool_usable_bytes"))
            .isGreaterThanOrEqualTo(after.value("vireo_spool_min_free_bytes"));
        assertThat(after.value("jvm_threads_live_threads")).isPositive();
        assertThat(
                after.value(
                    "vireo_build_info", "version=" + System.getProperty("vireo.expectedVersion")))
            .isEqualTo(1);
      }
    }
  }

  private static double delta(PrometheusText before, PrometheusText after, String name) {
    return after.value(name) - before.value(name);
  }
}
