package io.vireo.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.Envelope;
import io.vireo.queue.Recipient;
import io.vireo.queue.StoredMessage;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UserStore;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.tls.TlsServerContext;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.util.CRLFOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent SMTP client (Angus Mail, the Jakarta Mail implementation) sends through the
 * server; the spool must hold exactly the octets the client meant, after the Received header.
 */
class AngusMailInteropTest {
  private ServerFixture fixture;

  @BeforeEach
  void startServer() throws IOException {
    fixture = new ServerFixture().start();
  }

  @AfterEach
  void stopServer() {
    fixture.close();
  }

  @Test
  void messageSentWithDataArrivesByteExact() throws MessagingException, IOException {
    assertArrivesByteExact(
        0, "First line\n.leading dot must survive\n..two dots\n.\nText with \u00fcmlauts\n");
  }

  /**
   * Angus 2.0.3 dot-stuffs BDAT chunks too (its BDATOutputStream extends its dot-stuffing
   * SMTPOutputStream), although RFC 3030 section 2 sends chunks unchanged; this server stores
   * chunks exactly as sent, so this body avoids lines starting with a dot.
   */
  @Test
  void messageSentWithBdatChunksArrivesByteExact() throws MessagingException, IOException {
    assertArrivesByteExact(
        100, "First line\nText with \u00fcmlauts\n" + "x".repeat(300) + "\nlast\n");
  }

  /**
   * @param chunkSize 0 sends with DATA; a positive size makes Angus use BDAT chunks of that size
   */
  private void assertArrivesByteExact(int chunkSize, String body)
      throws MessagingException, IOException {
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.host", fixture.address().getAddress().getHostAddress());
    properties.setProperty("mail.smtp.port", Integer.toString(fixture.address().getPort()));
    // Fixed names, so Angus never looks up the local host name (no DNS in tests).
    properties.setProperty("mail.smtp.localhost", "angus.test");
    properties.setProperty("mail.from", "alice@client.test");
    properties.setProperty("mail.smtp.connectiontimeout", "5000");
    properties.setProperty("mail.smtp.timeout", "5000");
    properties.setProperty("mail.smtp.writetimeout", "5000");
    if (chunkSize > 0) {
      properties.setProperty("mail.smtp.chunksize", Integer.toString(chunkSize));
    }
    Session session = Session.getInstance(properties);

    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("alice@client.test"));
    message.setRecipients(Message.RecipientType.TO, "bob@local.test");
    message.setSubject("Interop \u00fcber alles", "UTF-8");
    message.setSentDate(Date.from(ServerFixture.NOW));
    message.setText(body, "UTF-8");
    message.saveChanges();

    Transport.send(message);

    StoredMessage stored = fixture.spool.only();
    assertThat(TraceHeaders.afterReceived(stored.content().toByteArray()))
        .isEqualTo(wireForm(message));
    Envelope envelope = stored.envelope();
    assertThat(envelope.sender()).isEqualTo("alice@client.test");
    assertThat(envelope.recipients()).containsExactly(Recipient.of("bob@local.test"));
    assertThat(envelope.heloName()).isEqualTo("angus.test");
  }

  /**
   * Angus as applications configure it for submission: STARTTLS required, then AUTH; the server
   * relays for no network, so only the login lets the message out to another domain.
   */
  @Test
  void startTlsThenAuthThenRelay(@TempDir Path dir) throws Exception {
    PemCertificate certificate =
        PemCertificate.generate(
            dir, "mx.test", PemCertificate.KeyType.RSA, PemCertificate.KeyFormat.PKCS8);
    Path users = dir.resolve("users");
    UsersFile.empty()
        .with(
            "app@client.test",
            new PasswordHashing()
                .hash(PasswordHashing.octets("s3cret"), new PasswordHashing.Argon2Cost(64, 1, 1)))
        .write(users);
    fixture.close();
    fixture =
        new ServerFixture()
            .allowNetworks("10.0.0.0/8")
            .tls(TlsServerContext.load(certificate.certFile(), certificate.keyFile()))
            .auth(
                new ServerAuth(
                    new UserStore(users, 1),
                    new LoginThrottle(
                        3, Duration.ofSeconds(10), 5, Duration.ofMinutes(15), new ManualClock()),
                    true))
            .start();
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.host", fixture.address().getAddress().getHostAddress());
    properties.setProperty("mail.smtp.port", Integer.toString(fixture.address().getPort()));
    properties.setProperty("mail.smtp.localhost", "angus.test");
    properties.setProperty("mail.smtp.connectiontimeout", "5000");
    properties.setProperty("mail.smtp.timeout", "5000");
    properties.setProperty("mail.smtp.starttls.enable", "true");
    properties.setProperty("mail.smtp.starttls.required", "true");
    properties.setProperty("mail.smtp.auth", "true");
    properties.setProperty("mail.smtp.ssl.checkserveridentity", "false");
    properties.put(
        "mail.smtp.ssl.socketFactory", certificate.trustingClientContext().getSocketFactory());
    Session session = Session.getInstance(properties);
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress("app@client.test"));
    message.setRecipients(Message.RecipientType.TO, "user@elsewhere.test");
    message.setSubject("submitted");
    message.setText("over TLS, authenticated");
    message.saveChanges();

    assertThatThrownBy(() -> Transport.send(message, "app@client.test", "wrong"))
        .isInstanceOf(jakarta.mail.AuthenticationFailedException.class)
        .hasMessageContaining("535 5.7.8");
    Transport.send(message, "app@client.test", "s3cret");

    StoredMessage stored = fixture.spool.only();
    assertThat(stored.envelope().recipients()).containsExactly(Recipient.of("user@elsewhere.test"));
    assertThat(new String(stored.content().toByteArray(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("(using TLSv1.3 with cipher")
        .contains(" with ESMTPSA id ");
  }

  /** What Angus transmits: the message with CRLF line ends, before dot-stuffing. */
  private static byte[] wireForm(MimeMessage message) throws IOException, MessagingException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (CRLFOutputStream crlf = new CRLFOutputStream(bytes)) {
      message.writeTo(crlf);
    }
    return bytes.toByteArray();
  }
}
