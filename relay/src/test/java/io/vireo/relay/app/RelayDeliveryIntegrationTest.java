package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.queue.MessageId;
import io.vireo.queue.RecipientState;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole relay: a message in over SMTP comes out at the next hop, and the spool knows it. */
class RelayDeliveryIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path spoolDir;

  @Test
  void acceptedMessageIsDeliveredToItsRouteAndMarkedDelivered() throws Exception {
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      String delivery =
          """
          delivery:
            tls: none
            routes:
              - { domains: ["example.net"], via: "127.0.0.6:%d", tls: none }
          """
              .formatted(nextHop.port());
      try (Relay relay =
          Relay.start(ConfigLoader.parse(TestRelays.yaml(spoolDir, delivery, ""), "test.yaml"))) {
        String id;
        try (SmtpTestClient client =
            SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
          client.ehlo("app.test");
          id =
              client.sendMessage(
                  "app@example.com", List.of("user@example.net"), "Subject: out\r\n\r\nbody\r\n");
        }

        ScriptedSmtpServer.ReceivedMessage received = nextHop.awaitMessages(1, WAIT).getFirst();
        assertThat(received.mailFrom()).isEqualTo("app@example.com");
        assertThat(received.recipients()).containsExactly("user@example.net");
        assertThat(received.dataAsString())
            .startsWith("Received: ")
            .endsWith("Subject: out\r\n\r\nbody\r\n");
        Await.until(
            "the spool records the delivery",
            WAIT,
            () ->
                relay.spool().find(new MessageId(id)).orElseThrow().recipients().getFirst().state()
                    == RecipientState.DELIVERED);
        Await.until(
            "the delivery is counted", WAIT, () -> relay.delivery().stats().delivered() == 1);
      }
    }
  }
}
