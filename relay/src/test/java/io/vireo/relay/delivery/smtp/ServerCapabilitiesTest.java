package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.protocol.SmtpReply;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCapabilitiesTest {

  private static ServerCapabilities ehlo(String... lines) {
    return ServerCapabilities.fromEhlo(new SmtpReply(250, null, List.of(lines)));
  }

  @Test
  void parsesTheCommonExtensions() {
    ServerCapabilities caps =
        ehlo(
            "mx.example.test greets you",
            "PIPELINING",
            "SIZE 35882577",
            "8BITMIME",
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "CHUNKING",
            "DSN",
            "STARTTLS",
            "AUTH PLAIN login",
            "X-VENDOR thing");

    assertThat(caps.extended()).isTrue();
    assertThat(caps.pipelining()).isTrue();
    assertThat(caps.sizeOffered()).isTrue();
    assertThat(caps.sizeLimit()).isEqualTo(35_882_577L);
    assertThat(caps.eightBitMime()).isTrue();
    assertThat(caps.smtpUtf8()).isTrue();
    assertThat(caps.enhancedStatusCodes()).isTrue();
    assertThat(caps.chunking()).isTrue();
    assertThat(caps.dsn()).isTrue();
    assertThat(caps.startTls()).isTrue();
    assertThat(caps.authMechanisms()).containsExactlyInAnyOrder("PLAIN", "LOGIN");
    assertThat(caps.keywords()).hasSize(10).contains("X-VENDOR thing");
    assertThat(caps.offers("x-vendor")).isTrue();
    assertThat(caps.offers("BINARYMIME")).isFalse();
  }

  @Test
  void sizeWithoutLimitIsOfferedWithZero() {
    ServerCapabilities caps = ehlo("mx", "size");

    assertThat(caps.sizeOffered()).isTrue();
    assertThat(caps.sizeLimit()).isZero();
  }

  @Test
  void garbledSizeMeansNoDeclaredLimit() {
    assertThat(ehlo("mx", "SIZE lots").sizeLimit()).isZero();
  }

  @Test
  void oldStyleAuthEqualsForm() {
    assertThat(ehlo("mx", "AUTH=LOGIN PLAIN").authMechanisms())
        .containsExactlyInAnyOrder("LOGIN", "PLAIN");
  }

  @Test
  void greetingLineAloneOffersNothing() {
    ServerCapabilities caps = ehlo("mx.example.test");

    assertThat(caps.pipelining()).isFalse();
    assertThat(caps.sizeOffered()).isFalse();
    assertThat(caps.keywords()).isEmpty();
  }

  @Test
  void heloOnlyHasNoExtensions() {
    ServerCapabilities caps = ServerCapabilities.heloOnly();

    assertThat(caps.extended()).isFalse();
    assertThat(caps.pipelining()).isFalse();
    assertThat(caps.authMechanisms()).isEmpty();
  }
}
