package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.Dkimpy;
import io.vireo.relay.testing.Dkimpy.TestKey;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole relay with {@code dkim} configured: an 8-bit message sent over SMTP is signed at
 * acceptance and delivered to a next hop without 8BITMIME, and dkimpy verifies what that server
 * received, for an RSA and an Ed25519 key.
 */
class DkimRelayIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String EIGHT_BIT =
      "From: App <app@rsa.example>\r\n"
          + "To: user@example.net\r\n"
          + "Subject: greetings\r\n"
          + "MIME-Version: 1.0\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "Content-Transfer-Encoding: 8bit\r\n"
          + "\r\n"
          + "Grüße aus Köln\r\n"
          + ".a line starting with a dot\r\n";

  @TempDir Path dir;
  @RegisterExtension final RelayExtension relays = new RelayExtension();

  @Test
  void eightBitMailIsSignedAtAcceptanceAndVerifiesAtANextHopWithout8BitMime() throws Exception {
    Dkimpy.require();
    TestKey rsa = Dkimpy.rsa(dir);
    TestKey ed25519 = Dkimpy.ed25519(dir);
    try (ScriptedSmtpServer nextHop =
        new ScriptedSmtpServer("127.0.0.6").withoutEightBitMime()) {
      String dkim =
          """
          dkim:
            - { domain: rsa.example, selector: r1, key-file: "%s" }
            - { domain: ed.example, selector: e1, key-file: "%s" }
          """
              .formatted(rsa.pemFile(), ed25519.pemFile());
      try (Relay relay = relays.start(TestRelays.deliveryTo("example.net", nextHop), dkim);
          SmtpTestClient client = relays.client()) {
        client.ehlo("app.test");
        client.sendMessage("app@rsa.example", "BODY=8BITMIME", List.of("user@example.net"), EIGHT_BIT);
        client.sendMessage(
            "app@ed.example",
            "BODY=8BITMIME",
            List.of("user@example.net"),
            EIGHT_BIT.replace("app@rsa.example", "app@ed.example"));

        List<ScriptedSmtpServer.ReceivedMessage> received = nextHop.awaitMessages(2, WAIT);
        for (ScriptedSmtpServer.ReceivedMessage message : received) {
          assertThat(message.mailParameters()).noneMatch(p -> p.startsWith("BODY=8"));
          for (byte b : message.data()) {
            assertThat(b).as("every octet is 7-bit").isNotNegative();
          }
        }
        ScriptedSmtpServer.ReceivedMessage signedByRsa = from(received, "app@rsa.example");
        ScriptedSmtpServer.ReceivedMessage signedByEd = from(received, "app@ed.example");
        assertThat(signedByRsa.dataAsString())
            .startsWith("DKIM-Signature: v=1; a=rsa-sha256;")
            .contains("Content-Transfer-Encoding: quoted-printable");
        assertThat(signedByEd.dataAsString()).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;");
        Dkimpy.assertVerifies(signedByRsa.data(), rsa, "r1._domainkey.rsa.example", dir);
        Dkimpy.assertVerifies(signedByEd.data(), ed25519, "e1._domainkey.ed.example", dir);
      }
    }
  }

  @Test
  void theRelaysOwnBounceGoesThroughTheIntakeAndIsSignedForItsDomain() throws Exception {
    Dkimpy.require();
    TestKey relayKey = Dkimpy.rsa(dir);
    try (ScriptedSmtpServer refusing =
            new ScriptedSmtpServer("127.0.0.6").onRcpt(rcpt -> "550 5.1.1 no such user");
        ScriptedSmtpServer senders = new ScriptedSmtpServer("127.0.0.7")) {
      String delivery =
          """
          delivery:
            tls: none
            routes:
              - { domains: ["example.net"], via: "127.0.0.6:%d", tls: none }
              - { domains: ["rsa.example"], via: "127.0.0.7:%d", tls: none }
          """
              .formatted(refusing.port(), senders.port());
      String dkim =
          """
          dkim:
            - { domain: relay.test, selector: b1, key-file: "%s" }
          """
              .formatted(relayKey.pemFile());
      try (Relay relay = relays.start(delivery, dkim);
          SmtpTestClient client = relays.client()) {
        client.ehlo("app.test");
        client.sendMessage("app@rsa.example", List.of("user@example.net"), EIGHT_BIT);

        ScriptedSmtpServer.ReceivedMessage bounce = senders.awaitMessages(1, WAIT).getFirst();
        assertThat(bounce.mailFrom()).isEmpty();
        assertThat(bounce.dataAsString())
            .startsWith("DKIM-Signature: v=1; a=rsa-sha256;")
            .contains("d=relay.test;");
        Dkimpy.assertVerifies(bounce.data(), relayKey, "b1._domainkey.relay.test", dir);
      }
    }
  }

  private static ScriptedSmtpServer.ReceivedMessage from(
      List<ScriptedSmtpServer.ReceivedMessage> received, String sender) {
    return received.stream().filter(m -> m.mailFrom().equals(sender)).findFirst().orElseThrow();
  }
}
