package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.StoredMessage;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real relay (Chronicle spool on disk) driven by an independent SMTP client, Angus Mail. */
class RelayAcceptIntegrationTest {
  private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Z]{20})");

  @TempDir Path spoolDir;
  private Relay relay;

  @BeforeEach
  void start() throws Exception {
    relay = Relay.start(TestRelays.config(spoolDir));
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void messageSentWithAngusMailIsQueuedByteForByteBehindTheReceivedHeader() throws Exception {
    Properties props = new Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", String.valueOf(TestRelays.smtpPort(relay)));
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

    QueuedMessage queued = relay.spool().find(id).orElseThrow();
    assertThat(queued.envelope().sender()).isEqualTo("app@example.com");
    assertThat(queued.envelope().heloName()).isEqualTo("client.test");
    assertThat(queued.envelope().clientAddress()).isEqualTo("127.0.0.1");
    assertThat(queued.recipients())
        .extracting(r -> r.recipient().address())
        .containsExactly("one@example.net", "two@example.org");

    StoredMessage stored = relay.spool().read(id).orElseThrow();
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
    try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("restart.test");
      ids =
          List.of(
              client.send("a@example.com", List.of("x@example.net"), "Subject: 1\r\n\r\none\r\n"),
              client.send("a@example.com", List.of("y@example.net"), "Subject: 2\r\n\r\ntwo\r\n"));
    }
    relay.close();
    relay = Relay.start(TestRelays.config(spoolDir));

    assertThat(relay.spool().pending()).extracting(m -> m.id().value()).containsAll(ids);
    String body =
        new String(
            relay.spool().read(new MessageId(ids.get(1))).orElseThrow().content().toByteArray(),
            StandardCharsets.UTF_8);
    assertThat(body).endsWith("Subject: 2\r\n\r\ntwo\r\n");
  }
}
