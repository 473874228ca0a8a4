package io.vireo.relay.delivery;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.DkimConfig;
import io.vireo.queue.BodyType;
import io.vireo.queue.MessageContent;
import io.vireo.queue.RecipientState;
import io.vireo.relay.dkim.DkimSigner;
import io.vireo.relay.testing.Dkimpy;
import io.vireo.relay.testing.Dkimpy.TestKey;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DKIM signature made at acceptance survives delivery: an 8-bit message, signed as the listener
 * signs it, is delivered to a server without 8BITMIME (where delivery would have to downgrade it)
 * and to one with 8BITMIME, and dkimpy verifies what each server received.
 */
class DkimDeliveryTest {
  private static final String EIGHT_BIT =
      "From: App <app@example.com>\r\n"
          + "To: bob@dest.test\r\n"
          + "Subject: umlauts\r\n"
          + "MIME-Version: 1.0\r\n"
          + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n"
          + "\r\n"
          + "--b1\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "Content-Transfer-Encoding: 8bit\r\n"
          + "\r\n"
          + "Grüße aus Köln\r\n"
          + ".leading dot\r\n"
          + "--b1\r\n"
          + "Content-Type: text/html; charset=utf-8\r\n"
          + "Content-Transfer-Encoding: 8bit\r\n"
          + "\r\n"
          + "<p>Grüße</p>\r\n"
          + "--b1--\r\n";

  @TempDir Path dir;
  private DeliveryHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(dir.resolve("spool"));
    harness = new DeliveryHarness(dir.resolve("spool"));
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa", "ed25519"})
  void aSignedEightBitMessageVerifiesAfterDeliveryWithAndWithout8BitMime(String type)
      throws Exception {
    Dkimpy.require();
    TestKey key = type.equals("rsa") ? Dkimpy.rsa(dir) : Dkimpy.ed25519(dir);
    DkimSigner signer =
        DkimSigner.load(
            List.of(
                new DkimConfig(
                    "example.com", "sel", key.pemFile(), DkimConfig.DEFAULT_HEADERS)),
            Clock.systemUTC());
    byte[] signed = signer.sign(MessageContent.of(EIGHT_BIT.getBytes(UTF_8))).toByteArray();

    ScriptedSmtpServer sevenBitOnly = harness.mx("dest.test", "127.0.0.2").withoutEightBitMime();
    ScriptedSmtpServer eightBit = harness.mx("other.test", "127.0.0.3");
    harness.start();
    var toSevenBit =
        harness.send(
            harness.envelope("app@example.com", BodyType.EIGHT_BIT_MIME, false, "bob@dest.test"),
            new String(signed, ISO_8859_1));
    harness.send(
        harness.envelope("app@example.com", BodyType.EIGHT_BIT_MIME, false, "eve@other.test"),
        new String(signed, ISO_8859_1));

    byte[] received = sevenBitOnly.awaitMessages(1, DeliveryHarness.WAIT).getFirst().data();
    harness.awaitState(toSevenBit, "bob@dest.test", RecipientState.DELIVERED);
    assertThat(received).as("nothing left for delivery to convert").isEqualTo(signed);
    Dkimpy.assertVerifies(received, key, "sel._domainkey.example.com", dir);

    byte[] receivedWith8Bit = eightBit.awaitMessages(1, DeliveryHarness.WAIT).getFirst().data();
    Dkimpy.assertVerifies(receivedWith8Bit, key, "sel._domainkey.example.com", dir);
  }
}
