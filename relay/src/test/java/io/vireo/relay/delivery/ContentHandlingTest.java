package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.Ret;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is sent: 8-bit downgrade, SMTPUTF8, and the DSN parameters passed on. */
class ContentHandlingTest {
  private static final String EIGHT_BIT =
      "Subject: umlauts\r\n"
          + "MIME-Version: 1.0\r\n"
          + "Content-Type: text/plain; charset=utf-8\r\n"
          + "Content-Transfer-Encoding: 8bit\r\n"
          + "\r\n"
          + "Grüße aus Köln\r\n";

  @TempDir Path dir;
  private DeliveryHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new DeliveryHarness(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void eightBitMessageToAServerWithout8BitMimeIsDeliveredAsQuotedPrintable() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2").withoutEightBitMime();
    harness.start();

    Envelope sent =
        harness.send(
            harness.envelope("a@sender.test", BodyType.EIGHT_BIT_MIME, false, "bob@dest.test"),
            EIGHT_BIT);

    ScriptedSmtpServer.ReceivedMessage received =
        mx.awaitMessages(1, DeliveryHarness.WAIT).getFirst();
    harness.awaitState(sent, "bob@dest.test", RecipientState.DELIVERED);
    assertThat(received.mailParameters()).noneMatch(p -> p.startsWith("BODY="));
    for (byte b : received.data()) {
      assertThat(b).as("every octet is 7-bit").isNotNegative();
    }
    assertThat(received.dataAsString())
        .contains("Content-Transfer-Encoding: quoted-printable")
        .contains("Gr=C3=BC=C3=9Fe aus K=C3=B6ln");
  }

  @Test
  void eightBitMessageToAServerWith8BitMimeGoesAsItIs() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2");
    harness.start();

    harness.send(
        harness.envelope("a@sender.test", BodyType.EIGHT_BIT_MIME, false, "bob@dest.test"),
        EIGHT_BIT);

    ScriptedSmtpServer.ReceivedMessage received =
        mx.awaitMessages(1, DeliveryHarness.WAIT).getFirst();
    assertThat(received.mailParameters()).contains("BODY=8BITMIME");
    assertThat(received.dataAsString()).isEqualTo(EIGHT_BIT);
  }

  @Test
  void smtpUtf8MessageToAServerWithoutSmtpUtf8BouncesWith567() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2").withoutSmtpUtf8();
    harness.start();

    Envelope sent =
        harness.send(
            harness.envelope("a@sender.test", BodyType.EIGHT_BIT_MIME, true, "bjørn@dest.test"),
            "Subject: hej\r\nTo: bjørn@dest.test\r\n\r\nhej\r\n");

    harness.awaitState(sent, "bjørn@dest.test", RecipientState.BOUNCED);
    assertThat(mx.commands()).noneMatch(command -> command.startsWith("MAIL"));
    assertThat(
            Reports.deliveryStatus(
                harness.bounceFor(sent, "bjørn@dest.test").content().toByteArray()))
        .contains("Status: 5.6.7");
  }

  @Test
  void envelopeIdAndOriginalRecipientArePassedOnDecodedOnceAndEncodedOnce() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2").withDsn();
    harness.start();
    // As the SMTP server stores them: xtext-encoded, as the client sent them.
    Envelope envelope =
        new Envelope(
            harness.envelope("a@sender.test", BodyType.SEVEN_BIT, false, "x@dest.test").id(),
            "a@sender.test",
            List.of(
                new Recipient(
                    "bob@dest.test",
                    Set.of(Notify.FAILURE, Notify.DELAY),
                    "rfc822;bob+2Blist@dest.test")),
            BodyType.SEVEN_BIT,
            false,
            Ret.HDRS,
            "id+2B42",
            java.time.Instant.now(),
            "127.0.0.1",
            "client.test");

    harness.send(envelope, DeliveryHarness.BODY);

    ScriptedSmtpServer.ReceivedMessage received =
        mx.awaitMessages(1, DeliveryHarness.WAIT).getFirst();
    assertThat(received.mailParameters()).contains("RET=HDRS", "ENVID=id+2B42");
    assertThat(received.recipientCommands())
        .containsExactly(
            "RCPT TO:<bob@dest.test> NOTIFY=FAILURE,DELAY ORCPT=rfc822;bob+2Blist@dest.test");
  }
}
