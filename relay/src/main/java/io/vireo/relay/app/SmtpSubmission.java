package io.vireo.relay.app;

import io.vireo.relay.compose.Composed;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/** {@code vireo send --smtp}: submits a composed message, byte for byte, with Angus Mail's client. */
final class SmtpSubmission {
  private static final String TIMEOUT_MILLIS = "60000";

  private SmtpSubmission() {}

  /** Sends {@code message}; returns the server's reply to the end of data (its 250 line). */
  static String send(
      Composed message,
      String hostPort,
      boolean starttls,
      Optional<String> user,
      Optional<String> password)
      throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--smtp needs HOST:PORT, got " + hostPort);
    }
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.host", hostPort.substring(0, colon).replace("[", "").replace("]", ""));
    properties.setProperty("mail.smtp.port", hostPort.substring(colon + 1));
    properties.setProperty("mail.smtp.from", message.sender());
    properties.setProperty("mail.smtp.connectiontimeout", TIMEOUT_MILLIS);
    properties.setProperty("mail.smtp.timeout", TIMEOUT_MILLIS);
    properties.setProperty("mail.smtp.writetimeout", TIMEOUT_MILLIS);
    if (starttls) {
      properties.setProperty("mail.smtp.starttls.enable", "true");
      properties.setProperty("mail.smtp.starttls.required", "true");
    }
    user.ifPresent(name -> properties.setProperty("mail.smtp.auth", "true"));
    Session session = Session.getInstance(properties);
    try {
      // Parsed back only to hand Angus a Message; unchanged (no saveChanges), it is written out
      // exactly as composed.
      MimeMessage mime = new MimeMessage(session, new ByteArrayInputStream(message.message()));
      InternetAddress[] recipients =
          message.recipients().stream().map(SmtpSubmission::address).toArray(InternetAddress[]::new);
      try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
        transport.connect(user.orElse(null), password.orElse(null));
        transport.sendMessage(mime, recipients);
        return transport.getLastServerResponse().strip();
      }
    } catch (MessagingException e) {
      throw new IOException("SMTP submission to " + hostPort + " failed: " + e.getMessage(), e);
    }
  }

  private static InternetAddress address(String address) {
    InternetAddress out = new InternetAddress();
    out.setAddress(address);
    return out;
  }
}
