package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.StoredMessage;
import io.vireo.relay.testing.RelayExtension;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real relay (Chronicle spool on disk) driven by an independent SMTP client, Angus Mail. */
class RelayAcceptIntegrationTest {
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");

  @RegisterExtension final RelayExtension relays = RelayExtension.parkedBeforeEach();

  @Test
  void messageSentWithAngusMailIsQueuedByteForByteBehindTheReceivedHeader() throws Exception {
    Properties props = new Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", String.valueOf(relays.smtpPort()));
    props.put("mail.smtp.localhost", "client.test");
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "10000");
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("app@example.com"));
    message.setRecipients(
        Message.RecipientType.TO, "one@example.net, two@example.org");
    message.setSubject("integration", "UTF-8");
    message.setText("Grüße aus dem Test\nsecond line\n.leading dot\n", "UTF-8");
    message.saveChanges();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    message.writeTo(expected);

    String reply;
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      transport.sendMessage(message, message.getAllRecipients());
      reply = ((org.eclipse.angus.mail.smtp.SMTPTransport) transport).getLastServerResponse();
    }

    Matcher matcher = QUEUED.matcher(reply);
    assertThat(matcher.find()).as("250 reply names the queue id: %s", reply).isTrue();
    MessageId id = new MessageId(matcher.group(1));

    QueuedMessage queued = relays.relay().spool().find(id).orElseThrow();
    assertThat(queued.envelope().sender()).isEqualTo("app@example.com");
    assertThat(queued.envelope().heloName()).isEqualTo("client.test");
    assertThat(queued.envelope().clientAddress()).isEqualTo("127.0.0.1");
    assertThat(queued.recipients())
        .extracting(r -> r.recipient().address())
        .containsExactly("one@example.net", "two@example.org");

    StoredMessage stored = relays.relay().spool().read(id).orElseThrow();
    String content = new String(stored.content().toByteArray(), StandardCharsets.UTF_8);
    assertThat(content).startsWith("Received: from client.test ([127.0.0.1])");
    assertThat(content).contains("by relay.test");
    assertThat(content).contains(id.value());
    // Skip the Received header, including any folded continuation lines.
    int end = 0;
    do {
      end = content.indexOf("\r\n", end) + 2;
    } while (content.charAt(end) == ' ' || content.charAt(end) == '\t');
    String afterTrace = content.substring(end);
    assertThat(afterTrace).isEqualTo(expected.toString(StandardCharsets.UTF_8));
  }

  @Test
  void acceptedMessagesSurviveARestartOfTheRelay() throws Exception {
    List<String> ids;
    try (SmtpTestClient client = relays.client()) {
      client.ehlo("restart.test");
      ids =
          List.of(
              client.sendMessage("a@example.com", List.of("x@example.net"), "Subject: 1\r\n\r\none\r\n"),
              client.sendMessage("a@example.com", List.of("y@example.net"), "Subject: 2\r\n\r\ntwo\r\n"));
    }
    relays.relay().close();
    relays.start(TestRelays.PARKED_DELIVERY, "");

    assertThat(relays.relay().spool().pending()).extracting(m -> m.id().value()).containsAll(ids);
    String body =
        new String(
            relays.relay().spool().read(new MessageId(ids.get(1))).orElseThrow().content().toByteArray(),
            StandardCharsets.UTF_8);
    assertThat(body).endsWith("Subject: 2\r\n\r\ntwo\r\n");
  }

  @Test
  void aFortyMegabyteMessageRoundTripsThroughSmtpAndTheSpool() throws Exception {
    // 40 MB of 78-octet lines: well past Chronicle's default excerpt limit, below max-message-size.
    String line = "0123456789".repeat(7) + "abcdef\r\n";
    int lines = 40 * 1024 * 1024 / line.length();
    String content = "Subject: big\r\n\r\n" + line.repeat(lines);
    String id;
    try (SmtpTestClient client = relays.client()) {
      client.ehlo("big.test");
      id = client.sendMessage("big@example.com", List.of("x@example.net"), content);
    }
    StoredMessage stored = relays.relay().spool().read(new MessageId(id)).orElseThrow();
    assertThat(stored.content().size()).isGreaterThan(40L * 1000 * 1000);
    java.security.MessageDigest expected = java.security.MessageDigest.getInstance("SHA-256");
    expected.update(content.getBytes(StandardCharsets.US_ASCII));
    java.security.MessageDigest actual = java.security.MessageDigest.getInstance("SHA-256");
    try (var in = stored.content().openStream()) {
      // Skip the Received header the relay prepended, then digest the rest.
      String head = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
      int end = 0;
      do {
        end = head.indexOf("\r\n", end) + 2;
      } while (head.charAt(end) == ' ' || head.charAt(end) == '\t');
      actual.update(head.substring(end).getBytes(StandardCharsets.US_ASCII));
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        actual.update(buffer, 0, n);
      }
    }
    assertThat(actual.digest()).isEqualTo(expected.digest());
  }
}
