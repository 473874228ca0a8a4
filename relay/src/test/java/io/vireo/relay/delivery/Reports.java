package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Reads a delivery status notification back with Jakarta Mail and checks its RFC 3464 shape. */
final class Reports {
  private Reports() {}

  /** Parses {@code bytes} and returns the message/delivery-status part's text. */
  static String deliveryStatus(byte[] bytes) throws Exception {
    MimeMessage message =
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    assertThat(message.isMimeType("multipart/report")).as(message.getContentType()).isTrue();
    assertThat(message.getContentType()).contains("report-type=delivery-status");
    Multipart parts = (Multipart) message.getContent();
    assertThat(parts.getCount()).isEqualTo(3);
    BodyPart status = parts.getBodyPart(1);
    assertThat(status.isMimeType("message/delivery-status")).isTrue();
    Object content = status.getContent();
    if (content instanceof String text) {
      return text;
    }
    try (InputStream in = status.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AssertionError("unreadable delivery-status part", e);
    }
  }
}
