package io.vireo.relay.server;

import io.vireo.relay.listen.TlsSession;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceivedHeaderTest {
  private static final MessageId ID = new MessageId("01JWTQFG4G0000YRHWN2");
  private static final ZonedDateTime WHEN =
      ZonedDateTime.of(2025, 6, 3, 11, 5, 30, 0, ZoneOffset.ofHours(2));

  @Test
  void withOneRecipient() {
    byte[] header =
        ReceivedHeader.render(
            "client.test",
            InetAddress.ofLiteral("192.0.2.1"),
            "mx.test",
            Optional.empty(),
            "ESMTP",
            ID,
            Optional.of("bob@example.org"),
            WHEN);
    assertThat(new String(header, UTF_8))
        .isEqualTo(
            "Received: from client.test ([192.0.2.1])\r\n"
                + "\tby mx.test (Vireo) with ESMTP id 01JWTQFG4G0000YRHWN2\r\n"
                + "\tfor <bob@example.org>; Tue, 3 Jun 2025 11:05:30 +0200\r\n");
  }

  @Test
  void withSeveralRecipientsAndIpv6() {
    byte[] header =
        ReceivedHeader.render(
            "[IPv6:2001:db8::1]",
            InetAddress.ofLiteral("2001:db8::1"),
            "mx.test",
            Optional.empty(),
            "SMTP",
            ID,
            Optional.empty(),
            WHEN);
    assertThat(new String(header, UTF_8))
        .isEqualTo(
            "Received: from [IPv6:2001:db8::1] ([IPv6:2001:db8:0:0:0:0:0:1])\r\n"
                + "\tby mx.test (Vireo) with SMTP id 01JWTQFG4G0000YRHWN2;\r\n"
                + "\tTue, 3 Jun 2025 11:05:30 +0200\r\n");
  }

  @Test
  void overTlsTheVersionAndCipherAreAComment() {
    byte[] header =
        ReceivedHeader.render(
            "client.test",
            InetAddress.ofLiteral("192.0.2.1"),
            "mx.test",
            Optional.of(new TlsSession("TLSv1.3", "TLS_AES_256_GCM_SHA384")),
            "ESMTPS",
            ID,
            Optional.of("bob@example.org"),
            WHEN);
    assertThat(new String(header, UTF_8))
        .isEqualTo(
            "Received: from client.test ([192.0.2.1])\r\n"
                + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
                + "\tby mx.test (Vireo) with ESMTPS id 01JWTQFG4G0000YRHWN2\r\n"
                + "\tfor <bob@example.org>; Tue, 3 Jun 2025 11:05:30 +0200\r\n");
  }

  @Test
  void protocolNamesFollowRfc3848AndRfc6531() {
    assertThat(ReceivedHeader.protocol(false, false, false, false)).isEqualTo("SMTP");
    assertThat(ReceivedHeader.protocol(true, false, false, false)).isEqualTo("ESMTP");
    assertThat(ReceivedHeader.protocol(true, false, true, false)).isEqualTo("ESMTPS");
    assertThat(ReceivedHeader.protocol(true, false, false, true)).isEqualTo("ESMTPA");
    assertThat(ReceivedHeader.protocol(true, false, true, true)).isEqualTo("ESMTPSA");
    assertThat(ReceivedHeader.protocol(true, true, false, false)).isEqualTo("UTF8SMTP");
    assertThat(ReceivedHeader.protocol(true, true, true, true)).isEqualTo("UTF8SMTPSA");
  }
}
