package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.RecipientState;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole relay: a message in over SMTP comes out at the next hop, and the spool knows it. */
class RelayDeliveryIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension final RelayExtension relays = new RelayExtension();

  @Test
  void acceptedMessageIsDeliveredToItsRouteAndMarkedDelivered() throws Exception {
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      try (Relay relay = relays.start(TestRelays.deliveryTo("example.net", nextHop), "")) {
        String id;
        try (SmtpTestClient client = relays.client()) {
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
